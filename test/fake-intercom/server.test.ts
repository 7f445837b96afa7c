import { describe, expect, it } from 'vitest';
import { startFakeIntercom, type FakeIntercom } from './index';
import { call } from './testing';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({}, (f) => (fake = f), { reset: true });

describe('auth and version header', () => {
	it('answers 401 error.list without rate-limit headers for a missing or wrong token', async () => {
		for (const token of [null, 'wrong']) {
			const r = await call(fake, 'GET', '/me', { token });
			expect(r.status).toBe(401);
			expect(r.body).toMatchObject({ type: 'error.list', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] });
			expect(r.body.request_id).toEqual(expect.any(String));
			expect(r.headers.get('x-ratelimit-limit')).toBeNull();
		}
	});

	it('serves GET /me with the app id_code, region and time zone', async () => {
		const r = await call(fake, 'GET', '/me');
		expect(r.status).toBe(200);
		expect(r.body.type).toBe('admin');
		expect(r.body.app).toMatchObject({ type: 'app', id_code: fake.workspace.fixtures.appIdCode, region: 'US', timezone: 'Europe/Berlin' });
	});

	it.each(['2.7', '2.14', '2.16', 'Unstable', 'Preview'])('accepts Intercom-Version %s', async (v) => {
		expect((await call(fake, 'GET', '/me', { headers: { 'intercom-version': v } })).status).toBe(200);
	});

	it.each(['2.17', '1.4', 'latest'])('rejects Intercom-Version %s with 400 intercom_version_invalid', async (v) => {
		const r = await call(fake, 'GET', '/me', { headers: { 'intercom-version': v } });
		expect(r.status).toBe(400);
		expect(r.body.errors[0].code).toBe('intercom_version_invalid');
	});

	it('answers 404 not_found for an unknown endpoint and 400 for broken JSON', async () => {
		expect((await call(fake, 'GET', '/nothing/here')).status).toBe(404);
		const res = await fetch(`${fake.url}/contacts/search`, {
			method: 'POST',
			headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
			body: '{not json',
		});
		expect(res.status).toBe(400);
	});
});

describe('request log', () => {
	it('records method, path, query, lowercased headers, parsed body and status', async () => {
		await call(fake, 'POST', '/contacts/search?x=1', { body: { query: { field: 'role', operator: '=', value: 'lead' } }, headers: { 'Intercom-Version': '2.16' } });
		await call(fake, 'GET', '/me', { token: 'bad' });
		expect(fake.requests).toHaveLength(2);
		const [search, me] = fake.requests;
		expect(search).toMatchObject({ method: 'POST', path: '/contacts/search', query: { x: '1' }, status: 200 });
		expect(search.headers['intercom-version']).toBe('2.16');
		expect(search.body).toEqual({ query: { field: 'role', operator: '=', value: 'lead' } });
		expect(me).toMatchObject({ method: 'GET', path: '/me', status: 401 });
	});

	it('is exposed and cleared through the control API, which is not logged itself', async () => {
		await call(fake, 'GET', '/me');
		const log = await (await fetch(`${fake.url}/__fake/requests`)).json();
		expect(log).toHaveLength(1);
		await fetch(`${fake.url}/__fake/requests`, { method: 'DELETE' });
		expect(fake.requests).toHaveLength(0);
		const fixtures = (await (await fetch(`${fake.url}/__fake/fixtures`)).json()) as { userId: string };
		expect(fixtures.userId).toBe(fake.workspace.fixtures.userId);
	});
});

