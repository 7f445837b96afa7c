import { describe, expect, it } from 'vitest';
import { startFakeIntercom, type FakeIntercom } from './index';
import { call, searchAll } from './testing';
import { generateWorkspace } from './workspace';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({ seed: 1 }, (f) => (fake = f), { reset: true });

const fx = () => fake.workspace.fixtures;

describe('workspace generator', () => {
	it('is deterministic for a seed and differs between seeds', () => {
		const a = generateWorkspace(7, 1_800_000_000);
		const b = generateWorkspace(7, 1_800_000_000);
		const c = generateWorkspace(8, 1_800_000_000);
		expect(JSON.stringify(a.fixtures)).toBe(JSON.stringify(b.fixtures));
		expect([...a.contacts.keys()]).toEqual([...b.contacts.keys()]);
		expect(c.fixtures.userId).not.toBe(a.fixtures.userId);
	});

	it('uses only reserved example domains for email addresses', () => {
		for (const c of fake.workspace.contacts.values()) expect(c.email).toMatch(/@example\.(com|org)$/);
	});
});

describe('GET /contacts', () => {
	it('pages with starting_after to the end, without duplicates, excluding archived contacts', async () => {
		const seen: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const r = await call(fake, 'GET', `/contacts?per_page=40${cursor ? `&starting_after=${cursor}` : ''}`);
			expect(r.status).toBe(200);
			expect(r.body.pages.per_page).toBe(40);
			expect(r.body.pages.page).toBe(pages + 1);
			seen.push(...r.body.data.map((c: { id: string }) => c.id));
			cursor = r.body.pages.next?.starting_after;
			pages += 1;
		} while (cursor);
		const listable = [...fake.workspace.contacts.values()].filter((c) => !c.archived);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.length).toBe(listable.length);
		expect(pages).toBe(Math.ceil(listable.length / 40));
		expect(seen).not.toContain(fx().archivedContactId);
		expect(seen).not.toContain(fx().mergedContactId);
	});

	it('defaults to 50 per page and rejects more than 150', async () => {
		expect((await call(fake, 'GET', '/contacts')).body.data).toHaveLength(50);
		const r = await call(fake, 'GET', '/contacts?per_page=151');
		expect(r.status).toBe(400);
		expect(r.body.type).toBe('error.list');
	});

	it('keeps a cursor valid when the last contact of the page is deleted', async () => {
		const first = await call(fake, 'GET', '/contacts?per_page=10');
		const lastId = first.body.data[9].id;
		expect((await call(fake, 'DELETE', `/contacts/${lastId}`)).status).toBe(200);
		const second = await call(fake, 'GET', `/contacts?per_page=10&starting_after=${first.body.pages.next.starting_after}`);
		expect(second.status).toBe(200);
		expect(second.body.data[0].id).not.toBe(first.body.data[8].id);
		expect(second.body.data.map((c: { id: string }) => c.id)).not.toContain(lastId);
	});
});

