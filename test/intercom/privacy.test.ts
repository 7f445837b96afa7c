// Error messages never carry personal data or the token, even when Intercom echoes them back.
import { describe, expect, it } from 'vitest';
import { IntercomApiError, sanitizeIntercomMessage } from '../../src/intercom';
import { rejectionOf, useFake } from './helpers';

const h = useFake();
const EMAIL = 'jane.doe+gdpr@example.org';

function expectClean(err: unknown, ...secrets: string[]): IntercomApiError {
	expect(err).toBeInstanceOf(IntercomApiError);
	const e = err as IntercomApiError;
	const everything = `${e.message} ${JSON.stringify(e)}`;
	for (const s of [...secrets, h.fake.token]) expect(everything).not.toContain(s);
	expect(everything).not.toMatch(/[^\s@]+@[^\s@]+\.[a-z]{2,}/i);
	return e;
}

describe('error messages', () => {
	it('an Intercom message that echoes an email loses the email, keeps code and request_id', async () => {
		// The fake, like Intercom, answers: Field 'jane.doe+gdpr@example.org' is not searchable
		const err = await rejectionOf(h.gw().searchContactsPage({ field: EMAIL, operator: '=', value: 'x' }));
		const e = expectClean(err, EMAIL, 'jane.doe', 'example.org');
		expect(h.fake.requests[0].status).toBe(400);
		expect(e.status).toBe(400);
		expect(e.code).toBe('parameter_invalid');
		expect(e.requestId).toBeTruthy();
		expect(e.message).toContain(e.requestId);
		expect(e.message).toContain('POST /contacts/search');
		expect(e.message).toContain('not searchable');
	});

	it('paths in messages are templated: no contact id, email or external id', async () => {
		const err = await rejectionOf(h.gw().request('GET', `/contacts/${encodeURIComponent(EMAIL)}`));
		const e = expectClean(err, 'jane.doe', encodeURIComponent(EMAIL));
		expect(e.status).toBe(404);
		expect(e.operation).toBe('GET /contacts/{id}');
		expect(e.message).toContain('GET /contacts/{id}');
	});

	it('query strings are never in messages', async () => {
		h.fake.failNext({ status: 500, count: 10 });
		const err = await rejectionOf(h.gw({ maxRetries: 0 }).request('GET', '/events', { query: { type: 'user', email: EMAIL } }));
		const e = expectClean(err, 'jane.doe');
		expect(e.message).toContain('GET /events');
		expect(e.message).not.toContain('?');
	});

	it('SDK calls with personal data in the path are templated too', async () => {
		const ext = 'customer-4711-jane';
		h.fake.failNext({ status: 403, code: 'api_plan_restricted' });
		const err = await rejectionOf(h.gw().getContactByExternalId(ext));
		// Not the bare '4711': a random request_id (hex UUID) can contain it by chance.
		const e = expectClean(err, ext, 'customer-4711', '4711-jane');
		expect(e.message).toContain('GET /contacts/find_by_external_id/{external_id}');
	});
});

describe('sanitizeIntercomMessage', () => {
	it.each([
		["Field 'jane@example.com' is not searchable", 'jane@example.com'],
		['No contact found for external id john-smith-42', 'john-smith-42'],
		['User with email bob@corp.io and name Bob Builder was not found', 'Bob'],
		['Contact 5f1e2d3c4b5a69788796a5b4 not found', '5f1e2d3c4b5a69788796a5b4'],
		['Phone +49 170 1234567 is invalid', '1234567'],
	])('%s', (input, secret) => {
		const out = sanitizeIntercomMessage(input);
		expect(out).not.toContain(secret);
		expect(out).not.toMatch(/@|\d{3,}/);
	});

	it('keeps ordinary API wording', () => {
		expect(sanitizeIntercomMessage('Access Token Invalid')).toBe('Access Token Invalid');
		expect(sanitizeIntercomMessage('Exceeded rate limit of 1 pending message data export jobs')).toBe(
			'Exceeded rate limit of … pending message data export jobs',
		);
	});

	it('returns empty text when nothing safe is left', () => {
		expect(sanitizeIntercomMessage('jane@example.com')).toBe('');
		expect(sanitizeIntercomMessage(undefined)).toBe('');
	});
});
