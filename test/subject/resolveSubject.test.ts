// resolveSubject against the fake Intercom, through the real gateway (no mocks of our own code).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom';
import type { IntercomGateway } from '../../src/intercom';
import { MAX_MERGE_HOPS, resolveSubject, SubjectRefError } from '../../src/subject';
import type { SubjectRef } from '../../src/subject';
import { startFakeIntercom } from '../fake-intercom';
import type { FakeIntercom } from '../fake-intercom';

let fake: FakeIntercom;
let gw: IntercomGateway;
let fx: FakeIntercom['workspace']['fixtures'];

beforeAll(async () => {
	fake = await startFakeIntercom();
	gw = createIntercom({ token: fake.token, baseUrl: fake.url });
	fx = fake.workspace.fixtures;
});
afterAll(async () => {
	await fake.close();
});
beforeEach(() => {
	fake.reset();
});

const ids = (r: { contacts: { id: string }[] }) => r.contacts.map((c) => c.id).sort();

describe('resolveSubject by email', () => {
	it('returns the lead and the user that share the email', async () => {
		const r = await resolveSubject(gw, { email: fx.sharedEmail });
		expect(r.found).toBe(true);
		expect(r.lookup).toBe('email');
		expect(ids(r)).toEqual([fx.sharedEmailLeadId, fx.sharedEmailUserId].sort());
		expect(r.contacts.map((c) => c.role).sort()).toEqual(['lead', 'user']);
		expect(r.mergedRedirects).toEqual([]);
		const searches = fake.requests.filter((q) => q.path === '/contacts/search');
		expect(searches).toHaveLength(1);
		expect(searches[0].body).toMatchObject({ query: { field: 'email', operator: '=', value: fx.sharedEmail } });
	});

	it('trims and matches case-insensitively', async () => {
		const r = await resolveSubject(gw, { email: `  ${fx.sharedEmail.toUpperCase()}\t` });
		expect(ids(r)).toEqual([fx.sharedEmailLeadId, fx.sharedEmailUserId].sort());
	});

	it('cannot find an archived contact by email (Intercom search skips archived contacts)', async () => {
		const r = await resolveSubject(gw, { email: fx.archivedContactEmail });
		expect(r.found).toBe(false);
		const byId = await resolveSubject(gw, { contactId: fx.archivedContactId });
		expect(byId.found).toBe(true);
	});

	it('answers found:false for an email nobody has', async () => {
		const r = await resolveSubject(gw, { email: fx.unknownEmail });
		expect(r).toEqual({ found: false, lookup: 'email', contacts: [], mergedRedirects: [], viaLedger: [], archivedNotice: expect.stringMatching(/search never returns archived contacts/) });
	});
});

describe('resolveSubject by contact id', () => {
	it('returns that contact', async () => {
		const r = await resolveSubject(gw, { contactId: fx.userId });
		expect(ids(r)).toEqual([fx.userId]);
		expect(r.contacts[0].email).toBe(fx.userEmail);
	});

	it('follows a merged contact (410 + Link) and reports the redirect', async () => {
		const r = await resolveSubject(gw, { contactId: fx.mergedContactId });
		expect(r.found).toBe(true);
		expect(ids(r)).toEqual([fx.mergedIntoId]);
		expect(r.mergedRedirects).toEqual([{ from: fx.mergedContactId, to: fx.mergedIntoId }]);
		expect(fake.requests.map((q) => q.path)).toEqual([`/contacts/${fx.mergedContactId}`, `/contacts/${fx.mergedIntoId}`]);
	});

	it('follows a chain Intercom resolves itself (Link points at the end) in one hop', async () => {
		const { startId, endId } = fx.mergeChain;
		const r = await resolveSubject(gw, { contactId: startId });
		expect(ids(r)).toEqual([endId]);
		expect(r.mergedRedirects).toEqual([{ from: startId, to: endId }]);
	});

	it('follows a 4-merge chain: Intercom resolves 3, we follow the rest', async () => {
		const chain = fx.longMergeChainIds;
		const r = await resolveSubject(gw, { contactId: chain[0] });
		expect(ids(r)).toEqual([chain[4]]);
		expect(r.mergedRedirects).toEqual([
			{ from: chain[0], to: chain[3] },
			{ from: chain[3], to: chain[4] },
		]);
	});

	it('finds an archived contact', async () => {
		const r = await resolveSubject(gw, { contactId: fx.archivedContactId });
		expect(ids(r)).toEqual([fx.archivedContactId]);
	});

	it('answers found:false for an id Intercom does not know', async () => {
		const r = await resolveSubject(gw, { contactId: fx.unknownContactId });
		expect(r).toEqual({ found: false, lookup: 'contactId', contacts: [], mergedRedirects: [], viaLedger: [], archivedNotice: null });
	});

	it(`stops with a clear error when a merge chain is longer than ${MAX_MERGE_HOPS} hops`, async () => {
		// Four 410 answers in a row, each pointing further; the fourth must not be followed.
		const chain = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(24));
		const chainGw = createIntercom({
			token: fake.token,
			baseUrl: fake.url,
			fetch: mergeChainFetch(chain),
		});
		await expect(resolveSubject(chainGw, { contactId: chain[0] })).rejects.toThrow(/longer than 3 hops/);
	});
});

