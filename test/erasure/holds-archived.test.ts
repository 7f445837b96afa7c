// Erase honours the legal holds Retention uses (one definition: src/retention/holds.ts), and finds
// archived contacts: those this package archived through the ledger, the others by id — and never
// answers "no record" without saying what Intercom's search cannot see. Ledger on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { eraseSubject, ErasureOptionError } from '../../src/erasure';
import { createIntercom } from '../../src/intercom';
import { enforceRetention, LegalHoldsError } from '../../src/retention';
import { resolveSubject } from '../../src/subject';
import { addErasureScenario, type FakeIntercom } from '../fake-intercom';
import { fakeIntercomAndLedgers, freshLedgers } from '../support/world';
import { addRetentionFixtures, NOW, ONLY_FIXTURES, type RetentionFixtures } from '../retention/fixtures';

let fake: FakeIntercom;
let fx: RetentionFixtures;
const env = fakeIntercomAndLedgers({ seed: 4 }, { onStart: (f) => (fake = f), onReset: (f) => (fx = addRetentionFixtures(f)) });

const changes = () => fake.requests.filter((q) => q.method === 'DELETE' || q.path === '/conversations/redact' || q.path.endsWith('/archive'));

describe.each(env.backends.map((b) => [b.name, b] as const))('legal holds and archived contacts (ledger on %s)', (_name, b) => {
	const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url, maxRetries: 1 });
	const ledger = freshLedgers(b);
	const holds = () => ({ tagIds: [fx.holds.tagId], segmentIds: [fx.holds.segmentId], companyIds: [fx.holds.companyId], contactIds: [fx.heldById.id] });

	it.each([
		['tag', () => fx.heldByTag, () => fx.holds.tagId],
		['segment', () => fx.heldBySegment, () => fx.holds.segmentId],
		['company', () => fx.heldByCompany, () => fx.holds.companyId],
		['company', () => fx.heldByCompanyPastTen, () => fx.holds.companyId], // the 12th company: not embedded
		['contactId', () => fx.heldById, () => fx.heldById.id],
	])('a person held by %s: status held, nothing deleted, an erasure.held entry naming the hold (not the person)', async (kind, who, holdId) => {
		const l = await ledger();
		const person = who();
		const r = await eraseSubject(gw(), { email: person.email }, { ledger: l, legalHolds: holds() });
		expect(r.status).toBe('held');
		expect(r.hold).toEqual({ kind, id: holdId() });
		expect(changes()).toEqual([]);
		expect(fake.workspace.contacts.has(person.id)).toBe(true);
		const entries = await l.search({});
		expect(entries.map((e) => e.type)).toEqual(['erasure.held']);
		// A contact-id hold names the person's contact: only in the sealed contactIds, by position in data.
		expect(entries[0].data).toMatchObject({ hold: kind === 'contactId' ? { kind, position: 0 } : { kind, id: holdId() } });
		expect(entries[0].contactIds).toEqual(kind === 'contactId' ? [holdId()] : []);
		expect(JSON.stringify(entries)).not.toContain(person.email);
		if (person === fx.heldByCompanyPastTen) expect(fake.requests.some((q) => q.path === `/contacts/${person.id}/companies`)).toBe(true);
		// A dry run says held too, and writes nothing.
		const dry = await eraseSubject(gw(), { email: person.email }, { ledger: l, legalHolds: holds(), dryRun: true });
		expect(dry.status).toBe('held');
		expect(await l.search({})).toHaveLength(1);
	});

	it('a person under no hold is erased as usual with holds given', async () => {
		const l = await ledger();
		const r = await eraseSubject(gw(), { email: fx.seenJustBefore.email }, { ledger: l, legalHolds: holds() });
		expect(r.status).toBe('erased');
	});

	it('overriding a hold needs an explicit reason without personal data; both are recorded before the intent', async () => {
		const l = await ledger();
		const person = fx.heldByTag;
		await expect(eraseSubject(gw(), { email: person.email }, { ledger: l, legalHolds: holds(), overrideLegalHold: { reason: '' } })).rejects.toThrow(ErasureOptionError);
		await expect(
			eraseSubject(gw(), { email: person.email }, { ledger: l, legalHolds: holds(), overrideLegalHold: { reason: 'Released by legal, ask jane.doe@example.com' } }),
		).rejects.toThrow(/overrideLegalHold.reason contains personal data/);
		await expect(eraseSubject(gw(), { email: person.email }, { ledger: l, legalHolds: { tagIds: ['a b'] } })).rejects.toThrow(LegalHoldsError);
		await expect(eraseSubject(gw(), { email: person.email }, { ledger: l, legalHolds: { tags: [] } as never })).rejects.toThrow(/legalHolds.tags is not a known hold/);
		expect(fake.requests).toEqual([]);
		const reason = 'Hold released by legal, case 2026-17 closed';
		const r = await eraseSubject(gw(), { email: person.email }, { ledger: l, legalHolds: holds(), overrideLegalHold: { reason } });
		expect(r.status).toBe('erased');
		expect(r.holdOverride).toEqual({ hold: { kind: 'tag', id: fx.holds.tagId }, reason });
		const entries = await l.search({ requestId: r.requestId });
		expect(entries.map((e) => e.type)).toEqual(['erasure.hold_overridden', 'erasure.intent', 'erasure.done']);
		expect(entries[0].data).toEqual({ hold: { kind: 'tag', id: fx.holds.tagId }, reason });
	});

	it('an override reason longer than the ledger keeps (256) is refused before any call; 256 characters pass', async () => {
		const l = await ledger();
		const person = fx.heldByTag;
		const unit = 'Hold released by legal. ';
		const long = unit.repeat(11).slice(0, 256) + 'x';
		expect(long).toHaveLength(257);
		await expect(eraseSubject(gw(), { email: person.email }, { ledger: l, legalHolds: holds(), overrideLegalHold: { reason: long } })).rejects.toThrow(
			/overrideLegalHold.reason is longer than 256 characters/,
		);
		expect(fake.requests).toEqual([]);
		expect(await l.search({})).toEqual([]);
		const reason = unit.repeat(11).slice(0, 255) + 'x';
		expect(reason).toHaveLength(256);
		const r = await eraseSubject(gw(), { email: person.email }, { ledger: l, legalHolds: holds(), overrideLegalHold: { reason } });
		expect(r.status).toBe('erased');
		expect((await l.search({ requestId: r.requestId, type: 'erasure.hold_overridden' }))[0].data).toMatchObject({ reason });
	});

	it('a contact known only from the ledger and found again in Intercom is hold-checked before anything changes', async () => {
		const l = await ledger();
		// An earlier erasure for this email named the contact; Intercom has it again (a restore), under another email.
		const email = 'restored-person@example.test';
		const person = fx.heldByTag;
		for (const type of ['erasure.intent', 'erasure.done'] as const) {
			await l.append({ type, requestId: 'earlier-request', subjects: [l.hashIdentifier('email', email)], contactIds: [person.id], data: {} });
		}
		const r = await eraseSubject(gw(), { email }, { ledger: l, legalHolds: holds() });
		expect(r.status).toBe('held');
		expect(r.hold).toEqual({ kind: 'tag', id: fx.holds.tagId });
		expect(changes()).toEqual([]);
		expect(fake.workspace.contacts.has(person.id)).toBe(true);
		// Without holds it is planned like a found contact, deleted, and the receipt says where it came from.
		const erased = await eraseSubject(gw(), { email }, { ledger: l });
		expect(erased.status).toBe('erased');
		expect(erased.contacts).toEqual([expect.objectContaining({ id: person.id, source: 'ledger', status: 'deleted' })]);
		expect(fake.workspace.contacts.has(person.id)).toBe(false);
	});

	it('a contact Retention archived is found by email through the ledger, then by id, and erased', async () => {
		const l = await ledger();
		const policy = { rules: [{ name: 'archive-old', role: 'user' as const, inactiveDays: 10, action: 'archive' as const, filters: [ONLY_FIXTURES] }], exclusions: holds() };
		const report = await enforceRetention(gw(), policy, { ledger: l, now: () => NOW });
		expect(report.counts.archived).toBeGreaterThanOrEqual(2);
		const archived = fx.seenJustBefore;
		expect(fake.workspace.contacts.get(archived.id)?.archived).toBe(true);
		const entry = (await l.search({ contactId: archived.id, type: 'retention.archived' }))[0];
		expect(entry.subjects).toContain(l.hashIdentifier('email', archived.email));
		// Search cannot see it; the ledger can.
		expect((await resolveSubject(gw(), { email: archived.email })).found).toBe(false);
		const found = await resolveSubject(gw(), { email: archived.email }, { ledger: l });
		expect(found).toMatchObject({ found: true, viaLedger: [archived.id] });
		const r = await eraseSubject(gw(), { email: archived.email }, { ledger: l });
		expect(r.status).toBe('erased');
		expect(r.contacts).toEqual([expect.objectContaining({ id: archived.id, status: 'deleted', archived: true })]);
		expect(fake.workspace.contacts.has(archived.id)).toBe(false);
	});

	it('an archived contact the package did not archive: never "no record" without saying why, and erasable by id', async () => {
		const l = await ledger();
		const p = addErasureScenario(fake.workspace);
		const r = await eraseSubject(gw(), { email: p.archivedEmail }, { ledger: l });
		expect(r.status).toBe('not_found');
		expect(r.notice).toMatch(/search never returns archived contacts/);
		expect(r.notice).toMatch(/by contact ID/);
		expect((await l.search({ type: 'erasure.not_found' }))[0].data).toMatchObject({ archivedInvisibleToSearch: true });
		const byId = await eraseSubject(gw(), { contactId: p.archivedContactId }, { ledger: l });
		expect(byId.status).toBe('erased');
		expect(byId.contacts).toEqual([expect.objectContaining({ id: p.archivedContactId, status: 'deleted', archived: true })]);
	});
});
