// Custom regex detectors: refused when they can backtrack catastrophically, bounded otherwise.
import { describe, expect, it } from 'vitest';
import { CUSTOM_MAX_REPEAT, compileRedactor, guardPattern, redactText } from '../../src/redact';

describe('custom detectors', () => {
	it('runs a safe pattern and labels its findings with the detector name', () => {
		const r = redactText('ticket ACME-12345 and ACME-9', { custom: [{ name: 'acme ticket', pattern: 'ACME-\\d{4,6}' }], detectors: [] });
		expect(r.text).toBe('ticket [ACME_TICKET] and ACME-9');
		expect(r.findings[0]).toMatchObject({ type: 'ACME_TICKET', start: 7, end: 17 });
	});

	it.each([
		['(a+)+$', /nested quantifier/],
		['(\\w|\\d)*x', /alternation/],
		['(x*)*y', /nested quantifier/],
		['(?=.*?[a-z])(?=.*?\\d{4})[\\w]{10}', /lookaround/],
		['(a)\\1', /back-reference/],
		['(?<n>a)\\k<n>', /back-reference/],
		['\\w+\\w+\\w+\\w+@', /too slow/],
		['\\w+\\w+\\w+\\w+\\w+@', /more than 4 variable/],
	])('refuses %j', (pattern, why) => {
		expect(() => compileRedactor({ custom: [{ name: 'bad', pattern }] })).toThrow(why);
	});

	it.each([['', /empty/], ['(', /parenthesis/], ['a|', /empty string/], ['[a', /character class/], ['x', /flags/]])(
		'refuses the invalid %j with a message naming the detector',
		(pattern, why) => {
			const flags = pattern === 'x' ? 'gy' : undefined;
			expect(() => compileRedactor({ custom: [{ name: 'mine', pattern, flags }] })).toThrow(why);
		},
	);

	it('bounds unbounded quantifiers', () => {
		expect(guardPattern('a+b*c{2,}', 'x')).toBe(`a{1,${CUSTOM_MAX_REPEAT}}b{0,${CUSTOM_MAX_REPEAT}}c{2,${CUSTOM_MAX_REPEAT}}`);
		expect(guardPattern('[+*]\\d+?(?:x|y)', 'x')).toBe(`[+*]\\d{1,${CUSTOM_MAX_REPEAT}}?(?:x|y)`);
	});

	it('runs linearly on the input that makes the unguarded pattern explode', () => {
		const r = compileRedactor({ custom: [{ name: 'code', pattern: '[a-z]+\\d' }], detectors: [] });
		expect(r.redactText('a'.repeat(200_000)).findings).toEqual([]);
	});
});
