// Operators: what replaces a found span or a matched field. All pure; hmac uses node:crypto only
// for the keyed hash (no I/O).
import { createHmac } from 'node:crypto';
import type { Operator } from './types';
import { RedactionError } from './types';

export const DEFAULT_OPERATOR: Operator = { kind: 'replace' };

/**
 * Normal form before hashing, so the same person gets the same pseudonym however the value was
 * written: e-mails lower-cased, phone/card-like values reduced to their digits (and a leading +).
 */
const NOT_ALNUM = /[^0-9A-Za-z]/g;
const ALNUM = /[0-9A-Za-z]/;
/** What a mask keeps as it is: spaces and the punctuation of phone numbers and cards. */
const KEPT_IN_MASK = /\s|[-().+/]/;
export function normalise(value: string, type?: string): string {
	const v = value.trim();
	if (type === 'EMAIL' || (type === undefined && v.includes('@'))) return v.toLowerCase();
	if (type === 'PHONE' || type === 'CARD' || type === 'US_SSN' || type === 'IBAN') {
		const plus = v.startsWith('+') ? '+' : '';
		return plus + v.replace(NOT_ALNUM, '').toUpperCase();
	}
	return v;
}

/** HMAC-SHA256(key, normalised value), first 16 bytes in hex: stable across items and runs. */
export function pseudonym(key: string, value: string, type?: string): string {
	return createHmac('sha256', key).update(normalise(value, type)).digest('hex').slice(0, 32);
}

/** Masks letters and digits except the last `keep`; separators stay so the shape remains readable. */
export function mask(value: string, keep = 4, char = '*'): string {
	let alnumLeft = 0;
	for (let i = 0; i < value.length; i++) if (ALNUM.test(value[i])) alnumLeft++;
	let out = '';
	let seen = 0;
	for (let i = 0; i < value.length; i++) {
		const ch = value[i];
		if (ALNUM.test(ch)) {
			seen++;
			out += seen > alnumLeft - keep ? ch : char;
		} else out += KEPT_IN_MASK.test(ch) ? ch : char;
	}
	return out;
}

/** Replacement for a span of type `type` (text mode: labels and pseudonyms are bracketed). */
export function replaceSpan(op: Operator, original: string, type: string, hmacKey: string | undefined): string {
	switch (op.kind) {
		case 'remove':
			return '';
		case 'replace':
			return op.text ?? `[${type}]`;
		case 'mask':
			return mask(original, op.keep ?? 4, op.char ?? '*');
		case 'hmac':
			if (!hmacKey) throw new RedactionError('The hmac operator needs a key (HMAC Key)', 'hmacKey');
			return `[${type}:${pseudonym(hmacKey, original, type)}]`;
	}
}

export function validateOperator(op: Operator, field: string, hmacKey: string | undefined): void {
	if (!op || !['remove', 'replace', 'mask', 'hmac'].includes(op.kind)) {
		throw new RedactionError(`${field}: unknown operator (use remove, replace, mask or hmac)`, field);
	}
	if (op.kind === 'mask' && op.keep !== undefined && (!Number.isInteger(op.keep) || op.keep < 0)) {
		throw new RedactionError(`${field}: "keep" must be a whole number ≥ 0`, field);
	}
	if (op.kind === 'hmac' && (!hmacKey || hmacKey.length < 16)) {
		throw new RedactionError(`${field}: the hmac operator needs a key of at least 16 characters (HMAC Key)`, 'hmacKey');
	}
}
