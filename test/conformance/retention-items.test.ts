// The requests of the retention rules below the contact (conversation and ticket searches by state
// and date, DELETE, POST /conversations/redact, PUT /contacts/{id} clearing attributes, the
// read-backs) against the OpenAPI description of the version they asked for.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom/index';
import { openLedger } from '../../src/ledger/index';
import { enforceRetention } from '../../src/retention/index';
import type { FakeIntercom } from '../fake-intercom/index';
import { addItemFixtures } from '../retention/item-fixtures';
import { validateAgainstSpec, validateResponse } from './openapi';
import { useFakeIntercom, useTempDir } from '../support/world';

/** Not a secret: a throwaway ledger key for this test's temporary files. */
const LEDGER_TEST_KEY = ['retention', 'items', 'conformance', 'key'].join('-');

describe.each(['2.14', '2.16'])('requests of retention rules for conversations, tickets and attributes (Intercom-Version %s)', (apiVersion) => {
	let fake: FakeIntercom;
	let dir: string;
	useFakeIntercom({ seed: 5 }, (f) => (fake = f));
	useTempDir('retention-items-conformance-', (d) => (dir = d));

	it('match the request and response schemas of every operation they call', async () => {
		const fx = addItemFixtures(fake);
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, apiVersion });
		const ledger = await openLedger({ kind: 'sqlite', path: join(dir, `l${apiVersion}.sqlite`), key: LEDGER_TEST_KEY });
		const now = () => fx.now;
		const redact = await enforceRetention(gw, { rules: [{ target: 'conversations', closedMoreThanDays: 365, action: 'redact' }], exclusions: { tagIds: [fx.tagId] } }, { ledger, now });
		const rest = await enforceRetention(
			gw,
			{
				rules: [
					{ target: 'conversations', closedMoreThanDays: 365, action: 'delete' },
					{ target: 'tickets', closedMoreThanDays: 1000, action: 'delete' },
					{ target: 'attributes', names: ['id_scan_file', 'passport_number'], olderThanDays: 365, action: 'clear' },
				],
				exclusions: { tagIds: [fx.tagId] },
			},
			{ ledger, now },
		);
		await ledger.close();
		expect(redact.items?.counts.redacted).toBe(1);
		expect(rest.items?.counts).toMatchObject({ deleted: 2, cleared: 1, failed: 0 });

		const routes = new Set(fake.requests.map((q) => `${q.method} ${q.path.replace(/\/[0-9a-f]{24}$|\/\d+$/, '/{id}')}`));
		for (const route of ['POST /conversations/search', 'POST /tickets/search', 'POST /contacts/search', 'POST /conversations/redact', 'GET /conversations/{id}', 'DELETE /conversations/{id}', 'DELETE /tickets/{id}', 'PUT /contacts/{id}', 'GET /contacts/{id}']) {
			expect(routes).toContain(route);
		}
		const problems = fake.requests
			.map((entry) => ({ entry, result: validateAgainstSpec(entry) }))
			.filter(({ result }) => !result.ok)
			.map(({ entry, result }) => `${entry.method} ${entry.path} → ${result.errors.join('; ')}`);
		expect(problems).toEqual([]);
	});

	it("the fake's answers match the response schemas: a conversation with close statistics, search by last_close_at, PUT /contacts/{id} and its 400", async () => {
		fake.reset();
		const fx = addItemFixtures(fake);
		const call = async (method: string, path: string, body?: unknown, validate = true) => {
			const res = await fetch(`${fake.url}${path}`, {
				method,
				headers: { Authorization: `Bearer ${fake.token}`, 'Intercom-Version': apiVersion, 'Content-Type': 'application/json', Accept: 'application/json' },
				...(body === undefined ? {} : { body: JSON.stringify(body) }),
			});
			const json = (await res.json()) as Record<string, unknown>;
			if (validate) expect(validateResponse({ method, path, status: res.status, body: json, version: apiVersion }).errors).toEqual([]);
			return { status: res.status, json };
		};
		const conv = await call('GET', `/conversations/${fx.oldConversationId}`);
		expect(conv.json.statistics).toMatchObject({ type: 'conversation_statistics', last_close_at: expect.any(Number) });
		const search = await call('POST', '/conversations/search', { query: { operator: 'AND', value: [{ field: 'state', operator: '=', value: 'closed' }, { field: 'statistics.last_close_at', operator: '<', value: Math.floor(fx.now.getTime() / 1000) - 365 * 86_400 }] } });
		expect((search.json.conversations as Array<{ id: string }>).map((c) => c.id)).toContain(fx.oldConversationId);
		expect((search.json.conversations as Array<{ id: string }>).map((c) => c.id)).not.toContain(fx.recentConversationId);
		const put = await call('PUT', `/contacts/${fx.staleAttributesId}`, { custom_attributes: { passport_number: null } });
		expect(put.status).toBe(200);
		expect((put.json.custom_attributes as Record<string, unknown>).passport_number).toBeNull();
		const bad = await call('PUT', `/contacts/${fx.staleAttributesId}`, { custom_attributes: { no_such_attribute: 'x' } });
		expect(bad.status).toBe(400);
		// UpdateContact documents no 404 (Intercom answers one for an unknown contact, like GET; the run treats it as gone).
		const missing = await call('PUT', '/contacts/0000000000000000000000ff', { custom_attributes: { passport_number: null } }, false);
		expect(missing.status).toBe(404);
	});
});
