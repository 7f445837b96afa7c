// Retention → Preview and Enforce: the operations' execute() against the fake Intercom, ledger on SQLite.
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { describe, expect, it, vi } from 'vitest';
import * as retention from '../../nodes/IntercomGdpr/actions/retention';
import type { FakeIntercom } from '../fake-intercom';
import { sqliteBackend } from '../ledger/backends';
import { ledgerExecuteContext, LEAD_POLICY_FORM } from './context';
import { useFakeIntercom } from '../support/world';

const backend = sqliteBackend();
let fake: FakeIntercom;
useFakeIntercom({ seed: 1 }, (f) => (fake = f), { reset: true, after: () => backend.cleanup() });

const formParams = (operation: 'preview' | 'enforce', extra: IDataObject = {}): IDataObject => ({
	resource: 'retention',
	operation,
	...LEAD_POLICY_FORM,
	maxContactsPerRun: 3,
	...extra,
});

describe('Retention → Preview', () => {
	it('outputs candidates (id, role, dates, rule) up to the limit and a hint with counts; changes nothing', async () => {
		const { ctx, hints } = ledgerExecuteContext({ itemParams: [formParams('preview', { output: 'candidates', returnAll: false, limit: 5 })], fake, ledger: backend.freshConfig() });
		const out = await retention.preview.execute.call(ctx, ctx.getInputData());
		expect(out).toHaveLength(5);
		expect(out[0].json).toMatchObject({ role: 'lead', rule: 'form-rule', action: 'delete' });
		expect(Object.keys(out[0].json).sort()).toEqual(['action', 'createdAt', 'id', 'lastSeenAt', 'matchedBy', 'role', 'rule']);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(hints[0].message).toMatch(/Retention preview \(Europe\/Berlin\): 5\+ candidate/);
		// The day edge is said in words: "before <day>", and whether that day counts.
		expect(hints[0].message).toMatch(/last active before \d{4}-\d{2}-\d{2}: that day itself still counts as recent\./);
		expect(hints[0].message).not.toMatch(/cutoff \d/);
		expect(fake.requests.filter((r) => r.method === 'DELETE' || r.path.endsWith('/archive'))).toHaveLength(0);
	});

	it('summary: one item with counts per rule over every candidate (JSON policy with two rules)', async () => {
		const policyJson = JSON.stringify({
			rules: [
				{ name: 'leads', role: 'lead', inactiveDays: 30, action: 'delete' },
				{ name: 'users', role: 'user', inactiveDays: 365, action: 'archive' },
			],
		});
		const { ctx } = ledgerExecuteContext({ itemParams: [{ resource: 'retention', operation: 'preview', policySource: 'json', policyJson, output: 'summary' }], fake, ledger: backend.freshConfig() });
		const out = await retention.preview.execute.call(ctx, ctx.getInputData());
		expect(out).toHaveLength(1);
		const s = out[0].json as { candidates: number; perRule: Record<string, number>; timeZone: string; cutoffs: unknown[] };
		expect(s.timeZone).toBe('Europe/Berlin');
		expect(s.perRule.leads).toBeGreaterThan(0);
		expect(s.perRule.users).toBeGreaterThan(0);
		expect(s.candidates).toBe(s.perRule.leads + s.perRule.users);
		expect(s.cutoffs).toHaveLength(2);
	});

	it('a bad JSON policy fails before any call, naming the path', async () => {
		const policyJson = JSON.stringify({ rules: [{ role: 'lead', inactiveDays: 30, action: 'delete' }, { role: 'lead', inactiveDays: 0, action: 'delete' }] });
		const { ctx } = ledgerExecuteContext({ itemParams: [{ resource: 'retention', operation: 'preview', policySource: 'json', policyJson }], fake, ledger: backend.freshConfig() });
		const error = await retention.preview.execute.call(ctx, ctx.getInputData()).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('The retention policy is not valid: rules[1].inactiveDays must be ≥ 1 [item 0]');
		expect(fake.requests).toHaveLength(0);
		// Continue On Fail: one error item, paired with the item whose parameters the run used.
		const lenient = ledgerExecuteContext({ itemParams: [{ resource: 'retention', operation: 'preview', policySource: 'json', policyJson }], fake, ledger: backend.freshConfig(), continueOnFail: true });
		const out = await retention.preview.execute.call(lenient.ctx, lenient.ctx.getInputData());
		expect(out).toEqual([{ json: expect.objectContaining({ error: (error as Error).message }), pairedItem: { item: 0 } }]);
	});
});

