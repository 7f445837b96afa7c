// Free-text scanning: run the chosen detectors (each one linear), settle overlaps, rewrite spans.
import { compileCustom } from './custom';
import { CUSTOM_PRIORITY, DETECTORS, PRIORITY } from './detectors';
import { looksLikeHtml, redactHtml } from './html';
import { DEFAULT_OPERATOR, replaceSpan, validateOperator } from './operators';
import type { Detector, EntityType, Finding, Operator, Span, TextOptions } from './types';
import { ENTITY_TYPES, RedactionError } from './types';

export const DEFAULT_MAX_LENGTH = 2 * 1024 * 1024;

export interface TextScanner {
	/** Redacts one string; findings (with offsets into `text`) are appended to `findings`. */
	redact(text: string, path: string, findings: Finding[]): string;
}

/** Runs every detector and keeps a non-overlapping set: higher priority, then longer, wins. */
export function findSpans(text: string, detectors: readonly Detector[], forced: readonly Span[] = []): Span[] {
	const all: Span[] = [...forced];
	for (const d of detectors) if (!d.trigger || d.trigger.test(text)) d.scan(text, all);
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

	/**
	 * Scans `text` and rewrites it. In HTML mode `text` is a decoded segment: `map` turns its offsets
	 * into offsets of the raw string `src`, and the rewritten raw segment src[from, to) is returned.
	 */
	const rewrite = (text: string, path: string, findings: Finding[], seg?: { map: Int32Array | undefined; src: string; from: number; to: number; escape: (s: string) => string; forced: Span[] }): string => {
		const spans = findSpans(text, detectors, seg?.forced);
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

	return {
		redact(text: string, path: string, findings: Finding[]): string {
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
			if (htmlMode === 'always' || (htmlMode === 'auto' && looksLikeHtml(text))) {
				return redactHtml(text, (decoded, map, src, from, to, escape, forced) =>
					rewrite(decoded, path, findings, { map, src, from, to, escape, forced }),
				);
			}
			return rewrite(text, path, findings);
		},
	};
}
