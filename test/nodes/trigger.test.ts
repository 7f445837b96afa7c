// Intercom GDPR Trigger: node-cron schedule on a short cron with a mocked ITriggerFunctions, manual
// runs, cron validation, no overlapping runs, closeFunction, and both events against the fake.
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { describe, expect, it, vi } from 'vitest';
import { IntercomGdprTrigger } from '../../nodes/IntercomGdprTrigger/IntercomGdprTrigger.node';
import { checkCronExpression, startSchedule } from '../../nodes/IntercomGdprTrigger/schedule';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { requestFilesFolder } from '../../nodes/shared/transport/requestStores';
import { trackRequest } from '../../src/requests';
import { PUBLISHED_FOLDER, publishPackage } from '../../src/delivery';
import type { FakeIntercom } from '../fake-intercom';
import { sqliteBackend } from '../ledger/backends';
import { fakeTriggerContext, LEAD_POLICY_FORM, ledgerCredential } from './context';
import { useFakeIntercom } from '../support/world';

const backend = sqliteBackend();
let fake: FakeIntercom;
useFakeIntercom({ seed: 1 }, (f) => (fake = f), { reset: true, after: () => backend.cleanup() });

function triggerContext(params: IDataObject, opts: { mode?: 'trigger' | 'manual'; ledger?: ICredentialDataDecryptedObject; timeZone?: string } = {}) {
	return fakeTriggerContext(fake, params, opts);
}

const candidatesParams = (extra: IDataObject = {}): IDataObject => ({
	event: 'retentionCandidates',
	schedule: 'custom',
	cronExpression: '* * * * * *',
	...LEAD_POLICY_FORM,
	maxContactsPerRun: 5,
	...extra,
});

