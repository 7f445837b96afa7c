// Field rules: paths with wildcards, every operator, scanning modes, minimise, presets, immutability.
import { describe, expect, it } from 'vitest';
import { PRESETS, RedactionError, compileRedactor, pseudonym, redactValue } from '../../src/redact';

const KEY = 'test-'.repeat(5);

const contact = () => ({
	type: 'contact',
	id: '65f0c1',
	external_id: 'u-17',
	role: 'user',
	email: 'Jane.Doe@Example.com',
	phone: '+44 20 7946 0958',
	name: 'Jane Doe',
	location: { city: 'London', country: 'United Kingdom' },
	custom_attributes: { plan: 'pro', note: 'call me on +1 415 555 0132', seats: 4 },
	conversation_parts: [
		{ id: 'p1', body: '<p>my card is 4111 1111 1111 1111</p>', author: { email: 'jane.doe@example.com', phone: '+14155550132' } },
		{ id: 'p2', body: 'thanks!', author: { email: 'agent@company.io' } },
	],
	created_at: 1700000000,
});

describe('paths', () => {
	it('matches a plain key, a terminal *, an array [*] and ** at any depth', () => {
		const { value } = redactValue(contact(), {
			scan: 'none',
			fields: [
				{ path: 'email', action: 'replace', label: 'EMAIL' },
				{ path: 'custom_attributes.*', action: 'replace' },
				{ path: 'conversation_parts[*].body', action: 'remove' },
				{ path: '**.phone', action: 'replace', label: 'PHONE' },
			],
		});
		expect(value).toMatchObject({
			email: '[EMAIL]',
			phone: '[PHONE]',
			custom_attributes: { plan: '[REDACTED]', note: '[REDACTED]', seats: '[REDACTED]' },
			conversation_parts: [
				{ id: 'p1', author: { email: 'jane.doe@example.com', phone: '[PHONE]' } },
				{ id: 'p2', author: { email: 'agent@company.io' } },
			],
		});
		expect((value as { conversation_parts: object[] }).conversation_parts[0]).not.toHaveProperty('body');
	});

	it('supports indexes, quoted keys and an intermediate wildcard', () => {
		const data = { list: [{ a: 1 }, { a: 2 }], 'odd.key': 'x', m: { u1: { secret: 's' }, u2: { secret: 't' } } };
		const { value } = redactValue(data, {
			scan: 'none',
			fields: [
				{ path: 'list[1].a', action: 'replace', text: 'gone' },
				{ path: '["odd.key"]', action: 'remove' },
				{ path: 'm.*.secret', action: 'mask', keep: 0 },
			],
		});
		expect(value).toEqual({ list: [{ a: 1 }, { a: 'gone' }], m: { u1: { secret: '*' }, u2: { secret: '*' } } });
	});

	it('lets the first matching rule win and `keep` stop scanning below', () => {
		const { value } = redactValue({ a: { email: 'x@y.com' }, b: { email: 'x@y.com' } }, {
			fields: [{ path: 'a.email', action: 'keep' }, { path: '**.email', action: 'remove' }],
		});
		expect(value).toEqual({ a: { email: 'x@y.com' }, b: {} });
	});

	it.each(['', 'a..b', 'a.', 'a[', 'a[x]', 'a*b', '.a', 'a]b'])('refuses the path %j, naming the rule', (path) => {
		expect(() => compileRedactor({ fields: [{ path: 'ok', action: 'keep' }, { path, action: 'remove' }] })).toThrow(/Field rule 2: path/);
	});

	it('refuses an unknown action and a mask with a negative keep', () => {
		expect(() => compileRedactor({ fields: [{ path: 'a', action: 'shred' as never }] })).toThrow(RedactionError);
		expect(() => compileRedactor({ fields: [{ path: 'a', action: 'mask', keep: -1 }] })).toThrow(/keep/);
	});
});

describe('operators', () => {
	it('mask keeps the last N characters and the separators', () => {
		const { value } = redactValue({ card: '4111 1111 1111 1111', phone: 5551234 }, {
			scan: 'none',
			fields: [{ path: 'card', action: 'mask', keep: 4 }, { path: 'phone', action: 'mask', keep: 2 }],
		});
		expect(value).toEqual({ card: '**** **** **** 1111', phone: '*****34' });
	});

	it('hmac gives the same pseudonym for the same value across items and runs, and differs per key', () => {
		const rules = { scan: 'none' as const, hmacKey: KEY, fields: [{ path: 'email', action: 'hmac' as const }] };
		const a = compileRedactor(rules).redact({ email: 'Jane.Doe@Example.com' }).value as { email: string };
		const b = compileRedactor(rules).redact({ email: 'jane.doe@example.com ' }).value as { email: string };
		expect(a.email).toMatch(/^[0-9a-f]{32}$/);
		expect(a.email).toBe(b.email);
		expect(a.email).toBe(pseudonym(KEY, 'jane.doe@example.com'));
		const other = redactValue({ email: 'jane.doe@example.com' }, { ...rules, hmacKey: 'other-'.repeat(4) }).value as { email: string };
		expect(other.email).not.toBe(a.email);
	});

	it('hmac in text matches the field pseudonym, so records still join', () => {
		const r = redactValue({ email: 'JANE@example.com', note: 'from jane@example.com' }, {
			hmacKey: KEY,
			operator: { kind: 'hmac' },
			fields: [{ path: 'email', action: 'hmac' }],
		}).value as { email: string; note: string };
		expect(r.note).toBe(`from [EMAIL:${r.email}]`);
	});

	it('refuses hmac without a key of at least 16 characters', () => {
		expect(() => compileRedactor({ fields: [{ path: 'email', action: 'hmac' }] })).toThrow(/HMAC Key/);
		expect(() => compileRedactor({ operator: { kind: 'hmac' }, hmacKey: 'short' })).toThrow(/at least 16/);
	});

	it('text operators: remove, fixed text, per-type choice, mask', () => {
		const text = 'mail a@b.com or call +1 415 555 0132';
		expect(compileRedactor({ operator: { kind: 'remove' } }).redactText(text).text).toBe('mail  or call ');
		expect(compileRedactor({ operator: { kind: 'replace', text: '***' } }).redactText(text).text).toBe('mail *** or call ***');
		expect(compileRedactor({ operators: { PHONE: { kind: 'mask', keep: 4 } } }).redactText(text).text).toBe('mail [EMAIL] or call +* *** *** 0132');
	});
});

