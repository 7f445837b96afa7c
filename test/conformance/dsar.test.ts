// Every request exportSubject sends for a DSAR (profile, sub-lists, paged notes/companies, conversation
// and ticket search + get, events with pages.next and summary, /me) validated against Intercom's
// OpenAPI description of the version it asked for. File downloads (/files/… signed URLs) are not API
// operations and are left out; so are the fake's answers (tour.test.ts covers those).
import { describe, expect, it } from 'vitest';
import { exportSubject as exportRaw } from '../../src/dsar/index';

const exportSubject: typeof exportRaw = (gw, ref, opts) => exportRaw(gw, ref, { testMode: true, ...opts });
import { createIntercom } from '../../src/intercom/index';
import type { FakeIntercom } from '../fake-intercom/index';
import { validateAgainstSpec } from './openapi';
import { useFakeIntercom } from '../support/world';

describe.each(['2.14', '2.16'])('requests the DSAR export sends (Intercom-Version %s)', (apiVersion) => {
	let fake: FakeIntercom;
	useFakeIntercom({ seed: 7, rateLimitPerWindow: 100_000 }, (f) => (fake = f));

	it('match the request schemas of every operation they call', async () => {
		const fx = fake.workspace.fixtures;
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, apiVersion, maxConcurrency: 8 });
		await exportSubject(gw, { email: fx.sharedEmail });
		await exportSubject(gw, { email: fx.userEmail }); // file, ticket, events on two pages? (75 → one page of 150)
		await exportSubject(gw, { contactId: fx.mergedContactId });
		await exportSubject(gw, { contactId: fx.manyConversationsContactId }, { displayAs: 'plaintext' });
		await exportSubject(gw, { contactId: fx.manyTagsContactId });
		await exportSubject(gw, { externalId: fx.userExternalId });
		// CCPA reads the attribute definitions; the outbound option runs the content export job.
		await exportSubject(gw, { email: fx.userEmail }, { regime: 'ccpa', outbound: { include: true, since: '2020-01-01', wait: { initialIntervalMs: 5, maxIntervalMs: 10 } } });

		const api = fake.requests.filter((r) => !r.path.startsWith('/files/'));
		const ops = new Set(api.map((r) => `${r.method} ${r.path.replace(/\/[0-9a-f]{24}|\/\d+/g, '/{id}')}`));
		for (const op of [
			'GET /me',
			'GET /contacts/{id}',
			'POST /contacts/search',
			'GET /contacts/{id}/tags',
			'GET /contacts/{id}/segments',
			'GET /contacts/{id}/subscriptions',
			'GET /contacts/{id}/companies',
			'GET /contacts/{id}/notes',
			'POST /conversations/search',
			'GET /conversations/{id}',
			'POST /tickets/search',
			'GET /tickets/{id}',
			'GET /events',
			'GET /data_attributes',
			'POST /export/content/data',
		]) {
			expect(ops).toContain(op);
		}
		expect(api.some((r) => r.path === '/conversations/search' && (r.body as { pagination?: { starting_after?: string } }).pagination?.starting_after)).toBe(true);
		expect(api.some((r) => r.path.startsWith('/conversations/') && r.query.display_as === 'plaintext')).toBe(true);
		expect(api.some((r) => r.path === '/events' && r.query.summary === 'true')).toBe(true);
		expect(api.some((r) => r.path.startsWith('/export/content/data/'))).toBe(true);
		expect(api.some((r) => r.path.startsWith('/download/content/data/') && r.headers.accept === 'application/octet-stream')).toBe(true);

		const problems = api
			.map((entry) => ({ entry, result: validateAgainstSpec(entry) }))
			.filter(({ result }) => !result.ok)
			.map(({ entry, result }) => `${entry.method} ${entry.path} → ${result.errors.join('; ')}`);
		expect(problems).toEqual([]);
		for (const entry of api) expect(entry.headers['intercom-version']).toBe(apiVersion);
	});

	it('include events paging by the absolute pages.next URL', async () => {
		fake.reset();
		const fx = fake.workspace.fixtures;
		const now = Date.now();
		for (let i = 0; i < 160; i++) {
			fake.workspace.events.push({ id: `conf-ev-${i}`, contactId: fx.eventsContactId, eventName: 'conf', createdAtMs: now - 7_200_000 - i * 1000 - 3, metadata: {} });
		}
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, apiVersion });
		await exportSubject(gw, { contactId: fx.eventsContactId });
		const pages = fake.requests.filter((r) => r.path === '/events' && r.query.before !== undefined);
		expect(pages.length).toBeGreaterThan(0);
		for (const entry of pages) expect(validateAgainstSpec(entry).errors).toEqual([]);
	});
});
