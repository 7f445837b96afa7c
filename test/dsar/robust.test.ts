// Point 8 of issue 11: a failing or hostile part of the export is a stated omission or a clear
// error, never a crashed process; after a failure (or the caller's cancel) no request goes out.
// Real HTTP to the fake Intercom through the real gateway.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIntercom, IntercomApiError } from '../../src/intercom';
import { startFakeIntercom, type FakeIntercom } from '../fake-intercom';
import { startRewritingProxy } from '../intercom/proxy';
import { addConversations, exportSubject } from './helpers';
import { describe as describeOmission } from '../../src/dsar/sections';

let fake: FakeIntercom;
const fx = () => fake.workspace.fixtures;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
	unhandled.push(reason);
};

beforeAll(async () => {
	fake = await startFakeIntercom({ rateLimitPerWindow: 100_000 });
	process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
	process.off('unhandledRejection', onUnhandled);
	await fake.close();
});
beforeEach(() => {
	fake.reset();
	unhandled.length = 0;
});
afterEach(() => expect(unhandled).toEqual([]));

/** Waits until the fake saw no new request for `quietMs`, then returns how many came after `from`. */
async function requestsAfter(from: number, quietMs = 400): Promise<number> {
	await sleep(quietMs);
	return fake.requests.length - from;
}

describe('a failure stops the whole export', () => {
	it('a conversation that fails while search pages are still loading: a clear error, no unhandled rejection, no request afterwards', async () => {
		addConversations(fake, fx().leadId, 3000); // 20 search pages of 150
		// Search pages are slow, so the conversation fetches of page 1 run while pages 2… still load.
		fake.failNext({ latencyMs: 60, pathPattern: '^/conversations/search$', count: 100 });
		fake.failNext({ status: 500, pathPattern: '^/conversations/\\d+$', count: 1 });
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, maxConcurrency: 8, maxRetries: 0 });
		const err = await exportSubject(gw, { contactId: fx().leadId }).catch((e: unknown) => e);
		const atRejection = fake.requests.length;
		expect(err).toBeInstanceOf(IntercomApiError);
		expect((err as IntercomApiError).status).toBe(500);
		expect(String((err as Error).message)).not.toMatch(/@/); // no personal data in the error
		expect(await requestsAfter(atRejection)).toBe(0);
		// It stopped early: far fewer than the 3000 conversation fetches and 20 search pages.
		expect(fake.requests.filter((r) => /^\/conversations\/\d+$/.test(r.path)).length).toBeLessThan(400);
		expect(fake.requests.filter((r) => r.path === '/conversations/search').length).toBeLessThan(20);
	});

	it('a section that fails (events 500 after the retries) cancels the conversation fetches still queued', async () => {
		addConversations(fake, fx().leadId, 1500);
		fake.failNext({ latencyMs: 30, pathPattern: '^/conversations/\\d+$', count: 10_000 });
		fake.failNext({ status: 500, pathPattern: '^/events$', count: 1 });
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, maxConcurrency: 4, maxRetries: 0 });
		const err = await exportSubject(gw, { contactId: fx().leadId }, { concurrency: 4 }).catch((e: unknown) => e);
		const atRejection = fake.requests.length;
		expect((err as IntercomApiError).status).toBe(500);
		expect(await requestsAfter(atRejection)).toBe(0);
		expect(fake.requests.filter((r) => /^\/conversations\/\d+$/.test(r.path)).length).toBeLessThan(200);
	});
});

describe('the caller can cancel (n8n stop button)', () => {
	it('stops every request when the signal fires, and rejects with a clear "aborted" error', async () => {
		addConversations(fake, fx().leadId, 1500);
		fake.failNext({ latencyMs: 20, pathPattern: '^/conversations/\\d+$', count: 10_000 });
		// Client side: when each request was handed to fetch (requests already on the wire when the
		// signal fires may still reach the server a moment later; none may START afterwards).
		const started: number[] = [];
		const recording: typeof fetch = (input, init) => {
			started.push(performance.now());
			return fetch(input, init);
		};
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, maxConcurrency: 4, fetch: recording });
		const stop = new AbortController();
		const run = exportSubject(gw, { contactId: fx().leadId }, { signal: stop.signal }).catch((e: unknown) => e);
		while (fake.requests.filter((r) => /^\/conversations\/\d+$/.test(r.path)).length < 20) await sleep(10);
		stop.abort();
		const abortedAt = performance.now();
		const err = await run;
		expect(err).toBeInstanceOf(IntercomApiError);
		expect((err as IntercomApiError).code).toBe('aborted');
		expect(started.filter((t) => t > abortedAt)).toEqual([]);
		const settled = fake.requests.length;
		// At most the few already on the wire (maxConcurrency 4) can still land, and nothing after them.
		expect(await requestsAfter(settled)).toBeLessThanOrEqual(4);
		const quiet = fake.requests.length;
		expect(await requestsAfter(quiet)).toBe(0);
		expect(fake.requests.filter((r) => /^\/conversations\/\d+$/.test(r.path)).length).toBeLessThan(200);
	});

	it('sends nothing at all when the signal has already fired', async () => {
		const stop = new AbortController();
		stop.abort();
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		await expect(exportSubject(gw, { email: fx().userEmail }, { signal: stop.signal })).rejects.toMatchObject({ code: 'aborted' });
		expect(fake.requests).toHaveLength(0);
	});
});

