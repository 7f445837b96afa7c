// Drives the core gateway (src/intercom) against the fake and validates every request it sent
// against the OpenAPI description of the version it asked for.

import { describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom/index';
import type { FakeIntercom } from '../fake-intercom/index';
import { validateAgainstSpec } from './openapi';
import { useFakeIntercom } from '../support/world';

describe.each(['2.14', '2.16'])('requests the core gateway sends (Intercom-Version %s)', (apiVersion) => {
	let fake: FakeIntercom;
	useFakeIntercom({ seed: 5 }, (f) => (fake = f));

	it('match the request schemas of every operation they call', async () => {
		const fx = fake.workspace.fixtures;
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, apiVersion });

		expect((await gw.me()).app?.id_code).toBe(fx.appIdCode);
		expect((await gw.getContact(fx.userId)).status).toBe('found');
		expect(await gw.getContact(fx.unknownContactId)).toEqual({ status: 'not_found' });
		expect(await gw.getContact(fx.mergedContactId)).toEqual({ status: 'merged', canonicalId: fx.mergedIntoId });
		expect((await gw.getContactByExternalId(fx.userExternalId)).status).toBe('found');

		const shared = [];
		for await (const c of gw.searchContacts({ field: 'email', operator: '=', value: fx.sharedEmail }, { perPage: 1 })) shared.push(c.id);
		expect(shared.sort()).toEqual([fx.sharedEmailLeadId, fx.sharedEmailUserId].sort());
		const page = await gw.searchContactsPage(
			{ operator: 'AND', value: [{ field: 'role', operator: '=', value: 'user' }, { field: 'created_at', operator: '>', value: fx.dayEdge.dayStart }] },
			{ perPage: 10 },
		);
		expect(page.contacts).toHaveLength(10);
		await gw.searchContactsPage({ field: 'role', operator: '=', value: 'user' }, { perPage: 10, startingAfter: page.next });

		await gw.call('contacts.listAttachedTags', (sdk, req) => sdk.contacts.listAttachedTags({ contact_id: fx.manyTagsContactId }, req));
		await gw.call('contacts.listAttachedSegments', (sdk, req) => sdk.contacts.listAttachedSegments({ contact_id: fx.userId }, req));
		await gw.call('contacts.listAttachedSubscriptions', (sdk, req) => sdk.contacts.listAttachedSubscriptions({ contact_id: fx.userId }, req));
		await gw.call('contacts.listAttachedCompanies', (sdk, req) => sdk.contacts.listAttachedCompanies({ contact_id: fx.manyTagsContactId }, req));
		await gw.call('notes.list', (sdk, req) => sdk.notes.list({ contact_id: fx.manyTagsContactId }, req));
		await gw.call('conversations.search', (sdk, req) =>
			sdk.conversations.search({ query: { field: 'contact_ids', operator: '=', value: fx.userId }, pagination: { per_page: 150 } }, req),
		);
		await gw.call('conversations.find', (sdk, req) => sdk.conversations.find({ conversation_id: fx.longConversationId, display_as: 'plaintext' }, req));
		await gw.call('tickets.search', (sdk, req) => sdk.tickets.search({ query: { field: 'contact_ids', operator: '=', value: fx.userId } }, req));
		await gw.call('tickets.get', (sdk, req) => sdk.tickets.get({ ticket_id: fx.ticketId }, req));
		await gw.call('events.list', (sdk, req) => sdk.events.list({ type: 'user', intercom_user_id: fx.userId, per_page: 20 }, req));
		await gw.request('GET', '/events', { query: { type: 'user', intercom_user_id: fx.userId, summary: true } });

		const now = Math.floor(Date.now() / 1000);
		const job = await gw.call('dataExport.create', (sdk, req) => sdk.dataExport.create({ created_at_after: now - 90 * 86_400, created_at_before: now }, req));
		await gw.call('dataExport.find', (sdk, req) => sdk.dataExport.find({ job_identifier: job.job_identifier as string }, req));
		const done = await gw.call('dataExport.find', (sdk, req) => sdk.dataExport.find({ job_identifier: job.job_identifier as string }, req));
		expect(done.status).toBe('completed');
		const dl = await gw.download(done.download_url as string);
		await dl.body.cancel();
		const second = await gw.call('dataExport.create', (sdk, req) => sdk.dataExport.create({ created_at_after: now - 86_400, created_at_before: now }, req));
		await gw.call('dataExport.cancel', (sdk, req) => sdk.dataExport.cancel({ job_identifier: second.job_identifier as string }, req));

		expect(fake.requests.length).toBeGreaterThan(20);
		const problems = fake.requests
			.map((entry) => ({ entry, result: validateAgainstSpec(entry) }))
			.filter(({ result }) => !result.ok)
			.map(({ entry, result }) => `${entry.method} ${entry.path} → ${result.errors.join('; ')}`);
		expect(problems).toEqual([]);
		for (const entry of fake.requests) {
			expect(entry.headers['intercom-version']).toBe(apiVersion);
			expect(entry.headers.authorization).toBe(`Bearer ${fake.token}`);
		}
	});
});
