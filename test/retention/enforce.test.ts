// enforceRetention against the fake Intercom with a SQLite ledger: deletes through the erasure flow,
// archive, per-run cap, idempotent re-runs, the cancel signal, faults, dry run, the run report.
import { beforeEach, describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom';
import type { Ledger } from '../../src/ledger';
import { enforceRetention } from '../../src/retention';
import type { RetentionPolicy } from '../../src/retention';
import type { FakeIntercom } from '../fake-intercom';
import { sqliteBackend } from '../ledger/backends';
import { addRetentionFixtures, NOW, ONLY_FIXTURES } from './fixtures';
import type { RetentionFixtures } from './fixtures';
import { useFakeIntercom } from '../support/world';

const backend = sqliteBackend();
let fake: FakeIntercom;
let fx: RetentionFixtures;
let ledger: Ledger;
useFakeIntercom({ seed: 1 }, (f) => (fake = f), { after: () => backend.cleanup() });
beforeEach(async () => {
	await ledger?.close();
	fake.reset();
	fx = addRetentionFixtures(fake);
	ledger = await backend.open(backend.freshConfig());
});

const gw = (maxRetries = 1) => createIntercom({ token: fake.token, baseUrl: fake.url, maxRetries });
const now = () => NOW;
/** Old users only (held ones excluded): 9 candidates, in id order. */
const policy = (over: Partial<RetentionPolicy> = {}, action: 'delete' | 'archive' = 'delete'): RetentionPolicy => ({
	rules: [{ name: 'stale-users', role: 'user', inactiveDays: 10, action, filters: [ONLY_FIXTURES] }],
	exclusions: { contactIds: [fx.heldById.id], tagIds: [fx.holds.tagId], companyIds: [fx.holds.companyId] },
	...over,
});
const contactDeletes = () => fake.requests.filter((r) => r.method === 'DELETE' && r.path.startsWith('/contacts/'));
const expected = () => [fx.seenJustBefore.id, fx.neverSeenBefore.id, fx.heldBySegment.id].sort();

describe('enforceRetention', () => {
	it('deletes every candidate through the erasure flow, with ledger entries per contact and a retention.run entry', async () => {
		const report = await enforceRetention(gw(), policy(), { ledger, now, runId: 'run-1' });
		expect(report).toMatchObject({ runId: 'run-1', dryRun: false, stoppedBy: 'completed', timeZone: 'Europe/Berlin' });
		expect(report.counts).toEqual({ candidates: 3, deleted: 3, archived: 0, alreadyHandled: 0, failed: 0, heldBack: 3 });
		expect(report.perRule['stale-users'].deleted).toBe(3);
		expect(report.contacts.map((c) => c.id).sort()).toEqual(expected());
		expect(contactDeletes().map((r) => r.path.split('/')[2]).sort()).toEqual(expected());
		for (const c of report.contacts) {
			// The erasure's request id (stored in clear) is the run's id and a keyed hash, never the contact id.
			expect(c.requestId).toBe(`run-1.c${ledger.hashIdentifier('contactId', c.id).slice(0, 16)}`);
			expect(c.requestId).not.toContain(c.id);
			const types = (await ledger.search({ contactId: c.id })).map((e) => e.type);
			expect(types).toEqual(['erasure.intent', 'erasure.done']);
		}
		const run = await ledger.search({ type: 'retention.run' });
		expect(run).toHaveLength(1);
		expect(run[0]).toMatchObject({ requestId: 'run-1', data: { stoppedBy: 'completed', timeZone: 'Europe/Berlin', counts: { deleted: 3 }, cutoffs: [{ rule: 'stale-users', cutoffDay: '2025-03-10' }] } });
		expect(report.ledgerEntry?.seq).toBe(run[0].seq);
		expect((await ledger.verify()).ok).toBe(true);
		// No personal data in the report or the ledger.
		const text = JSON.stringify(report) + JSON.stringify(await ledger.search({ limit: 1000 }));
		expect(text).not.toMatch(/@example\.com|Test Retention/);
	});

	it('a re-run counts nothing twice, even when Intercom\'s search still lists the deleted contacts', async () => {
		const first = await enforceRetention(gw(), policy(), { ledger, now });
		expect(first.counts.deleted).toBe(3);
		// Intercom's search lags behind deletes: put the records back so the search lists them again.
		for (const c of [fx.seenJustBefore, fx.neverSeenBefore, fx.heldBySegment]) fake.workspace.contacts.set(c.id, c);
		const deletesBefore = contactDeletes().length;
		const second = await enforceRetention(gw(), policy(), { ledger, now });
		expect(second.counts).toMatchObject({ candidates: 3, deleted: 0, alreadyHandled: 3 });
		expect(contactDeletes().length).toBe(deletesBefore);
		expect(await ledger.search({ type: 'retention.run' })).toHaveLength(2);
	});

	it('stops at maxContactsPerRun; the next run takes the rest', async () => {
		const first = await enforceRetention(gw(), policy({ maxContactsPerRun: 2 }), { ledger, now });
		expect(first.stoppedBy).toBe('cap');
		expect(first.counts.deleted).toBe(2);
		expect(contactDeletes()).toHaveLength(2);
		const second = await enforceRetention(gw(), policy({ maxContactsPerRun: 2 }), { ledger, now });
		expect(second.counts.deleted).toBe(1);
		expect(second.stoppedBy).toBe('completed');
	});

	it('honours the cancel signal midway: stops after the contact in progress and records a cancelled run', async () => {
		const controller = new AbortController();
		const report = await enforceRetention(gw(), policy(), {
			ledger,
			now,
			batchSize: 1,
			signal: controller.signal,
			onProgress: (p) => {
				if (p.handled === 1) controller.abort();
			},
		});
		expect(report.stoppedBy).toBe('cancelled');
		expect(report.counts.deleted).toBe(1);
		expect(contactDeletes()).toHaveLength(1);
		expect((await ledger.search({ type: 'retention.run' }))[0].data).toMatchObject({ stoppedBy: 'cancelled' });
	});

	it('a contact whose delete keeps failing is reported failed, the others go on; the next run finishes it', async () => {
		const victim = fx.seenJustBefore.id;
		fake.failNext({ status: 500, count: 10, method: 'DELETE', pathPattern: `^/contacts/${victim}$` });
		const first = await enforceRetention(gw(0), policy(), { ledger, now });
		expect(first.counts).toMatchObject({ deleted: 2, failed: 1 });
		expect(first.contacts.find((c) => c.id === victim)).toMatchObject({ outcome: 'failed', error: { status: 500, code: 'server_error' } });
		expect(first.stoppedBy).toBe('completed');
		fake.clearFaults();
		const second = await enforceRetention(gw(0), policy(), { ledger, now });
		expect(second.counts).toMatchObject({ candidates: 1, deleted: 1, failed: 0 });
		const types = (await ledger.search({ contactId: victim })).map((e) => e.type);
		expect(types).toContain('erasure.failed');
		expect(types[types.length - 1]).toBe('erasure.done');
		expect((await ledger.verify()).ok).toBe(true);
	});

	it('a refused token (401) aborts the run instead of failing every contact', async () => {
		fake.failNext({ status: 401, count: 50, method: 'DELETE' });
		const report = await enforceRetention(gw(0), policy(), { ledger, now });
		expect(report.stoppedBy).toBe('aborted');
		expect(report.counts.failed).toBe(1);
		expect(report.error?.status).toBe(401);
	});

	it('a search that keeps failing ends the run as aborted, with a ledger record of how far it got', async () => {
		fake.failNext({ status: 503, count: 20, pathPattern: '^/contacts/search$' });
		const report = await enforceRetention(gw(0), policy(), { ledger, now });
		expect(report.stoppedBy).toBe('aborted');
		expect(report.error).toMatchObject({ status: 503 });
		expect((await ledger.search({ type: 'retention.run' }))[0].data).toMatchObject({ stoppedBy: 'aborted', error: { status: 503 } });
	});

	it('archive: archives (not erases), records retention.archived, and archived contacts leave the selection', async () => {
		const report = await enforceRetention(gw(), policy({}, 'archive'), { ledger, now });
		expect(report.counts).toMatchObject({ archived: 3, deleted: 0 });
		expect(contactDeletes()).toHaveLength(0);
		expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/archive'))).toHaveLength(3);
		expect(fake.workspace.contacts.get(fx.seenJustBefore.id)?.archived).toBe(true);
		expect(await ledger.search({ type: 'retention.archived' })).toHaveLength(3);
		const again = await enforceRetention(gw(), policy({}, 'archive'), { ledger, now });
		expect(again.counts.candidates).toBe(0);
	});

	it('dry run: reports would_delete, changes nothing, records nothing', async () => {
		const report = await enforceRetention(gw(), policy(), { ledger, now, dryRun: true });
		expect(report.contacts.map((c) => c.outcome)).toEqual(['would_delete', 'would_delete', 'would_delete']);
		expect(contactDeletes()).toHaveLength(0);
		expect(report.ledgerEntry).toBeUndefined();
		expect((await ledger.head()).seq).toBe(0);
	});

	it('a stale lead sharing its email with a kept user is deleted alone and counted once (not a failed erasure)', async () => {
		const wfx = fake.workspace.fixtures;
		const lead = fake.workspace.contacts.get(wfx.sharedEmailLeadId);
		if (!lead) throw new Error('fixture missing');
		lead.lastSeenAt = 1_600_000_000;
		const only = { rules: [{ role: 'lead' as const, inactiveDays: 10, action: 'delete' as const, filters: [{ field: 'id', operator: '=', value: wfx.sharedEmailLeadId }] }] };
		const report = await enforceRetention(gw(), only, { ledger, now });
		expect(report.counts).toMatchObject({ deleted: 1, failed: 0 });
		expect(fake.workspace.contacts.has(wfx.sharedEmailLeadId)).toBe(false);
		expect(fake.workspace.contacts.has(wfx.sharedEmailUserId)).toBe(true);
		expect((await ledger.search({ contactId: wfx.sharedEmailLeadId })).map((e) => e.type)).toContain('retention.deleted');
		fake.workspace.contacts.set(lead.id, lead); // search lag
		expect((await enforceRetention(gw(), only, { ledger, now })).counts).toMatchObject({ deleted: 0, alreadyHandled: 1 });
	});
});
