// Points 1–3 of issue 11: the regime decides what is withheld (CCPA §7024(d)); other people's data
// is protected under every regime (GDPR Art. 15(4)); no live signed link leaves in the package.
// Each check searches EVERY file of the rendered ZIP, as the person would receive it.
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { createIntercom } from '../../src/intercom';
import { renderDsarPackage, reviewDsarPackage, toDocument } from '../../src/dsar';
import type { FakeIntercom } from '../fake-intercom';
import { addConversations, CONTROLLER, exportSubject } from './helpers';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
const fx = () => fake.workspace.fixtures;

useFakeIntercom({ rateLimitPerWindow: 100_000 }, (f) => (fake = f), { reset: true });

const OTHERS = ['jane.roe@example.net', '+44 20 7946 0958', 'invitee.person@example.org', 'bob.other@example.org', 'paula@vendor.example', 'Paula Manager'];
const SSN = '536-81-4417';
const CARD = '4111 1111 1111 1111';
const PASSPORT_NO = 'P12345678';

/** The person of the fixture with the ID document, plus data about other people around them. */
function scenario(): { id: string; idFileContent: string; ownEmail: string } {
	const ws = fake.workspace;
	const id = fx().fileAttributeContactId;
	const rec = ws.contacts.get(id)!;
	rec.customAttributes.passport_number = PASSPORT_NO;
	addConversations(fake, id, 1, `<p>My SSN is ${SSN} and my card ${CARD}. Please also write to my colleague jane.roe@example.net or call +44 20 7946 0958. Mine is ${rec.email}.</p>`);
	ws.notes.set('note-others', { id: 'note-others', contactId: id, createdAt: 1_700_000_000, authorAdminId: ws.admins[1].id, body: '<p>Referred by bob.other@example.org</p>' });
	rec.noteIds.push('note-others');
	ws.events.push({ id: 'ev-invite', contactId: id, eventName: 'invited-teammate', createdAtMs: Date.now() - 3_600_000, metadata: { invitee_email: 'invitee.person@example.org' } });
	ws.companies.set('co-others', { id: 'co-others', companyId: 'acme', name: 'Acme Corp', createdAt: 1_700_000_000, updatedAt: 1_700_000_000, industry: 'Retail', size: 50, website: 'https://acme.example', monthlySpend: 10, customAttributes: { account_manager: 'Paula Manager', account_manager_email: 'paula@vendor.example', plan: 'gold' } });
	rec.companyIds.push('co-others');
	const file = rec.customAttributes[fx().fileAttributeName] as { content: string };
	return { id, idFileContent: file.content, ownEmail: rec.email };
}

async function zipTexts(regime: 'gdpr' | 'ccpa' | 'both', ref: { contactId: string }) {
	const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
	const pkg = await exportSubject(gw, ref, { regime });
	const { zip } = await renderDsarPackage(pkg);
	const files = unzipSync(zip);
	const texts = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, Buffer.from(data).toString('utf8')]));
	const containing = (needle: string) => Object.keys(texts).filter((n) => texts[n].includes(needle));
	return { pkg, texts, containing };
}

describe('GDPR: other people are protected, the person gets all of their own data', () => {
	it('has no staff email or job title and no third person’s email anywhere in the ZIP; the person’s own email and ID file stay', async () => {
		const s = scenario();
		const { pkg, texts, containing } = await zipTexts('gdpr', { contactId: s.id });
		for (const admin of fake.workspace.admins) {
			expect(containing(admin.email)).toEqual([]);
			expect(containing(`"${admin.jobTitle}"`)).toEqual([]);
		}
		for (const other of OTHERS) expect(containing(other), other).toEqual([]);
		expect(containing(s.ownEmail)).toContain('subject.json');
		expect(containing(s.ownEmail)).toContain('conversation_parts.csv'); // own identifier inside a message stays
		expect(containing(s.idFileContent).some((n) => n.startsWith('files/'))).toBe(true);
		expect(containing(SSN)).toContain('subject.json'); // under GDPR the person's own numbers are theirs
		// Staff appear by name and role.
		expect(texts['index.html']).toContain(fake.workspace.admins[0].name);
		expect(texts['index.html']).toMatch(/support staff/);
		// The log counts what was done, without values.
		const kinds = new Set(pkg.redactions!.entries.map((r) => `${r.section}:${r.type}`));
		for (const k of ['conversations:EMAIL', 'conversations:PHONE', 'conversations:STAFF', 'notes:EMAIL', 'notes:STAFF', 'events:EMAIL', 'companies:FIELD']) expect(kinds, k).toContain(k);
		expect(texts['redaction_log.csv']).toMatch(/conversations,\d+,EMAIL,other_person,\d+/);
		expect(pkg.statements.join(' ')).toMatch(/Art\. 15\(4\)/);
		expect(pkg.statements.join(' ')).not.toMatch(/included because of Art\. 15\(4\)/);
		// No live link: every signed URL lost its signature.
		for (const [name, text] of Object.entries(texts)) if (!name.startsWith('files/')) expect(text, name).not.toMatch(/signature=[0-9a-f]{8,}/);
	});
});

