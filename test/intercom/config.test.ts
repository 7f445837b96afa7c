// Region, base URL, API version, token: what the gateway sends, and what it refuses before sending.
import { describe, expect, it } from 'vitest';
import { createIntercom, IntercomApiError, IntercomInputError, REGION_BASE_URLS } from '../../src/intercom';
import { rejectionOf, useFake } from './helpers';

const h = useFake();

/** A transport that forwards a regional host to the fake (no real network), remembering the target. */
function regionalProxy(targets: string[]): typeof fetch {
	return (input, init) => {
		const url = String(input);
		targets.push(url);
		const rewritten = url.replace(/^https:\/\/api(\.eu|\.au)?\.intercom\.io/, h.fake.url);
		return fetch(rewritten, init);
	};
}

describe('region and base URL', () => {
	it.each([
		['us', 'https://api.intercom.io'],
		['eu', 'https://api.eu.intercom.io'],
		['au', 'https://api.au.intercom.io'],
	] as const)('region %s sends to %s', async (region, host) => {
		const targets: string[] = [];
		const gw = createIntercom({ token: h.fake.token, region, fetch: regionalProxy(targets) });
		expect(gw.region).toBe(region);
		expect(gw.baseUrl).toBe(host);
		await gw.me();
		expect(targets).toEqual([`${host}/me`]);
		expect(h.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /me']);
	});

	it('defaults to the US host', () => {
		expect(createIntercom({ token: 't' }).baseUrl).toBe(REGION_BASE_URLS.us);
	});

	it('a custom base URL wins over the region', async () => {
		const gw = createIntercom({ token: h.fake.token, region: 'eu', baseUrl: `${h.fake.url}/` });
		expect(gw.region).toBe('custom');
		expect(gw.baseUrl).toBe(h.fake.url);
		await gw.me();
		expect(h.fake.requests).toHaveLength(1);
	});

	it('recognises a regional host given as base URL', () => {
		expect(createIntercom({ token: 't', baseUrl: 'https://api.eu.intercom.io/' }).region).toBe('eu');
	});
});

describe('API version header', () => {
	it('sends Intercom-Version 2.14 by default, on SDK and raw calls and downloads alike', async () => {
		const gw = h.gw();
		expect(gw.apiVersion).toBe('2.14');
		await gw.me();
		await gw.request('GET', '/contacts', { query: { per_page: 1 } });
		await gw.searchContactsPage({ field: 'role', operator: '=', value: 'lead' }, { perPage: 1 });
		expect(h.fake.requests.map((r) => r.headers['intercom-version'])).toEqual(['2.14', '2.14', '2.14']);
	});

	it.each(['2.11', '2.15', '2.16', 'Preview'])('sends %s when asked (beyond the SDK typed 2.14)', async (v) => {
		const gw = h.gw({ apiVersion: v });
		await gw.me();
		await gw.request('GET', '/contacts', { query: { per_page: 1 } });
		expect(h.fake.requests.map((r) => r.headers['intercom-version'])).toEqual([v, v]);
	});
});

describe('authentication', () => {
	it('sends the token as Bearer and asks for JSON', async () => {
		await h.gw().me();
		const [req] = h.fake.requests;
		expect(req.headers.authorization).toBe(`Bearer ${h.fake.token}`);
		expect(req.headers.accept).toBe('application/json');
	});

	it('maps a wrong token to a 401 IntercomApiError that does not contain the token', async () => {
		const wrongToken = ['wrong', 'token', '0123456789abcdef'].join('-');
		const err = await rejectionOf(h.gw({ token: wrongToken }).me());
		expect(err).toBeInstanceOf(IntercomApiError);
		const e = err as IntercomApiError;
		expect(e.status).toBe(401);
		expect(e.code).toBe('unauthorized');
		expect(e.retryable).toBe(false);
		expect(e.operation).toBe('admins.identify');
		expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
		expect(e.message).toContain('401');
		expect(e.message).toContain(e.requestId);
		expect(e.message).not.toContain(wrongToken);
		expect(JSON.stringify(e)).not.toContain(wrongToken);
	});

	it('does not expose the token on the gateway object', () => {
		const gw = createIntercom({ token: 'tok-visible-nowhere' });
		expect(JSON.stringify(gw)).not.toContain('tok-visible-nowhere');
		expect(Object.keys(gw).join(',')).not.toContain('token');
	});
});

describe('input validation (before any request)', () => {
	const cases: Array<[string, Parameters<typeof createIntercom>[0], string]> = [
		['empty token', { token: '' }, 'token'],
		['blank token', { token: '   ' }, 'token'],
		['token with Bearer prefix', { token: 'Bearer abc' }, 'token'],
		['token with line break', { token: 'abc\ndef' }, 'token'],
		['unknown region', { token: 't', region: 'mars' as never }, 'region'],
		['custom region without URL', { token: 't', region: 'custom' as never }, 'baseUrl'],
		['ftp base URL', { token: 't', baseUrl: 'ftp://api.intercom.io' }, 'baseUrl'],
		['not a URL', { token: 't', baseUrl: 'api.intercom.io' }, 'baseUrl'],
		['URL with credentials', { token: 't', baseUrl: 'https://u:p@api.intercom.io' }, 'baseUrl'],
		['unsupported version', { token: 't', apiVersion: '3.0' }, 'apiVersion'],
		['too old version', { token: 't', apiVersion: '2.7' }, 'apiVersion'],
		['zero concurrency', { token: 't', maxConcurrency: 0 }, 'maxConcurrency'],
		['negative retries', { token: 't', maxRetries: -1 }, 'maxRetries'],
		['fractional timeout', { token: 't', timeoutMs: 1.5 }, 'timeoutMs'],
	];
	it.each(cases)('%s → IntercomInputError naming %s', (_name, opts, field) => {
		let err: unknown;
		try {
			createIntercom(opts);
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(IntercomInputError);
		expect((err as IntercomInputError).field).toBe(field);
		expect((err as IntercomInputError).scope).toBe('options');
		expect((err as Error).message).toContain(field);
		// what is wrong + how to fix it: two sentences
		expect((err as Error).message.split('. ').length).toBeGreaterThanOrEqual(2);
	});

	it('never echoes the token in a validation error', () => {
		let msg = '';
		try {
			createIntercom({ token: 'Bearer super-secret-value' });
		} catch (e) {
			msg = (e as Error).message;
		}
		expect(msg).not.toContain('super-secret-value');
	});

	it('rejects bad call arguments without sending anything', async () => {
		const gw = h.gw();
		await expect(gw.getContact('')).rejects.toMatchObject({ field: 'contactId', scope: 'argument' });
		await expect(gw.getContactByExternalId('  ')).rejects.toMatchObject({ field: 'externalId' });
		expect(() => gw.searchContacts({}, { perPage: 151 })).toThrow(IntercomInputError);
		await expect(gw.searchContactsPage(null as never)).rejects.toMatchObject({ field: 'query' });
		await expect(gw.request('GET', 'contacts')).rejects.toMatchObject({ field: 'path' });
		await expect(gw.request('GET', 'https://evil.example/contacts')).rejects.toMatchObject({ field: 'path' });
		await expect(gw.request('TRACE', '/me')).rejects.toMatchObject({ field: 'method' });
		expect(h.fake.requests).toHaveLength(0);
	});
});
