// Several processes on one Intercom app (n8n queue-mode workers): the server's rate-limit headers are
// the shared truth, no wait for budget outlives timeoutMs, and what a proxy puts into request ids or
// error codes never reaches our messages. Real HTTP to the fake (and through a rewriting proxy).
import { afterEach, describe, expect, it } from 'vitest';
import { createIntercom, IntercomApiError, IntercomInputError, type IntercomGateway } from '../../src/intercom';
import { DEFAULT_MAX_CONCURRENCY } from '../../src/intercom/regions';
import { startFakeIntercom, type FakeIntercom } from '../fake-intercom/index';
import { count429, rejectionOf } from './helpers';
import { startRewritingProxy, type Answer, type RewritingProxy } from './proxy';

const HOUR_MS = 3_600_000;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
	while (closers.length > 0) await closers.pop()!();
});

async function fake(opts: Parameters<typeof startFakeIntercom>[0] = {}): Promise<FakeIntercom> {
	const f = await startFakeIntercom(opts);
	closers.push(() => f.close());
	return f;
}

async function proxy(target: string, rewrite: (a: Answer, n: number) => Answer | Promise<Answer>): Promise<RewritingProxy> {
	const p = await startRewritingProxy(target, rewrite);
	closers.push(() => p.close());
	return p;
}

const gwFor = (f: FakeIntercom, url = f.url, o: Parameters<typeof createIntercom>[0] extends infer O ? Partial<O> : never = {}): IntercomGateway =>
	createIntercom({ token: f.token, baseUrl: url, ...o });

