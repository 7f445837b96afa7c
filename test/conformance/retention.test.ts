// The requests retention sends (GET /me, contact searches with date filters and legal holds, the
// companies of a contact, DELETE through the erasure flow, POST archive) against the OpenAPI
// description of the version it asked for.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom/index';
import { openLedger } from '../../src/ledger/index';
import { enforceRetention } from '../../src/retention/index';
import type { FakeIntercom } from '../fake-intercom/index';
import { validateAgainstSpec } from './openapi';
import { useFakeIntercom, useTempDir } from '../support/world';

/** Not a secret: a throwaway ledger key for this test's temporary files. */
const LEDGER_TEST_KEY = ['retention', 'conformance', 'ledger', 'test'].join('-');

describe.each(['2.14', '2.16'])('requests of a retention run (Intercom-Version %s)', (apiVersion) => {
	let fake: FakeIntercom;
	let dir: string;
	useFakeIntercom({ seed: 5 }, (f) => (fake = f));
	useTempDir('retention-conformance-', (d) => (dir = d));

	it('match the request schemas of every operation they call', async () => {
		const ws = fake.workspace;
		const fx = ws.fixtures;
		// One contact with more than 10 companies, so the run lists its companies page by page.
		const many = ws.contacts.get(fx.manyTagsContactId);
		if (many) many.lastSeenAt = 1;
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, apiVersion });
		const ledger = await openLedger({ kind: 'sqlite', path: join(dir, `l${apiVersion}.sqlite`), key: LEDGER_TEST_KEY });
		const holds = { tagIds: [[...ws.tags.keys()][0]], segmentIds: [[...ws.segments.keys()][0]], companyIds: ['no-such-company'] };
		const del = await enforceRetention(gw, { rules: [{ role: 'lead', inactiveDays: 30, action: 'delete' }], exclusions: holds, maxContactsPerRun: 2 }, { ledger });
		const arc = await enforceRetention(gw, { rules: [{ role: 'user', inactiveDays: 30, action: 'archive' }], exclusions: holds, maxContactsPerRun: 2 }, { ledger });
		const many12 = await enforceRetention(
			gw,
			{ rules: [{ role: 'user', inactiveDays: 30, action: 'delete', filters: [{ field: 'id', operator: '=', value: fx.manyTagsContactId }] }], exclusions: { companyIds: ['no-such-company'] } },
			{ ledger, dryRun: true },
		);
		await ledger.close();
		expect(many12.counts.candidates).toBe(1);
		expect(del.counts.deleted).toBe(2);
		expect(arc.counts.archived).toBe(2);

		const routes = new Set(fake.requests.map((q) => `${q.method} ${q.path.replace(/\/[0-9a-f]{24}(?=\/|$)/, '/{id}')}`));
		for (const route of ['GET /me', 'POST /contacts/search', 'DELETE /contacts/{id}', 'POST /contacts/{id}/archive', 'GET /contacts/{id}/companies']) {
			expect(routes).toContain(route);
		}
		const problems = fake.requests
			.map((entry) => ({ entry, result: validateAgainstSpec(entry) }))
			.filter(({ result }) => !result.ok)
			.map(({ entry, result }) => `${entry.method} ${entry.path} → ${result.errors.join('; ')}`);
		expect(problems).toEqual([]);
	});
});
