// An external id of "." or ".." is a URL dot segment: /contacts/find_by_external_id/.. collapses to
// /contacts/ (the contact list). Refused before any request; and a direct lookup must answer with
// the contact asked for, never a list or another contact.
import { describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom';
import { resolveSubject, SubjectLookupMismatchError, SubjectRefError } from '../../src/subject';
import type { FakeIntercom } from '../fake-intercom';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({}, (f) => (fake = f), { reset: true });

/** A fetch that sends lookups by external id (or id) to another path on the fake, like a collapsed URL would. */
function rerouting(from: RegExp, to: string): typeof fetch {
	return async (input, init) => {
		const url = new URL(input instanceof Request ? input.url : String(input));
		if (from.test(url.pathname)) url.pathname = to;
		return await fetch(url, init);
	};
}

describe('dot segments and lookups that answer something else', () => {
	it.each(['..', '.', ' .. '])('externalId %j is refused before any request, naming the field', async (value) => {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		const err = await resolveSubject(gw, { externalId: value }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(SubjectRefError);
		expect(err).toMatchObject({ field: 'externalId', problem: 'malformed' });
		expect((err as Error).message).toMatch(/externalId must not be "\." or "\.\."/);
		expect(fake.requests).toEqual([]);
	});

	it('external ids that merely contain dots are still fine', async () => {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		const r = await resolveSubject(gw, { externalId: 'a..b' });
		expect(r.found).toBe(false);
	});

	it('a lookup by external id answered with the contact list is refused, not taken as the person', async () => {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, fetch: rerouting(/^\/contacts\/find_by_external_id\//, '/contacts') });
		await expect(resolveSubject(gw, { externalId: fake.workspace.fixtures.userExternalId })).rejects.toBeInstanceOf(SubjectLookupMismatchError);
	});

	it('a lookup by id answered with another contact is refused', async () => {
		const fx = fake.workspace.fixtures;
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, fetch: rerouting(new RegExp(`^/contacts/${fx.userId}$`), `/contacts/${fx.leadId}`) });
		const err = await resolveSubject(gw, { contactId: fx.userId }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(SubjectLookupMismatchError);
		expect((err as Error).message).not.toContain(fx.userId);
	});

	it('a lookup by external id answered with another user is refused', async () => {
		const fx = fake.workspace.fixtures;
		const other = [...fake.workspace.contacts.values()].find((c) => c.role === 'user' && c.externalId && c.externalId !== fx.userExternalId);
		const gw = createIntercom({
			token: fake.token,
			baseUrl: fake.url,
			fetch: rerouting(new RegExp(`^/contacts/find_by_external_id/${fx.userExternalId}$`), `/contacts/find_by_external_id/${other?.externalId ?? ''}`),
		});
		await expect(resolveSubject(gw, { externalId: fx.userExternalId })).rejects.toBeInstanceOf(SubjectLookupMismatchError);
	});
});
