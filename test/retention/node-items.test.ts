// Retention → Preview / Enforce in the node with rules for conversations, tickets and attributes
// (JSON policy), over HTTP to the fake Intercom; the ledger on SQLite and PostgreSQL. Also: the
// `ledger.pruned` record Enforce writes names who acted, like every other entry.
import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import * as retention from '../../nodes/IntercomGdpr/actions/retention';
import { LEDGER_PRUNED } from '../../src/ledger';
import { type FakeIntercom } from '../fake-intercom';
import { fakeIntercomAndLedgers } from '../support/world';
import { ledgerExecuteContext } from '../nodes/context';
import { addItemFixtures, type ItemFixtures } from './item-fixtures';

let fake: FakeIntercom;
let fx: ItemFixtures;
const env = fakeIntercomAndLedgers({ seed: 2 }, { onStart: (f) => (fake = f), onReset: (f) => (fx = addItemFixtures(f)) });

const RUN = { workflowId: 'wfRetention9', executionId: '4242', mode: 'trigger' };
const policyJson = () =>
	JSON.stringify({
		rules: [
			{ target: 'conversations', name: 'old-conversations', closedMoreThanDays: 365, action: 'delete' },
			{ target: 'attributes', name: 'id-documents', names: ['id_scan_file'], olderThanDays: 365, action: 'clear' },
		],
		exclusions: { tagIds: [fx.tagId] },
		maxItemsPerRun: 10,
	});
const params = (operation: 'preview' | 'enforce', extra: IDataObject = {}): IDataObject => ({ resource: 'retention', operation, policySource: 'json', policyJson: policyJson(), ...extra });
const writes = () => fake.requests.filter((r) => r.method === 'DELETE' || r.method === 'PUT' || r.path === '/conversations/redact');

describe.each(env.backends.map((b) => [b.name, b] as const))('Retention node with rules below the contact (ledger on %s)', (_name, b) => {
	it('Preview lists the conversations and contacts it would change (ids, no personal data) and changes nothing', async () => {
		const { ctx, hints } = ledgerExecuteContext({ itemParams: [params('preview', { output: 'candidates', returnAll: true })], fake, ledger: b.freshConfig() });
		const out = await retention.preview.execute.call(ctx, ctx.getInputData());
		const rows = out.map((o) => [o.json.id, o.json.outcome]);
		expect(rows).toContainEqual([fx.oldConversationId, 'would_delete']);
		expect(rows).toContainEqual([fx.heldConversationId, 'held']);
		expect(rows).toContainEqual([fx.staleAttributesId, 'would_clear']);
		expect(out.every((o) => o.pairedItem !== undefined)).toBe(true);
		expect(hints.map((h) => h.message).join(' ')).toMatch(/Conversations, tickets, attributes: 4 candidate\(s\), 2 would be changed, 2 held/);
		expect(writes()).toEqual([]);
		const text = JSON.stringify(out);
		for (const pii of fx.personalData) expect(text).not.toContain(pii);

		const summary = ledgerExecuteContext({ itemParams: [params('preview', { output: 'summary' })], fake, ledger: b.freshConfig() });
		const [s] = await retention.preview.execute.call(summary.ctx, summary.ctx.getInputData());
		expect(s.json.items).toMatchObject({ counts: { candidates: 4, held: 2 }, maxItemsPerRun: 10 });
	});

	it('Enforce deletes and clears, reports the items, and its ledger entries (the prune record too) name the workflow and execution', async () => {
		const cfg = b.freshConfig();
		// Old evidence for Keep Ledger Entries (Years) to prune.
		const old = await b.open(cfg);
		for (let y = 2015; y <= 2018; y++) await old.append({ type: 'erasure.done', requestId: `r-${y}`, at: `${y}-05-01T00:00:00Z` });
		await old.close();
		const { ctx, hints } = ledgerExecuteContext({ itemParams: [params('enforce', { dryRun: false, options: { ledgerKeepYears: 2 } })], fake, ledger: cfg, run: RUN });
		const [item] = await retention.enforce.execute.call(ctx, ctx.getInputData());
		const items = item.json.items as { counts: Record<string, number>; results: Array<{ id: string; outcome: string }> };
		expect(items.counts).toMatchObject({ deleted: 1, cleared: 1, held: 2, failed: 0 });
		expect(items.results.find((r) => r.id === fx.oldConversationId)?.outcome).toBe('deleted');
		expect(hints.map((h) => h.message).join(' ')).toMatch(/1 deleted, 0 redacted, 1 cleared/);
		expect(writes().map((r) => `${r.method} ${r.path}`).sort()).toEqual([`DELETE /conversations/${fx.oldConversationId}`, `PUT /contacts/${fx.staleAttributesId}`].sort());
		expect((item.json.ledgerRetention as { deleted: number }).deleted).toBe(4);

		const l = await b.open(cfg);
		const actor = { workflowId: RUN.workflowId, executionId: RUN.executionId, mode: RUN.mode, userId: '0b5a1c9e-3f2d-4e6a-8b7c-9d0e1f2a3b4c' };
		const entries = await l.search({ since: '2020-01-01T00:00:00Z', limit: 100 });
		const pruned = entries.filter((e) => e.type === LEDGER_PRUNED);
		expect(pruned).toHaveLength(1);
		expect(pruned[0].actor).toMatchObject({ workflowId: RUN.workflowId, executionId: RUN.executionId, mode: RUN.mode });
		for (const type of ['retention.conversation_deleted', 'retention.attributes_cleared', 'retention.run']) {
			expect(entries.find((e) => e.type === type)?.actor).toMatchObject({ workflowId: actor.workflowId, executionId: actor.executionId });
		}
		expect((await l.verify()).ok).toBe(true);
		await l.close();
	});
});
