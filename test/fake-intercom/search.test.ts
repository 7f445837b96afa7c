import { describe, expect, it } from 'vitest';
import type { FakeIntercom } from './index';
import { call, searchAll } from './testing';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({ seed: 1 }, (f) => (fake = f));

const fx = () => fake.workspace.fixtures;
const edgeIds = async (operator: string, value: unknown): Promise<string[]> => {
	const found = await searchAll(fake, {
		operator: 'AND',
		value: [
			{ field: 'email', operator: '^', value: fx().dayEdge.emailPrefix },
			{ field: 'created_at', operator, value },
		],
	});
	return found.map((c) => c.id).sort();
};

describe('POST /contacts/search', () => {
	it('finds a lead and a user that share an email', async () => {
		const found = await searchAll(fake, { field: 'email', operator: '=', value: fx().sharedEmail.toUpperCase() });
		expect(found.map((c) => c.id).sort()).toEqual([fx().sharedEmailLeadId, fx().sharedEmailUserId].sort());
		expect(found.map((c) => c.role).sort()).toEqual(['lead', 'user']);
	});

	it('finds nobody for an unknown email, with an empty page', async () => {
		const r = await call(fake, 'POST', '/contacts/search', { body: { query: { field: 'email', operator: '=', value: fx().unknownEmail } } });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ type: 'list', data: [], total_count: 0, pages: { type: 'pages', page: 1, total_pages: 1 } });
		expect(r.body.pages.next).toBeUndefined();
	});

	it('never returns merged or archived contacts', async () => {
		const all = await searchAll(fake, { field: 'role', operator: 'IN', value: ['user', 'lead'] });
		const ids = all.map((c) => c.id);
		expect(ids).not.toContain(fx().archivedContactId);
		expect(ids).not.toContain(fx().mergedContactId);
		expect(all.length).toBe([...fake.workspace.contacts.values()].filter((c) => !c.archived).length);
	});

	it('pages to the end with pagination.starting_after and reports page numbers', async () => {
		const r1 = await call(fake, 'POST', '/contacts/search', { body: { query: { field: 'role', operator: '=', value: 'user' }, pagination: { per_page: 25 } } });
		expect(r1.body.pages).toMatchObject({ type: 'pages', page: 1, per_page: 25 });
		expect(r1.body.pages.next).toEqual({ per_page: 25, starting_after: expect.any(String) });
		const all = await searchAll(fake, { field: 'role', operator: '=', value: 'user' }, 25);
		expect(all).toHaveLength(r1.body.total_count);
		expect(r1.body.pages.total_pages).toBe(Math.ceil(r1.body.total_count / 25));
	});

	it('supports string operators ~ !~ ^ $ and NIN', async () => {
		const ends = await searchAll(fake, { field: 'email', operator: '$', value: '@example.org' });
		expect(ends.every((c) => c.email.endsWith('@example.org'))).toBe(true);
		expect(ends.length).toBeGreaterThan(0);
		const contains = await searchAll(fake, { field: 'name', operator: '~', value: 'shared' });
		expect(contains).toHaveLength(2);
		const notContains = await searchAll(fake, {
			operator: 'AND',
			value: [
				{ field: 'email', operator: '^', value: 'day-edge-' },
				{ field: 'email', operator: '!~', value: 'edge-1' },
			],
		});
		expect(notContains).toHaveLength(3);
		const nin = await searchAll(fake, {
			operator: 'AND',
			value: [
				{ field: 'email', operator: '^', value: 'day-edge-' },
				{ field: 'id', operator: 'NIN', value: [fx().dayEdge.startId] },
			],
		});
		expect(nin).toHaveLength(3);
	});

	it('compares dates by calendar day in the workspace time zone', async () => {
		const d = fx().dayEdge;
		const midday = d.dayStart + 12 * 3600;
		expect(await edgeIds('=', midday)).toEqual([d.startId, d.endId].sort());
		expect(await edgeIds('=', d.dayStart)).toEqual([d.startId, d.endId].sort());
		// `>` starts at the next day, `<` is before the start of the day.
		expect(await edgeIds('>', midday)).toEqual([d.nextDayStartId]);
		expect(await edgeIds('<', midday)).toEqual([d.justBeforeId]);
		// The workspace is in Europe/Berlin: 23:30 UTC on the 9th is already the 10th there.
		expect(await edgeIds('=', d.dayStart + 30 * 60)).toEqual([d.startId, d.endId].sort());
	});

	it.each(['!=', '<=', '>=', 'IN'])('rejects %s on a date field with 400', async (operator) => {
		const value = operator === 'IN' ? [fx().dayEdge.dayStart] : fx().dayEdge.dayStart;
		const r = await call(fake, 'POST', '/contacts/search', { body: { query: { field: 'created_at', operator, value } } });
		expect(r.status).toBe(400);
		expect(r.body.type).toBe('error.list');
	});

	it('allows 2 levels of AND/OR and rejects a third', async () => {
		const two = {
			operator: 'OR',
			value: [
				{ operator: 'AND', value: [{ field: 'email', operator: '=', value: fx().userEmail }, { field: 'role', operator: '=', value: 'user' }] },
				{ field: 'id', operator: '=', value: fx().leadId },
			],
		};
		expect((await searchAll(fake, two)).map((c) => c.id).sort()).toEqual([fx().userId, fx().leadId].sort());
		const three = { operator: 'AND', value: [{ operator: 'OR', value: [{ operator: 'AND', value: [{ field: 'role', operator: '=', value: 'user' }] }] }] };
		expect((await call(fake, 'POST', '/contacts/search', { body: { query: three } })).status).toBe(400);
	});

	it('rejects more than 15 filters in a group', async () => {
		const filters = (n: number) => Array.from({ length: n }, (_, i) => ({ field: 'email', operator: '!=', value: `x${i}@example.com` }));
		expect((await call(fake, 'POST', '/contacts/search', { body: { query: { operator: 'AND', value: filters(15) } } })).status).toBe(200);
		expect((await call(fake, 'POST', '/contacts/search', { body: { query: { operator: 'AND', value: filters(16) } } })).status).toBe(400);
	});

	it('rejects per_page above 150 and unknown fields', async () => {
		const q = { field: 'role', operator: '=', value: 'user' };
		expect((await call(fake, 'POST', '/contacts/search', { body: { query: q, pagination: { per_page: 151 } } })).status).toBe(400);
		expect((await call(fake, 'POST', '/contacts/search', { body: { query: { field: 'shoe_size', operator: '=', value: 1 } } })).status).toBe(400);
	});

	it('supports tag_id with = and != only', async () => {
		const tagId = fake.workspace.contacts.get(fx().manyTagsContactId)!.tagIds[0];
		const tagged = await searchAll(fake, { field: 'tag_id', operator: '=', value: tagId });
		expect(tagged.map((c) => c.id)).toContain(fx().manyTagsContactId);
		expect((await call(fake, 'POST', '/contacts/search', { body: { query: { field: 'tag_id', operator: '~', value: tagId } } })).status).toBe(400);
	});

	it('sorts on 2.16 and rejects a bad sort order', async () => {
		const body = (order: string) => ({
			query: { field: 'email', operator: '^', value: 'day-edge-' },
			sort: { field: 'created_at', order },
		});
		const h = { 'intercom-version': '2.16' };
		const desc = await call(fake, 'POST', '/contacts/search', { body: body('descending'), headers: h });
		expect(desc.body.data[0].id).toBe(fx().dayEdge.nextDayStartId);
		const bad = await call(fake, 'POST', '/contacts/search', { body: body('desc'), headers: h });
		expect(bad.status).toBe(400);
		expect(bad.body.errors[0].code).toBe('invalid_sort_order');
	});
});