describe('Retention → Enforce', () => {
	it('deletes up to the cap, outputs the run report, records it in the ledger; a legal hold by id is honoured', async () => {
		const cfg = backend.freshConfig();
		// Find the first candidates, then hold the first one by id.
		const { ctx: pctx } = ledgerExecuteContext({ itemParams: [formParams('preview', { output: 'candidates', limit: 2 })], fake, ledger: cfg });
		const preview = await retention.preview.execute.call(pctx, pctx.getInputData());
		const heldId = preview[0].json.id as string;
		const { ctx, hints } = ledgerExecuteContext({ itemParams: [formParams('enforce', { holds: { contactIds: heldId }, dryRun: false, options: { runId: 'RET-1' } })], fake, ledger: cfg });
		const out = await retention.enforce.execute.call(ctx, ctx.getInputData());
		expect(out).toHaveLength(1);
		const r = out[0].json as { runId: string; stoppedBy: string; counts: Record<string, number>; contacts: Array<{ id: string }>; ledgerEntry: { seq: number } };
		expect(r).toMatchObject({ runId: 'RET-1', stoppedBy: 'cap', counts: { deleted: 3, heldBack: 1 } });
		expect(r.contacts.map((c) => c.id)).not.toContain(heldId);
		expect(fake.workspace.contacts.has(heldId)).toBe(true);
		expect(fake.requests.filter((q) => q.method === 'DELETE' && q.path.startsWith('/contacts/'))).toHaveLength(3);
		expect(hints[0].message).toMatch(/Retention run cap: \d+ candidate\(s\), 3 deleted, 0 archived/);
		expect(r.ledgerEntry.seq).toBeGreaterThan(0);
	});

	it('passes n8n\'s cancel signal: a cancelled execution stops the run', async () => {
		const controller = new AbortController();
		controller.abort();
		const { ctx } = ledgerExecuteContext({ itemParams: [formParams('enforce', { dryRun: false, options: {} })], fake, ledger: backend.freshConfig() });
		Object.assign(ctx, { getExecutionCancelSignal: vi.fn(() => controller.signal) });
		const out = await retention.enforce.execute.call(ctx, ctx.getInputData());
		expect(out[0].json).toMatchObject({ stoppedBy: 'cancelled', counts: { deleted: 0 } });
		expect(fake.requests.filter((q) => q.method === 'DELETE')).toHaveLength(0);
	});

	it('archive says in a hint that archive is not erasure; an invalid ledger retention is refused', async () => {
		const { ctx, hints } = ledgerExecuteContext({ itemParams: [formParams('enforce', { ruleAction: 'archive', maxContactsPerRun: 1, dryRun: false, options: {} })], fake, ledger: backend.freshConfig() });
		await retention.enforce.execute.call(ctx, ctx.getInputData());
		expect(hints.map((h) => h.message).join(' ')).toMatch(/not erased: Intercom restores them/);
		const bad = ledgerExecuteContext({ itemParams: [formParams('enforce', { dryRun: false, options: { ledgerKeepYears: 1 } })], fake, ledger: backend.freshConfig() });
		await expect(retention.enforce.execute.call(bad.ctx, bad.ctx.getInputData())).rejects.toThrow(/at least 2/);
	});

	it('refuses a Run ID the ledger could not record before any request, without echoing it', async () => {
		const { ctx } = ledgerExecuteContext({ itemParams: [formParams('enforce', { dryRun: false, options: { runId: 'run for jane@example.com' } })], fake, ledger: backend.freshConfig() });
		const error = (await retention.enforce.execute.call(ctx, ctx.getInputData()).catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Run ID may only hold 1–103 letters, digits and _ . : - [item 0]');
		expect(`${error.message} ${error.description}`).not.toContain('jane');
		expect(fake.requests).toHaveLength(0);
	});

	it('a refused token stops the run with what was handled; Continue On Fail puts the run report in the error item', async () => {
		fake.failNext({ status: 403, code: 'forbidden', method: 'DELETE', count: 10 });
		const { ctx } = ledgerExecuteContext({ itemParams: [formParams('enforce', { dryRun: false, options: {} })], fake, ledger: backend.freshConfig() });
		const error = (await retention.enforce.execute.call(ctx, ctx.getInputData()).catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^The retention run stopped: .* \[item 0\]$/);
		expect(error.description).toMatch(/Handled so far: 0 deleted, 0 archived; the ledger records run /);
		fake.failNext({ status: 403, code: 'forbidden', method: 'DELETE', count: 10 });
		const lenient = ledgerExecuteContext({ itemParams: [formParams('enforce', { dryRun: false, options: {} })], fake, ledger: backend.freshConfig(), continueOnFail: true });
		const out = await retention.enforce.execute.call(lenient.ctx, lenient.ctx.getInputData());
		expect(out).toHaveLength(1);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[0].json.error).toMatch(/^The retention run stopped/);
		expect(out[0].json.report).toMatchObject({ stoppedBy: 'aborted', counts: { deleted: 0 } });
	});

	it('keeps the ledger for N years when asked (nothing that young is deleted; the run still records)', async () => {
		const cfg = backend.freshConfig();
		const { ctx } = ledgerExecuteContext({ itemParams: [formParams('enforce', { maxContactsPerRun: 1, dryRun: false, options: { ledgerKeepYears: 7 } })], fake, ledger: cfg });
		const out = await retention.enforce.execute.call(ctx, ctx.getInputData());
		expect(out[0].json).toMatchObject({ counts: { deleted: 1 }, ledgerRetention: { deleted: 0, cutAfterSeq: 0 } });
	});
});
