// Finding spans and writing them back: run the detectors over one string (sharing one digit-run
// pass), settle overlaps by priority, and rewrite the string — plain text, or HTML segment by segment.
import { CUSTOM_PRIORITY, PRIORITY, digitRuns } from './detectors';
import type { DigitRuns } from './detectors';
import { NO_RUNS, newRunBuffer } from './detectors/digits';
import type { HtmlSegment } from './html';
import { htmlSegments, rawOffset } from './html';
import { replaceSpan } from './operators';
import type { CompiledSubject } from './subject';
import { findSubjectSpans, isSubjectValue } from './subject';
import type { Detector, DetectorEnv, Finding, Operator, Span } from './types';

/** A ScanContext made ready for many strings: countries checked and merged, subject compiled. */
export interface PreparedContext {
	env: DetectorEnv;
	subject?: CompiledSubject;
	keepSubject: boolean;
}

/** How spans are rewritten: the operator per finding type and the hmac key. */
export interface SpanWriter {
	opFor(type: string): Operator;
	key: string | undefined;
}

const NO_ENV: DetectorEnv = { countries: [] };
/** The digit runs of the string being scanned (findSpans is never re-entered while detectors run). */
const RUNS = newRunBuffer(256);
/** A buffer grown by one huge string (a 2 MB digit soup: ~1M runs, 8 MB) is not kept for the next. */
const RUNS_KEPT = 1 << 16;
const rank = (s: Span): number => PRIORITY[s.type] ?? CUSTOM_PRIORITY;

/**
 * The string the detectors read: a fresh sequential copy, made here by Array#join of two slices
 * (V8 writes a join of two non-empty strings into one new flat string). Measured on the bench
 * corpus, one engine per process: 31–33 ms per pass with this copy, 45 ms without it, whether the
 * detectors were handed the JSON-parsed strings or copies made before the pass; a joined copy is
 * read 3 % faster than the flattened rope used before. The copy costs one memcpy. Why a string
 * copied here is read so much faster is not understood.
 */
function scanCopy(text: string): string {
	if (text.length < 13) return text; // shorter strings are sequential already (V8 copies short slices and concatenations)
	return [text.slice(0, 1), text.slice(1)].join('');
}

/** Runs every detector and keeps a non-overlapping set: higher priority, then longer, wins. */
export function findSpans(source: string, detectors: readonly Detector[], forced: readonly Span[] = [], env: DetectorEnv = NO_ENV, ctx?: PreparedContext): Span[] {
	return spansOf(scanCopy(source), detectors, forced, env, ctx); // same characters, same offsets
}

/** findSpans over a string that is already the detectors' fresh flat copy. */
function spansOf(text: string, detectors: readonly Detector[], forced: readonly Span[], env: DetectorEnv, ctx?: PreparedContext): Span[] {
	let all: Span[] = forced.length ? forced.slice() : [];
	let runs: DigitRuns | undefined;
	for (const d of detectors) {
		if (d.digits) {
			// One digit-run pass for all digit detectors; none of them runs on a string without digits.
			runs ??= digitRuns(text, RUNS);
			if (runs.count === 0 && runs.lettered.count === 0) continue;
		}
		if (d.trigger && !d.trigger.test(text)) continue;
		d.scan(text, all, env, d.digits ? runs! : NO_RUNS);
	}
	if (RUNS.start.length > RUNS_KEPT || RUNS.lettered.start.length > RUNS_KEPT) Object.assign(RUNS, newRunBuffer(256));
	const subject = ctx?.subject;
	if (subject) {
		if (ctx.keepSubject) all = all.filter((s) => !isSubjectValue(s.type, text.slice(s.start, s.end), subject));
		else findSubjectSpans(text, subject, all);
	}
	return all.length < 2 ? all : settle(all);
}