describe('POST /conversations/search and GET /conversations/{id}', () => {
	it('pages through more than 150 conversations of one contact, without parts', async () => {
		const ids: string[] = [];
		let startingAfter: string | undefined;
		for (;;) {
			const r = await call(fake, 'POST', '/conversations/search', {
				body: { query: { field: 'contact_ids', operator: '=', value: fx().manyConversationsContactId }, pagination: { per_page: 150, starting_after: startingAfter } },
			});
			expect(r.body.type).toBe('conversation.list');
			for (const c of r.body.conversations) expect(c.conversation_parts).toBeUndefined();
			ids.push(...r.body.conversations.map((c: { id: string }) => c.id));
			startingAfter = r.body.pages.next?.starting_after;
			if (!startingAfter) break;
		}
		expect(new Set(ids).size).toBe(fx().manyConversationsCount);
	});

	it('defaults to 20 per page', async () => {
		const r = await call(fake, 'POST', '/conversations/search', { body: { query: { field: 'contact_ids', operator: '=', value: fx().manyConversationsContactId } } });
		expect(r.body.conversations).toHaveLength(20);
		expect(r.body.total_count).toBe(fx().manyConversationsCount);
	});

	it('returns only the 500 most recent parts with the real total_count', async () => {
		const r = await call(fake, 'GET', `/conversations/${fx().longConversationId}`);
		const parts = r.body.conversation_parts;
		expect(parts.total_count).toBe(fx().longConversationPartCount);
		expect(parts.conversation_parts).toHaveLength(500);
		const all = fake.workspace.conversations.get(fx().longConversationId)!.parts;
		expect(parts.conversation_parts[499].id).toBe(all[all.length - 1].id);
		expect(parts.conversation_parts[0].id).toBe(all[all.length - 500].id);
	});

	it('renders bodies as plain text with display_as=plaintext', async () => {
		const r = await call(fake, 'GET', `/conversations/${fx().longConversationId}?display_as=plaintext`);
		expect(r.body.source.body).not.toContain('<p>');
	});

	it('deletes a conversation, then 404', async () => {
		const id = fx().longConversationId;
		expect((await call(fake, 'DELETE', `/conversations/${id}`)).body).toEqual({ id, object: 'conversation', deleted: true });
		expect((await call(fake, 'GET', `/conversations/${id}`)).status).toBe(404);
		fake.reset();
	});
});

