// Adversarial input (the inputs that make redact-pii and Presidio patterns quadratic) and the size
// cap. No wall-time assertions here: timings are printed by `npm run bench redact`. These tests pin
// the behaviour on such input (nothing found, nothing mangled) and the fail-closed cap.
import { describe, expect, it } from 'vitest';
import { RedactionError, compileRedactor, redactText, redactValue } from '../../src/redact';

const MB = 1 << 20;
const fill = (unit: string, size = MB): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

describe('adversarial input', () => {
	it.each([
		['1.1.1.', fill('1.1.1.')],
		['a ', fill('a ')],
		['digits', fill('1234567890')],
		['@', fill('@')],
		['.', fill('.')],
		['a.@', fill('a.@')],
		['1:', fill('1:')],
		['<a ', fill('<a ')],
		['a://', fill('a://')],
		['&', fill('&')],
	])('1 MB of %j: scanned whole, nothing redacted', (_name, text) => {
		const r = redactText(text);
		expect(r.findings).toEqual([]);
		expect(r.text).toBe(text);
	});

	it('still finds PII hidden in adversarial filler', () => {
		const text = `${fill('1.1.1.', 300_000)} jane@example.com ${fill('@', 300_000)} 4111 1111 1111 1111 ${fill('a ', 300_000)}`;
		expect(redactText(text).findings.map((f) => f.type)).toEqual(['EMAIL', 'CARD']);
	});
});

describe('size cap (fail closed)', () => {
	it('replaces an oversize string whole by default, never passing it through', () => {
		const r = redactText('x'.repeat(101), { maxLength: 100 });
		expect(r.text).toBe('[OVERSIZE]');
		expect(r.findings).toEqual([{ type: 'OVERSIZE', path: '', start: 0, end: 101, action: 'replace' }]);
	});

	it("throws with 'error', naming the path and not the content", () => {
		const redactor = compileRedactor({ maxLength: 10, onOversize: 'error' });
		expect(() => redactor.redact({ notes: ['short', 'jane@example.com is long'] })).toThrow(RedactionError);
		expect(() => redactor.redact({ notes: ['short', 'jane@example.com is long'] })).toThrow(/"notes\[1\]" is 24 characters, over the 10 limit/);
	});

	it('applies the cap per string, so other fields are still scanned', () => {
		const { value } = redactValue({ big: 'a'.repeat(50), mail: 'x@y.io' }, { maxLength: 20 });
		expect(value).toEqual({ big: '[OVERSIZE]', mail: '[EMAIL]' });
	});

	it('refuses data nested deeper than the walk allows instead of overflowing the stack', () => {
		let deep: unknown = 'a@b.com';
		for (let i = 0; i < 400; i++) deep = { d: deep };
		expect(() => redactValue(deep, {})).toThrow(/nested more than/);
	});

	it('does not echo the keys of a too-deep value in the error (keys can be email addresses)', () => {
		let deep: unknown = 'x';
		for (let i = 0; i < 400; i++) deep = { 'jane.doe@example.com': deep };
		expect(() => redactValue(deep, {})).toThrow(/nested more than/);
		expect(() => redactValue(deep, {})).not.toThrow(/jane/);
		expect(() => redactValue(deep, { allow: ['**.leaf'] })).toThrow(/nested more than/);
		expect(() => redactValue(deep, { allow: ['**.leaf'] })).not.toThrow(/jane/);
	});
});
