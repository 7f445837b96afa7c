// CARD: payment card numbers, 13–19 digits, optionally in groups separated by one space or hyphen
// (the same one throughout), issuer range 2–6 (Mastercard 2-series, Amex/Diners/JCB 3, Visa 4,
// Mastercard/Maestro 5, Discover/UnionPay 6), and Luhn-valid. Luhn-invalid numbers are left alone.
// Linear: the scan reads each digit group once and only tries a bounded number of prefixes per run.
import type { Detector, Span } from '../types';
import type { DigitRuns, RunList } from './digits';
import * as chars from './chars';
import { followsIbanHead } from './phone';
// Bound once: hot per-character helpers called through a module namespace cost a property (or,
// under tsx/esbuild, a getter) lookup per call — 30 % of the scan in the bench.
const { at, isDigit, isWord } = chars;

/** A card number written as one digit string (a JSON number, say): the same checks as a found candidate. */
export function validCard(digits: string): boolean {
	if (digits.length < 13 || digits.length > 19) return false;
	return validGroups(digits, { count: 1, start: Int32Array.of(0), end: Int32Array.of(digits.length) }, 0, 0);
}

/**
 * The card checks for the digits of runs r..x, read in place (no string per candidate): issuer digit 2–6,
 * not one digit repeated, Luhn. The caller has checked that they are 13–19 digits.
 */
function validGroups(text: string, runs: RunList, r: number, x: number): boolean {
	const { start, end } = runs;
	const first = text.charCodeAt(start[r]);
	if (first < 50 || first > 54) return false;
	let sum = 0;
	let double = false;
	let same = true;
	for (let g = x; g >= r; g--) {
		for (let p = end[g] - 1; p >= start[g]; p--) {
			const c = text.charCodeAt(p);
			if (c !== first) same = false;
			let d = c - 48;
			if (double) {
				d *= 2;
				if (d > 9) d -= 9;
			}
			sum += d;
			double = !double;
		}
	}
	return !same && sum % 10 === 0;
}

/**
 * The candidate starting at `i` whose groups are runs r..k (digitCount digits in all): the longest
 * prefix of whole groups with 13–19 digits that is Luhn-valid and not glued to what follows is a card.
 */
function judge(text: string, i: number, runs: DigitRuns, r: number, k: number, digitCount: number, out: Span[]): void {
	let count = digitCount;
	for (let x = k; x >= r; x--) {
		const end = runs.end[x];
		const after = at(text, end);
		const tailGlued = isWord(after) || ((after === 46 || after === 45) && isDigit(at(text, end + 1)));
		if (count >= 13 && count <= 19 && !tailGlued) {
			// The groups of an IBAN in print format (a bad check digit made the IBAN detector refuse it).
			if (validGroups(text, runs, r, x) && !followsIbanHead(text, i)) {
				out.push({ type: 'CARD', start: i, end });
				return;
			}
		}
		count -= runs.end[x] - runs.start[x];
	}
}

export const card: Detector<'CARD'> = {
	type: 'CARD',
	label: 'Card Number (Luhn-Checked)',
	priority: 4,
	digits: true,
	scan(text: string, out: Span[], _env, runs: DigitRuns): void {
		const { count, start, end } = runs;
		let i = 0;
		for (let r = 0; r < count; r++) {
			if (start[r] < i) continue; // a group of the candidate just judged
			i = start[r];
			const g = end[r];
			// Fast path, no read at all: a single run outside 13–19 digits can only be the first group of one.
			if (g - i > 19) continue;
			const sepAfter = at(text, g);
			const continues = (sepAfter === 32 || sepAfter === 45) && r + 1 < count && start[r + 1] === g + 1;
			if (g - i < 13 && !continues) continue;
			const prev = at(text, i - 1);
			// Glued to a word, decimal point or code: skip the digit run.
			if (isWord(prev) || prev === 46 || prev === 45 || prev === 47) continue;
			// The groups are the digit runs r..k, one ' ' or '-' (the same throughout) between them; a card
			// has at most 7, and no more than 19 digits. Read from the run list: no digit is read again.
			let k = r;
			let sep = -1;
			let digitCount = g - i;
			while (digitCount <= 19 && k - r < 7) {
				const e = end[k];
				const c = at(text, e);
				if (!((c === 32 || c === 45) && k + 1 < count && start[k + 1] === e + 1 && (sep === -1 || sep === c))) break;
				sep = c;
				k++;
				digitCount += end[k] - start[k];
			}
			const j = end[k];
			if (digitCount >= 13 && j - i <= 64 && k - r < 7) judge(text, i, runs, r, k, digitCount, out);
			i = j;
		}
	},
};
