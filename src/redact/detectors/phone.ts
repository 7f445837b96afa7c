// PHONE: international formats with a digit-count check, not every digit run.
// One left-to-right pass: a candidate is a run of digits and phone separators (space - . / ( ))
// that starts at a word boundary; after judging it the scan jumps past the run, so each character
// is looked at a bounded number of times (linear on `1.1.1.`×n or digit runs).
// Accepted:
//   +CC …   / 00CC …  8–15 digits after the prefix (E.164 allows at most 15), country code not 0
//   national          10 digits, or 11 starting with 0 or 1 (NANP 1-…, UK 0…), in phone-like groups
//                     of 2–4 digits; a bare 10–11 digit run only next to a phone word (tel, call, …)
// Rejected: dates (4-2-2 / 2-2-4), dotted quads (IPs, versions), numbers after order/invoice/ref words
// or `#`, runs glued to letters.
import type { Detector, Span } from '../types';
import { at, before, isAlpha, isDigit, isWord, nextIndex } from './chars';

const TRIGGER = /[0-9+(]/g;
const isTrigger = (c: number): boolean => isDigit(c) || c === 43 || c === 40;

const PHONE_WORDS = /(?:phone|tel|call|mobile|cell|whatsapp|sms|fax|ring|text me|reach me|contact)[^0-9]{0,12}$/;
const NOT_PHONE_WORDS = /(?:\b(?:order|invoice|ticket|ref|reference|id|account|acct|case|tracking|po|sku|serial|no)\b|#)[^a-z0-9]{0,4}$/;

function isSep(c: number): boolean {
	return c === 32 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41;
}

function startsCandidate(text: string, i: number): boolean {
	const c = text.charCodeAt(i);
	const next = at(text, i + 1);
	if (c === 43 /* + */ || c === 40 /* ( */) {
		if (!isDigit(next)) return false;
	} else if (!isDigit(c)) return false;
	const prev = at(text, i - 1);
	// Glued to a word, a decimal point, a code like ORD-, a hash, currency or another sign: not a phone.
	return !(isWord(prev) || prev === 46 || prev === 45 || prev === 47 || prev === 35 || prev === 43 || prev === 36 ||
		prev === 8364 || prev === 163 || prev === 37 || prev === 41);
}

interface Shape {
	digits: string;
	groups: number[];
	seps: Set<number>;
}

function shapeOf(text: string, s: number, e: number): Shape {
	let digits = '';
	const groups: number[] = [];
	const seps = new Set<number>();
	let g = 0;
	for (let i = s; i < e; i++) {
		const c = text.charCodeAt(i);
		if (isDigit(c)) {
			digits += text[i];
			g++;
		} else {
			if (g > 0) groups.push(g);
			g = 0;
			if (c !== 43) seps.add(c);
		}
	}
	if (g > 0) groups.push(g);
	return { digits, groups, seps };
}

function looksLikeDate(sh: Shape): boolean {
	const [a, b, c] = sh.groups;
	return sh.groups.length >= 3 && ((a === 4 && b <= 2 && c <= 2) || (a <= 2 && b <= 2 && (c === 4 || c === 2)));
}

function isPhone(text: string, s: number, e: number): boolean {
	const sh = shapeOf(text, s, e);
	const n = sh.digits.length;
	const plus = text.charCodeAt(s) === 43;
	const dotsOnly = sh.seps.size === 1 && sh.seps.has(46);
	if (plus || (sh.digits.startsWith('00') && sh.groups[0] <= 4)) {
		const national = plus ? sh.digits : sh.digits.slice(2);
		if (national.length < 8 || national.length > 15 || national.charCodeAt(0) === 48) return false;
		if (dotsOnly && sh.groups.length === 4 && sh.groups.every((g) => g <= 3)) return false;
		return plus || sh.groups.length > 1;
	}
	if (n < 10 || n > 11) return false;
	if (n === 11 && sh.digits[0] !== '0' && sh.digits[0] !== '1') return false;
	if (NOT_PHONE_WORDS.test(before(text, s, 24))) return false;
	if (sh.groups.length === 1) return PHONE_WORDS.test(before(text, s, 30));
	if (looksLikeDate(sh)) return false;
	if (dotsOnly && sh.groups.length === 4 && sh.groups.every((g) => g <= 3)) return false;
	// Phone-like grouping: a leading 1 or 0 trunk digit may stand alone, the rest are 2–4 digit groups.
	for (let k = 0; k < sh.groups.length; k++) {
		const g = sh.groups[k];
		if (k === 0 && g === 1 && (sh.digits[0] === '1' || sh.digits[0] === '0')) continue;
		if (g < 2 || g > 5) return false;
	}
	return true;
}

export const phone: Detector = {
	type: 'PHONE',
	trigger: /\d/,
	scan(text: string, out: Span[]): void {
		const n = text.length;
		let i = 0;
		while (i < n) {
			i = nextIndex(TRIGGER, isTrigger, text, i);
			if (i >= n) return;
			const c = text.charCodeAt(i);
			if (!startsCandidate(text, i)) {
				i++;
				continue;
			}
			// Consume the run: digits and separators, at most 3 separators in a row, at most one '+' (first).
			let j = i + 1;
			let sepRun = 0;
			let lastDigitEnd = isDigit(c) ? i + 1 : -1;
			let digits = isDigit(c) ? 1 : 0;
			while (j < n) {
				const d = text.charCodeAt(j);
				if (isDigit(d)) {
					sepRun = 0;
					digits++;
					lastDigitEnd = j + 1;
				} else if (isSep(d)) {
					if (++sepRun > 3) break;
				} else break;
				j++;
			}
			const end = lastDigitEnd;
			const after = at(text, end);
			const glued = isAlpha(after) ? !(after === 120 && isDigit(at(text, end + 1))) : isWord(after);
			// `1.1.1.1.1…`, `2.14.3`: a run that continues with '.'/'-' + digit past the window is a
			// version or an identifier, and digit soup longer than any phone is never one.
			if (end > i && digits >= 8 && digits <= 17 && !glued && isPhone(text, i, end)) {
				out.push({ type: 'PHONE', start: i, end });
			}
			i = Math.max(j, i + 1);
		}
	},
};