/** Sorted, non-overlapping: of two overlapping spans the one of higher priority (lower number), then the longer, stays. */
function settle(all: Span[]): Span[] {
	sortSpans(all);
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

/**
 * By start, then longer first. Insertion sort: a string has a handful of spans, mostly in order
 * already (each detector reports left to right), where Array#sort with a comparator costs a call
 * per comparison and a fixed setup per string.
 */
function sortSpans(all: Span[]): void {
	// Past a few dozen, spans from several detectors interleaved could make it quadratic: the library sort.
	if (all.length > 32) {
		all.sort((a, b) => a.start - b.start || b.end - a.end);
		return;
	}
	for (let i = 1; i < all.length; i++) {
		const s = all[i];
		let j = i - 1;
		while (j >= 0 && (all[j].start > s.start || (all[j].start === s.start && all[j].end < s.end))) {
			all[j + 1] = all[j];
			j--;
		}
		all[j + 1] = s;
	}
}

/** Rewrites plain `text` with sorted, disjoint `spans`; findings get offsets into `text`. */
export function applySpans(w: SpanWriter, text: string, spans: readonly Span[], path: string, findings: Finding[]): string {
	if (spans.length === 0) return text;
	let out = '';
	let pos = 0;
	for (const s of spans) {
		const op = w.opFor(s.type);
		out += text.slice(pos, s.start) + replaceSpan(op, text.slice(s.start, s.end), s.type, w.key);
		pos = s.end;
		findings.push({ type: s.type, path, start: s.start, end: s.end, action: op.kind });
	}
	return out + text.slice(pos);
}

/**
 * Rewrites the raw segment src[g.from, g.to) of an HTML string: `spans` are in the segment's decoded
 * text, mapped back to raw offsets; replacements are escaped for where they land (text or attribute).
 */
function applySegment(w: SpanWriter, src: string, g: HtmlSegment, spans: readonly Span[], path: string, findings: Finding[]): string {
	let out = '';
	let pos = g.from;
	for (const s of spans) {
		const op = w.opFor(s.type);
		const start = rawOffset(g.map, g.from, g.to, g.text.length, s.start);
		const end = rawOffset(g.map, g.from, g.to, g.text.length, s.end);
		out += src.slice(pos, start) + g.escape(replaceSpan(op, g.text.slice(s.start, s.end), s.type, w.key));
		pos = end;
		findings.push({ type: s.type, path, start, end, action: op.kind });
	}
	return out + src.slice(pos, g.to);
}

/**
 * HTML: all segments (text nodes, comments, attribute values; decoded) are joined with '\n' and
 * scanned once — no detector crosses a line break — then each span is mapped back to its
 * segment and the raw HTML is rewritten segment by segment.
 */
export function rewriteHtml(w: SpanWriter, detectors: readonly Detector[], src: string, path: string, findings: Finding[], ctx: PreparedContext): string {
	const segs = htmlSegments(src);
	if (segs.length === 0) return src;
	const starts: number[] = [];
	const forced: Span[] = [];
	let length = 0;
	for (const g of segs) {
		// Array#join puts a '\n' between every two segments, empty ones too (`&shy;` decodes to nothing).
		if (starts.length > 0) length += 1;
		starts.push(length);
		for (const f of g.forced) forced.push({ type: f.type, start: f.start + length, end: f.end + length });
		length += g.text.length;
	}
	// Two or more segments joined by Array#join are already the sequential copy scanCopy makes.
	const spans =
		segs.length > 1 ? spansOf(segs.map((g) => g.text).join('\n'), detectors, forced, ctx.env, ctx) : findSpans(segs[0].text, detectors, forced, ctx.env, ctx);
	if (spans.length === 0) return src;
	let out = '';
	let pos = 0;
	let k = 0;
	for (let si = 0; si < segs.length && k < spans.length; si++) {
		const g = segs[si];
		const base = starts[si];
		const segEnd = base + g.text.length;
		const mine: Span[] = [];
		// Spans are sorted and disjoint; one that runs past this segment is split (a custom pattern may cross).
		while (k < spans.length && spans[k].start < segEnd) {
			const sp = spans[k];
			const s0 = Math.max(sp.start, base);
			const e0 = Math.min(sp.end, segEnd);
			if (e0 > s0) mine.push({ type: sp.type, start: s0 - base, end: e0 - base });
			if (sp.end > segEnd) {
				spans[k] = { type: sp.type, start: segEnd + 1, end: sp.end };
				break;
			}
			k++;
		}
		if (!mine.length) continue;
		out += src.slice(pos, g.from) + applySegment(w, src, g, mine, path, findings);
		pos = g.to;
	}
	return out + src.slice(pos);
}
