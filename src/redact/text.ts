// Free-text scanning: run the chosen detectors (each one linear), settle overlaps, rewrite spans.
import { compileCustom } from './custom';
import { CUSTOM_PRIORITY, DETECTORS, PRIORITY } from './detectors';
import { validCard } from './detectors/card';
import { normaliseCountries, validInternational, validNational } from './detectors/phone';
import { hasEntity, htmlSegments, looksLikeHtml } from './html';
import { DEFAULT_OPERATOR, replaceSpan, validateOperator } from './operators';
import type { CompiledSubject } from './subject';
import { compileSubject, findSubjectSpans, isSubjectValue } from './subject';
import type { Detector, DetectorEnv, EntityType, Finding, Operator, ScanContext, Span, TextOptions } from './types';
import { ENTITY_TYPES, RedactionError } from './types';

export const DEFAULT_MAX_LENGTH = 2 * 1024 * 1024;

/** A ScanContext made ready for many strings: countries checked and merged, subject compiled. */
export interface PreparedContext {
	env: DetectorEnv;
	subject?: CompiledSubject;
	keepSubject: boolean;
}

export interface TextScanner {
	/** Redacts one string; findings (with offsets into `text`) are appended to `findings`. */
	redact(text: string, path: string, findings: Finding[], ctx?: PreparedContext): string;
	/** Checks and compiles a per-call context once (per item), for every string of that item. */
	prepare(ctx?: ScanContext): PreparedContext;
	/**
	 * A number value checked as a digit string by the card and phone detectors (a card or phone
	 * stored as a JSON number). Returns the number unchanged, or its replacement (a string).
	 */
	redactNumber(value: number | bigint, path: string, findings: Finding[], ctx?: PreparedContext): unknown;
}

const NO_ENV: DetectorEnv = { countries: [] };

/** Runs every detector and keeps a non-overlapping set: higher priority, then longer, wins. */
export function findSpans(text: string, detectors: readonly Detector[], forced: readonly Span[] = [], env: DetectorEnv = NO_ENV, ctx?: PreparedContext): Span[] {
	let all: Span[] = [...forced];
	for (const d of detectors) if (!d.trigger || d.trigger.test(text)) d.scan(text, all, env);
	const subject = ctx?.subject;
	if (subject) {
		if (ctx.keepSubject) all = all.filter((s) => !isSubjectValue(s.type, text.slice(s.start, s.end), subject));
		else findSubjectSpans(text, subject, all);
	}
	if (all.length < 2) return all;
	all.sort((a, b) => a.start - b.start || b.end - a.end);
	const rank = (s: Span): number => PRIORITY[s.type] ?? CUSTOM_PRIORITY;
	const kept: Span[] = [];
	for (const s of all) {
		let wins = true;
		while (kept.length > 0 && kept[kept.length - 1].end > s.start) {
			const last = kept[kept.length - 1];
			const better = rank(s) < rank(last) || (rank(s) === rank(last) && s.end - s.start > last.end - last.start);
			if (!better) {
				wins = false;
				break;
			}
			kept.pop();
		}
		if (wins) kept.push(s);
	}
	return kept;
}

