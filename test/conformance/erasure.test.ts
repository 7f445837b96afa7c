// The requests eraseSubject sends (search, DELETE contact / conversation / ticket, the verification
// GETs and searches) against the OpenAPI description of the version it asked for.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eraseSubject } from '../../src/erasure/index';
import { createIntercom } from '../../src/intercom/index';
import { openLedger } from '../../src/ledger/index';
import type { FakeIntercom } from '../fake-intercom/index';
import { validateAgainstSpec } from './openapi';
import { useFakeIntercom, useTempDir } from '../support/world';

describe.each(['2.14', '2.16'])('requests of an erasure (Intercom-Version %s)', (apiVersion) => {
	let fake: FakeIntercom;
	let dir: string;
	useFakeIntercom({ seed: 5 }, (f) => (fake = f));
	useTempDir('erasure-conformance-', (d) => (dir = d));

	it('match the request schemas of every operation they call', async () => {
		const fx = fake.workspace.fixtures;
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, apiVersion });
		const ledger = await openLedger({ kind: 'sqlite', path: join(dir, 'l.sqlite'), key: 'conformance-'.padEnd(32, '0') });
		const r = await eraseSubject(gw, { email: fx.userEmail }, { ledger, deleteConversations: true, deleteTickets: true });
		expect(r.status).toBe('erased');
		await eraseSubject(gw, { externalId: fx.userExternalId }, { ledger }); // second run: GETs only
		await eraseSubject(gw, { email: fx.sharedEmail }, { ledger, dryRun: true });
		await ledger.close();

		const routes = new Set(fake.requests.map((q) => `${q.method} ${q.path.replace(/\/[0-9a-f]{24}$|\/\d+$/, '/{id}')}`));
		for (const route of ['POST /contacts/search', 'POST /conversations/search', 'POST /conversations/redact', 'GET /conversations/{id}', 'POST /tickets/search', 'DELETE /conversations/{id}', 'DELETE /tickets/{id}', 'DELETE /contacts/{id}', 'GET /contacts/{id}']) {
			expect(routes).toContain(route);
		}
		const problems = fake.requests
			.map((entry) => ({ entry, result: validateAgainstSpec(entry) }))
			.filter(({ result }) => !result.ok)
			.map(({ entry, result }) => `${entry.method} ${entry.path} → ${result.errors.join('; ')}`);
		expect(problems).toEqual([]);
		const convDeletes = fake.requests.filter((q) => q.method === 'DELETE' && q.path.startsWith('/conversations/'));
		expect(convDeletes.every((q) => q.query.retain_metrics === (apiVersion === '2.16' ? 'false' : undefined))).toBe(true);
	});

	it('erasing one contact of a person by contact id (scope "contact") sends only requests the description accepts, incl. the search by id', async () => {
		// Moved here from test/erasure/erase.test.ts, so `npm test` runs without the descriptions.
		fake.reset();
		const fx = fake.workspace.fixtures;
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, apiVersion });
		const ledger = await openLedger({ kind: 'sqlite', path: join(dir, 'contact-scope.sqlite'), key: 'conformance-'.padEnd(32, '0') });
		const r = await eraseSubject(gw, { contactId: fx.sharedEmailLeadId }, { ledger, requestId: 'DUP-LEAD-1' });
		await ledger.close();
		expect(r).toMatchObject({ status: 'erased', scope: 'contact' });
		expect(fake.requests.some((q) => q.path === '/contacts/search' && JSON.stringify(q.body).includes(`"value":"${fx.sharedEmailLeadId}"`))).toBe(true);
		expect(fake.requests.map((q) => validateAgainstSpec(q)).filter((v) => !v.ok)).toEqual([]);
	});
});