describe('waiting for budget is capped by timeoutMs', () => {
	it('a reset an hour away fails the call at once (retryable, code rate_limit_wait) instead of holding it', async () => {
		// The fake's clock runs an hour ahead: its X-RateLimit-Reset is an hour away for us.
		const f = await fake({ now: () => Date.now() + HOUR_MS, rateLimitPerWindow: 1 });
		const gw = gwFor(f, f.url, { timeoutMs: 2_000 });
		await gw.me(); // spends the window's only unit; Remaining 0, Reset in an hour
		const e = (await rejectionOf(gw.me())) as IntercomApiError;
		expect(e).toBeInstanceOf(IntercomApiError);
		expect(e.code).toBe('rate_limit_wait');
		expect(e.retryable).toBe(true);
		expect(e.status).toBeUndefined();
		expect(e.message).toMatch(/No rate-limit budget left in time \[rate_limit_wait\] on admins\.identify/);
		expect(e.message).toContain('longer than the timeout of 2000 ms');
		expect(f.requests).toHaveLength(1); // the second call never went out
	});

	it('a 429 announcing a far reset ends the retry at once, with what the user needs to know', async () => {
		const f = await fake({ now: () => Date.now() + HOUR_MS });
		f.failNext({ status: 429 });
		const ids = [...f.workspace.contacts.keys()];
		const e = (await rejectionOf(gwFor(f, f.url, { timeoutMs: 1_500 }).getContact(ids[0]))) as IntercomApiError;
		expect(e.code).toBe('rate_limit_wait');
		expect(e.route).toBe('GET /contacts/{id}');
		expect(f.requests.map((r) => r.status)).toEqual([429]);
	});

	it('a Retry-After longer than timeoutMs is not slept through either', async () => {
		const f = await fake();
		const p = await proxy(f.url, (a, n) =>
			n === 0
				? {
						status: 429,
						headers: { ...a.headers, 'content-type': 'application/json', 'retry-after': '40', 'x-ratelimit-remaining': '0' },
						body: JSON.stringify({ type: 'error.list', request_id: null, errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit' }] }),
					}
				: a,
		);
		const e = (await rejectionOf(gwFor(f, p.url, { timeoutMs: 3_000 }).me())) as IntercomApiError;
		expect(e.status).toBe(429);
		expect(e.code).toBe('rate_limit_exceeded');
		expect(e.retryable).toBe(true);
		expect(f.requests).toHaveLength(1);
	});
});

describe("the server's word is the shared truth", () => {
	it("a 429's own reset wins over a later local estimate: the retry goes at the 429's reset", async () => {
		const f = await fake({ windowSeconds: 1 });
		const p = await proxy(f.url, async (a, n) => {
			if (n === 0) {
				// First answer: "window used up, resets in 30 s" (what a worker might have estimated).
				return { ...a, headers: { ...a.headers, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 30) } };
			}
			if (n === 1) {
				await new Promise((r) => setTimeout(r, 300)); // arrives after the first
				return {
					status: 429,
					headers: {
						'content-type': 'application/json',
						'x-ratelimit-limit': '10',
						'x-ratelimit-remaining': '0',
						'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1),
					},
					body: JSON.stringify({ type: 'error.list', request_id: null, errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 10 in 1_seconds' }] }),
				};
			}
			return a;
		});
		// timeoutMs 8 s: holding on to the 30 s estimate would fail the retry with rate_limit_wait.
		const gw = gwFor(f, p.url, { timeoutMs: 8_000, maxConcurrency: 2 });
		const [a, b] = await Promise.all([gw.me(), gw.me()]);
		expect(a.type).toBe('admin');
		expect(b.type).toBe('admin');
		expect(f.requests).toHaveLength(3); // two first attempts, one retry
	});

	it('two gateways (two workers) on one app at 10 requests per window: every call succeeds, the 429s are retried', async () => {
		const f = await fake({ windowSeconds: 1, rateLimitPerWindow: 10 });
		const ids = [...f.workspace.contacts.keys()].slice(0, 40);
		const workers = [gwFor(f), gwFor(f)];
		const results = await Promise.all(ids.map((id, i) => workers[i % 2].getContact(id)));
		expect(results.filter((r) => r.status === 'found')).toHaveLength(40);
		const ok = f.requests.filter((r) => r.status === 200).length;
		expect(ok).toBe(40);
		expect(f.requests).toHaveLength(40 + count429(f.requests)); // nothing but successes and retried 429s
	});
});

describe('rate-limit 429s have their own retry allowance', () => {
	it('a request that loses the race for budget 5 windows in a row (more than maxRetries 3) still succeeds', async () => {
		const f = await fake({ windowSeconds: 1 });
		f.failNext({ status: 429, count: 5 });
		const me = await gwFor(f).me();
		expect(me.type).toBe('admin');
		expect(f.requests.map((r) => r.status)).toEqual([429, 429, 429, 429, 429, 200]);
	});

	it('gives up after 8 such retries (retryable), and maxRetries 0 still means no retry at all', async () => {
		const f = await fake({ windowSeconds: 1 });
		f.failNext({ status: 429, count: 20 });
		const e = (await rejectionOf(gwFor(f).me())) as IntercomApiError;
		expect(e).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryable: true, attempts: 9 });
		f.clearFaults();
		f.requests.length = 0;
		f.failNext({ status: 429 });
		const once = (await rejectionOf(gwFor(f, f.url, { maxRetries: 0 }).me())) as IntercomApiError;
		expect(once.attempts).toBe(1);
		expect(f.requests).toHaveLength(1);
	});
});

describe('ids in errors: only the shape of an Intercom request id gets through', () => {
	const ECHOED = ['dG9rOmFiY2Rl', 'ZjEyMzQ1Njc4OTA6MTow'].join(''); // shaped like an Intercom access token
	const CONTACT_ID = '65f1c0ffee0123456789abcd';

	it('a token, an email or a contact id echoed in request_id, X-Request-Id or code is dropped', async () => {
		const f = await fake();
		const p = await proxy(f.url, (a) => ({
			status: 404,
			headers: { ...a.headers, 'content-type': 'application/json', 'x-request-id': `user-${CONTACT_ID}` },
			body: JSON.stringify({ type: 'error.list', request_id: ECHOED, errors: [{ code: CONTACT_ID, message: 'Not found' }] }),
		}));
		const e = (await rejectionOf(gwFor(f, p.url).request('GET', '/contacts/x'))) as IntercomApiError;
		expect(e).toBeInstanceOf(IntercomApiError);
		expect(e.status).toBe(404);
		expect(e.requestId).toBeUndefined();
		expect(e.code).toBeUndefined();
		const everything = `${e.message} ${JSON.stringify(e)}`;
		for (const s of [ECHOED, CONTACT_ID, f.token]) expect(everything).not.toContain(s);
	});

	it.each([
		['an id-like code with digits', 'user_4711'],
		['an email-ish code', 'jane.doe@example.org'],
		['an upper-case token-ish code', 'TOKEN_ABC'],
	])('drops %s from code', async (_label, code) => {
		const f = await fake();
		const p = await proxy(f.url, (a) => ({ ...a, status: 400, body: JSON.stringify({ type: 'error.list', request_id: null, errors: [{ code, message: 'x' }] }) }));
		const e = (await rejectionOf(gwFor(f, p.url).me())) as IntercomApiError;
		expect(e.code).toBeUndefined();
		expect(e.message).not.toContain(code);
	});

	it("keeps Intercom's own: a UUID request id (body first, else the header) and a snake_case code", async () => {
		const f = await fake();
		const uuid = '302049fb-b8c1-4dc8-a327-a8f6e1923484';
		const p = await proxy(f.url, (a) => ({
			status: 403,
			headers: { ...a.headers, 'content-type': 'application/json', 'x-request-id': uuid },
			body: JSON.stringify({ type: 'error.list', request_id: 'not-a-uuid', errors: [{ code: 'api_plan_restricted', message: 'Active subscription needed' }] }),
		}));
		const e = (await rejectionOf(gwFor(f, p.url).me())) as IntercomApiError;
		expect(e.requestId).toBe(uuid);
		expect(e.code).toBe('api_plan_restricted');
		expect(e.message).toContain(`(request_id ${uuid})`);
	});
});

describe('plain http:// only for this machine', () => {
	it.each(['http://api.intercom.io', 'http://10.0.0.5:4010', 'http://127.0.0.1.nip.io', 'http://localhost.evil.example'])(
		'refuses %s before any request, naming baseUrl and the fix',
		(baseUrl) => {
			const err = (() => {
				try {
					createIntercom({ token: 't', baseUrl });
				} catch (e) {
					return e;
				}
				return undefined;
			})();
			expect(err).toBeInstanceOf(IntercomInputError);
			expect(err).toMatchObject({ field: 'baseUrl', scope: 'options' });
			expect((err as Error).message).toMatch(/^Invalid baseUrl: plain http:\/\/ is only allowed for this machine/);
			expect((err as Error).message).toContain('Use https://');
		},
	);

	it.each(['http://localhost:4010', 'http://127.0.0.1:4010', 'http://127.8.9.10', 'http://[::1]:4010', 'http://sandbox.localhost:1', 'https://proxy.corp/intercom'])(
		'accepts %s',
		(baseUrl) => {
			expect(createIntercom({ token: 't', baseUrl }).region).toBe('custom');
		},
	);
});

describe('one default concurrency, the fast one', () => {
	it(`createIntercom without maxConcurrency runs ${DEFAULT_MAX_CONCURRENCY} requests at once (the DSAR export's own default)`, async () => {
		expect(DEFAULT_MAX_CONCURRENCY).toBe(12);
		const f = await fake();
		let inFlight = 0;
		let peak = 0;
		const counting: typeof fetch = async (input, init) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			try {
				await new Promise((r) => setTimeout(r, 20));
				return await fetch(input, init);
			} finally {
				inFlight--;
			}
		};
		const gw = createIntercom({ token: f.token, baseUrl: f.url, fetch: counting });
		const ids = [...f.workspace.contacts.keys()].slice(0, 30);
		await Promise.all(ids.map((id) => gw.getContact(id)));
		expect(peak).toBe(12);
	});
});