describe('downloads are bounded', () => {
	it('a stalled file body is cut after fileTimeoutMs and listed as an omission; the rest is exported', async () => {
		fake.failNext({ stallBody: true, pathPattern: '^/files/', count: 1 });
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, timeoutMs: 20_000 });
		const started = Date.now();
		const pkg = await exportSubject(gw, { contactId: fx().fileAttributeContactId }, { fileTimeoutMs: 700, includeAttachments: false });
		expect(Date.now() - started).toBeLessThan(10_000); // not the 20 s request timeout, nor forever
		expect(pkg.omissions).toContainEqual(expect.objectContaining({ section: 'files', itemId: fx().fileAttributeName, kind: 'file_not_fetched', reason: expect.stringMatching(/did not finish within 1 s/) }));
		expect(pkg.flags.incomplete).toBe(true);
		expect(pkg.contacts[0].files).toEqual([]);
		expect(pkg.attachments).toEqual([]);
		expect(pkg.counts.conversations + pkg.counts.tags).toBeGreaterThan(0);
	}, 15_000);

	it('a file URL the host refuses (403: expired) is a file not downloaded, not a permission of our account', async () => {
		fake.failNext({ status: 403, code: 'forbidden', pathPattern: '^/files/', count: 1 });
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		const pkg = await exportSubject(gw, { contactId: fx().fileAttributeContactId }, { includeAttachments: false });
		expect(pkg.omissions).toContainEqual(expect.objectContaining({ section: 'files', itemId: fx().fileAttributeName, kind: 'file_not_fetched', reason: expect.stringMatching(/expired \(403/) }));
	});

	it('a file larger than maxFileBytes is not taken, and says so', async () => {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		const pkg = await exportSubject(gw, { contactId: fx().fileAttributeContactId }, { maxFileBytes: 5, includeAttachments: false });
		expect(pkg.omissions).toContainEqual(expect.objectContaining({ section: 'files', kind: 'file_too_large', reason: expect.stringMatching(/larger than/) }));
		expect(pkg.attachments).toEqual([]);
	});
});

describe('an empty answer is a stated omission, never an empty record', () => {
	it.each([
		['null', 'null'],
		['no body at all', ''],
	])('GET /tickets/{id} answering 200 with %s: the ticket is listed as not included and the package is flagged incomplete', async (_label, body) => {
		const proxy = await startRewritingProxy(fake.url, (a, _n, req) => (req.method === 'GET' && /^\/tickets\/[^/]+$/.test(req.path) ? { ...a, status: 200, body } : a));
		try {
			const gw = createIntercom({ token: fake.token, baseUrl: proxy.url, maxRetries: 0 });
			const pkg = await exportSubject(gw, { contactId: fx().ticketContactId });
			expect(pkg.contacts[0].tickets.map((t) => t.data.id)).not.toContain(fx().ticketId);
			expect(pkg.omissions).toContainEqual(
				expect.objectContaining({ contactId: fx().ticketContactId, section: 'tickets', itemId: fx().ticketId, kind: 'intercom_error', reason: expect.stringMatching(/without the ticket/) }),
			);
			expect(pkg.flags.incomplete).toBe(true);
			// The rest of the contact is still exported.
			expect(pkg.contacts[0].profile.id).toBe(fx().ticketContactId);
		} finally {
			await proxy.close();
		}
	});
});

describe('why a section or item is missing, for the person (kind) and the operator (reason)', () => {
	it.each([
		[{ status: 403, code: 'api_plan_restricted' }, 'not_permitted', /plan does not include this API/],
		[{ status: 403, code: 'token_unauthorized' }, 'not_permitted', /lacks the permission/],
		[{ status: 404, code: 'not_found' }, 'gone', /no longer has it/],
		[{ status: 401 }, 'intercom_error', /not accepted/],
		[{ status: 500, message: 'Intercom answered 500' }, 'intercom_error', /500/],
		[new Error('socket hang up'), 'intercom_error', /socket hang up/],
	])('%o → %s', (error, kind, reason) => {
		expect(describeOmission(error)).toMatchObject({ kind, reason: expect.stringMatching(reason) });
	});
});
