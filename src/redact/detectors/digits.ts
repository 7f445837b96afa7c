// The shared digit-run pass. CARD, US_SSN, IPV4, PHONE and IBAN all start at a run of ASCII digits
// (IBAN two letters before one, PHONE maybe a '+' or '(' before one). Instead of each searching the
// text for digits, the runs are found ONCE per scanned string and each detector walks this list:
// text without digits costs these detectors nothing, and digit soup is read once, not five times.

/** Maximal runs of [0-9] in one string, in order: run r is text[start[r], end[r]). */
export interface DigitRuns {
	readonly count: number;
	readonly start: Int32Array;
	readonly end: Int32Array;
}

export const NO_RUNS: DigitRuns = { count: 0, start: new Int32Array(0), end: new Int32Array(0) };

const DIGIT = /[0-9]/g;

/**
 * One left-to-right pass. Prose between runs is skipped by a native single-class search (`test`
 * with `lastIndex`: no match array is allocated); inside a run a plain loop reads each digit once.
 */
export function digitRuns(text: string, into: DigitRunBuffer = newRunBuffer(16)): DigitRuns {
	const n = text.length;
	let { start, end } = into;
	let count = 0;
	let i = 0;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c < 48 || c > 57) {
			// Dense input (digit soup) has the next digit within a character or two; prose does not.
			const c1 = text.charCodeAt(i + 1);
			if (c1 >= 48 && c1 <= 57) i++;
			else {
				DIGIT.lastIndex = i + 1;
				if (!DIGIT.test(text)) break;
				i = DIGIT.lastIndex - 1;
			}
		}
		let j = i + 1;
		while (j < n) {
			const d = text.charCodeAt(j);
			if (d < 48 || d > 57) break;
			j++;
		}
		if (count === start.length) {
			const s2 = new Int32Array(count * 2);
			const e2 = new Int32Array(count * 2);
			s2.set(start);
			e2.set(end);
			start = s2;
			end = e2;
		}
		start[count] = i;
		end[count] = j;
		count++;
		i = j + 1; // text[j] is not a digit (or j = n)
	}
	into.start = start;
	into.end = end;
	into.count = count;
	return into;
}

/** Where digitRuns writes: the scanner reuses one string after string instead of two fresh typed arrays per string. */
export interface DigitRunBuffer {
	count: number;
	start: Int32Array;
	end: Int32Array;
}

export function newRunBuffer(size: number): DigitRunBuffer {
	return { count: 0, start: new Int32Array(size), end: new Int32Array(size) };
}

/** Index of the first run that starts at or after `pos`, searching from run `r` (runs are sorted). */
export function runFrom(runs: DigitRuns, r: number, pos: number): number {
	const { count, start } = runs;
	while (r < count && start[r] < pos) r++;
	return r;
}