describe('rate limit', () => {
	it('sends X-RateLimit headers and answers 429 rate_limit_exceeded over the limit', async () => {
		fake.squeezeRateLimit(3);
		const remaining: Array<string | null> = [];
		for (let i = 0; i < 3; i++) {
			const r = await call(fake, 'GET', '/me');
			expect(r.status).toBe(200);
			remaining.push(r.headers.get('x-ratelimit-remaining'));
			expect(r.headers.get('x-ratelimit-limit')).toBe('3');
		}
		expect(remaining).toEqual(['2', '1', '0']);
		const over = await call(fake, 'GET', '/me');
		expect(over.status).toBe(429);
		expect(over.body.errors[0]).toEqual({ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 3 in 10_seconds' });
		expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
		const reset = Number(over.headers.get('x-ratelimit-reset'));
		expect(reset).toBeGreaterThan(Date.now() / 1000);
		expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 10);
	});

	it('opens a new window after windowSeconds', async () => {
		let clock = 1_800_000_000_000;
		const timed = await startFakeIntercom({ rateLimitPerWindow: 2, now: () => clock });
		try {
			await call(timed, 'GET', '/me');
			await call(timed, 'GET', '/me');
			const over = await call(timed, 'GET', '/me');
			expect(over.status).toBe(429);
			expect(over.headers.get('x-ratelimit-reset')).toBe(String(1_800_000_010));
			clock += 10_000;
			const again = await call(timed, 'GET', '/me');
			expect(again.status).toBe(200);
			expect(again.headers.get('x-ratelimit-remaining')).toBe('1');
		} finally {
			await timed.close();
		}
	});

	it('can be squeezed over the control API', async () => {
		await fetch(`${fake.url}/__fake/rate-limit`, { method: 'POST', body: JSON.stringify({ perWindow: 0 }) });
		expect((await call(fake, 'GET', '/me')).status).toBe(429);
	});
});

describe('faults', () => {
	it('fails the next N matching requests with a status and error.list', async () => {
		fake.failNext({ status: 503, count: 2, pathPattern: '^/contacts/' });
		expect((await call(fake, 'GET', '/me')).status).toBe(200);
		const a = await call(fake, 'GET', `/contacts/${fake.workspace.fixtures.userId}`);
		expect(a.status).toBe(503);
		expect(a.body).toMatchObject({ type: 'error.list', errors: [{ code: 'service_unavailable' }] });
		expect((await call(fake, 'GET', `/contacts/${fake.workspace.fixtures.userId}`)).status).toBe(503);
		expect((await call(fake, 'GET', `/contacts/${fake.workspace.fixtures.userId}`)).status).toBe(200);
	});

	it('matches on method and uses a given code', async () => {
		fake.failNext({ status: 500, code: 'custom_code', method: 'POST' });
		expect((await call(fake, 'GET', '/me')).status).toBe(200);
		const r = await call(fake, 'POST', '/contacts/search', { body: { query: { field: 'role', operator: '=', value: 'user' } } });
		expect(r.status).toBe(500);
		expect(r.body.errors[0].code).toBe('custom_code');
	});

	it('resets the connection without a response', async () => {
		fake.failNext({ reset: true });
		await expect(fetch(`${fake.url}/me`, { headers: { authorization: `Bearer ${fake.token}` } })).rejects.toThrow();
		expect(fake.requests[0].status).toBe(0);
		expect((await call(fake, 'GET', '/me')).status).toBe(200);
	});

	it('adds latency, then answers normally', async () => {
		fake.failNext({ latencyMs: 300 });
		const ac = new AbortController();
		const timer = setTimeout(() => ac.abort(), 50);
		await expect(fetch(`${fake.url}/me`, { headers: { authorization: `Bearer ${fake.token}` }, signal: ac.signal })).rejects.toThrow();
		clearTimeout(timer);
		fake.failNext({ latencyMs: 50 });
		expect((await call(fake, 'GET', '/me')).status).toBe(200);
	});

	it('sends rate-limit headers with an injected 429', async () => {
		fake.failNext({ status: 429 });
		const r = await call(fake, 'GET', '/me');
		expect(r.status).toBe(429);
		expect(r.body.errors[0].code).toBe('rate_limit_exceeded');
		expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
	});

	it('are set and cleared over the control API', async () => {
		await fetch(`${fake.url}/__fake/faults`, { method: 'POST', body: JSON.stringify({ status: 502, count: 5 }) });
		expect((await call(fake, 'GET', '/me')).status).toBe(502);
		await fetch(`${fake.url}/__fake/faults`, { method: 'DELETE' });
		expect((await call(fake, 'GET', '/me')).status).toBe(200);
	});
});

describe('reset', () => {
	it('restores deleted data and clears the log', async () => {
		const id = fake.workspace.fixtures.userId;
		await call(fake, 'DELETE', `/contacts/${id}`);
		await fetch(`${fake.url}/__fake/reset`, { method: 'POST' });
		expect(fake.requests).toHaveLength(0);
		expect((await call(fake, 'GET', `/contacts/${id}`)).status).toBe(200);
	});
});

describe('control API input', () => {
	it('answers 400 to a bad export script instead of crashing', async () => {
		const r = await fetch(`${fake.url}/__fake/export-script`, { method: 'POST', body: JSON.stringify({ outcome: 'exploded' }) });
		expect(r.status).toBe(400);
		expect(() => fake.scriptExport({ pollsPerState: -1 })).toThrow();
	});
});
