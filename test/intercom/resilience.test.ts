// Pacing against the rate limit, retries, timeouts: counted in the fake's request log, never timed.
import { describe, expect, it } from 'vitest';
import { IntercomApiError } from '../../src/intercom';
import { count429, rejectionOf, statuses, useFake } from './helpers';

// Short windows keep the suite fast; Intercom's are 10 s.
const h = useFake({ windowSeconds: 1 });

describe('pacing', () => {
	it('50 parallel calls against 20 per window: all succeed, no 429 at all', async () => {
		h.fake.squeezeRateLimit(20);
		const gw = h.gw({ maxConcurrency: 8 });
		const ids = [...h.fake.workspace.contacts.keys()].slice(0, 50);
		const results = await Promise.all(ids.map((id) => gw.getContact(id)));
		expect(results.every((r) => r.status === 'found')).toBe(true);
		expect(h.fake.requests).toHaveLength(50);
		expect(count429(h.fake.requests)).toBe(0);
	});

	it('also paces when the squeeze is tighter than the concurrency', async () => {
		h.fake.squeezeRateLimit(3);
		const gw = h.gw({ maxConcurrency: 8 });
		await gw.me(); // learn the window
		const results = await Promise.all(Array.from({ length: 5 }, () => gw.me()));
		expect(results).toHaveLength(5);
		expect(count429(h.fake.requests)).toBe(0);
	});

	it('never has more than maxConcurrency requests in flight', async () => {
		let inFlight = 0;
		let peak = 0;
		const counting: typeof fetch = async (input, init) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			try {
				return await fetch(input, init);
			} finally {
				inFlight--;
			}
		};
		const gw = h.gw({ maxConcurrency: 3, fetch: counting });
		const ids = [...h.fake.workspace.contacts.keys()].slice(0, 20);
		await Promise.all(ids.map((id) => gw.getContact(id)));
		expect(peak).toBe(3);
		expect(h.fake.requests).toHaveLength(20);
	});
});

describe('retries', () => {
	it('retries a 429 rate_limit_exceeded after the window reset', async () => {
		h.fake.failNext({ status: 429 });
		await h.gw().me();
		expect(statuses(h.fake.requests)).toEqual([429, 200]);
	});

	it('retries 5xx on reads with backoff and succeeds', async () => {
		h.fake.failNext({ status: 503, count: 2 });
		await h.gw().me();
		expect(statuses(h.fake.requests)).toEqual([503, 503, 200]);
	});

	it('gives up after maxRetries and reports a retryable IntercomApiError', async () => {
		h.fake.failNext({ status: 500, count: 5 });
		const err = await rejectionOf(h.gw({ maxRetries: 1 }).me());
		expect(err).toBeInstanceOf(IntercomApiError);
		expect(err).toMatchObject({ status: 500, code: 'server_error', retryable: true, attempts: 2, operation: 'admins.identify' });
		expect(statuses(h.fake.requests)).toEqual([500, 500]);
	});

	it('retries a connection reset (the SDK alone would not)', async () => {
		h.fake.failNext({ reset: true });
		const r = await h.gw().getContact(h.fake.workspace.fixtures.userId);
		expect(r.status).toBe('found');
		expect(statuses(h.fake.requests)).toEqual([0, 200]);
	});

	it('reports a persistent reset as network_error, retryable', async () => {
		h.fake.failNext({ reset: true, count: 3 });
		const err = await rejectionOf(h.gw({ maxRetries: 2 }).me());
		expect(err).toMatchObject({ status: undefined, code: 'network_error', retryable: true, attempts: 3 });
		expect(statuses(h.fake.requests)).toEqual([0, 0, 0]);
	});

	it('retries a DELETE (a lost answer then shows up as 404 = already deleted)', async () => {
		const id = h.fake.workspace.fixtures.leadId;
		h.fake.failNext({ status: 502, method: 'DELETE' });
		const res = await h.gw().call('contacts.delete', (sdk, req) => sdk.contacts.delete({ contact_id: id }, req));
		expect(res).toMatchObject({ id, deleted: true });
		expect(statuses(h.fake.requests)).toEqual([502, 200]);
	});

	it('retries a search POST (a read) after a 5xx', async () => {
		h.fake.failNext({ status: 500, pathPattern: '/search$' });
		const page = await h.gw().searchContactsPage({ field: 'role', operator: '=', value: 'lead' });
		expect(page.contacts.length).toBeGreaterThan(0);
		expect(statuses(h.fake.requests)).toEqual([500, 200]);
	});

	it('does not retry a creating POST after a 5xx or a reset (it may have been done)', async () => {
		const body = { created_at_after: 0, created_at_before: 2_000_000_000 };
		h.fake.failNext({ status: 500, pathPattern: '^/export/content/data$' });
		const e1 = await rejectionOf(h.gw().request('POST', '/export/content/data', { body }));
		expect(e1).toMatchObject({ status: 500, retryable: true, attempts: 1, operation: 'POST /export/content/data' });
		h.fake.failNext({ reset: true, pathPattern: '^/export/content/data$' });
		const e2 = await rejectionOf(h.gw().request('POST', '/export/content/data', { body }));
		expect(e2).toMatchObject({ code: 'network_error', attempts: 1 });
		expect(statuses(h.fake.requests)).toEqual([500, 0]);
	});

	it('never retries the "one active export job" 429', async () => {
		const gw = h.gw();
		const body = { created_at_after: 0, created_at_before: 2_000_000_000 };
		await gw.request('POST', '/export/content/data', { body });
		const err = await rejectionOf(gw.request('POST', '/export/content/data', { body }));
		expect(err).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryable: false, attempts: 1 });
		expect(statuses(h.fake.requests)).toEqual([200, 429]);
		// and it did not stall the other callers: the next call goes out at once
		await gw.me();
		expect(statuses(h.fake.requests)).toEqual([200, 429, 200]);
	});

	it('never retries an injected 429 on POST /export/content/data either', async () => {
		h.fake.failNext({ status: 429, pathPattern: '^/export/content/data$' });
		const err = await rejectionOf(
			h.gw().request('POST', '/export/content/data', { body: { created_at_after: 0, created_at_before: 1 } }),
		);
		expect(err).toMatchObject({ status: 429, retryable: false });
		expect(h.fake.requests).toHaveLength(1);
	});
});

describe('timeouts', () => {
	it('maps a slow answer to code timeout (no status), retryable, on SDK calls', async () => {
		h.fake.failNext({ latencyMs: 400 });
		const err = await rejectionOf(h.gw({ timeoutMs: 60, maxRetries: 0 }).me());
		expect(err).toBeInstanceOf(IntercomApiError);
		expect(err).toMatchObject({ status: undefined, code: 'timeout', retryable: true, operation: 'admins.identify' });
		expect((err as Error).message).toContain('did not answer in time');
	});

	it('and on raw calls', async () => {
		h.fake.failNext({ latencyMs: 400 });
		const err = await rejectionOf(h.gw({ timeoutMs: 60, maxRetries: 0 }).request('GET', '/contacts'));
		expect(err).toMatchObject({ code: 'timeout', operation: 'GET /contacts' });
	});

	it('retries a timed-out read', async () => {
		h.fake.failNext({ latencyMs: 2_000 });
		const gw = h.gw({ timeoutMs: 500, maxRetries: 1 });
		const me = await gw.me();
		expect(me.type).toBe('admin');
		expect(h.fake.requests).toHaveLength(2);
	});
});
