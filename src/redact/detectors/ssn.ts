// US_SSN: AAA-GG-SSSS (or with spaces, the same separator twice); a bare 9-digit number only right
// after "SSN" / "social security". There is no checksum; like Presidio we reject what the SSA never
// issues: area 000, 666 or 900–999, group 00, serial 0000, one digit repeated, and well-known
// sample numbers (the Woolworth wallet card 078-05-1120, 219-09-9999, 123-45-6789 …).
import type { Detector, Span } from '../types';
import type { DigitRuns } from './digits';
import * as chars from './chars';
// Bound once: hot per-character helpers called through a module namespace cost a property (or,
// under tsx/esbuild, a getter) lookup per call — 30 % of the scan in the bench.
const { at, before, isDigit, isWord } = chars;

const SAMPLES = new Set(['078051120', '219099999', '457555462', '123456789', '111111111']);
const ONE_DIGIT_REPEATED = /^(\d)\1{8}$/;
const SSN_WORDS = /(?:ssn|social security(?: number| no\.?)?|ss#)[^a-z0-9]{0,6}$/i;

export function ssnValid(d: string): boolean {
	const area = Number(d.slice(0, 3));
	if (area === 0 || area === 666 || area >= 900) return false;
	if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
	if (ONE_DIGIT_REPEATED.test(d)) return false;
	return !SAMPLES.has(d);
}

function digitsAt(text: string, i: number, k: number): boolean {
	for (let x = i; x < i + k; x++) if (!isDigit(at(text, x))) return false;
	return true;
}

export const ssn: Detector<'US_SSN'> = {
	type: 'US_SSN',
	label: 'US Social Security Number',
	priority: 5,
	digits: true,
	scan(text: string, out: Span[], _env, runs: DigitRuns): void {
		let i = 0;
		for (let r = 0; r < runs.count; r++) {
			if (runs.start[r] < i) continue; // inside an SSN already found
			i = runs.start[r];
			// AAA-GG-SSSS starts with a run of exactly 3 digits, the bare form is a run of exactly 9.
			const len = runs.end[r] - i;
			if (len !== 3 && len !== 9) continue;
			const prev = at(text, i - 1);
			let end = -1;
			let digits = '';
			if (!(isWord(prev) || prev === 45 || prev === 46 || prev === 47) && digitsAt(text, i, 3)) {
				const sep = at(text, i + 3);
				if ((sep === 45 || sep === 32) && digitsAt(text, i + 4, 2) && at(text, i + 6) === sep && digitsAt(text, i + 7, 4)) {
					end = i + 11;
					digits = text.slice(i, i + 3) + text.slice(i + 4, i + 6) + text.slice(i + 7, i + 11);
				} else if (digitsAt(text, i, 9) && SSN_WORDS.test(before(text, i, 30))) {
					end = i + 9;
					digits = text.slice(i, end);
				}
			}
			const after = at(text, end);
			const glued = isWord(after) || ((after === 45 || after === 46) && isDigit(at(text, end + 1)));
			if (end > 0 && !glued && ssnValid(digits)) {
				out.push({ type: 'US_SSN', start: i, end });
				i = end;
			}
			// Otherwise the next run: an SSN never starts inside one.
		}
	},
};