describe('scanning, immutability, findings', () => {
	it('scans every string by default and reports paths', () => {
		const input = contact();
		const { findings } = redactValue(input, {});
		expect(findings.map((f) => `${f.type}@${f.path}`)).toEqual([
			'EMAIL@email',
			'PHONE@phone',
			'PHONE@custom_attributes.note',
			'CARD@conversation_parts[0].body',
			'EMAIL@conversation_parts[0].author.email',
			'PHONE@conversation_parts[0].author.phone',
			'EMAIL@conversation_parts[1].author.email',
		]);
	});

	it('never mutates the input, and shares untouched branches', () => {
		const input = contact();
		const before = structuredClone(input);
		const { value } = redactValue(input, PRESETS.intercomContact);
		expect(input).toEqual(before);
		expect(value).not.toBe(input);
		expect((value as typeof input).conversation_parts[1].author).not.toBe(input.conversation_parts[1].author);
		const untouched = redactValue(input, { scan: 'rules', fields: [{ path: 'email', action: 'remove' }] }).value as typeof input;
		expect(untouched.location).toBe(input.location);
		expect(input).toEqual(before);
	});

	it("'rules' scans only under scan rules", () => {
		const { value } = redactValue({ a: 'x@y.com', b: { c: 'x@y.com' } }, { scan: 'rules', fields: [{ path: 'b', action: 'scan' }] });
		expect(value).toEqual({ a: 'x@y.com', b: { c: '[EMAIL]' } });
	});

	it('cannot be tricked by a __proto__ key', () => {
		const input = JSON.parse('{"__proto__": {"polluted": "a@b.com"}, "x": "a@b.com"}') as Record<string, unknown>;
		const { value } = redactValue(input, {});
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: '[EMAIL]' });
	});
});

describe('minimise mode', () => {
	it('keeps only the allow-list and reports what was dropped', () => {
		const { value, findings } = redactValue(contact(), { allow: PRESETS.intercomContact.allowList });
		expect(value).toEqual({ id: '65f0c1', external_id: 'u-17', role: 'user', custom_attributes: { plan: 'pro' }, created_at: 1700000000 });
		expect(findings.filter((f) => f.type === 'MINIMISED').map((f) => f.path)).toContain('email');
		expect(findings.every((f) => f.action === 'drop')).toBe(true);
	});

	it('keeps array elements through [*] and scans what it keeps', () => {
		const { value } = redactValue(contact(), { allow: ['conversation_parts[*].body'] });
		expect(value).toEqual({ conversation_parts: [{ body: '<p>my card is [CARD]</p>' }, { body: 'thanks!' }] });
	});
});

describe('presets', () => {
	it('Intercom contact: PII replaced, identifiers and metadata kept, custom attributes scanned', () => {
		const { value } = redactValue(contact(), PRESETS.intercomContact);
		expect(value).toMatchObject({
			id: '65f0c1',
			external_id: 'u-17',
			role: 'user',
			email: '[EMAIL]',
			phone: '[PHONE]',
			name: '[NAME]',
			location: '[LOCATION]',
			created_at: 1700000000,
			custom_attributes: { plan: 'pro', note: 'call me on [PHONE]', seats: 4 },
		});
	});

	it('Intercom conversation: authors replaced, bodies scanned HTML-aware, ids kept', () => {
		const conv = {
			type: 'conversation',
			id: '123',
			state: 'open',
			source: { body: '<p>Hi, I am <b>jane@example.com</b></p>', author: { id: 'c1', type: 'user', name: 'Jane', email: 'jane@example.com' } },
			contacts: { contacts: [{ id: 'c1', external_id: 'u-17' }] },
			conversation_parts: { conversation_parts: [{ body: '<p>IBAN DE89 3704 0044 0532 0130 00</p>', author: { id: 'a1', name: 'Agent Smith' } }] },
		};
		const { value } = redactValue(conv, PRESETS.intercomConversation);
		expect(value).toEqual({
			type: 'conversation',
			id: '123',
			state: 'open',
			source: { body: '<p>Hi, I am <b>[EMAIL]</b></p>', author: { id: 'c1', type: 'user', name: '[NAME]', email: '[EMAIL]' } },
			contacts: { contacts: [{ id: 'c1', external_id: 'u-17' }] },
			conversation_parts: { conversation_parts: [{ body: '<p>IBAN [IBAN]</p>', author: { id: 'a1', name: '[NAME]' } }] },
		});
	});
});