describe('CCPA: §7024(d) data is withheld and stated as held', () => {
	it('has no government-ID file or number, no card number in the ZIP — only the statement', async () => {
		const s = scenario();
		const { pkg, texts, containing } = await zipTexts('ccpa', { contactId: s.id });
		expect(containing(s.idFileContent)).toEqual([]);
		expect(Object.keys(texts).filter((n) => n.startsWith('files/') && /id|passport/i.test(n))).toEqual([]);
		expect(containing(PASSPORT_NO)).toEqual([]);
		expect(containing(SSN)).toEqual([]);
		expect(containing(CARD)).toEqual([]);
		const idFileId = (fake.workspace.contacts.get(s.id)!.customAttributes[fx().fileAttributeName] as { fileId: string }).fileId;
		expect(fake.requests.filter((r) => r.path.startsWith(`/files/${idFileId}/`))).toHaveLength(0); // not even fetched
		expect(pkg.withheld).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ section: 'files', itemId: fx().fileAttributeName, category: 'government_id' }),
				expect.objectContaining({ section: 'profile', itemId: 'passport_number', category: 'government_id' }),
				expect.objectContaining({ section: 'conversations', category: 'government_id' }),
			]),
		);
		expect(texts['index.html']).toMatch(/we confirm that we hold it/);
		expect(texts['index.html']).toMatch(/request to know/);
		expect(texts['index.html']).not.toMatch(/GDPR Art\. 15\)/);
		expect(texts['index.html']).toMatch(/CCPA disclosures/);
		expect(texts['withheld.csv']).toMatch(/government_id/);
		expect(pkg.ccpa!.soldOrShared).toMatch(/NOT STATED/);
		// Other people stay protected under CCPA too.
		for (const other of OTHERS) expect(containing(other), other).toEqual([]);
		const review = reviewDsarPackage(toDocument(pkg));
		expect(review.blockers.join(' ')).toMatch(/sold or shared/);
	});

	it('"both" gives the CCPA disclosures and the GDPR Art. 15 block', async () => {
		const s = scenario();
		const { texts } = await zipTexts('both', { contactId: s.id });
		expect(texts['index.html']).toMatch(/GDPR Art\. 15\)/);
		expect(texts['index.html']).toMatch(/CCPA disclosures/);
		expect(texts['index.html']).not.toContain(PASSPORT_NO);
	});
});

describe('Art. 15 information from facts, and the review', () => {
	it('requires the controller and the DPO contact (naming the field) before any request, unless test mode', async () => {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		const { exportSubject: raw } = await import('../../src/dsar');
		await expect(raw(gw, { email: fx().userEmail })).rejects.toMatchObject({ field: 'controller' });
		await expect(raw(gw, { email: fx().userEmail }, { controller: 'Acme' })).rejects.toMatchObject({ field: 'dpoContact' });
		await expect(raw(gw, { email: fx().userEmail }, { ...CONTROLLER, regime: 'eu' as never })).rejects.toMatchObject({ field: 'regime' });
		await expect(raw(gw, { email: fx().userEmail }, { ...CONTROLLER, language: 'xx' })).rejects.toMatchObject({ field: 'language' });
		await expect(raw(gw, { email: fx().userEmail }, { ...CONTROLLER, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ field: 'timeZone' });
		expect(fake.requests).toHaveLength(0);
		const test = await raw(gw, { email: fx().userEmail }, { testMode: true });
		expect(test.testMode).toBe(true);
		const { files } = await renderDsarPackage(test);
		expect(Buffer.from(files.find((f) => f.name === 'index.html')!.data).toString()).toMatch(/TEST PACKAGE/);
		expect(reviewDsarPackage(toDocument(test)).blockers.join(' ')).toMatch(/test mode/);
	});

	it('builds recipients from the data map, transfers from the region, retention from the policy and the ledger', async () => {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		const pkg = await exportSubject(gw, { email: fx().userEmail }, {
			dataMap: [
				{ name: 'Intercom, Inc.', role: 'processor', purpose: 'customer messaging', country: 'USA', safeguard: 'EU-US Data Privacy Framework' },
				{ name: 'Amazon Web Services EMEA SARL', role: 'sub-processor of Intercom', country: 'USA' },
			],
			retentionPolicy: 'closed conversations are deleted 365 days after their last reply',
			ledgerRetention: '6 years',
		});
		expect(pkg.art15.controller).toBe(CONTROLLER.controller);
		expect(pkg.art15.dpo).toBe(CONTROLLER.dpoContact);
		expect(pkg.art15.recipients).toMatch(/^Intercom, Inc\. \(processor; customer messaging; USA; EU-US Data Privacy Framework\); Amazon Web Services EMEA SARL/);
		expect(pkg.workspace.region).toBe('US');
		expect(pkg.art15.recipients).toMatch(/hosts this workspace in the United States/);
		expect(pkg.art15.retention).toMatch(/365 days after their last reply/);
		expect(pkg.art15.retention).toMatch(/6 years/);
	});
});
