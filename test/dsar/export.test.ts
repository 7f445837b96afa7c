// exportSubject against the fake Intercom, through the real gateway: every section, every contact of
// the person, paging, caps, missing permissions, faults, and input checks before any request.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createIntercom, IntercomApiError, IntercomInputError } from '../../src/intercom';
import { SubjectRefError } from '../../src/subject';
import { startFakeIntercom, type FakeIntercom } from '../fake-intercom';
import { addConversations, addEvents, canonical, exportSubject } from './helpers';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url, maxConcurrency: 8 });
const fx = () => fake.workspace.fixtures;
const paths = (re: RegExp) => fake.requests.filter((r) => re.test(`${r.method} ${r.path}`));

useFakeIntercom({ rateLimitPerWindow: 100_000 }, (f) => (fake = f), { reset: true });

describe('exportSubject: who is in the package', () => {
	it('exports the lead AND the user behind one email, in one package', async () => {
		const pkg = await exportSubject(gw(), { email: fx().sharedEmail });
		expect(pkg.subject).toMatchObject({ lookup: 'email', found: true });
		expect(pkg.contacts.map((c) => c.id).sort()).toEqual([fx().sharedEmailLeadId, fx().sharedEmailUserId].sort());
		expect(pkg.contacts.map((c) => c.role).sort()).toEqual(['lead', 'user']);
		expect(pkg.counts.contacts).toBe(2);
		// Each contact's own sub-resources were asked for.
		for (const id of [fx().sharedEmailLeadId, fx().sharedEmailUserId]) {
			expect(paths(new RegExp(`GET /contacts/${id}/tags`))).toHaveLength(1);
			expect(fake.requests.some((r) => r.path === '/events' && r.query.intercom_user_id === id && r.query.summary === 'true')).toBe(true);
		}
	});

	it('follows a merged contact (410 + Link) to the surviving one and says so', async () => {
		const pkg = await exportSubject(gw(), { contactId: fx().mergedContactId });
		expect(pkg.subject.mergedRedirects).toEqual([{ from: fx().mergedContactId, to: fx().mergedIntoId }]);
		expect(pkg.contacts.map((c) => c.id)).toEqual([fx().mergedIntoId]);
	});

	it('answers "no contact found" for an unknown person instead of failing', async () => {
		const pkg = await exportSubject(gw(), { email: fx().unknownEmail }, { requestId: 'REQ-1' });
		expect(pkg.subject.found).toBe(false);
		expect(pkg.contacts).toEqual([]);
		expect(pkg.counts.contacts).toBe(0);
		expect(pkg.requestId).toBe('REQ-1');
	});

	it('checks the subject and the options before any request', async () => {
		await expect(exportSubject(gw(), { email: 'not an email' })).rejects.toBeInstanceOf(SubjectRefError);
		await expect(exportSubject(gw(), { contactId: '123' })).rejects.toMatchObject({ field: 'contactId' });
		await expect(exportSubject(gw(), { email: fx().userEmail }, { requestId: '../etc/passwd' })).rejects.toMatchObject({ field: 'requestId' });
		await expect(exportSubject(gw(), { email: fx().userEmail }, { concurrency: 0 })).rejects.toBeInstanceOf(IntercomInputError);
		expect(fake.requests).toHaveLength(0);
	});
});

