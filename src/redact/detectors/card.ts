// CARD: payment card numbers, 13–19 digits, optionally in groups separated by one space or hyphen
// (the same one throughout), issuer range 2–6 (Mastercard 2-series, Amex/Diners/JCB 3, Visa 4,
// Mastercard/Maestro 5, Discover/UnionPay 6), and Luhn-valid. Luhn-invalid numbers are left alone.
// Linear: the scan reads each digit group once and only tries a bounded number of prefixes per run.
import type { Detector, Span } from '../types';
import type { DigitRuns } from './digits';
import * as chars from './chars';
import { IBAN_HEAD } from './phone';
// Bound once: hot per-character helpers called through a module namespace cost a property (or,
// under tsx/esbuild, a getter) lookup per call — 30 % of the scan in the bench.
const { at, before, isDigit, isWord, luhnValid } = chars;

export function validCard(digits: string): boolean {
	if (digits.length < 13 || digits.length > 19) return false;
	const first = digits.charCodeAt(0) - 48;
	if (first < 2 || first > 6) return false;
	if (/^(\d)\1+$/.test(digits)) return false;
	return luhnValid(digits);
}

export const card: Detector<'CARD'> = {
	type: 'CARD',
	label: 'Card Number (Luhn-Checked)',
	priority: 4,
	digits: true,
	scan(text: string, out: Span[], _env, runs: DigitRuns): void {
		const n = text.length;
		let i = 0;
		for (let r = 0; r < runs.count; r++) {
			if (runs.start[r] < i) continue; // inside groups already read
			i = runs.start[r];
			const g = runs.end[r];
			const prev = at(text, i - 1);
			// Glued to a word, decimal point or code: skip the digit run.
			if (isWord(prev) || prev === 46 || prev === 45 || prev === 47) continue;
			// Fast path: a single group outside 13–19 digits that is not followed by a separator + digit.
			const sepAfter = at(text, g);
			if ((g - i < 13 || g - i > 19) && !((sepAfter === 32 || sepAfter === 45) && isDigit(at(text, g + 1)) && g - i <= 19)) continue;
			// Read up to 8 groups (digits, one ' ' or '-' between them); a card has at most 7.
			const groupEnds: number[] = [];
			let j = i;
			let sep = -1;
			let digitCount = 0;
			for (;;) {
				const gs = j;
				while (j < n && isDigit(text.charCodeAt(j))) j++;
				digitCount += j - gs;
				groupEnds.push(j);
				const c = at(text, j);
				if (digitCount <= 19 && groupEnds.length < 8 && (c === 32 || c === 45) && isDigit(at(text, j + 1)) && (sep === -1 || sep === c)) {
					sep = c;
					j++;
					continue;
				}
				break;
			}
			const digits = digitCount >= 13 && j - i <= 64 ? text.slice(i, j).replace(/[ -]/g, '') : '';
			if (digits !== '' && groupEnds.length <= 7) {
				// Try the longest group prefix of 13–19 digits first, then shorter ones (bounded: ≤ 7 groups).
				let start = i;
				let count = 0;
				const counts: number[] = [];
				for (const ge of groupEnds) {
					count += ge - start;
					counts.push(count);
					start = ge + 1;
				}
				for (let k = groupEnds.length - 1; k >= 0; k--) {
					const end = groupEnds[k];
					const after = at(text, end);
					const tailGlued = isWord(after) || ((after === 46 || after === 45) && isDigit(at(text, end + 1)));
					if (counts[k] < 13 || counts[k] > 19 || tailGlued) continue;
					// The groups of an IBAN in print format (a bad check digit made the IBAN detector refuse it).
					if (validCard(digits.slice(0, counts[k])) && !IBAN_HEAD.test(before(text, i, 40))) {
						out.push({ type: 'CARD', start: i, end });
						break;
					}
				}
			}
			i = Math.max(j, i + 1);
		}
	},
};
