// An access request about a person whose only contact is archived: Intercom's search never returns
// archived contacts. With the ledger, a contact this package archived (Retention → Enforce records
// `retention.archived` with the identifier's HMAC) is found and exported; otherwise the package says
// what the lookup could not see and how to look (archivedNotice) — never a bare "no record".
// Real HTTP to the fake Intercom; the ledger on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { renderDsarPackage, validateDsarDocument, toDocument, type DsarPackage } from '../../src/dsar';
import { createIntercom } from '../../src/intercom';
import { enforceRetention } from '../../src/retention';
import { addErasureScenario, type FakeIntercom } from '../fake-intercom';
import { fakeIntercomAndLedgers, freshLedgers } from '../support/world';
import { addRetentionFixtures, NOW, ONLY_FIXTURES, type RetentionFixtures } from '../retention/fixtures';
import { exportSubject } from './helpers';

let fake: FakeIntercom;
let fx: RetentionFixtures;
const env = fakeIntercomAndLedgers({ seed: 4 }, { onStart: (f) => (fake = f), onReset: (f) => (fx = addRetentionFixtures(f)) });

async function indexHtml(pkg: DsarPackage): Promise<string> {
	const { files } = await renderDsarPackage(pkg);
	return new TextDecoder().decode(files.find((f) => f.name === 'index.html')!.data);
}

const NOTICE = {
	en: /Intercom’s search never returns archived contacts/,
	de: /Die Suche von Intercom liefert nie archivierte Kontakte/,
	fr: /la recherche d’Intercom ne renvoie jamais les contacts archivés/,
};

describe.each(env.backends.map((b) => [b.name, b] as const))('access request about an archived person (ledger on %s)', (_name, b) => {
	const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url, maxRetries: 1 });
	const ledger = freshLedgers(b);

	it('a contact Retention archived is found through the ledger and exported; the package still says what search cannot see', async () => {
		const l = await ledger();
		const policy = { rules: [{ name: 'archive-old', role: 'user' as const, inactiveDays: 10, action: 'archive' as const, filters: [ONLY_FIXTURES] }] };
		await enforceRetention(gw(), policy, { ledger: l, now: () => NOW });
		const archived = fx.seenJustBefore;
		expect(fake.workspace.contacts.get(archived.id)?.archived).toBe(true);

		const pkg = await exportSubject(gw(), { email: archived.email }, { ledger: l });
		expect(pkg.subject).toMatchObject({ found: true, contactIds: [archived.id], archivedNotice: expect.stringMatching(/search never returns archived contacts/) });
		expect(pkg.contacts.map((c) => c.id)).toEqual([archived.id]);
		expect(fake.requests.some((q) => q.method === 'GET' && q.path === `/contacts/${archived.id}`)).toBe(true);
		expect(validateDsarDocument(toDocument(pkg))).toEqual([]);
		const html = await indexHtml(pkg);
		expect(html).not.toMatch(/We found no record about you/);
		expect(html).toMatch(NOTICE.en);

		// Without the ledger the same person is not found, and the package says why and how to look.
		const blind = await exportSubject(gw(), { email: archived.email });
		expect(blind.subject.found).toBe(false);
		expect(blind.subject.archivedNotice).toMatch(/by contact ID/);
		expect(blind.subject.archivedNotice).toMatch(/which this lookup did not consult/); // no claim the ledger was searched
	});

	it.each(['en', 'de', 'fr'] as const)('an archived contact the package did not archive: "not found" carries the notice, in index.html too (%s)', async (language) => {
		const l = await ledger();
		const p = addErasureScenario(fake.workspace);
		const pkg = await exportSubject(gw(), { email: p.archivedEmail }, { ledger: l, language });
		expect(pkg.subject.found).toBe(false);
		expect(pkg.subject.archivedNotice).toMatch(/search never returns archived contacts/);
		expect(pkg.subject.archivedNotice).toMatch(/look it up by contact ID/);
		expect(pkg.subject.archivedNotice).not.toContain(p.archivedEmail);
		expect(validateDsarDocument(toDocument(pkg))).toEqual([]);
		const html = await indexHtml(pkg);
		expect(html).toMatch(NOTICE[language]);
		expect(html).toMatch(/id="archived-notice"/);
	});
});

describe('index.html never answers a bare "no record"', () => {
	const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url, maxRetries: 1 });
	it('by external ID: the notice says an archived lead is not found that way', async () => {
		const pkg = await exportSubject(gw(), { externalId: 'nobody-has-this-external-id' });
		expect(pkg.subject).toMatchObject({ found: false, archivedNotice: expect.stringMatching(/an archived lead is not/) });
		expect(await indexHtml(pkg)).toMatch(/an archived visitor or lead record is not/);
	});

	it('by contact ID (which also sees archived contacts): says so, and no archivedNotice in the JSON', async () => {
		const pkg = await exportSubject(gw(), { contactId: 'ffffffffffffffffffffffff' });
		expect(pkg.subject.found).toBe(false);
		expect(pkg.subject).not.toHaveProperty('archivedNotice');
		expect(await indexHtml(pkg)).toMatch(/A lookup by contact ID also finds archived contacts/);
	});
});