describe('Intercom GDPR Trigger', () => {
	it('follows the trigger-node conventions: name and display name, no inputs, not a tool', () => {
		const d = new IntercomGdprTrigger().description;
		expect(d.name).toMatch(/Trigger$/);
		expect(d.displayName).toContain('Trigger');
		expect(d.inputs).toEqual([]);
		expect((d as { usableAsTool?: boolean }).usableAsTool).toBeUndefined();
	});

	it('fires on a short cron (every second) and emits a preview batch; closeFunction stops the schedule', async () => {
		const { ctx, emitted } = triggerContext(candidatesParams());
		const response = await new IntercomGdprTrigger().trigger.call(ctx);
		await vi.waitFor(() => expect(emitted.length).toBeGreaterThanOrEqual(1), { timeout: 5000, interval: 50 });
		await response.closeFunction?.();
		const batch = emitted[0][0][0].json as { event: string; timeZone: string; candidates: number; contacts: Array<{ id: string; rule: string }>; moreThanOneRun: boolean };
		expect(batch).toMatchObject({ event: 'retentionCandidates', timeZone: 'Europe/Berlin', moreThanOneRun: true });
		expect(batch.contacts).toHaveLength(5);
		expect(batch.contacts[0].rule).toBe('form-rule');
		// Nothing was deleted: the trigger only previews.
		expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(0);
		const after = emitted.length;
		await new Promise((r) => setTimeout(r, 1500));
		expect(emitted.length).toBe(after);
	});

	it('manual test run emits immediately, without a schedule', async () => {
		const { ctx, emitted } = triggerContext(candidatesParams({ schedule: 'daily' }), { mode: 'manual' });
		const response = await new IntercomGdprTrigger().trigger.call(ctx);
		expect(response.closeFunction).toBeUndefined();
		await response.manualTriggerFunction?.();
		expect(emitted).toHaveLength(1);
		expect((emitted[0][0][0].json as { contacts: unknown[] }).contacts.length).toBeGreaterThan(0);
	});

	it('a manual test always answers: with nothing found and Emit When Nothing Found off, one summary item (not an endless "Executing node…")', async () => {
		const none = triggerContext(candidatesParams({ schedule: 'daily', inactiveDays: 36_500, includeNeverSeen: false }), { mode: 'manual' });
		await (await new IntercomGdprTrigger().trigger.call(none.ctx)).manualTriggerFunction?.();
		expect(none.emitted).toHaveLength(1);
		expect(none.emitted[0][0]).toHaveLength(1);
		expect(none.emitted[0][0][0].json).toMatchObject({ event: 'retentionCandidates', candidates: 0, contacts: [] });

		const cfg = backend.freshConfig();
		const empty = triggerContext({ event: 'requestDeadlines', schedule: 'daily', withinDays: 7, emitEmpty: false }, { mode: 'manual', ledger: ledgerCredential(cfg), timeZone: 'UTC' });
		await (await new IntercomGdprTrigger().trigger.call(empty.ctx)).manualTriggerFunction?.();
		expect(empty.emitted).toHaveLength(1);
		expect(empty.emitted[0][0].map((i) => i.json)).toEqual([expect.objectContaining({ event: 'requestDeadlines', due: 0, withinDays: 7 })]);
	});

	it('a scheduled tick with nothing found starts nothing (unless Emit When Nothing Found is on)', async () => {
		const params = candidatesParams({ inactiveDays: 36_500, includeNeverSeen: false });
		const quiet = triggerContext(params);
		const response = await new IntercomGdprTrigger().trigger.call(quiet.ctx);
		await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThan(0), { timeout: 5000, interval: 50 });
		await new Promise((r) => setTimeout(r, 1200));
		await response.closeFunction?.();
		expect(quiet.emitted).toEqual([]);
	});

	it('"moreThanOneRun" says whether one Enforce run (the per-run cap) is not enough, exactly at the cap too', async () => {
		const batchFor = async (maxContactsPerRun: number) => {
			const { ctx, emitted } = triggerContext(candidatesParams({ schedule: 'daily', maxContactsPerRun }), { mode: 'manual' });
			await (await new IntercomGdprTrigger().trigger.call(ctx)).manualTriggerFunction?.();
			return emitted[0][0][0].json as { candidates: number; contacts: unknown[]; moreThanOneRun: boolean };
		};
		const all = await batchFor(1000);
		expect(all.moreThanOneRun).toBe(false);
		expect(all.candidates).toBeGreaterThan(1);
		expect(all.contacts).toHaveLength(all.candidates);
		expect(await batchFor(all.candidates)).toMatchObject({ candidates: all.candidates, moreThanOneRun: false });
		expect(await batchFor(all.candidates - 1)).toMatchObject({ candidates: all.candidates - 1, moreThanOneRun: true });
	});

	it('refuses an invalid cron expression or policy when the workflow is activated', async () => {
		const bad = triggerContext(candidatesParams({ cronExpression: '61 * * * *' }));
		const error = await new IntercomGdprTrigger().trigger.call(bad.ctx).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/^The cron expression is not valid: /);
		const badPolicy = triggerContext(candidatesParams({ inactiveDays: 0 }));
		await expect(new IntercomGdprTrigger().trigger.call(badPolicy.ctx)).rejects.toThrow(/rules\[0\]\.inactiveDays must be ≥ 1/);
		const badZone = triggerContext(candidatesParams(), { timeZone: 'Nowhere/Never' });
		await expect(new IntercomGdprTrigger().trigger.call(badZone.ctx)).rejects.toThrow(/time zone/);
	});

	it('presets are valid node-cron expressions: daily 03:00, weekly Monday 03:00', () => {
		expect(checkCronExpression('0 0 3 * * *').problems).toEqual([]);
		expect(checkCronExpression('0 0 3 * * 1').problems).toEqual([]);
		expect(checkCronExpression('').problems).toEqual(['it is empty']);
	});

	it('request deadlines: emits the open requests due within N days or overdue, from the ledger', async () => {
		const cfg = backend.freshConfig();
		const ledger = await backend.open(cfg);
		const today = new Date();
		const daysAgo = (n: number) => new Date(today.getTime() - n * 86_400_000).toISOString().slice(0, 10);
		await trackRequest(ledger, { requestId: 'DSR-soon', kind: 'access', regime: 'ccpa', received: daysAgo(40) }); // due in ~5 days
		const subject = ledger.hashIdentifier('email', 'late.requester@example.com');
		await trackRequest(ledger, { requestId: 'DSR-late', kind: 'erasure', regime: 'ccpa', received: daysAgo(50), subjects: [subject] }); // overdue
		await trackRequest(ledger, { requestId: 'DSR-new', kind: 'erasure', regime: 'ccpa', received: daysAgo(1) }); // not yet
		await ledger.close();
		const { ctx, emitted } = triggerContext({ event: 'requestDeadlines', schedule: 'daily', withinDays: 7 }, { mode: 'manual', ledger: ledgerCredential(cfg), timeZone: 'UTC' });
		const response = await new IntercomGdprTrigger().trigger.call(ctx);
		await response.manualTriggerFunction?.();
		const items = emitted[0][0].map((i) => i.json);
		expect(items.map((i) => i.requestId)).toEqual(['DSR-late', 'DSR-soon']);
		expect(items[0]).toMatchObject({ event: 'requestDeadlines', kind: 'erasure', regime: 'ccpa', overdue: true });
		expect(items[1]).toMatchObject({ overdue: false, daysLeft: 5 });
		// CCPA: the 10-business-day acknowledgement deadline beside the 45-day one; the next unmet deadline first.
		expect(items[0].acknowledgementDueDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect((items[0].deadlines as Array<{ kind: string }>).map((d) => d.kind)).toEqual(expect.arrayContaining(['acknowledgement', 'delivery']));
		expect(items[0].nextDeadline).toMatchObject({ kind: 'acknowledgement' });
		// The items go to email or ticket nodes: they say how many identifiers a request names, not which.
		expect(items[0]).toMatchObject({ subjectCount: 1 });
		expect(JSON.stringify(items)).not.toContain(subject);
	});

	it('request deadlines tick is also the housekeeping: a published package past its TTL is deleted, a live one kept', async () => {
		const cfg = backend.freshConfig();
		const credential = ledgerCredential(cfg);
		const folder = join(requestFilesFolder(credential), PUBLISHED_FOLDER);
		const data = new TextEncoder().encode('PK encrypted package');
		const old = publishPackage({ folder, requestId: 'DSR-old', data, fileName: 'old.zip', ttlDays: 1, now: new Date(Date.now() - 3 * 86_400_000) });
		const live = publishPackage({ folder, requestId: 'DSR-live', data, fileName: 'live.zip', ttlDays: 7 });
		expect(readdirSync(folder).length).toBeGreaterThanOrEqual(4); // a package and its metadata each
		const { ctx, emitted } = triggerContext({ event: 'requestDeadlines', schedule: 'daily', withinDays: 7 }, { mode: 'manual', ledger: credential, timeZone: 'UTC' });
		const response = await new IntercomGdprTrigger().trigger.call(ctx);
		await response.manualTriggerFunction?.();
		expect(emitted[0][0][0].json).toMatchObject({ due: 0, expiredPackagesDeleted: 1 });
		const left = readdirSync(folder).join(' ');
		const fileId = (token: string) => createHash('sha256').update(token).digest('hex'); // files are named by the token's hash
		expect(left).not.toContain(fileId(old.token));
		expect(left).toContain(fileId(live.token));
	});

	it('never overlaps runs: ticks and manual runs while a run is still going are skipped (counted, not logged as warnings)', async () => {
		const warn = vi.spyOn(console, 'warn');
		let running = 0;
		let maxRunning = 0;
		let runs = 0;
		const schedule = startSchedule(
			'* * * * * *',
			'UTC',
			async () => {
				running++;
				maxRunning = Math.max(maxRunning, running);
				await new Promise((r) => setTimeout(r, 1300)); // longer than the 1-second tick
				running--;
				runs++;
			},
			() => undefined,
		);
		await vi.waitFor(() => expect(running).toBe(1), { timeout: 3000, interval: 20 });
		expect(await schedule.runNow()).toBe('skipped');
		await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(2), { timeout: 8000, interval: 50 });
		await schedule.stop();
		expect(maxRunning).toBe(1);
		expect(schedule.skipped).toBeGreaterThanOrEqual(1);
		// node-cron's own "[NODE-CRON] [WARN] task still running…" lines looked like failures in logs.
		expect(warn.mock.calls.flat().join('\n')).not.toMatch(/still running|NODE-CRON/);
		warn.mockRestore();
	}, 15_000);
});
