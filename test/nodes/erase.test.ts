// Data Subject → Erase: the node's execute() against the fake Intercom, ledger on SQLite and PostgreSQL.
import { NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { execute } from '../../nodes/IntercomGdpr/actions/dataSubject/erase.operation';
import { openLedger } from '../../src/ledger';
import type { FakeIntercom } from '../fake-intercom';
import { dumpLedger, findPii, seededPii } from '../erasure/pii';
import { testKey } from '../ledger/backends';
import { fakeIntercomAndLedgers } from '../support/world';
import { eraseParams, ledgerExecuteContext } from './context';

let fake: FakeIntercom;
const env = fakeIntercomAndLedgers({ seed: 1 }, { onStart: (f) => (fake = f) });

const deletes = () => fake.requests.filter((r) => r.method === 'DELETE');

describe.each(env.backends.map((b) => [b.name, b] as const))('Data Subject → Erase (ledger on %s)', (_name, b) => {
	const seen: string[] = [];
	const configs: ReturnType<typeof b.freshConfig>[] = [];
	const fresh = () => {
		const cfg = b.freshConfig();
		configs.push(cfg);
		return cfg;
	};

	it('erases each item\'s person, outputs a receipt per item (ids, hashes, counts, verification, caveats)', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = fresh();
		const { ctx, hints } = ledgerExecuteContext({
			itemParams: [eraseParams('email', fx.sharedEmail, { options: { requestId: 'DSR-1' } }), eraseParams('id', fx.leadId), eraseParams('email', fx.unknownEmail)],
			fake,
			ledger: cfg,
		});
		const out = await execute.call(ctx, ctx.getInputData());
		seen.push(JSON.stringify(out), JSON.stringify(hints));
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toMatchObject({ requestId: 'DSR-1', status: 'erased', dryRun: false, counts: { contacts: 2, deleted: 2 }, verification: { ok: true } });
		expect((out[0].json.contactIds as string[]).sort()).toEqual([fx.sharedEmailLeadId, fx.sharedEmailUserId].sort());
		expect((out[0].json.subjectHashes as string[]).length).toBeGreaterThanOrEqual(3);
		expect((out[0].json.caveats as string[]).join(' ')).toMatch(/7 days/);
		expect(out[1].json).toMatchObject({ status: 'erased', contactIds: [fx.leadId] });
		expect(out[2].json).toMatchObject({ status: 'not_found', contactIds: [] });
		expect(hints[0].message).toMatch(/2 erased, 1 not found/);
		const ledger = await b.open(cfg);
		expect((await ledger.search({ requestId: 'DSR-1' })).map((e) => e.type)).toEqual(['request.verification_waived', 'erasure.intent', 'erasure.done']);
		expect((await ledger.verify()).ok).toBe(true);
		await ledger.close();
	});

	it('dry run by parameter, and always when an AI agent runs it as a tool (unless allowed)', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = fresh();
		const run = async (params: object, asTool: boolean) => {
			const { ctx } = ledgerExecuteContext({ itemParams: [params as never], fake, ledger: cfg, asTool });
			const out = await execute.call(ctx, ctx.getInputData());
			seen.push(JSON.stringify(out));
			return out[0].json;
		};
		expect(await run(eraseParams('id', fx.userId, { dryRun: true }), false)).toMatchObject({ status: 'dry_run', dryRun: true });
		expect(await run(eraseParams('id', fx.userId), true)).toMatchObject({ status: 'dry_run', dryRun: true });
		expect(deletes()).toEqual([]);
		expect(await run(eraseParams('id', fx.userId, { options: { letAgentsErase: true } }), true)).toMatchObject({ status: 'erased' });
		// By default the person's tickets and sole conversations go first, then the contact.
		expect(deletes().map((d) => d.path).filter((p) => p.startsWith('/contacts/'))).toEqual([`/contacts/${fx.userId}`]);
		expect(deletes().at(-1)?.path).toBe(`/contacts/${fx.userId}`);
	});

	it('bad input stops the run before any request: the error names the field and the item', async () => {
		const fx = fake.workspace.fixtures;
		const { ctx } = ledgerExecuteContext({ itemParams: [eraseParams('id', fx.userId), eraseParams('email', 'not-an-email')], fake, ledger: b.freshConfig() });
		const error = await execute.call(ctx, ctx.getInputData()).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('Subject email address is not valid [item 1]');
		expect(fake.requests).toEqual([]);
		// A Request ID the ledger would refuse (here an email) is refused before the lookup, without echoing it.
		const mapped = ledgerExecuteContext({ itemParams: [eraseParams('id', fx.userId, { options: { requestId: fx.userEmail } })], fake, ledger: b.freshConfig() });
		const refused = (await execute.call(mapped.ctx, mapped.ctx.getInputData()).catch((e: unknown) => e)) as NodeOperationError;
		expect(refused).toBeInstanceOf(NodeOperationError);
		expect(refused.message).toBe('Request ID may only hold 1–128 letters, digits and _ . : - [item 0]');
		expect(`${refused.message} ${refused.description}`).not.toContain(fx.userEmail);
		expect(fake.requests).toEqual([]);
	});

	it('a failed erasure throws with what happened and what to do; with Continue On Fail the receipt is in the error item', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = fresh();
		fake.failNext({ status: 403, code: 'forbidden', method: 'DELETE', count: 10 });
		const { ctx } = ledgerExecuteContext({ itemParams: [eraseParams('id', fx.leadId)], fake, ledger: cfg });
		const error = (await execute.call(ctx, ctx.getInputData()).catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Erasure stopped while trying to delete: Intercom answered 403 .* \[item 0\]$/);
		expect(error.description).toMatch(/0 of 1 contact\(s\) are gone; the ledger records where it stopped under request [\w-]+\. Fix the Intercom GDPR credential/);
		seen.push(error.message, String(error.description));
		fake.failNext({ status: 403, code: 'forbidden', method: 'DELETE', count: 10 });
		const again = ledgerExecuteContext({ itemParams: [eraseParams('id', fx.leadId)], fake, ledger: cfg, continueOnFail: true });
		const out = await execute.call(again.ctx, again.ctx.getInputData());
		seen.push(JSON.stringify(out));
		expect(out[0].json.error).toMatch(/403/);
		expect(out[0].json.receipt).toMatchObject({ status: 'failed', contacts: [{ id: fx.leadId, status: 'pending' }] });
		fake.clearFaults();
		const last = ledgerExecuteContext({ itemParams: [eraseParams('id', fx.leadId)], fake, ledger: cfg });
		const done = await execute.call(last.ctx, last.ctx.getInputData());
		expect(done[0].json).toMatchObject({ status: 'erased', resumed: true });
	});

	it('a ledger that cannot be opened (wrong key) stops before anything is deleted', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = fresh();
		await (await openLedger(cfg)).close();
		const { ctx } = ledgerExecuteContext({ itemParams: [eraseParams('id', fx.userId)], fake, ledger: { ...cfg, key: testKey('different') } });
		await expect(execute.call(ctx, ctx.getInputData())).rejects.toThrow(/Could not open the GDPR ledger: This ledger was created with a different secret key/);
		expect(deletes()).toEqual([]);
	});

	it('no seeded email, name, phone or the token in the outputs, errors or ledger rows', async () => {
		const pii = seededPii(1, fake.token);
		let rows = '';
		for (const cfg of configs) rows += await dumpLedger(await b.raw(cfg));
		expect(findPii(rows, pii)).toEqual([]);
		expect(findPii(seen.join('\n'), pii)).toEqual([]);
	});
});
