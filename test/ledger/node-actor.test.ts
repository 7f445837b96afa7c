// The node side of "who acted": the one helper that opens the ledger from the GdprLedger
// credential binds n8n's workflow id, execution id, mode and user id; Ledger → Search shows them,
// and shows contact ids in clear to the node (the key holder); Verify round-trips its anchor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ledgerResource from '../../nodes/IntercomGdpr/actions/ledger';
import { actorOf, getLedger } from '../../nodes/shared/transport/ledger';
import { bothBackends } from './backends';
import { ledgerExecuteContext } from '../nodes/context';

const env = bothBackends();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop(), 60_000);

const noIntercom = { url: 'http://127.0.0.1:9', token: 'unused-token' };

describe('actorOf', () => {
	it('takes what n8n gives, and leaves out what it does not (a trigger run has no user; a mock context has nothing)', () => {
		const ctx = (over: object) => ({ getWorkflow: () => ({ id: 'wfA1', active: true }), getExecutionId: () => '77', getMode: () => 'trigger', getExecutionContext: () => undefined, ...over });
		expect(actorOf(ctx({}) as never)).toEqual({ workflowId: 'wfA1', executionId: '77', mode: 'trigger' });
		expect(actorOf(ctx({ getExecutionContext: () => ({ executedByUserId: 'u-1' }) }) as never)).toEqual({ workflowId: 'wfA1', executionId: '77', mode: 'trigger', userId: 'u-1' });
		// Something that is not an id (never expected from n8n) is left out, never written.
		expect(actorOf(ctx({ getExecutionId: () => { throw new Error('no execution'); }, getWorkflow: () => ({ id: 'a b@c', active: false }) }) as never)).toEqual({ mode: 'trigger' });
		expect(actorOf({} as never)).toEqual({});
	});
});

describe.each(env.backends.map((b) => [b.name, b] as const))('the node opens the ledger bound to who acts (%s)', (_name, b) => {
	it('entries written through getLedger carry workflow, execution, mode and user; Search shows them and the contact ids', async () => {
		const cfg = b.freshConfig();
		const run = { workflowId: 'wfErase9', executionId: '4242', userId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', mode: 'manual' };
		const w = ledgerExecuteContext({ itemParams: [{}], fake: noIntercom, ledger: cfg, run });
		const ledger = await getLedger.call(w.ctx);
		await ledger.append({ type: 'erasure.done', requestId: 'req-1', contactIds: ['6745f0a1b2c3d4e5f6a7b8c9'] });
		await ledger.close();

		const s = ledgerExecuteContext({ itemParams: [{ resource: 'ledger', operation: 'search', searchBy: 'contactId', value: '6745f0a1b2c3d4e5f6a7b8c9', filters: {} }], fake: noIntercom, ledger: cfg });
		const [item] = await ledgerResource.search.execute.call(s.ctx, s.ctx.getInputData());
		expect(item.json).toMatchObject({ count: 1, erased: true });
		expect((item.json.entries as Array<Record<string, unknown>>)[0]).toMatchObject({ requestId: 'req-1', contactIds: ['6745f0a1b2c3d4e5f6a7b8c9'], actor: run });

		// A bad search value is refused per item with the field named (Continue On Fail: an error item).
		const bad = ledgerExecuteContext({ itemParams: [{ resource: 'ledger', operation: 'search', searchBy: 'contactId', value: 'not an id!', filters: {} }], fake: noIntercom, ledger: cfg, continueOnFail: true });
		const [err] = await ledgerResource.search.execute.call(bad.ctx, bad.ctx.getInputData());
		expect(String(err.json.error)).toMatch(/search contactId is not an Intercom contact id/);

		const v = ledgerExecuteContext({ itemParams: [{ resource: 'ledger', operation: 'verify', options: {} }], fake: noIntercom, ledger: cfg });
		const [report] = await ledgerResource.verify.execute.call(v.ctx, v.ctx.getInputData());
		expect(report.json).toMatchObject({ ok: true, entries: 1 });
		const anchor = report.json.anchor as { ledgerId: string };
		expect(anchor.ledgerId).toBe(report.json.ledgerId);
		const again = ledgerExecuteContext({ itemParams: [{ resource: 'ledger', operation: 'verify', options: { anchor: JSON.stringify(anchor) } }], fake: noIntercom, ledger: cfg });
		expect((await ledgerResource.verify.execute.call(again.ctx, again.ctx.getInputData()))[0].json).toMatchObject({ ok: true, anchorChecked: true });
	});
});
