// A scripted tour of every endpoint the fake serves, happy paths and documented errors, in API
// versions 2.14 and 2.16: each response body is validated against the operation's response schema
// for that status, and each request we sent against the operation's request schema.

import { describe, expect, it } from 'vitest';
import type { FakeIntercom } from '../fake-intercom/index';
import { call, type Json } from '../fake-intercom/testing';
import { QUIRKS } from './quirks';
import { usedQuirks, validateRequest, validateResponse, type SpecVersion } from './openapi';
import { useFakeIntercom } from '../support/world';

const versions: SpecVersion[] = ['2.14', '2.16'];

describe.each(versions)('fake Intercom against the OpenAPI %s description', (version) => {
	let fake: FakeIntercom;
	useFakeIntercom({ seed: 3 }, (f) => (fake = f));

	const fx = () => fake.workspace.fixtures;

	/** One request/response, both validated; returns the parsed body. */
	async function exchange(
		method: string,
		url: string,
		expectStatus: number,
		opts: { body?: unknown; headers?: Record<string, string>; token?: string | null; checkRequest?: boolean } = {},
	): Promise<Json> {
		const before = fake.requests.length;
		const r = await call(fake, method, url, { body: opts.body, token: opts.token, headers: { 'intercom-version': version, ...(opts.headers ?? {}) } });
		const label = `${method} ${url} (${version})`;
		expect(r.status, `${label}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(expectStatus);
		const path = new URL(url, fake.url).pathname;
		const resp = validateResponse({ method, path, status: r.status, body: r.body }, version);
		expect(resp.errors, `${label} response vs ${resp.checkedAgainst}`).toEqual([]);
		expect(resp.ok, label).toBe(true);
		const logged = fake.requests[before];
		expect(logged.path).toBe(path);
		if (opts.checkRequest !== false) {
			const req = validateRequest(logged, version);
			expect(req.errors, `${label} request`).toEqual([]);
		}
		return r.body;
	}

	it('GET /data_attributes (contact, company; a set label and description)', async () => {
		const c = [...fake.workspace.contacts.values()].find((x) => Object.keys(x.customAttributes).length > 0)!;
		const name = Object.keys(c.customAttributes)[0];
		fake.workspace.dataAttributeDefinitions = new Map([[name, { label: 'Passport number', description: 'Scanned at sign-up' }]]);
		const contact = await exchange('GET', '/data_attributes?model=contact', 200);
		const defs = (contact as { data: Array<Record<string, unknown>> }).data;
		expect(defs.find((d) => d.name === name)).toMatchObject({ type: 'data_attribute', model: 'contact', custom: true, label: 'Passport number', description: 'Scanned at sign-up', full_name: `custom_attributes.${name}` });
		expect(defs.find((d) => d.name === 'email')).toMatchObject({ custom: false });
		await exchange('GET', '/data_attributes?model=company', 200);
		await exchange('GET', '/data_attributes', 401, { token: 'not-the-token' });
		fake.workspace.dataAttributeDefinitions = undefined;
	});

	it('GET /me', async () => {
		const me = await exchange('GET', '/me', 200);
		expect(me.app.id_code).toBe(fx().appIdCode);
		await exchange('GET', '/me', 401, { token: 'not-the-token' });
	});

	it('GET /contacts with cursor pagination', async () => {
		const first = await exchange('GET', '/contacts?per_page=5', 200);
		await exchange('GET', `/contacts?per_page=5&starting_after=${first.pages.next.starting_after}`, 200);
		await exchange('GET', '/contacts?per_page=500', 400);
	});

	it('POST /contacts/search', async () => {
		await exchange('POST', '/contacts/search', 200, { body: { query: { field: 'email', operator: '=', value: fx().sharedEmail } } });
		const page1 = await exchange('POST', '/contacts/search', 200, {
			body: {
				query: {
					operator: 'AND',
					value: [
						{ field: 'role', operator: 'IN', value: ['user', 'lead'] },
						{ operator: 'OR', value: [{ field: 'created_at', operator: '>', value: fx().dayEdge.dayStart }, { field: 'email', operator: '$', value: '@example.org' }] },
					],
				},
				pagination: { per_page: 2 },
			},
		});
		await exchange('POST', '/contacts/search', 200, {
			body: { query: { field: 'created_at', operator: '>', value: fx().dayEdge.dayStart }, pagination: { per_page: 2, starting_after: page1.pages.next.starting_after } },
		});
		const tooDeep = { operator: 'AND', value: [{ operator: 'OR', value: [{ operator: 'AND', value: [{ field: 'role', operator: '=', value: 'user' }] }] }] };
		await exchange('POST', '/contacts/search', 400, { body: { query: tooDeep } });
		await exchange('POST', '/contacts/search', 400, { body: { query: { field: 'created_at', operator: '>=', value: fx().dayEdge.dayStart } } });
	});

	it('GET /contacts/{id}: found, unknown (404), merged (410 + Link)', async () => {
		await exchange('GET', `/contacts/${fx().userId}`, 200);
		await exchange('GET', `/contacts/${fx().archivedContactId}`, 200);
		await exchange('GET', `/contacts/${fx().unknownContactId}`, 404);
		await exchange('GET', `/contacts/${fx().mergedContactId}`, 410);
	});

	it('GET /contacts/find_by_external_id/{external_id}', async () => {
		await exchange('GET', `/contacts/find_by_external_id/${fx().userExternalId}`, 200);
		await exchange('GET', `/contacts/find_by_external_id/${fx().unknownExternalId}`, 404);
		await exchange('GET', `/contacts/find_by_external_id/${fx().mergedExternalId}`, 410);
	});

	it('contact sub-lists: tags, segments, subscriptions, companies, notes', async () => {
		const id = fx().manyTagsContactId;
		for (const sub of ['tags', 'segments', 'subscriptions', 'companies', 'notes']) {
			await exchange('GET', `/contacts/${id}/${sub}`, 200);
			await exchange('GET', `/contacts/${fx().unknownContactId}/${sub}`, 404);
		}
		await exchange('GET', `/contacts/${id}/companies?page=2&per_page=5`, 200);
		await exchange('GET', `/contacts/${fx().userId}/subscriptions`, 200);
		await exchange('GET', `/contacts/${fx().userId}/segments`, 200);
	});

	it('archive and unarchive', async () => {
		await exchange('POST', `/contacts/${fx().leadId}/archive`, 200);
		await exchange('POST', `/contacts/${fx().leadId}/unarchive`, 200);
		await exchange('POST', `/contacts/${fx().unknownContactId}/archive`, 404);
		await exchange('POST', `/contacts/${fx().unknownContactId}/unarchive`, 404);
	});

	it('conversations: search, get (with parts, plaintext), unknown', async () => {
		const s = await exchange('POST', '/conversations/search', 200, {
			body: { query: { field: 'contact_ids', operator: '=', value: fx().manyConversationsContactId }, pagination: { per_page: 150 } },
		});
		await exchange('POST', '/conversations/search', 200, {
			body: { query: { field: 'contact_ids', operator: '=', value: fx().manyConversationsContactId }, pagination: { per_page: 150, starting_after: s.pages.next.starting_after } },
		});
		await exchange('GET', `/conversations/${fx().longConversationId}`, 200);
		await exchange('GET', `/conversations/${fx().longConversationId}?display_as=plaintext`, 200);
		for (const c of s.conversations.slice(0, 3)) await exchange('GET', `/conversations/${c.id}`, 200);
		await exchange('GET', `/conversations/${fx().attachmentConversationId}`, 200);
		await exchange('GET', '/conversations/999999999999', 404);
	});

	it('tickets: search, get, unknown', async () => {
		const s = await exchange('POST', '/tickets/search', 200, { body: { query: { field: 'contact_ids', operator: '=', value: fx().ticketContactId } } });
		expect(s.tickets.length).toBeGreaterThan(0);
		await exchange('GET', `/tickets/${fx().ticketId}`, 200);
		const all = await exchange('POST', '/tickets/search', 200, { body: { query: { field: 'open', operator: '=', value: true } } });
		for (const t of all.tickets.slice(0, 5)) await exchange('GET', `/tickets/${t.id}`, 200);
		await exchange('GET', '/tickets/999999999999', 404);
	});

	it('events: list pages, summary, missing type', async () => {
		const page = await exchange('GET', `/events?type=user&intercom_user_id=${fx().userId}&per_page=50`, 200);
		await exchange('GET', page.pages.next, 200);
		await exchange('GET', `/events?type=user&user_id=${fx().userExternalId}&summary=true`, 200);
		await exchange('GET', `/events?type=user&email=${encodeURIComponent(fx().sharedEmail)}`, 200);
		await exchange('GET', `/events?intercom_user_id=${fx().userId}`, 400, { checkRequest: false });
	});

	it('content export: create, one-at-a-time 429, status, download, cancel, unknown', async () => {
		const now = Math.floor(Date.now() / 1000);
		const body = { created_at_after: now - 200 * 86_400, created_at_before: now };
		const job = await exchange('POST', '/export/content/data', 200, { body });
		await exchange('POST', '/export/content/data', 429, { body });
		await exchange('GET', `/export/content/data/${job.job_identifier}`, 200);
		const done = await exchange('GET', `/export/content/data/${job.job_identifier}`, 200);
		expect(done.status).toBe('completed');
		await exchange('GET', `/download/content/data/${job.job_identifier}`, 406);
		const res = await fetch(done.download_url, { headers: { authorization: `Bearer ${fake.token}`, accept: 'application/octet-stream', 'intercom-version': version } });
		expect(res.status).toBe(200);
		const bytes = Buffer.from(await res.arrayBuffer());
		expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // gzip magic
		const dl = validateResponse({ method: 'GET', path: new URL(done.download_url).pathname, status: 200, body: null }, version);
		expect(dl.checkedAgainst).toContain('no JSON schema');
		const second = await exchange('POST', '/export/content/data', 200, { body });
		await exchange('POST', `/export/cancel/${second.job_identifier}`, 200);
		await exchange('GET', '/export/content/data/nosuchjob', 404);
		await exchange('POST', '/export/cancel/nosuchjob', 404);
		await exchange('GET', '/download/content/data/nosuchjob', 404, { headers: { accept: 'application/octet-stream' } });
	});

	it('reporting export: datasets, enqueue, status, download, errors', async () => {
		await exchange('GET', '/export/reporting_data/get_datasets', 200);
		const now = Math.floor(Date.now() / 1000);
		const job = await exchange('POST', '/export/reporting_data/enqueue', 200, {
			body: { dataset_id: 'conversation', attribute_ids: ['conversation_id', 'conversation_started_at'], start_time: now - 400 * 86_400, end_time: now },
		});
		await exchange('POST', '/export/reporting_data/enqueue', 400, { body: { dataset_id: 'imaginary', attribute_ids: ['x'], start_time: 1, end_time: 2 } });
		const q = `app_id=${fx().appIdCode}&client_id=conformance&job_identifier=${job.job_identifier}`;
		await exchange('GET', `/export/reporting_data/${job.job_identifier}?${q}`, 200);
		await exchange('GET', `/export/reporting_data/${job.job_identifier}?${q}`, 200);
		await exchange('GET', `/export/reporting_data/nosuchjob?app_id=${fx().appIdCode}&client_id=c&job_identifier=nosuchjob`, 404);
		await exchange('GET', `/export/reporting_data/${job.job_identifier}?client_id=c&job_identifier=${job.job_identifier}`, 400, { checkRequest: false });
		await exchange('GET', `/download/reporting_data/${job.job_identifier}?app_id=${fx().appIdCode}&job_identifier=${job.job_identifier}`, 406, { checkRequest: false });
		const res = await fetch(`${fake.url}/download/reporting_data/${job.job_identifier}?app_id=${fx().appIdCode}&job_identifier=${job.job_identifier}`, {
			headers: { authorization: `Bearer ${fake.token}`, accept: 'application/octet-stream' },
		});
		expect(res.status).toBe(200);
		expect(validateRequest(fake.requests[fake.requests.length - 1], version).errors).toEqual([]);
	});

	it('POST /conversations/redact: a part, the source, unknown ids (404), a missing id (400)', async () => {
		const conv = fake.workspace.conversations.get(fx().groupConversationId)!;
		const part = conv.parts.find((p) => p.author.type !== 'admin' && p.body)!;
		const redacted = await exchange('POST', '/conversations/redact', 200, { body: { type: 'conversation_part', conversation_id: conv.id, conversation_part_id: part.id } });
		expect(redacted.conversation_parts.conversation_parts.find((p: Json) => p.id === part.id)).toMatchObject({ redacted: true });
		const source = await exchange('POST', '/conversations/redact', 200, { body: { type: 'source', conversation_id: conv.id, source_id: `${conv.id}0` } });
		expect(source.source.redacted).toBe(true);
		await exchange('POST', '/conversations/redact', 404, { body: { type: 'conversation_part', conversation_id: conv.id, conversation_part_id: '1' } });
		await exchange('POST', '/conversations/redact', 400, { body: { type: 'source', conversation_id: conv.id }, checkRequest: false });
	});

	it('deletes: conversation, ticket, contact (then 404)', async () => {
		await exchange('DELETE', `/conversations/${fx().longConversationId}`, 200);
		await exchange('DELETE', `/conversations/${fx().longConversationId}`, 404);
		if (version === '2.16') {
			await exchange('DELETE', `/conversations/${fx().attachmentConversationId}?retain_metrics=false`, 200);
			const deleted = await exchange('GET', '/conversations/deleted?per_page=1&order=desc', 200);
			expect(deleted.total_count).toBe(2);
		} else {
			// Not in the 2.14 description at all; the fake answers as 2.16 documents for older versions.
			const r = await call(fake, 'GET', '/conversations/deleted', { headers: { 'intercom-version': version } });
			expect(r.status).toBe(400);
			expect(validateResponse({ method: 'GET', path: '/conversations/deleted', status: 400, body: r.body }, '2.16').errors).toEqual([]);
		}
		await exchange('DELETE', `/tickets/${fx().ticketId}`, 200);
		await exchange('DELETE', `/tickets/${fx().ticketId}`, 404);
		await exchange('DELETE', `/contacts/${fx().userId}`, 200);
		await exchange('DELETE', `/contacts/${fx().userId}`, 404);
		// A conversation that outlived one of its participants still has the right shape.
		await exchange('GET', `/conversations/${fx().groupConversationId}`, 200);
		const other = [...fake.workspace.tickets.values()].find((t) => t.id !== fx().ticketId && t.contactIds.length === 1);
		expect(other).toBeDefined();
		await exchange('DELETE', `/contacts/${other!.contactIds[0]}`, 200);
		const orphan = await exchange('GET', `/tickets/${other!.id}`, 200);
		expect(orphan.contacts.contacts).toEqual([]);
	});

	it('rate limit, injected server errors and an invalid version header', async () => {
		fake.squeezeRateLimit(0);
		await exchange('GET', '/me', 429);
		fake.reset();
		fake.failNext({ status: 503 });
		await exchange('GET', `/contacts/${fx().userId}`, 503);
		await exchange('GET', '/me', 400, { headers: { 'intercom-version': '9.9' }, checkRequest: false });
		// The request validator itself must notice the bad header.
		const bad = validateRequest(fake.requests[fake.requests.length - 1], version);
		expect(bad.ok).toBe(false);
		expect(bad.errors.join(' ')).toContain('Intercom-Version');
	});
});

describe('quirk bookkeeping', () => {
	it('every response quirk listed in quirks.ts was needed by the tour', () => {
		const listed = QUIRKS.filter((q) => q.kind === 'response').map((q) => q.id).sort();
		expect([...usedQuirks].filter((id) => listed.includes(id)).sort()).toEqual(listed);
	});
});
