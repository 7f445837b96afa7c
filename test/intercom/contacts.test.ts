// me(), contact lookups (404 / 410 as values) and contact search with pagination, against the fake.
import { describe, expect, it } from 'vitest';
import { IntercomApiError } from '../../src/intercom';
import { rejectionOf, useFake } from './helpers';

const h = useFake();

describe('me()', () => {
	it('returns the admin and app behind the token (GET /me)', async () => {
		const me = await h.gw().me();
		expect(me.type).toBe('admin');
		expect(me.app?.id_code).toBe(h.fake.workspace.fixtures.appIdCode);
		expect(h.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /me']);
	});
});

describe('getContact()', () => {
	it('found', async () => {
		const f = h.fake.workspace.fixtures;
		const r = await h.gw().getContact(f.userId);
		expect(r.status).toBe('found');
		expect(r.status === 'found' && r.value.id).toBe(f.userId);
		expect(h.fake.requests[0].path).toBe(`/contacts/${f.userId}`);
	});

	it('404 is a value, not an exception, and is not retried', async () => {
		const r = await h.gw().getContact(h.fake.workspace.fixtures.unknownContactId);
		expect(r).toEqual({ status: 'not_found' });
		expect(h.fake.requests.map((x) => x.status)).toEqual([404]);
	});

	it('410 + Link gives the canonical id of a merged contact', async () => {
		const f = h.fake.workspace.fixtures;
		const r = await h.gw().getContact(f.mergedContactId);
		expect(r).toEqual({ status: 'merged', canonicalId: f.mergedIntoId });
		expect(h.fake.requests.map((x) => x.status)).toEqual([410]);
	});

	it('follows nothing by itself: a merge chain answers with the id the Link names', async () => {
		const chain = h.fake.workspace.fixtures.mergeChain;
		const r = await h.gw().getContact(chain.startId);
		expect(r).toEqual({ status: 'merged', canonicalId: chain.endId });
	});

	it('other errors still throw IntercomApiError', async () => {
		h.fake.failNext({ status: 403, code: 'api_plan_restricted' });
		const err = await rejectionOf(h.gw().getContact(h.fake.workspace.fixtures.userId));
		expect(err).toBeInstanceOf(IntercomApiError);
		expect(err).toMatchObject({ status: 403, code: 'api_plan_restricted', retryable: false, operation: 'contacts.find' });
		expect((err as Error).message).toContain('GET /contacts/{id}');
		expect((err as Error).message).not.toContain(h.fake.workspace.fixtures.userId);
	});
});

describe('getContactByExternalId()', () => {
	it('found (users only)', async () => {
		const f = h.fake.workspace.fixtures;
		const r = await h.gw().getContactByExternalId(f.userExternalId);
		expect(r.status === 'found' && r.value.id).toBe(f.userId);
		expect(h.fake.requests[0].path).toBe(`/contacts/find_by_external_id/${f.userExternalId}`);
	});

	it('unknown external id is not_found', async () => {
		const r = await h.gw().getContactByExternalId(h.fake.workspace.fixtures.unknownExternalId);
		expect(r).toEqual({ status: 'not_found' });
	});

	it('merged user answers merged with the canonical id', async () => {
		const r = await h.gw().getContactByExternalId(h.fake.workspace.fixtures.mergedExternalId);
		expect(r.status).toBe('merged');
		expect(r.status === 'merged' && r.canonicalId).toMatch(/^[0-9a-f]{24}$/);
	});

	it('encodes an external id that looks like an email or contains a slash', async () => {
		const r = await h.gw().getContactByExternalId('a/b@example.com');
		expect(r).toEqual({ status: 'not_found' });
		expect(h.fake.requests[0].path).toBe('/contacts/find_by_external_id/a%2Fb%40example.com');
	});
});

describe('search', () => {
	const everyone = { field: 'email', operator: '~', value: '@' };

	it('finds the lead and the user that share one email', async () => {
		const f = h.fake.workspace.fixtures;
		const ids: string[] = [];
		for await (const c of h.gw().searchContacts({ field: 'email', operator: '=', value: f.sharedEmail })) ids.push(c.id);
		expect(ids.sort()).toEqual([f.sharedEmailLeadId, f.sharedEmailUserId].sort());
	});

	it('searchContactsPage returns one page, its cursor and the total', async () => {
		const gw = h.gw();
		const first = await gw.searchContactsPage(everyone, { perPage: 10 });
		expect(first.contacts).toHaveLength(10);
		expect(first.totalCount).toBeGreaterThan(100);
		expect(first.next).toEqual(expect.any(String));
		const second = await gw.searchContactsPage(everyone, { perPage: 10, startingAfter: first.next });
		expect(second.contacts.map((c) => c.id)).not.toContain(first.contacts[0].id);
		expect(h.fake.requests.map((r) => r.body)).toEqual([
			{ query: everyone, pagination: { per_page: 10 } },
			{ query: everyone, pagination: { per_page: 10, starting_after: first.next } },
		]);
	});

	it('searchContacts follows pages.next to the end (150 per page by default)', async () => {
		const gw = h.gw();
		const total = (await gw.searchContactsPage(everyone, { perPage: 1 })).totalCount;
		h.fake.reset();
		const ids: string[] = [];
		for await (const c of gw.searchContacts(everyone)) ids.push(c.id);
		expect(total).toBeGreaterThan(300);
		expect(ids).toHaveLength(total);
		expect(new Set(ids).size).toBe(total);
		// Every page asks for Intercom's maximum of 150, and the search goes on until pages.next is gone.
		const pageSizes = h.fake.requests.map((r) => (r.body as { pagination: { per_page: number } }).pagination.per_page);
		expect(pageSizes).toEqual(new Array(Math.ceil(total / 150)).fill(150));
	});

	it('pages through many pages with a small page size, each page a separate paced call', async () => {
		const gw = h.gw();
		const ids: string[] = [];
		for await (const c of gw.searchContacts(everyone, { perPage: 25 })) ids.push(c.id);
		const pages = h.fake.requests.length;
		expect(pages).toBe(Math.ceil(ids.length / 25));
		expect(pages).toBeGreaterThanOrEqual(5);
		expect(new Set(ids).size).toBe(ids.length);
		// each request carries the cursor of the previous answer
		const cursors = h.fake.requests.map((r) => (r.body as { pagination: { starting_after?: string } }).pagination.starting_after);
		expect(cursors[0]).toBeUndefined();
		expect(cursors.slice(1).every((c) => typeof c === 'string')).toBe(true);
	});

	it('an empty result is an empty iteration (one request)', async () => {
		const ids: string[] = [];
		for await (const c of h.gw().searchContacts({ field: 'email', operator: '=', value: h.fake.workspace.fixtures.unknownEmail })) ids.push(c.id);
		expect(ids).toEqual([]);
		expect(h.fake.requests).toHaveLength(1);
	});

	it('a failing page surfaces as IntercomApiError from the iterator', async () => {
		h.fake.failNext({ status: 400, code: 'parameter_invalid', pathPattern: '^/contacts/search$' });
		const gw = h.gw();
		const err = await rejectionOf(async () => {
			for await (const c of gw.searchContacts(everyone, { perPage: 25 })) void c;
		});
		expect(err).toMatchObject({ status: 400, code: 'parameter_invalid', operation: 'contacts.search' });
	});
});
