// Character-class helpers on UTF-16 code units. Detectors are hand-written scanners built on these,
// so no detector depends on regex backtracking behaviour.

export const isDigit = (c: number): boolean => c >= 48 && c <= 57;
export const isUpper = (c: number): boolean => c >= 65 && c <= 90;
export const isLower = (c: number): boolean => c >= 97 && c <= 122;
export const isAlpha = (c: number): boolean => isUpper(c) || isLower(c);
export const isAlnum = (c: number): boolean => isDigit(c) || isAlpha(c);
export const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** Letters of any script, digits and `_`: a word character for boundary checks (non-ASCII letters count). */
export const isWord = (c: number): boolean => isAlnum(c) || c === 95 || (c > 127 && c !== 160 && !(c >= 0x2000 && c <= 0x206f));

/** JavaScript's regex `\s` on one code unit (for loops that used to test a regex per character). */
export const isJsSpace = (c: number): boolean =>
	(c >= 9 && c <= 13) || c === 32 || c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279;

/** Code unit at i, or -1 outside the string (so boundary checks need no length tests). */
export const at = (s: string, i: number): number => (i >= 0 && i < s.length ? s.charCodeAt(i) : -1);

/** Luhn checksum over the digits of `digits` (a string of 0-9 only). */
export function luhnValid(digits: string): boolean {
	let sum = 0;
	let double = false;
	for (let i = digits.length - 1; i >= 0; i--) {
		let d = digits.charCodeAt(i) - 48;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
	}
	return sum % 10 === 0;
}

/**
 * The window of up to `n` characters before `i`, for context words. Not lower-cased: the context
 * regexes carry the /i flag instead (one slice per check, no lower-cased copy).
 */
export function before(s: string, i: number, n: number): string {
	return s.slice(Math.max(0, i - n), i);
}
