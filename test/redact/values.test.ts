// Issue 13: object keys and numbers are scanned, findings paths never carry a detected value, and
// the known subject is redacted (or kept, for the access package) in free text.
import { describe, expect, it } from 'vitest';
import { compileRedactor, redactText, redactValue, subjectFromItem } from '../../src/redact';

describe('object keys', () => {
	it('renames a key holding personal data and still redacts its value', () => {
		const { value, findings } = redactValue({ notes: { 'jane.doe@example.com': 'call +44 20 7946 0958', plan: 'pro' } }, {});
		expect(value).toEqual({ notes: { '[EMAIL]': 'call [PHONE]', plan: 'pro' } });
		expect(findings).toEqual([
			{ type: 'EMAIL', path: 'notes["[EMAIL]"]', start: 0, end: 20, action: 'replace', in: 'key' },
			{ type: 'PHONE', path: 'notes["[EMAIL]"]', start: 5, end: 21, action: 'replace' },
		]);
	});

	it('keeps two keys apart when they redact to the same text', () => {
		const { value } = redactValue({ 'a@example.com': 1, 'b@example.com': 2 }, {});
		expect(value).toEqual({ '[EMAIL]': 1, '[EMAIL]#2': 2 });
	});

	it('never puts a detected value in a findings path, whatever the rules', () => {
		const item = { custom_attributes: { 'jane.doe@example.com': 'x', '+49 30 1234567': 'y' } };
		for (const rules of [{}, { scan: 'rules' as const, fields: [{ path: 'custom_attributes.*', action: 'replace' as const }] }, { allow: ['id'] }]) {
			const { findings } = redactValue(item, rules);
			expect(findings.length).toBeGreaterThan(0);
			expect(JSON.stringify(findings)).not.toMatch(/jane|1234567/);
		}
	});

	it('keeps the key out of the oversize error', () => {
		const r = compileRedactor({ maxLength: 12, onOversize: 'error' });
		expect(() => r.redact({ 'jd@ex.io': 'a long enough value' })).toThrow(/"\["\[EMAIL\]"\]" is 19 characters/);
		expect(() => r.redact({ 'jd@ex.io': 'a long enough value' })).not.toThrow(/jd/);
	});

	it('leaves plain keys, and the object, untouched', () => {
		const item = { name_of_field: 'nothing here', count2: 'x' };
		expect(redactValue(item, {}).value).toBe(item);
	});
});

describe('numbers', () => {
	it('checks a number as a digit string with the card and phone detectors', () => {
		const { value, findings } = redactValue({ card: 4111111111111111, phone: 4915123456789, qty: 3, price: 19.99 }, {});
		expect(value).toEqual({ card: '[CARD]', phone: '[PHONE]', qty: 3, price: 19.99 });
		expect(findings).toEqual([
			{ type: 'CARD', path: 'card', start: 0, end: 16, action: 'replace' },
			{ type: 'PHONE', path: 'phone', start: 0, end: 13, action: 'replace' },
		]);
	});

	it('finds a national number stored without its trunk 0 for a default country', () => {
		expect(redactValue({ tel: 2125550123 }, { defaultCountries: ['US'] }).value).toEqual({ tel: '[PHONE]' });
		expect(redactValue({ tel: 2125550123 }, {}).value).toEqual({ tel: 2125550123 });
	});

	it('leaves timestamps, ids and Luhn-invalid numbers alone', () => {
		const item = { created_at: 1733412345, created_ms: 1733412345678, id: 123456789, bad: 4111111111111112 };
		expect(redactValue(item, { defaultCountries: ['US', 'BR', 'DE'] }).value).toBe(item);
	});

	it('refuses a number of one repeated digit as a card even where Luhn holds', () => {
		// 6666666666666 passes Luhn; the card rule is the one found candidates use.
		expect(redactValue({ same: 6666666666666, card: 4111111111111111 }, { detectors: ['CARD'] }).value).toEqual({ same: 6666666666666, card: '[CARD]' });
	});

	it('does not check numbers when only other detectors run', () => {
		expect(redactValue({ card: 4111111111111111 }, { detectors: ['EMAIL'] }).value).toEqual({ card: 4111111111111111 });
	});
});

describe('known subject', () => {
	const subject = { name: 'José Núñez de la Peña', emails: ['jose.nunez@example.es'], phones: ['+34 612 345 078'], ids: ['cust-8812'], addressLines: ['Calle Mayor 12'] };

	it('redacts the subject in free text, case- and diacritics-insensitively', () => {
		const text = 'Hola, soy JOSE NUNEZ (cliente CUST-8812). Escribid a jose.nunez@example.es o al 612 34 50 78; vivo en calle mayor 12. Saludos, José';
		const r = redactText(text, {}, { subject });
		expect(r.text).toBe('Hola, soy [SUBJECT_NAME] [SUBJECT_NAME] (cliente [SUBJECT_ID]). Escribid a [EMAIL] o al [SUBJECT_PHONE]; vivo en [SUBJECT_ADDRESS]. Saludos, [SUBJECT_NAME]');
	});

	it('matches the full name as one span and leaves unrelated words alone', () => {
		const r = redactText('Dear José Núñez de la Peña, de la part de Josefina', {}, { subject });
		expect(r.text).toBe('Dear [SUBJECT_NAME], de la part de Josefina');
	});

	it("keep mode: keeps the subject's own identifiers and redacts everybody else's", () => {
		const text = 'From jose.nunez@example.es (+34 612 345 078) to ana.garcia@example.es (+34 634 21 77 90)';
		const r = redactText(text, {}, { subject, subjectMode: 'keep' });
		expect(r.text).toBe('From jose.nunez@example.es (+34 612 345 078) to [EMAIL] ([PHONE])');
	});

	it('builds the subject from an Intercom contact item, with the country for national phone formats', () => {
		const contact = { type: 'contact', id: '1', name: 'Jürgen Müller', email: 'j.mueller@example.de', phone: '+49 351 4471203', external_id: 'u-77', location: { type: 'location', country: 'Germany', region: 'Saxony', city: 'Dresden' } };
		const s = subjectFromItem(contact)!;
		expect(s).toMatchObject({ name: 'Jürgen Müller', emails: ['j.mueller@example.de'], ids: ['u-77'], country: 'DE' });
		const r = compileRedactor({ detectors: ['PHONE'] }).redactText('Ruf Juergen nicht an, sondern Herrn MULLER unter 0351-4471203', '', { subject: s });
		expect(r.text).toBe('Ruf Juergen nicht an, sondern Herrn [SUBJECT_NAME] unter [PHONE]');
	});

	it('uses the country of a contact for the national formats of every text of the item', () => {
		const item = { type: 'contact', location: { country: 'France' }, custom_attributes: { note: 'fixe 0297318840' } };
		const r = compileRedactor({});
		expect(r.redact(item).value).toMatchObject({ custom_attributes: { note: 'fixe [PHONE]' } });
		// The same text without the contact's country: a French national number is not recognised.
		expect(r.redact({ custom_attributes: { note: 'fixe 0297318840' } }).value).toMatchObject({ custom_attributes: { note: 'fixe 0297318840' } });
		const conversation = { type: 'conversation', contacts: { contacts: [{ type: 'contact', id: '9', location: { country: 'France' } }] }, source: { body: '<p>fixe 0297318840</p>' } };
		expect(r.redact(conversation).value).toMatchObject({ source: { body: '<p>fixe [PHONE]</p>' } });
	});
});
