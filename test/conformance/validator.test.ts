// The validator must be able to say no: these cases would pass a validator that checks nothing.

import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadSpec, toJsonSchema, validateAgainstSpec, validateRequest, validateResponse } from './openapi';

const contact = { type: 'contact', id: '5f0000000000000000000001', role: 'user', email: 'a@example.com', tags: { data: [], url: '/contacts/x/tags' } };

describe('validateResponse', () => {
	it('accepts a well-formed contact and rejects a wrongly typed field', () => {
		expect(validateResponse({ method: 'GET', path: '/contacts/abc', status: 200, body: contact }, '2.14').ok).toBe(true);
		const bad = validateResponse({ method: 'GET', path: '/contacts/abc', status: 200, body: { ...contact, id: 42 } }, '2.14');
		expect(bad.ok).toBe(false);
		expect(bad.errors.join('\n')).toContain('/id');
	});

	it('follows the version: owner_id integer in 2.14, string in 2.16', () => {
		const withOwner = (owner: unknown) => ({ method: 'GET', path: '/contacts/abc', status: 200, body: { ...contact, owner_id: owner } });
		expect(validateResponse(withOwner(7), '2.14').ok).toBe(true);
		expect(validateResponse(withOwner('7'), '2.14').ok).toBe(false);
		expect(validateResponse(withOwner('7'), '2.16').ok).toBe(true);
		expect(validateResponse(withOwner(7), '2.16').ok).toBe(false);
	});

	it('rejects a status the spec does not document and no quirk covers', () => {
		const r = validateResponse({ method: 'GET', path: '/me', status: 418, body: {} }, '2.14');
		expect(r.ok).toBe(false);
		expect(r.errors[0]).toContain('not documented');
	});

	it('validates quirk-covered statuses against the error schema, not against nothing', () => {
		const good = validateResponse({ method: 'GET', path: '/contacts/abc', status: 404, body: { type: 'error.list', errors: [{ code: 'not_found', message: 'x' }] } }, '2.14');
		expect(good).toMatchObject({ ok: true, quirks: ['contact-404-undocumented'] });
		const bad = validateResponse({ method: 'GET', path: '/contacts/abc', status: 404, body: { type: 'error.list', errors: [{ message: 'no code' }] } }, '2.14');
		expect(bad.ok).toBe(false);
	});

	it('checks an event list as data_event_list (quirk) and still rejects a malformed event', () => {
		const list = { type: 'event.list', events: [{ type: 'event', event_name: 'x', created_at: 1 }], pages: {} };
		expect(validateResponse({ method: 'GET', path: '/events', status: 200, body: list }, '2.14').ok).toBe(true);
		const bad = { ...list, events: [{ type: 'event', created_at: 1 }] };
		expect(validateResponse({ method: 'GET', path: '/events', status: 200, body: bad }, '2.14').ok).toBe(false);
	});

	it('accepts null only where the spec says nullable', () => {
		expect(validateResponse({ method: 'GET', path: '/contacts/abc', status: 200, body: { ...contact, phone: null } }, '2.14').ok).toBe(true);
		expect(validateResponse({ method: 'GET', path: '/contacts/abc', status: 200, body: { ...contact, email: null } }, '2.14').ok).toBe(false);
	});
});

describe('validateRequest', () => {
	it('requires a search query and a known operator', () => {
		const ok = validateRequest({ method: 'POST', path: '/contacts/search', body: { query: { field: 'email', operator: '=', value: 'a@example.com' } } }, '2.14');
		expect(ok.ok).toBe(true);
		expect(validateRequest({ method: 'POST', path: '/contacts/search', body: { pagination: { per_page: 5 } } }, '2.14').ok).toBe(false);
		expect(validateRequest({ method: 'POST', path: '/contacts/search', body: { query: { field: 'email', operator: 'LIKE', value: 'a' } } }, '2.14').ok).toBe(false);
	});

	it('requires the export date range as integers', () => {
		expect(validateRequest({ method: 'POST', path: '/export/content/data', body: { created_at_after: 1, created_at_before: 2 } }, '2.14').ok).toBe(true);
		expect(validateRequest({ method: 'POST', path: '/export/content/data', body: { created_at_after: '1' } }, '2.14').ok).toBe(false);
	});

	it('requires type and one person filter on GET /events', () => {
		const q = (query: Record<string, string>) => validateRequest({ method: 'GET', path: '/events', query, body: undefined }, '2.14');
		expect(q({ type: 'user', intercom_user_id: 'abc' }).ok).toBe(true);
		expect(q({ intercom_user_id: 'abc' }).ok).toBe(false);
		expect(q({ type: 'user' }).ok).toBe(false);
	});

	it('treats a fake log entry as a request', () => {
		const entry = { method: 'GET', path: '/me', query: {}, headers: { 'intercom-version': '2.16' }, body: undefined, status: 200, at: 0 };
		const r = validateAgainstSpec(entry);
		expect(r).toMatchObject({ ok: true, version: '2.16', operationId: 'identifyAdmin' });
	});
});

describe('quirks that patch the schemas are real', () => {
	it('search-mixed-groups: the unpatched spec rejects a group mixing filters and nested groups', () => {
		const spec = loadSpec('2.14');
		const raw = (spec.doc.components as { schemas: Record<string, unknown> }).schemas;
		const mixed = { operator: 'AND', value: [{ field: 'role', operator: '=', value: 'user' }, { operator: 'OR', value: [{ field: 'email', operator: '~', value: 'a' }] }] };
		const probe = new Ajv({ strict: false }).compile({
			$id: 'unpatched',
			definitions: {
				multiple_filter_search_request: toJsonSchema(raw.multiple_filter_search_request, 'unpatched'),
				single_filter_search_request: toJsonSchema(raw.single_filter_search_request, 'unpatched'),
			},
			$ref: '#/definitions/multiple_filter_search_request',
		});
		expect(probe(mixed)).toBe(false);
		expect(validateRequest({ method: 'POST', path: '/contacts/search', body: { query: mixed } }, '2.14').ok).toBe(true);
	});

	it('uri-format-relative: the relative URLs Intercom sends are not valid `uri`s', () => {
		const ajv = loadSpec('2.14').ajv;
		expect(ajv.validate({ type: 'string', format: 'uri' }, '/contacts/abc/tags')).toBe(false);
		expect(ajv.validate({ type: 'string', format: 'uri-reference' }, '/contacts/abc/tags')).toBe(true);
	});
});