export function compileText(opts: TextOptions): TextScanner {
	const chosen = opts.detectors ?? ENTITY_TYPES;
	for (const t of chosen) {
		if (!ENTITY_TYPES.includes(t)) throw new RedactionError(`Unknown detector "${String(t)}" (known: ${ENTITY_TYPES.join(', ')})`, 'detectors');
	}
	const detectors: Detector[] = [...new Set<EntityType>(chosen)].map((t) => DETECTORS[t]);
	(opts.custom ?? []).forEach((c, i) => detectors.push(compileCustom(c, i)));
	const base = opts.operator ?? DEFAULT_OPERATOR;
	validateOperator(base, 'operator', opts.hmacKey);
	const perType = new Map<string, Operator>();
	for (const [type, op] of Object.entries(opts.operators ?? {})) {
		if (!op) continue;
		validateOperator(op, `operators.${type}`, opts.hmacKey);
		perType.set(type.toUpperCase(), op);
	}
	const opFor = (type: string): Operator => perType.get(type) ?? base;
	const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
	if (!Number.isInteger(maxLength) || maxLength < 1) throw new RedactionError('maxLength must be a whole number ≥ 1', 'maxLength');
	const onOversize = opts.onOversize ?? 'redact';
	const htmlMode = opts.html ?? 'auto';
	const key = opts.hmacKey;
	const defaultCountries = normaliseCountries(opts.defaultCountries, 'defaultCountries');
	const checkMode = (m: unknown, field: string): void => {
		if (m !== undefined && m !== 'redact' && m !== 'keep') throw new RedactionError(`${field} must be "redact" or "keep"`, field);
	};
	checkMode(opts.subjectMode, 'subjectMode');
	const prepareFresh = (ctx?: ScanContext): PreparedContext => {
		if (ctx !== undefined && (ctx === null || typeof ctx !== 'object')) throw new RedactionError('The scan context must be an object', 'context');
		checkMode(ctx?.subjectMode, 'subjectMode');
		const subject = compileSubject(ctx?.subject ?? opts.subject);
		const extra = normaliseCountries(ctx?.countries, 'countries');
		const countries = [...defaultCountries];
		for (const c of [...extra, ...(subject?.countries ?? [])]) if (!countries.includes(c)) countries.push(c);
		return { env: { countries }, subject, keepSubject: (ctx?.subjectMode ?? opts.subjectMode) === 'keep' };
	};
	const staticCtx = prepareFresh();
	/** The common case, nothing per call, costs nothing per call. */
	const prepare = (ctx?: ScanContext): PreparedContext => (ctx === undefined ? staticCtx : prepareFresh(ctx));

	/**
	 * Scans `text` and rewrites it. In HTML mode `text` is a decoded segment: `map` turns its offsets
	 * into offsets of the raw string `src`, and the rewritten raw segment src[from, to) is returned.
	 */
	/** Rewrites `text` with `spans`; with `seg`, text is a decoded segment of the raw string seg.src. */
	const applySpans = (text: string, spans: Span[], path: string, findings: Finding[], seg?: { map: Int32Array | undefined; src: string; from: number; to: number; escape: (s: string) => string }): string => {
		const src = seg?.src ?? text;
		const from = seg?.from ?? 0;
		const to = seg?.to ?? text.length;
		if (spans.length === 0) return seg ? src.slice(from, to) : text;
		let out = '';
		let pos = from;
		for (const s of spans) {
			const op = opFor(s.type);
			const start = !seg ? s.start : seg.map ? seg.map[s.start] : seg.from + s.start;
			const end = !seg ? s.end : seg.map ? seg.map[s.end] : seg.from + s.end;
			const rep = replaceSpan(op, text.slice(s.start, s.end), s.type, key);
			out += src.slice(pos, start) + (seg ? seg.escape(rep) : rep);
			pos = end;
			findings.push({ type: s.type, path, start, end, action: op.kind });
		}
		return out + src.slice(pos, to);
	};

	const rewrite = (text: string, path: string, findings: Finding[], ctx: PreparedContext): string =>
		applySpans(text, findSpans(text, detectors, [], ctx.env, ctx), path, findings);

	/**
	 * HTML: all segments (text nodes, comments, attribute values; decoded) are joined with '\n' and
	 * scanned once — no detector crosses a line break — then each span is mapped back to its
	 * segment and the raw HTML is rewritten segment by segment (replacements escaped for where they land).
	 */
	const rewriteHtml = (src: string, path: string, findings: Finding[], ctx: PreparedContext): string => {
		const segs = htmlSegments(src);
		if (segs.length === 0) return src;
		const starts: number[] = [];
		const forced: Span[] = [];
		let joined = '';
		for (const g of segs) {
			if (joined.length) joined += '\n';
			starts.push(joined.length);
			for (const f of g.forced) forced.push({ type: f.type, start: f.start + joined.length, end: f.end + joined.length });
			joined += g.text;
		}
		const spans = findSpans(joined, detectors, forced, ctx.env, ctx);
		if (spans.length === 0) return src;
		let out = '';
		let pos = 0;
		let k = 0;
		for (let si = 0; si < segs.length && k < spans.length; si++) {
			const g = segs[si];
			const base0 = starts[si];
			const segEnd = base0 + g.text.length;
			const mine: Span[] = [];
			// Spans are sorted and disjoint; one that runs past this segment is split (a custom pattern may cross).
			while (k < spans.length && spans[k].start < segEnd) {
				const sp = spans[k];
				const s0 = Math.max(sp.start, base0);
				const e0 = Math.min(sp.end, segEnd);
				if (e0 > s0) mine.push({ type: sp.type, start: s0 - base0, end: e0 - base0 });
				if (sp.end > segEnd) {
					spans[k] = { type: sp.type, start: segEnd + 1, end: sp.end };
					break;
				}
				k++;
			}
			if (!mine.length) continue;
			out += src.slice(pos, g.from) + applySpans(g.text, mine, path, findings, { map: g.map, src, from: g.from, to: g.to, escape: g.escape });
			pos = g.to;
		}
		return out + src.slice(pos);
	};

	const numberCard = detectors.some((d) => d.type === 'CARD');
	const numberPhone = detectors.some((d) => d.type === 'PHONE');
	/** Unix times in seconds and milliseconds: digit strings that a numbering plan may accept by accident. */
	const isTimestamp = (d: string): boolean => (d.length === 10 || d.length === 13) && d[0] === '1';
	const numberType = (digits: string, ctx: PreparedContext): string | undefined => {
		if (numberCard && validCard(digits)) return 'CARD';
		if (!numberPhone || isTimestamp(digits) || digits.length < 10 || digits.length > 15) return undefined;
		if (validInternational(digits)) return 'PHONE';
		for (const c of ctx.env.countries) if (validNational(digits, c)) return 'PHONE';
		return undefined;
	};

	return {
		prepare,
		redactNumber(value: number | bigint, path: string, findings: Finding[], ctx: PreparedContext = staticCtx): unknown {
			if (typeof value === 'number' && !Number.isInteger(value)) return value;
			const digits = (typeof value === 'bigint' ? value : Math.abs(value)).toString().replace(/^-/, '');
			if (!/^[0-9]{10,19}$/.test(digits)) return value;
			const type = numberType(digits, ctx);
			if (!type) return value;
			const op = opFor(type);
			findings.push({ type, path, start: 0, end: digits.length, action: op.kind });
			return replaceSpan(op, digits, type, key);
		},
		redact(text: string, path: string, findings: Finding[], ctx: PreparedContext = staticCtx): string {
			if (text.length > maxLength) {
				if (onOversize === 'error') {
					throw new RedactionError(
						`The text at "${path || '(value)'}" is ${text.length} characters, over the ${maxLength} limit; raise the limit or choose to redact oversize text`,
						'maxLength',
					);
				}
				findings.push({ type: 'OVERSIZE', path, start: 0, end: text.length, action: 'replace' });
				return '[OVERSIZE]';
			}
			// Entities alone (`jane&#64;example.com`) are enough for HTML mode: they are decoded before matching.
			if (htmlMode === 'always' || (htmlMode === 'auto' && (looksLikeHtml(text) || hasEntity(text)))) {
				return rewriteHtml(text, path, findings, ctx);
			}
			return rewrite(text, path, findings, ctx);
		},
	};
}