describe('GET /conversations/deleted (2.16+)', () => {
	it('lists deleted conversation ids with metrics_retained from retain_metrics', async () => {
		fake.reset();
		const h = { 'intercom-version': '2.16' };
		const [a, b] = [...fake.workspace.conversations.keys()];
		await call(fake, 'DELETE', `/conversations/${a}`, { headers: h });
		await call(fake, 'DELETE', `/conversations/${b}?retain_metrics=false`, { headers: h });
		const r = await call(fake, 'GET', '/conversations/deleted?order=asc', { headers: h });
		expect(r.body.type).toBe('conversations.list');
		expect(r.body.total_count).toBe(2);
		expect(r.body.conversations.map((c: { id: string; metrics_retained: boolean }) => [c.id, c.metrics_retained])).toEqual([
			[a, true],
			[b, false],
		]);
		const paged = await call(fake, 'GET', '/conversations/deleted?per_page=1', { headers: h });
		expect(paged.body.pages).toMatchObject({ page: 1, per_page: 1, total_pages: 2, next: expect.stringContaining('page=2') });
		fake.reset();
	});

	it('is not available before 2.16', async () => {
		const r = await call(fake, 'GET', '/conversations/deleted', { headers: { 'intercom-version': '2.14' } });
		expect(r.status).toBe(400);
		expect(r.body.errors[0]).toEqual({ code: 'intercom_version_invalid', message: 'Requested resource is not available in current API version.' });
	});
});

describe('tickets', () => {
	it('searches by contact_ids, gets ticket_parts, deletes', async () => {
		const s = await call(fake, 'POST', '/tickets/search', { body: { query: { field: 'contact_ids', operator: '=', value: fx().ticketContactId } } });
		expect(s.body.tickets.map((t: { id: string }) => t.id)).toContain(fx().ticketId);
		const t = await call(fake, 'GET', `/tickets/${fx().ticketId}`);
		expect(t.body.ticket_parts.total_count).toBeGreaterThan(0);
		expect(t.body.contacts.contacts[0].id).toBe(fx().ticketContactId);
		expect((await call(fake, 'DELETE', `/tickets/${fx().ticketId}`)).body).toEqual({ id: fx().ticketId, object: 'ticket', deleted: true });
		expect((await call(fake, 'GET', `/tickets/${fx().ticketId}`)).status).toBe(404);
		fake.reset();
	});
});