describe('resolveSubject by external id', () => {
	it('returns the user with that external id', async () => {
		const r = await resolveSubject(gw, { externalId: fx.userExternalId });
		expect(r.lookup).toBe('externalId');
		expect(ids(r)).toEqual([fx.userId]);
	});

	it('follows a merged-away user found by external id; the old contact id is not known', async () => {
		const r = await resolveSubject(gw, { externalId: fx.mergedExternalId });
		expect(ids(r)).toEqual([fx.mergeChain.endId]);
		expect(r.mergedRedirects).toEqual([{ from: null, to: fx.mergeChain.endId }]);
	});

	it('answers found:false for an unknown external id', async () => {
		const r = await resolveSubject(gw, { externalId: fx.unknownExternalId });
		expect(r.found).toBe(false);
		expect(r.contacts).toEqual([]);
	});
});

describe('resolveSubject refuses bad references before any request', () => {
	const cases: Array<[string, SubjectRef, string, RegExp]> = [
		['no field', {}, 'ref', /exactly one of contactId, email or externalId/],
		['two fields', { email: 'a@example.com', contactId: 'a'.repeat(24) }, 'ref', /contactId and email/],
		['empty email', { email: '   ' }, 'email', /^email is empty$/],
		['two emails', { email: 'a@example.com; b@example.com' }, 'email', /^email is not a single email address/],
		['no @', { email: 'example.com' }, 'email', /^email is not/],
		['short id', { contactId: '123' }, 'contactId', /^contactId is not an Intercom contact id/],
		['non-hex id', { contactId: 'z'.repeat(24) }, 'contactId', /^contactId is not/],
		['blank external id', { externalId: '' }, 'externalId', /^externalId is empty$/],
	];
	it.each(cases)('%s', async (_label, ref, field, message) => {
		const error = await resolveSubject(gw, ref).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SubjectRefError);
		expect((error as SubjectRefError).field).toBe(field);
		expect((error as SubjectRefError).message).toMatch(message);
		expect(fake.requests).toHaveLength(0);
	});

	it('never echoes the value in the message', async () => {
		const error = (await resolveSubject(gw, { email: 'jane.doe@@example.com' }).catch((e: unknown) => e)) as Error;
		expect(error.message).not.toContain('jane');
	});
});

/**
 * A transport in front of the fake that answers GET /contacts/{chain[i]} with 410 + Link to chain[i+1]:
 * the fake's one merged contact is a single hop, and a chain longer than Intercom's 3 hops cannot be
 * seeded. Everything else goes to the fake unchanged.
 */
function mergeChainFetch(chain: string[]): typeof fetch {
	return async (input, init) => {
		const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
		const at = chain.findIndex((id) => url.pathname === `/contacts/${id}`);
		if (at >= 0 && at < chain.length - 1) {
			const body = { type: 'error.list', request_id: 'chain-test', errors: [{ code: 'contact_merged', message: 'Contact merged' }] };
			return new Response(JSON.stringify(body), {
				status: 410,
				headers: { 'content-type': 'application/json', link: `</contacts/${chain[at + 1]}>; rel="canonical"` },
			});
		}
		return await fetch(input, init);
	};
}