describe('GET /contacts/{id}', () => {
	it('returns the contact with embedded lists capped at 10', async () => {
		const r = await call(fake, 'GET', `/contacts/${fx().manyTagsContactId}`);
		expect(r.status).toBe(200);
		expect(r.body.tags.data).toHaveLength(10);
		expect(r.body.tags.total_count).toBe(fx().manyTagsCount);
		expect(r.body.tags.has_more).toBe(true);
		expect(r.body.notes.total_count).toBe(fx().manyNotesCount);
		expect(r.body.companies.total_count).toBe(fx().manyCompaniesCount);
		const tags = await call(fake, 'GET', `/contacts/${fx().manyTagsContactId}/tags`);
		expect(tags.body.data).toHaveLength(fx().manyTagsCount);
		const notes = await call(fake, 'GET', `/contacts/${fx().manyTagsContactId}/notes`);
		expect(notes.body.data).toHaveLength(fx().manyNotesCount);
		const companies = await call(fake, 'GET', `/contacts/${fx().manyTagsContactId}/companies?per_page=5&page=3`);
		expect(companies.body.companies).toHaveLength(2);
		expect(companies.body.pages.next).toBeNull();
	});

	it('answers 404 not_found for an unknown id', async () => {
		const r = await call(fake, 'GET', `/contacts/${fx().unknownContactId}`);
		expect(r.status).toBe(404);
		expect(r.body.errors[0].code).toBe('not_found');
		expect(r.body.request_id).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('answers 410 contact_merged with a canonical Link for a merged contact', async () => {
		const r = await call(fake, 'GET', `/contacts/${fx().mergedContactId}`);
		expect(r.status).toBe(410);
		expect(r.body.errors[0].code).toBe('contact_merged');
		expect(r.headers.get('link')).toBe(`</contacts/${fx().mergedIntoId}>; rel="canonical"`);
	});

	it('resolves merge chains up to 3 hops on the server', async () => {
		const chain = await call(fake, 'GET', `/contacts/${fx().mergeChain.startId}`);
		expect(chain.headers.get('link')).toContain(fx().mergeChain.endId);
		const [first, , , fourth, last] = fx().longMergeChainIds;
		const hop1 = await call(fake, 'GET', `/contacts/${first}`);
		expect(hop1.headers.get('link')).toContain(fourth);
		const hop2 = await call(fake, 'GET', `/contacts/${fourth}`);
		expect(hop2.status).toBe(410);
		expect(hop2.headers.get('link')).toContain(last);
		expect((await call(fake, 'GET', `/contacts/${last}`)).status).toBe(200);
	});

	it('shows archived contacts with archived: true', async () => {
		const r = await call(fake, 'GET', `/contacts/${fx().archivedContactId}`);
		expect(r.status).toBe(200);
		expect(r.body.archived).toBe(true);
	});

	it('sends owner_id as an integer on 2.14 and as a string on 2.16', async () => {
		const owned = [...fake.workspace.contacts.values()].find((c) => c.ownerId !== null)!;
		const v14 = await call(fake, 'GET', `/contacts/${owned.id}`, { headers: { 'intercom-version': '2.14' } });
		const v16 = await call(fake, 'GET', `/contacts/${owned.id}`, { headers: { 'intercom-version': '2.16' } });
		expect(v14.body.owner_id).toBe(owned.ownerId);
		expect(v16.body.owner_id).toBe(String(owned.ownerId));
	});

	it('serves file custom attributes as signed URLs that expire after 30 minutes', async () => {
		let clock = Date.now();
		const timed = await startFakeIntercom({ now: () => clock });
		try {
			const f = timed.workspace.fixtures;
			const r = await call(timed, 'GET', `/contacts/${f.fileAttributeContactId}`);
			const file = r.body.custom_attributes[f.fileAttributeName];
			expect(file.type).toBe('upload');
			const ok = await fetch(file.url);
			expect(ok.status).toBe(200);
			expect(await ok.text()).toContain('FAKE IDENTITY DOCUMENT');
			clock += 31 * 60 * 1000;
			expect((await fetch(file.url)).status).toBe(403);
		} finally {
			await timed.close();
		}
	});
});

describe('conversation attachments', () => {
	it('are served from signed URLs without the token', async () => {
		const r = await call(fake, 'GET', `/conversations/${fx().attachmentConversationId}`);
		const att = r.body.conversation_parts.conversation_parts.flatMap((p: { attachments: unknown[] }) => p.attachments);
		expect(att).toHaveLength(1);
		expect(att[0]).toMatchObject({ type: 'upload', name: 'fake-receipt.txt', content_type: 'text/plain' });
		const file = await fetch(att[0].url);
		expect(await file.text()).toContain('Fake receipt');
		const tampered = await fetch(att[0].url.replace(/signature=[0-9a-f]+/, 'signature=00'));
		expect(tampered.status).toBe(404);
	});
});

describe('GET /contacts/find_by_external_id', () => {
	it('finds users only', async () => {
		const r = await call(fake, 'GET', `/contacts/find_by_external_id/${fx().userExternalId}`);
		expect(r.status).toBe(200);
		expect(r.body.id).toBe(fx().userId);
		expect((await call(fake, 'GET', `/contacts/find_by_external_id/${fx().unknownExternalId}`)).status).toBe(404);
	});

	it('answers 410 + Link for the external_id of a merged-away user', async () => {
		const r = await call(fake, 'GET', `/contacts/find_by_external_id/${fx().mergedExternalId}`);
		expect(r.status).toBe(410);
		expect(r.headers.get('link')).toContain(fx().mergeChain.endId);
	});
});

describe('DELETE, archive and unarchive', () => {
	it('deletes permanently: 404 afterwards, conversations and events gone', async () => {
		const id = fx().userId;
		const del = await call(fake, 'DELETE', `/contacts/${id}`);
		expect(del.body).toEqual({ id, external_id: fx().userExternalId, type: 'contact', deleted: true });
		expect((await call(fake, 'GET', `/contacts/${id}`)).status).toBe(404);
		expect((await call(fake, 'DELETE', `/contacts/${id}`)).status).toBe(404);
		const convs = await call(fake, 'POST', '/conversations/search', { body: { query: { field: 'contact_ids', operator: '=', value: id } } });
		expect(convs.body.total_count).toBe(0);
		expect((await call(fake, 'GET', `/events?type=user&intercom_user_id=${id}`)).status).toBe(404);
	});

	it('keeps a group conversation when one participant is deleted, without that participant', async () => {
		const group = fx().groupConversationId;
		await call(fake, 'DELETE', `/contacts/${fx().userId}`);
		const r = await call(fake, 'GET', `/conversations/${group}`);
		expect(r.status).toBe(200);
		expect(r.body.contacts.contacts.map((c: { id: string }) => c.id)).toEqual([fx().leadId]);
		expect((await call(fake, 'GET', `/conversations/${fx().attachmentConversationId}`)).status).toBe(404);
	});

	it('archived contacts drop out of search and come back when unarchived', async () => {
		const q = { field: 'email', operator: '=', value: fx().userEmail };
		expect(await searchAll(fake, q)).toHaveLength(1);
		const a = await call(fake, 'POST', `/contacts/${fx().userId}/archive`);
		expect(a.body).toEqual({ type: 'contact', id: fx().userId, external_id: fx().userExternalId, archived: true });
		expect(await searchAll(fake, q)).toHaveLength(0);
		await call(fake, 'POST', `/contacts/${fx().userId}/unarchive`);
		expect(await searchAll(fake, q)).toHaveLength(1);
	});
});

describe('subscriptions', () => {
	it('lists only explicit choices, matching each type consent', async () => {
		const r = await call(fake, 'GET', `/contacts/${fx().userId}/subscriptions`);
		expect(r.body.data.map((s: { consent_type: string }) => s.consent_type).sort()).toEqual(['opt_in', 'opt_out']);
	});
});
