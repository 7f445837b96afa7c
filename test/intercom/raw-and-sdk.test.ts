// call() (any SDK method) and request() (raw JSON for what the SDK lacks) share the pipeline.
import { describe, expect, it } from 'vitest';
import { IntercomApiError } from '../../src/intercom';
import { rejectionOf, useFake } from './helpers';

const h = useFake();

describe('request()', () => {
	it('sends query parameters the SDK has no field for (retain_metrics) and returns status, data, headers', async () => {
		const convId = h.fake.workspace.fixtures.longConversationId;
		const res = await h.gw().request<{ id: string; deleted: boolean }>('DELETE', `/conversations/${convId}`, {
			query: { retain_metrics: false },
		});
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ id: convId, object: 'conversation', deleted: true });
		expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
		const [req] = h.fake.requests;
		expect(req.method).toBe('DELETE');
		expect(req.query).toEqual({ retain_metrics: 'false' });
		expect(req.headers.authorization).toBe(`Bearer ${h.fake.token}`);
		expect(req.headers['intercom-version']).toBe('2.14');
	});

	it('sends a JSON body', async () => {
		const res = await h.gw().request<{ total_count: number }>('POST', '/contacts/search', {
			body: { query: { field: 'role', operator: '=', value: 'lead' } },
		});
		expect(res.data.total_count).toBeGreaterThan(0);
		expect(h.fake.requests[0].headers['content-type']).toBe('application/json');
	});

	it('throws IntercomApiError for a 404 (raw callers branch on status)', async () => {
		const err = await rejectionOf(h.gw().request('GET', `/conversations/${h.fake.workspace.fixtures.unknownContactId}`));
		expect(err).toBeInstanceOf(IntercomApiError);
		expect(err).toMatchObject({ status: 404, code: 'not_found', operation: 'GET /conversations/{id}' });
	});

	it('keeps a base URL path prefix (e.g. behind a proxy) on SDK and raw calls', async () => {
		const seen: string[] = [];
		const proxy: typeof fetch = (input, init) => {
			seen.push(String(input));
			return fetch(String(input).replace('/prefix', ''), init);
		};
		const gw = h.gw({ baseUrl: `${h.fake.url}/prefix`, fetch: proxy });
		await gw.request('GET', '/me');
		await gw.me();
		expect(seen).toEqual([`${h.fake.url}/prefix/me`, `${h.fake.url}/prefix/me`]);
		expect(h.fake.requests.map((r) => r.path)).toEqual(['/me', '/me']);
	});
});

describe('call()', () => {
	it('runs any SDK method through the pipeline and labels errors with the operation name', async () => {
		const contactId = h.fake.workspace.fixtures.manyConversationsContactId;
		const page = await h.gw().call('conversations.search', (sdk, req) =>
			sdk.conversations.search(
				{ query: { field: 'contact_ids', operator: '=', value: contactId }, pagination: { per_page: 150 } },
				req,
			),
		);
		expect(page.data).toHaveLength(150);
		expect(page.hasNextPage()).toBe(true);
		h.fake.failNext({ status: 422, code: 'parameter_invalid' });
		const err = await rejectionOf(
			h.gw().call('tags.list', (sdk, req) => sdk.contacts.listAttachedTags({ contact_id: contactId }, req)),
		);
		expect(err).toMatchObject({ status: 422, operation: 'tags.list', route: 'GET /contacts/{id}/tags' });
	});

	it('passes non-Intercom errors of the callback through unchanged', async () => {
		const boom = new TypeError('bug in caller');
		const err = await rejectionOf(h.gw().call('x', () => Promise.reject(boom)));
		expect(err).toBe(boom);
	});
});
