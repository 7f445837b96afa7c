// HTML-aware scanning for Intercom bodies (`<p>Call me on <a href="tel:+44…">…</a></p>`).
// Only text nodes and attribute values are scanned; tags are copied byte for byte, replacements are
// escaped for where they land, so the markup stays valid. Entities are decoded before matching
// (`john&#64;example.com` is an e-mail) and findings are mapped back to offsets in the raw HTML.
// mailto:/tel: hrefs are redacted whole. One pass; a tag that never closes ends tag parsing (the rest
// is scanned as text), so malformed `<a<a<a…` stays linear.
import * as chars from './detectors/chars';
import type { Span } from './types';

// Bound once (as in the detectors): a helper called through the module namespace costs a lookup per call.
const { isJsSpace } = chars;

const NAMED: Readonly<Record<string, string>> = {
	amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', commat: '@', period: '.', plus: '+',
	hyphen: '-', dash: '-', lpar: '(', rpar: ')', colon: ':', sol: '/', lowbar: '_', equals: '=',
	quest: '?', excl: '!', num: '#', percnt: '%', ndash: '\u2013', mdash: '\u2014', hellip: '\u2026',
	lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', copy: '\u00a9', reg: '\u00ae',
	euro: '\u20ac', pound: '\u00a3', shy: '',
};

export function looksLikeHtml(s: string): boolean {
	return s.includes('<') && TAG.test(s);
}
// Hot regexes are module constants, never literals in a function body: each evaluation of a literal
// builds a new RegExp object, which cost looksLikeHtml two thirds of its time on the bench corpus.
const TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>/;
const ENTITY_REF = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-z]{2,8});/;
const NUMERIC_REF = /^#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7})$/;

/** A character reference (`&#64;`, `&#x40;`, `&commat;`) that decodeEntities would decode. */
export function hasEntity(s: string): boolean {
	const amp = s.indexOf('&');
	return amp >= 0 && ENTITY_REF.test(s);
}

