// The shared digit-run pass. CARD, US_SSN, IPV4, PHONE and IBAN all start at a run of ASCII digits
// (IBAN two letters before one, PHONE maybe a '+' or '(' before one). Instead of each searching the
// text for digits, the runs are found ONCE per scanned string and each detector walks a list:
// text without digits costs these detectors nothing, and digit soup is read once, not five times.
// The runs are sorted into two lists as they are found, because a third of them (inside hashes,
// tracking codes, `v2`, `DE89`) are glued to a word character before them, where no card, SSN,
// phone or IPv4 starts or goes on: those four walk only the free runs, IBAN only the lettered ones.
import * as chars from './chars';
// Bound once (as in the detectors): a helper called through the module namespace costs a lookup per call.
const { isAlpha, isWord } = chars;

/** Runs of [0-9], in order: run r is text[start[r], end[r]). */
export interface RunList {
	readonly count: number;
	readonly start: Int32Array;
	readonly end: Int32Array;
}

/**
 * The maximal digit runs of one string. The list itself (count/start/end) holds the FREE runs,
 * those not glued to a word character (letter, digit, `_`) before them: only there can a card, SSN,
 * phone or IPv4 start, and a later group of one always follows a separator, so it is free too.
 */
export interface DigitRuns extends RunList {
	/** The runs right after two ASCII letters (`DE89`, `ES56 …`): the only places IBAN check digits can be. */
	readonly lettered: RunList;
}

export const NO_RUNS: DigitRuns = { count: 0, start: new Int32Array(0), end: new Int32Array(0), lettered: { count: 0, start: new Int32Array(0), end: new Int32Array(0) } };

const DIGIT = /[0-9]/g;

/**
 * One left-to-right pass. Prose between runs is skipped by a native single-class search (`test`
 * with `lastIndex`: no match array is allocated); inside a run a plain loop reads each digit once.
 * The character before each run decides its list.
 */
export function digitRuns(text: string, into: DigitRunBuffer = newRunBuffer(16)): DigitRuns {
	const n = text.length;
	const lettered = into.lettered;
	lettered.count = 0;
	// The free list (two runs in three) is written through locals, the lettered one through push.
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
		const prev = i > 0 ? text.charCodeAt(i - 1) : -1;
		if (!isWord(prev)) {
			if (count === start.length) {
				start = grown(start);
				end = grown(end);
			}
			start[count] = i;
			end[count] = j;
			count++;
		} else if (isAlpha(prev) && i > 1 && isAlpha(text.charCodeAt(i - 2))) push(lettered, i, j);
		i = j + 1; // text[j] is not a digit (or j = n)
	}
	into.start = start;
	into.end = end;
	into.count = count;
	return into;
}

function grown(a: Int32Array): Int32Array {
	const b = new Int32Array(a.length * 2);
	b.set(a);
	return b;
}

function push(list: RunListBuffer, s: number, e: number): void {
	const k = list.count;
	if (k === list.start.length) {
		list.start = grown(list.start);
		list.end = grown(list.end);
	}
	list.start[k] = s;
	list.end[k] = e;
	list.count = k + 1;
}

interface RunListBuffer {
	count: number;
	start: Int32Array;
	end: Int32Array;
}

/** Where digitRuns writes: the scanner reuses one string after string instead of fresh typed arrays per string. */
export interface DigitRunBuffer extends RunListBuffer {
	lettered: RunListBuffer;
}

export function newRunBuffer(size: number): DigitRunBuffer {
	const list = (): RunListBuffer => ({ count: 0, start: new Int32Array(size), end: new Int32Array(size) });
	return { ...list(), lettered: list() };
}
