// The ledger seals contact ids at rest (the entry's `contactIds`, src/ledger/keys.ts). Nothing else
// an erasure or a retention run writes may name a contact in clear: not the statuses, not what
// remains (which can be ANOTHER person's contact found by search), not a contact-id legal hold, not a
// request id. Read straight from the database behind the ledger, on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { eraseSubject } from '../../src/erasure';
import { createIntercom } from '../../src/intercom';
import { enforceRetention } from '../../src/retention';
import { type FakeIntercom } from '../fake-intercom';
import { fakeIntercomAndLedgers } from '../support/world';
import { addRetentionFixtures, NOW, type RetentionFixtures } from '../retention/fixtures';

let fake: FakeIntercom;
let fx: RetentionFixtures;
const env = fakeIntercomAndLedgers({ seed: 4 }, { onStart: (f) => (fake = f), onReset: (f) => (fx = addRetentionFixtures(f)) });

describe.each(env.backends.map((b) => [b.name, b] as const))('no contact id in clear in the ledger (%s)', (_name, b) => {
	const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url, maxRetries: 1 });

	it('held, overridden, incomplete with another person\'s contact remaining, and a retention delete: ids only sealed', async () => {
		const cfg = b.freshConfig();
		const l = await b.open(cfg);
		const wfx = fake.workspace.fixtures;
		const held = fx.heldById;
		const holds = { contactIds: [held.id] };
		// A contact-id hold: the rule's id is the person's contact id.
		expect((await eraseSubject(gw(), { email: held.email }, { ledger: l, legalHolds: holds })).status).toBe('held');
		const over = await eraseSubject(gw(), { email: held.email }, { ledger: l, legalHolds: holds, overrideLegalHold: { reason: 'Hold released by legal, case 2026-17 closed' } });
		expect(over.status).toBe('erased');
		// Person scope from one contact id: the user sharing the lead's email is found by search and remains.
		const lead = wfx.sharedEmailLeadId;
		const other = wfx.sharedEmailUserId;
		const inc = await eraseSubject(gw(), { contactId: lead }, { ledger: l, scope: 'person' });
		expect(inc.status).toBe('incomplete');
		expect(inc.remaining).toContainEqual({ type: 'contacts', id: other, reason: 'found_by_search' });
		// Retention deletes one contact; its erasure's request id must not be built from the contact id.
		const gone = fx.seenJustBefore;
		const rule = { role: 'user' as const, inactiveDays: 10, action: 'delete' as const, filters: [{ field: 'id', operator: '=', value: gone.id }] };
		const report = await enforceRetention(gw(), { rules: [rule] }, { ledger: l, now: () => NOW });
		expect(report.counts).toMatchObject({ deleted: 1, failed: 0 });

		// What the ledger says, read through the key: positions and counts match the sealed ids.
		const heldEntry = (await l.search({ type: 'erasure.held' }))[0];
		expect(heldEntry.data.hold).toEqual({ kind: 'contactId', position: 0 });
		expect(heldEntry.contactIds).toEqual([held.id]);
		const overEntry = (await l.search({ type: 'erasure.hold_overridden' }))[0];
		expect(overEntry.data.hold).toEqual({ kind: 'contactId', position: 0 });
		expect(overEntry.contactIds).toEqual([held.id]);
		const incEntry = (await l.search({ type: 'erasure.incomplete' }))[0];
		expect(incEntry.contactIds).toEqual([lead]);
		expect(incEntry.data).toMatchObject({ statuses: ['deleted'], answersLost: 0 });
		expect(incEntry.data.remaining).toContainEqual({ type: 'contacts', position: null, reason: 'found_by_search' });
		const retained = await l.search({ contactId: gone.id });
		expect(retained.map((e) => e.type)).toEqual(['erasure.intent', 'erasure.done']);
		expect(retained[0].requestId).not.toContain(gone.id);

		// The rows themselves: no contact id anywhere in clear.
		const raw = await b.raw(cfg);
		const rows = JSON.stringify(await raw.query('SELECT * FROM {t}ledger_entries'));
		await raw.close();
		await l.close();
		expect(rows).toContain('erasure.incomplete'); // the read saw the entries
		for (const id of [held.id, lead, other, gone.id]) expect(rows).not.toContain(id);
	}, 120_000);
});
