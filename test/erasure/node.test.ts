// Data Subject → Erase as a node (issue 10): default options cover tickets, conversations and shared
// parts; the workflow can branch on `complete`; legal holds, override, downstream systems and the
// long-term receipt; bad options are refused before any request. Ledger on SQLite.
import { describe, expect, it } from 'vitest';
import { execute } from '../../nodes/IntercomGdpr/actions/dataSubject/erase.operation';
import { addErasureScenario, type FakeIntercom } from '../fake-intercom';
import { sqliteBackend } from '../ledger/backends';
import { eraseParams, ledgerExecuteContext } from '../nodes/context';
import { useFakeIntercom } from '../support/world';

const backend = sqliteBackend();
let fake: FakeIntercom;
useFakeIntercom({ seed: 6 }, (f) => (fake = f), { reset: true, after: () => backend.cleanup() });

async function run(itemParams: ReturnType<typeof eraseParams>[], continueOnFail = false) {
	const { ctx, hints } = ledgerExecuteContext({ itemParams, fake, ledger: backend.freshConfig(), continueOnFail });
	const out = await execute.call(ctx, ctx.getInputData());
	return { out, hints };
}

describe('Data Subject → Erase (node, issue 10)', () => {
	it('default options: erased and complete; with a narrowed scope: incomplete, complete false, remaining named, a warning hint', async () => {
		const a = addErasureScenario(fake.workspace);
		const b = addErasureScenario(fake.workspace);
		const { out, hints } = await run([eraseParams('email', a.email), eraseParams('email', b.email, { options: { deleteTickets: false } })]);
		expect(out[0].json).toMatchObject({ status: 'erased', complete: true, remaining: [], items: { tickets: { deleted: 1 }, conversationParts: { redacted: 4 } } });
		expect(out[1].json).toMatchObject({ status: 'incomplete', complete: false, remaining: [{ type: 'tickets', id: b.ticketId, conversationId: null, reason: 'excluded_by_option' }] });
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(hints.map((h) => h.message).join(' ')).toMatch(/1 erasure\(s\) incomplete/);
		expect(JSON.stringify(out)).not.toContain(a.email);
	});

	it('legal hold by contact id: held, nothing deleted; override with a reason erases; downstream systems and the long-term receipt', async () => {
		const p = addErasureScenario(fake.workspace);
		const held = await run([eraseParams('email', p.email, { legalHolds: { contactIds: p.contactId } })]);
		expect(held.out[0].json).toMatchObject({ status: 'held', complete: false, hold: { kind: 'contactId', id: p.contactId } });
		expect(fake.requests.some((q) => q.method === 'DELETE')).toBe(false);
		expect(held.hints.map((h) => h.message).join(' ')).toMatch(/legal hold/);
		const done = await run([
			eraseParams('email', p.email, {
				legalHolds: { contactIds: p.contactId },
				options: { overrideLegalHold: true, overrideReason: 'Hold released by legal, case 17 closed', notifyRecipients: 'Stripe, Data warehouse', archivalReceipt: true },
			}),
		]);
		expect(done.out[0].json).toMatchObject({ status: 'erased', variant: 'archival', externalIds: [], recipients: ['Stripe', 'Data warehouse'], holdOverride: { hold: { kind: 'contactId' } } });
	});

	it('bad options are refused before any request, naming the field', async () => {
		const p = addErasureScenario(fake.workspace);
		await expect(run([eraseParams('email', p.email, { options: { notifyRecipients: 'ops@example.com' } })])).rejects.toThrow(/notifyRecipients\[0\].*\[item 0\]/);
		await expect(run([eraseParams('email', p.email, { options: { overrideLegalHold: true } })])).rejects.toThrow(/overrideLegalHold.reason/);
		await expect(run([eraseParams('email', p.email, { legalHolds: { tagIds: 'a/b' } })])).rejects.toThrow(/legalHolds.tagIds\[0\]/);
		await expect(run([eraseParams('externalId', '..')])).rejects.toThrow(/external ID is not valid/);
		expect(fake.requests).toEqual([]);
	});
});
