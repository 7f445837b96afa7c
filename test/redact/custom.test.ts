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
		['a+b+c+d+e+@', /more than 4 variable/],
	])('refuses %j', (pattern, why) => {
		expect(() => compileRedactor({ custom: [{ name: 'bad', pattern }] })).toThrow(why);
	});

	// Overlapping adjacent repetitions are judged by reading the pattern, not by timing a probe run
	// (which refused good patterns on a busy machine): the verdict is the same on any machine.
	describe('adjacent repetitions that can match the same characters', () => {
		it.each([
			['\\w+\\w+\\w+@', ''],
			['\\d+\\s?\\d+\\s?\\d+', ''], // optional separators do not separate the runs
			['(?:ab)+\\w+\\w+x', ''], // a repeated group is one link of the chain
			['[a-z]+[A-Z]+[a-z]+x', 'i'], // with i the classes overlap
			['.*.*.*x', 's'],
		])('refuses %j (flags %j): a failing match would try every split of a run', (pattern, flags) => {
			expect(() => compileRedactor({ custom: [{ name: 'bad', pattern, flags }], detectors: [] })).toThrow(/too slow on repetitive input.*bound them/);
		});
		it.each([
			['\\w+\\w+@', ''], // two: at most 65 x 65 splits per start
			['\\d{1,4}\\s?\\d{1,4}\\s?\\d{1,4}', ''], // bounded: 4 x 4 x 4
			['[a-z]+[A-Z]+[a-z]+x', ''], // without i the neighbours share no character
			['[A-Z]{2}\\d+-\\d+-\\d+', ''], // a required '-' that \\d cannot match ends each chain
			['\\w+@\\w+\\.\\w+', ''],
		])('accepts %j (flags %j)', (pattern, flags) => {
			expect(() => compileRedactor({ custom: [{ name: 'ok', pattern, flags }], detectors: [] })).not.toThrow();
		});
		it('gives the same verdict every time (no clock involved)', () => {
			const verdict = (pattern: string): string => {
				try {
					guardPattern(pattern, 'x');
					return 'ok';
				} catch (e) {
					return (e as Error).message;
				}
			};
			const patterns = ['\\w+\\w+\\w+@', '\\w+\\w+@', '\\d+\\s?\\d+\\s?\\d+'];
			const first = patterns.map(verdict);
			for (let k = 0; k < 20; k++) expect(patterns.map(verdict)).toEqual(first);
			expect(first.map((v) => v === 'ok')).toEqual([false, true, false]);
		});
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
