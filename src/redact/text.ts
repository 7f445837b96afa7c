// Free-text scanning: options checked once (compileText), then per string: size cap, HTML or plain,
// detectors (spans.ts), operators. Numbers in items are checked as digit strings.
import { compileCustom } from './custom';
import { DETECTORS, ENTITY_TYPES } from './detectors';
import { validCard } from './detectors/card';
import { normaliseCountries, validInternational, validNational } from './detectors/phone';
import { hasEntity, looksLikeHtml } from './html';
import { DEFAULT_OPERATOR, replaceSpan, validateOperator } from './operators';
import type { PreparedContext, SpanWriter } from './spans';
import { applySpans, findSpans, rewriteHtml } from './spans';
import { compileSubject } from './subject';
import type { Detector, EntityType, Finding, Operator, ScanContext, TextOptions } from './types';
import { RedactionError } from './types';

export { findSpans } from './spans';
export type { PreparedContext } from './spans';

export const DEFAULT_MAX_LENGTH = 2 * 1024 * 1024;

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

/** The built-in detectors chosen by name, then the custom ones (each guarded). */
function chooseDetectors(opts: TextOptions): Detector[] {
	const chosen = opts.detectors ?? ENTITY_TYPES;
	for (const t of chosen) {
		if (!ENTITY_TYPES.includes(t)) throw new RedactionError(`Unknown detector "${String(t)}" (known: ${ENTITY_TYPES.join(', ')})`, 'detectors');
	}
	const detectors: Detector[] = [...new Set<EntityType>(chosen)].map((t) => DETECTORS[t]);
	(opts.custom ?? []).forEach((c, i) => detectors.push(compileCustom(c, i)));
	return detectors;
}

/** The operator per finding type (`operators` over `operator` over replace-with-label), checked once. */
function compileWriter(opts: TextOptions): SpanWriter {
	const base = opts.operator ?? DEFAULT_OPERATOR;
	validateOperator(base, 'operator', opts.hmacKey);
	const perType = new Map<string, Operator>();
	for (const [type, op] of Object.entries(opts.operators ?? {})) {
		if (!op) continue;
		validateOperator(op, `operators.${type}`, opts.hmacKey);
		perType.set(type.toUpperCase(), op);
	}
	return { opFor: (type) => perType.get(type) ?? base, key: opts.hmacKey };
}

const checkMode = (m: unknown, field: string): void => {
	if (m !== undefined && m !== 'redact' && m !== 'keep') throw new RedactionError(`${field} must be "redact" or "keep"`, field);
};

/** Per-call contexts: countries merged with the defaults, subject compiled. The common case (none) is prepared once. */
function compileContexts(opts: TextOptions): (ctx?: ScanContext) => PreparedContext {
	const defaultCountries = normaliseCountries(opts.defaultCountries, 'defaultCountries');
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
	return (ctx?: ScanContext): PreparedContext => (ctx === undefined ? staticCtx : prepareFresh(ctx));
}

/** Unix times in seconds and milliseconds: digit strings that a numbering plan may accept by accident. */
const MINUS = /^-/;
const CARD_OR_PHONE_DIGITS = /^[0-9]{10,19}$/;
const isTimestamp = (d: string): boolean => (d.length === 10 || d.length === 13) && d[0] === '1';

/** A JSON number as a digit string: CARD by Luhn, PHONE when valid internationally or in a country in effect. */
function numberChecker(detectors: readonly Detector[], w: SpanWriter): TextScanner['redactNumber'] {
	const card = detectors.some((d) => d.type === 'CARD');
	const phone = detectors.some((d) => d.type === 'PHONE');
	const typeOf = (digits: string, ctx: PreparedContext): string | undefined => {
		if (card && validCard(digits)) return 'CARD';
		if (!phone || isTimestamp(digits) || digits.length < 10 || digits.length > 15) return undefined;
		if (validInternational(digits)) return 'PHONE';
		for (const c of ctx.env.countries) if (validNational(digits, c)) return 'PHONE';
		return undefined;
	};
	return (value, path, findings, ctx) => {
		if (typeof value === 'number' && !Number.isInteger(value)) return value;
		const digits = (typeof value === 'bigint' ? value : Math.abs(value)).toString().replace(MINUS, '');
		if (!CARD_OR_PHONE_DIGITS.test(digits)) return value;
		const type = typeOf(digits, ctx!);
		if (!type) return value;
		const op = w.opFor(type);
		findings.push({ type, path, start: 0, end: digits.length, action: op.kind });
		return replaceSpan(op, digits, type, w.key);
	};
}

export function compileText(opts: TextOptions): TextScanner {
	const detectors = chooseDetectors(opts);
	const w = compileWriter(opts);
	const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
	if (!Number.isInteger(maxLength) || maxLength < 1) throw new RedactionError('maxLength must be a whole number ≥ 1', 'maxLength');
	const onOversize = opts.onOversize ?? 'redact';
	const htmlMode = opts.html ?? 'auto';
	const prepare = compileContexts(opts);
	const staticCtx = prepare();
	const redactNumber = numberChecker(detectors, w);
	return {
		prepare,
		redactNumber: (value, path, findings, ctx = staticCtx) => redactNumber(value, path, findings, ctx),
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
				return rewriteHtml(w, detectors, text, path, findings, ctx);
			}
			return applySpans(w, text, findSpans(text, detectors, [], ctx.env, ctx), path, findings);
		},
	};
}