describe('exportSubject: what the package holds', () => {
	it('has the whole profile, the downloaded file attribute, workspace metadata and the Art. 15 block', async () => {
		const pkg = await exportSubject(gw(), { contactId: fx().fileAttributeContactId }, { art15: { retention: 'Two years after the last contact.' } });
		const [c] = pkg.contacts;
		expect(c.profile).toMatchObject({ type: 'contact', id: fx().fileAttributeContactId });
		for (const key of ['custom_attributes', 'location', 'social_profiles', 'avatar', 'email', 'name']) expect(c.profile).toHaveProperty(key);
		const record = fake.workspace.contacts.get(fx().fileAttributeContactId)!;
		const file = record.customAttributes[fx().fileAttributeName] as { content: string; name: string };
		const attrFiles = c.files.filter((f) => f.source !== 'attachment');
		expect(attrFiles).toHaveLength(1);
		expect(attrFiles[0]).toMatchObject({ attribute: fx().fileAttributeName, size: Buffer.byteLength(file.content) });
		expect(attrFiles[0].sha256).toBe(createHash('sha256').update(file.content).digest('hex'));
		const bytes = pkg.attachments.find((a) => a.path === attrFiles[0].path)!;
		expect(Buffer.from(bytes.data).toString('utf8')).toBe(file.content);
		expect(pkg.workspace).toEqual({ appIdCode: fx().appIdCode, region: 'US', apiVersion: '2.14', host: new URL(fake.url).host });
		expect(pkg.art15.retention).toBe('Two years after the last contact.');
		expect(pkg.art15.purposes.length).toBeGreaterThan(20); // default kept
		expect(pkg.statements.join(' ')).toMatch(/last 90 days/);
		expect(pkg.statements.join(' ')).toMatch(/only subscriptions you explicitly opted in to or out of/);
	});

	it('leaves file attributes out when asked to, and keeps only a link for files on another host', async () => {
		const off = await exportSubject(gw(), { contactId: fx().fileAttributeContactId }, { includeFiles: false, includeAttachments: false });
		expect(off.contacts[0].files).toEqual([]);
		expect(paths(/^GET \/files\//)).toHaveLength(0);

		fake.reset();
		const rec = fake.workspace.contacts.get(fx().fileAttributeContactId)!;
		const other = createIntercom({ token: fake.token, baseUrl: fake.url.replace('127.0.0.1', 'localhost') });
		const pkg = await exportSubject(other, { contactId: rec.id });
		expect(pkg.contacts[0].files).toEqual([]);
		expect(pkg.omissions).toContainEqual(expect.objectContaining({ section: 'files', itemId: fx().fileAttributeName, reason: expect.stringMatching(/not one of Intercom's file hosts/) }));
		expect(paths(/^GET \/files\//)).toHaveLength(0);
	});

	it('has every tag, note and company (more than the 10 embedded), paging notes and companies to the end', async () => {
		const id = fx().manyTagsContactId;
		// 61 notes: two pages of 50 on the page-number endpoint.
		const ws = fake.workspace;
		const rec = ws.contacts.get(id)!;
		for (let i = 0; i < 48; i++) {
			const noteId = `note-extra-${i}`;
			ws.notes.set(noteId, { id: noteId, contactId: id, createdAt: 1_700_000_000 + i, authorAdminId: ws.admins[0].id, body: `<p>extra ${i}</p>` });
			rec.noteIds.push(noteId);
		}
		const pkg = await exportSubject(gw(), { contactId: id });
		expect(pkg.counts.tags).toBe(fx().manyTagsCount);
		expect(pkg.counts.companies).toBe(fx().manyCompaniesCount);
		expect(pkg.counts.notes).toBe(fx().manyNotesCount + 48);
		expect(new Set(pkg.contacts[0].notes.map((n) => n.id)).size).toBe(fx().manyNotesCount + 48);
		expect(paths(/GET \/contacts\/[^/]+\/notes$/).map((r) => r.query.page)).toEqual(['1', '2']);
		expect(pkg.contacts[0].subscriptions.length).toBeGreaterThanOrEqual(0);
	});

	it('pages the conversation search to the end (150 per page) and fetches each conversation in full', async () => {
		const pkg = await exportSubject(gw(), { contactId: fx().manyConversationsContactId });
		expect(pkg.counts.conversations).toBe(fx().manyConversationsCount);
		const searches = paths(/^POST \/conversations\/search$/);
		expect(searches).toHaveLength(2);
		expect(searches.map((r) => (r.body as { pagination: { per_page: number } }).pagination.per_page)).toEqual([150, 150]);
		expect((searches[1].body as { pagination: { starting_after?: string } }).pagination.starting_after).toBeTruthy();
		expect(paths(/^GET \/conversations\/\d+$/)).toHaveLength(fx().manyConversationsCount);
		for (const t of pkg.contacts[0].conversations) {
			expect(t.data).toHaveProperty('conversation_parts');
			expect(t.data).toHaveProperty('source');
		}
		expect(new Set(pkg.contacts[0].conversations.map((t) => t.data.id)).size).toBe(fx().manyConversationsCount);
	});

	it('flags a conversation with more than 500 parts', async () => {
		const pkg = await exportSubject(gw(), { contactId: fx().longConversationContactId });
		const long = pkg.contacts[0].conversations.find((t) => t.data.id === fx().longConversationId)!;
		expect(long).toMatchObject({ partsReturned: 500, partsTotal: fx().longConversationPartCount, truncated: true });
		expect(pkg.flags.truncatedConversations).toEqual([fx().longConversationId]);
	});

	it('has tickets with their parts, found by /tickets/search on contact_ids', async () => {
		const pkg = await exportSubject(gw(), { contactId: fx().ticketContactId });
		const ticket = pkg.contacts[0].tickets.find((t) => t.data.id === fx().ticketId)!;
		expect(ticket.partsReturned).toBeGreaterThan(0);
		expect(ticket.truncated).toBe(false);
		const search = paths(/^POST \/tickets\/search$/)[0];
		expect(search.body).toMatchObject({ query: { field: 'contact_ids', operator: '=', value: fx().ticketContactId } });
	});

	it('lists data events over several pages (absolute pages.next) and adds the all-time summary', async () => {
		addEvents(fake, fx().eventsContactId, 200);
		const pkg = await exportSubject(gw(), { contactId: fx().eventsContactId });
		const listed = fx().recentEventCount + 200;
		expect(pkg.counts.events).toBe(listed);
		expect(new Set(pkg.contacts[0].events.listed.map((e) => e.id)).size).toBe(listed);
		expect(pkg.counts.eventsTotal).toBe(listed + fx().oldEventCount);
		const pages = fake.requests.filter((r) => r.path === '/events' && r.query.summary === undefined);
		expect(pages.length).toBe(Math.ceil(listed / 150));
		expect(pages.slice(1).every((r) => r.query.before !== undefined && r.query.type === 'user')).toBe(true);
	});

	it('stops the event listing with a stated omission when paging points at another host, before the token is sent there', async () => {
		addEvents(fake, fx().eventsContactId, 200);
		const seen: string[] = [];
		// A man in the middle (or a bug) rewrites pages.next to another host.
		const rewriting: typeof fetch = async (input, init) => {
			const url = String(input);
			seen.push(url);
			const res = await fetch(input, init);
			if (!/\/events\?/.test(url) || url.includes('summary=true')) return res;
			const body = (await res.json()) as { pages?: { next?: string } };
			if (body.pages?.next) body.pages.next = body.pages.next.replace(fake.url, 'https://elsewhere.example');
			return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
		};
		const local = createIntercom({ token: fake.token, baseUrl: fake.url, fetch: rewriting });
		const pkg = await exportSubject(local, { contactId: fx().eventsContactId });
		expect(pkg.omissions).toContainEqual(expect.objectContaining({ section: 'events', kind: 'listing_stopped', reason: expect.stringMatching(/another host \(elsewhere\.example\)/) }));
		expect(pkg.flags.incomplete).toBe(true);
		expect(pkg.counts.events).toBe(150); // the first page is kept
		expect(pkg.counts.eventsTotal).toBe(fx().recentEventCount + 200 + fx().oldEventCount); // the summary still counts all
		expect(pkg.counts.conversations).toBeGreaterThan(0); // the rest of the export is there
		expect(seen.some((u) => u.includes('/events?'))).toBe(true);
		expect(seen.some((u) => u.includes('elsewhere.example'))).toBe(false);
	});
});

describe('exportSubject: missing permissions and faults', () => {
	it('exports the rest and names the section when tickets need the "Read tickets" scope', async () => {
		fake.failNext({ status: 403, code: 'forbidden', pathPattern: '^/tickets', count: 10 });
		const pkg = await exportSubject(gw(), { contactId: fx().ticketContactId });
		expect(pkg.contacts[0].tickets).toEqual([]);
		expect(pkg.omissions).toEqual([
			expect.objectContaining({ contactId: fx().ticketContactId, section: 'tickets', status: 403, reason: expect.stringMatching(/Read tickets/) }),
		]);
		expect(pkg.flags.incomplete).toBe(true);
		expect(pkg.counts.conversations).toBeGreaterThan(0);
	});

	it('says which conversation the plan does not allow (403 api_plan_restricted) and keeps the others', async () => {
		const all = await exportSubject(gw(), { contactId: fx().userId });
		fake.failNext({ status: 403, code: 'api_plan_restricted', pathPattern: '^/conversations/\\d+$', count: 1 });
		const pkg = await exportSubject(gw(), { contactId: fx().userId }, { concurrency: 1 });
		expect(pkg.counts.conversations).toBe(all.counts.conversations - 1);
		expect(pkg.counts.tickets).toBe(all.counts.tickets);
		expect(pkg.omissions).toHaveLength(1);
		expect(pkg.omissions[0]).toMatchObject({ section: 'conversations', code: 'api_plan_restricted', kind: 'not_permitted', reason: expect.stringMatching(/plan/) });
		expect(typeof pkg.omissions[0].itemId).toBe('string');
	});

	it('fails instead when asked to', async () => {
		fake.failNext({ status: 403, code: 'forbidden', pathPattern: '^/tickets', count: 10 });
		const err = await exportSubject(gw(), { contactId: fx().ticketContactId }, { onRestricted: 'fail' }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(IntercomApiError);
		expect((err as IntercomApiError).status).toBe(403);
	});

	it('rejects a bad token with a 401 error, not a package', async () => {
		const bad = createIntercom({ token: 'wrong', baseUrl: fake.url });
		await expect(exportSubject(bad, { email: fx().userEmail })).rejects.toMatchObject({ status: 401 });
	});

	it('absorbs 429, 5xx and connection resets: the export equals the fault-free one', async () => {
		// Own fake with 1-second windows: an injected 429 makes the gateway wait for the window reset.
		const local = await startFakeIntercom({ windowSeconds: 1 });
		try {
			const lgw = createIntercom({ token: local.token, baseUrl: local.url, maxConcurrency: 8 });
			const ref = { email: local.workspace.fixtures.userEmail };
			const opts = { requestId: 'R-1' };
			const clean = canonical(await exportSubject(lgw, ref, opts));
			const cleanCount = local.requests.length;
			local.failNext({ status: 429, count: 2 });
			local.failNext({ status: 500, pathPattern: '^/conversations/\\d+$', count: 2 });
			local.failNext({ status: 503, pathPattern: '^/events$', count: 1 });
			local.failNext({ status: 502, pathPattern: '^/conversations/search$', count: 1 });
			local.failNext({ reset: true, pathPattern: '/tags$', count: 1 });
			local.failNext({ status: 500, pathPattern: '^/tickets/', count: 1 });
			local.failNext({ reset: true, pathPattern: '^/files/', count: 1 });
			local.failNext({ status: 500, pathPattern: '/notes$', count: 1 });
			const faulty = canonical(await exportSubject(lgw, ref, opts));
			const second = local.requests.slice(cleanCount);
			expect(second.filter((r) => r.status === 0 || r.status >= 429).length).toBe(10); // every fault happened
			expect(second.length).toBe(cleanCount + 10); // and each was retried once
			expect(faulty).toBe(clean);
		} finally {
			await local.close();
		}
	}, 30_000);
});

describe('exportSubject: large contacts', () => {
	it('exports a contact with 5,000 conversations completely', async () => {
		const ids = addConversations(fake, fx().leadId, 5000);
		const pkg = await exportSubject(createIntercom({ token: fake.token, baseUrl: fake.url, maxConcurrency: 16 }), { contactId: fx().leadId });
		const got = new Set(pkg.contacts[0].conversations.map((t) => String(t.data.id)));
		for (const id of ids) expect(got.has(id)).toBe(true);
		expect(paths(/^POST \/conversations\/search$/)).toHaveLength(Math.ceil(got.size / 150));
	}, 120_000); // a guard against a hang, not a speed check (`npm run bench dsar` measures speed)
});