const TEXT_SPECIAL = /[&<>]/;
const ATTR_SPECIAL = /[&<>"']/;
const [AMP, LT, GT, QUOT, APOS] = [/&/g, /</g, />/g, /"/g, /'/g];
/** A replacement (`[EMAIL]`, a mask, a hash) usually has nothing to escape: returned as it is. */
export const escapeText = (s: string): string => (TEXT_SPECIAL.test(s) ? s.replace(AMP, '&amp;').replace(LT, '&lt;').replace(GT, '&gt;') : s);
export const escapeAttr = (s: string): string => (ATTR_SPECIAL.test(s) ? escapeText(s).replace(QUOT, '&quot;').replace(APOS, '&#39;') : s);

/**
 * `src.indexOf('&', from)` for monotonically increasing `from`, with the answer cached: a bare
 * indexOf per segment scans to the end of the document whenever no '&' follows, which made
 * `'<b>1</b>'`×n quadratic. Each character is now searched at most once per document.
 */
export function ampFinder(src: string): (from: number) => number {
	let next = -2; // -2: not searched yet; -1: no '&' at or after the last search start
	let searchedFrom = 0;
	return (from: number): number => {
		if (next === -1 && from >= searchedFrom) return -1;
		if (next === -2 || next < from || from < searchedFrom) {
			searchedFrom = from;
			next = src.indexOf('&', from);
		}
		return next;
	};
}

/**
 * Decoded → raw offsets of a segment with entities, by pieces: a triple (decoded start, raw start,
 * kind) per piece, kind COPIED for text copied as it is (raw advances with decoded) and ENTITY for
 * one decoded entity (all its units map to the entity's '&'). A few numbers per entity instead of
 * one per character: most text around an entity is copied.
 */
export type OffsetMap = number[];
const COPIED = 0;
const ENTITY = 1;

/** The raw offset of decoded offset `d` (0 ≤ d ≤ text length) of a segment src[from, to). */
export function rawOffset(map: OffsetMap | undefined, from: number, to: number, textLength: number, d: number): number {
	if (map === undefined) return from + d;
	if (d >= textLength) return to;
	// The last piece starting at or before d, by binary search: a segment can hold many entities and
	// many matches (linear in pieces per match would make `&#64;a@b.co `×n quadratic).
	let lo = 0;
	let hi = map.length / 3 - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (map[mid * 3] <= d) lo = mid;
		else hi = mid - 1;
	}
	const k = lo * 3;
	return map[k + 2] === ENTITY ? map[k + 1] : map[k + 1] + (d - map[k]);
}

/** Decodes entities in src[from, to): the text, and its offset map (undefined: no entity, offsets shift by `from`). */
export function decodeSegment(src: string, from: number, to: number, findAmp: (from: number) => number): { text: string; map: OffsetMap | undefined } {
	const firstAmp = findAmp(from);
	// No entity: the text is the raw slice and offsets only shift by `from` (no map to allocate).
	if (firstAmp < 0 || firstAmp >= to) return { text: src.slice(from, to), map: undefined };
	const map: OffsetMap = [];
	let text = '';
	let i = from;
	while (i < to) {
		const amp = findAmp(i);
		const stop = amp < 0 || amp >= to ? to : amp;
		if (stop > i) {
			map.push(text.length, i, COPIED);
			text += src.slice(i, stop);
			i = stop;
		}
		if (i >= to) break;
		// src[i] === '&': try an entity of at most 32 characters.
		let semi = i + 1;
		const semiLimit = Math.min(to, i + 33);
		while (semi < semiLimit && src.charCodeAt(semi) !== 59) semi++;
		let decoded: string | undefined;
		if (semi > i && semi < to && semi - i <= 32) {
			const body = src.slice(i + 1, semi);
			if (body[0] === '#') {
				const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
				if (NUMERIC_REF.test(body) && code > 0 && code <= 0x10ffff) decoded = String.fromCodePoint(code);
			} else decoded = NAMED[body];
		}
		if (decoded === undefined) {
			// A bare '&' is copied as it is.
			map.push(text.length, i, COPIED);
			text += '&';
			i++;
		} else {
			if (decoded.length > 0) map.push(text.length, i, ENTITY);
			text += decoded;
			i = semi + 1;
		}
	}
	return { text, map };
}

/** Decodes entities in src[from, to) and returns the text plus the decoded→raw offset of every unit and of the end. */
export function decodeEntities(src: string, from: number, to: number): { text: string; map: number[] | undefined } {
	const { text, map } = decodeSegment(src, from, to, ampFinder(src));
	if (map === undefined) return { text, map: undefined };
	const full: number[] = [];
	for (let d = 0; d <= text.length; d++) full.push(rawOffset(map, from, to, text.length, d));
	return { text, map: full };
}

const isWs = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
const isNameChar = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 45;

/**
 * Only real HTML element names make a tag. Anything else in angle brackets — `<jane@example.com>`,
 * `<DE89 3704 …>` — is text and gets scanned: treating it as markup would let it through unscanned.
 */
const ELEMENTS = new Set(
	('a abbr acronym address area article aside audio b base bdi bdo big blockquote body br button canvas caption ' +
		'center cite code col colgroup data dd del details dfn dialog div dl dt em embed fieldset figcaption figure font ' +
		'footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main ' +
		'map mark menu meta meter nav noscript object ol optgroup option output p param picture pre progress q rp rt ' +
		'ruby s samp script section select small source span strike strong style sub summary sup svg table tbody td ' +
		'template textarea tfoot th thead time title tr track tt u ul var video wbr').split(' '),
);
const ATTR_NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;

interface Attr {
	name: string;
	from: number;
	to: number;
}

/** No attributes: one shared list (most tags in support mail are bare `<p>`, `<br>`, `</p>`). */
const NO_ATTRS: Attr[] = [];
/** Ends an attribute name: whitespace, `=`, `>`, `/`, quotes, `<`. */
const endsAttrName = (c: number): boolean => isJsSpace(c) || c === 61 || c === 62 || c === 47 || c === 34 || c === 39 || c === 60;

/** Parses a tag starting at `<` = src[i]; returns its end (after '>') and attribute value ranges, or null. */
function parseTag(src: string, i: number): { end: number; attrs: Attr[] } | null | 'eof' {
	const n = src.length;
	let j = i + 1;
	if (src.charCodeAt(j) === 47) j++;
	const nameStart = j;
	while (j < n && isNameChar(src.charCodeAt(j))) j++;
	if (j === nameStart || !ELEMENTS.has(src.slice(nameStart, j).toLowerCase())) return null;
	const after = src.charCodeAt(j);
	if (!(isWs(after) || after === 62 || after === 47)) return null;
	let attrs = NO_ATTRS;
	for (;;) {
		while (j < n && isWs(src.charCodeAt(j))) j++;
		if (j >= n) return 'eof';
		const c = src.charCodeAt(j);
		if (c === 62) return { end: j + 1, attrs };
		if (c === 47) {
			j++;
			continue;
		}
		const an = j;
		while (j < n && !endsAttrName(src.charCodeAt(j))) j++;
		const name = src.slice(an, j);
		if (!ATTR_NAME.test(name)) return null;
		while (j < n && isJsSpace(src.charCodeAt(j))) j++;
		if (src.charCodeAt(j) !== 61) continue;
		j++;
		while (j < n && isJsSpace(src.charCodeAt(j))) j++;
		const q = src.charCodeAt(j);
		if (attrs === NO_ATTRS) attrs = [];
		if (q === 34 || q === 39) {
			const close = src.indexOf(q === 34 ? '"' : "'", j + 1);
			if (close < 0) return 'eof';
			attrs.push({ name: name.toLowerCase(), from: j + 1, to: close });
			j = close + 1;
		} else {
			const vs = j;
			while (j < n && !isJsSpace(src.charCodeAt(j)) && src.charCodeAt(j) !== 62) j++;
			attrs.push({ name: name.toLowerCase(), from: vs, to: j });
		}
	}
}

/** mailto:/tel: address part as a forced span (decoded offsets). */
function hrefSpan(decoded: string): Span | null {
	const lead = decoded.length - decoded.trimStart().length;
	const lower = decoded.slice(lead, lead + 7).toLowerCase();
	const scheme = lower.startsWith('mailto:') ? 7 : lower.startsWith('tel:') ? 4 : 0;
	if (!scheme) return null;
	const start = lead + scheme;
	let end = decoded.indexOf('?', start);
	if (end < 0) end = decoded.trimEnd().length;
	return end > start ? { type: scheme === 7 ? 'EMAIL' : 'PHONE', start, end } : null;
}

/** A scannable piece of an HTML string: a text node, comment body or attribute value, decoded. */
export interface HtmlSegment {
	/** Raw range src[from, to). */
	from: number;
	to: number;
	/** Decoded text and its decoded→raw offset map (undefined: no entity, offsets shift by `from`; see rawOffset). */
	text: string;
	map: OffsetMap | undefined;
	escape: (s: string) => string;
	/** mailto:/tel: address of an href, in decoded offsets. */
	forced: readonly Span[];
}

/**
 * Every text node, comment body and attribute value of `src`, in order, entities decoded. One pass;
 * the caller scans all of them at once (joined), so `<b>1</b>`×n costs one detector run, not one per tag.
 */
/** Shared empty list: one array per text node was most of the garbage on `<b>1</b>`×n. */
const NONE: readonly Span[] = Object.freeze([]);

/** The text src[from, to) as a segment, unless empty. (A function, not a closure made per body.) */
function pushText(segs: HtmlSegment[], src: string, from: number, to: number, findAmp: (from: number) => number): void {
	if (to <= from) return;
	const { text, map } = decodeSegment(src, from, to, findAmp);
	segs.push({ from, to, text, map, escape: escapeText, forced: NONE });
}

export function htmlSegments(src: string): HtmlSegment[] {
	const n = src.length;
	const segs: HtmlSegment[] = [];
	let textStart = 0;
	let i = 0;
	let tagsPossible = true;
	const findAmp = ampFinder(src);
	while (tagsPossible && i < n) {
		const lt = src.indexOf('<', i);
		if (lt < 0) break;
		if (src.startsWith('<!--', lt)) {
			// Comment: its content is scanned like text (it can hold pasted personal data too).
			pushText(segs, src, textStart, lt, findAmp);
			const close = src.indexOf('-->', lt + 4);
			const bodyEnd = close < 0 ? n : close;
			textStart = lt + 4;
			pushText(segs, src, textStart, bodyEnd, findAmp);
			textStart = i = close < 0 ? n : close + 3;
			continue;
		}
		const tag = parseTag(src, lt);
		if (tag === 'eof') {
			// A tag that runs to the end of the string: no later '<' can close either; the rest is text.
			tagsPossible = false;
			break;
		}
		if (!tag) {
			// Not markup ("a < b", "<john@example.com>") — it stays in the text segment and gets scanned.
			i = lt + 1;
			continue;
		}
		pushText(segs, src, textStart, lt, findAmp);
		for (const a of tag.attrs) {
			if (a.to <= a.from) continue;
			const { text, map } = decodeSegment(src, a.from, a.to, findAmp);
			const forced = a.name === 'href' ? hrefSpan(text) : null;
			segs.push({ from: a.from, to: a.to, text, map, escape: escapeAttr, forced: forced ? [forced] : NONE });
		}
		textStart = i = tag.end;
	}
	pushText(segs, src, textStart, n, findAmp);
	return segs;
}
