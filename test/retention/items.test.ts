// Storage limitation below the contact (Art. 5(1)(e)): retention rules for conversations, tickets and
// named attributes, over real HTTP to the fake Intercom, the ledger on SQLite and PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom';
import type { Ledger, LedgerConfig } from '../../src/ledger';
import { enforceRetention, previewItemRetention, RetentionPolicyError, validatePolicy } from '../../src/retention';
import type { RetentionPolicy } from '../../src/retention';
import { type FakeIntercom } from '../fake-intercom';
import { fakeIntercomAndLedgers } from '../support/world';
import { addItemFixtures, type ItemFixtures } from './item-fixtures';

let fake: FakeIntercom;
let fx: ItemFixtures;
const env = fakeIntercomAndLedgers({ seed: 3 }, { onStart: (f) => (fake = f), onReset: (f) => (fx = addItemFixtures(f)) });

const ACTOR = { workflowId: 'wfItems01', executionId: '777', mode: 'trigger' };
const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url, maxRetries: 1 });
const writes = () => fake.requests.filter((r) => r.method === 'DELETE' || r.method === 'PUT' || (r.method === 'POST' && !r.path.endsWith('/search')));
/** What the fake serves now, read over HTTP like a user would. */
async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
	const res = await fetch(`${fake.url}${path}`, { headers: { Authorization: `Bearer ${fake.token}`, 'Intercom-Version': '2.14' } });
	return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const conv = (over: object = {}) => ({ target: 'conversations' as const, name: 'old-conversations', closedMoreThanDays: 365, action: 'delete' as const, ...over });

describe.each(env.backends.map((b) => [b.name, b] as const))('retention rules for conversations, tickets and attributes (ledger on %s)', (_name, b) => {
	const opened: Ledger[] = [];
	async function ledger(): Promise<{ l: Ledger; cfg: LedgerConfig }> {
		const cfg = { ...b.freshConfig(), actor: ACTOR } as LedgerConfig;
		const l = await b.open(cfg);
		opened.push(l);
		return { l, cfg };
	}
	afterAll(async () => {
		for (const l of opened) await l.close();
	});
	const run = async (policy: RetentionPolicy, l: Ledger, opts: { dryRun?: boolean } = {}) =>
		await enforceRetention(gw(), policy, { ledger: l, now: () => fx.now, runId: 'items-run', ...opts });

	it("an active person's conversation closed 3 years ago is deleted; one closed 10 days ago and an open one stay; the contact stays", async () => {
		const { l } = await ledger();
		const report = await run({ rules: [conv()], exclusions: { tagIds: [fx.tagId] } }, l);
		expect(report.items?.counts).toEqual({ candidates: 3, deleted: 1, redacted: 0, cleared: 0, alreadyHandled: 0, held: 2, failed: 0 });
		expect(report.items?.results.find((r) => r.id === fx.oldConversationId)).toMatchObject({ target: 'conversations', outcome: 'deleted', rule: 'old-conversations' });
		expect((await get(`/conversations/${fx.oldConversationId}`)).status).toBe(404);
		expect((await get(`/conversations/${fx.recentConversationId}`)).status).toBe(200);
		expect((await get(`/conversations/${fx.openOldConversationId}`)).status).toBe(200);
		expect((await get(`/contacts/${fx.activeId}`)).status).toBe(200);
		expect(report.counts.candidates).toBe(0); // no contact rule
		// The ledger: one entry per conversation, contact ids sealed, the actor, and the run's counts.
		const [entry] = await l.search({ type: 'retention.conversation_deleted' });
		expect(entry).toMatchObject({ requestId: 'items-run', contactIds: [fx.activeId], data: { rule: 'old-conversations', conversationId: fx.oldConversationId, verified: true }, actor: ACTOR });
		expect(JSON.stringify(entry.data)).not.toContain(fx.activeId);
		const [runEntry] = await l.search({ type: 'retention.run' });
		expect(runEntry.data.items).toMatchObject({ stoppedBy: 'completed', counts: { deleted: 1, held: 2 } });
		expect(runEntry.actor).toEqual(ACTOR);
		// Re-run: nothing left to delete, nothing deleted twice.
		const again = await run({ rules: [conv()], exclusions: { tagIds: [fx.tagId] } }, l);
		expect(again.items?.counts).toMatchObject({ deleted: 0, held: 2 });
	});

	it('redact mode: every part with a body and the source are redacted, read back as redacted; an attachment-only part is named as remaining', async () => {
		const { l } = await ledger();
		const report = await run({ rules: [conv({ name: 'redact-old', action: 'redact' })], exclusions: { tagIds: [fx.tagId] } }, l);
		const result = report.items?.results.find((r) => r.id === fx.oldConversationId);
		expect(result).toMatchObject({ outcome: 'redacted', parts: 3, remaining: [{ id: fx.attachmentOnlyPartId, reason: 'not_redactable' }] });
		const back = (await get(`/conversations/${fx.oldConversationId}`)).body as { source: { redacted: boolean; body: string }; conversation_parts: { conversation_parts: Array<{ id: string; redacted: boolean; body: string | null }> } };
		expect(back.source.redacted).toBe(true);
		expect(back.source.body).toMatch(/This message was deleted/);
		const withText = back.conversation_parts.conversation_parts.filter((p) => p.id !== fx.attachmentOnlyPartId);
		expect(withText.every((p) => p.redacted && /This message was deleted/.test(p.body ?? ''))).toBe(true);
		// The message text is gone (the author's profile is the active person's contact, which stays).
		const bodies = JSON.stringify([back.source.body, ...back.conversation_parts.conversation_parts.map((p) => p.body)]);
		for (const pii of [...fx.personalData, '+44 20 7946 0001']) expect(bodies).not.toContain(pii);
		const [entry] = await l.search({ type: 'retention.conversation_redacted' });
		expect(entry).toMatchObject({ contactIds: [fx.activeId], data: { conversationId: fx.oldConversationId, parts: 3, verified: true }, actor: ACTOR });
		// Re-run: nothing left to redact.
		const again = await run({ rules: [conv({ name: 'redact-old', action: 'redact' })], exclusions: { tagIds: [fx.tagId] } }, l);
		expect(again.items?.results.find((r) => r.id === fx.oldConversationId)?.outcome).toBe('already_handled');
		expect(await l.search({ type: 'retention.conversation_redacted' })).toHaveLength(1);
	});

	it("a held person's old conversation stays, also one they share with someone not held (counted held, the hold named)", async () => {
		const { l } = await ledger();
		const report = await run({ rules: [conv()], exclusions: { tagIds: [fx.tagId] } }, l);
		const held = report.items?.results.filter((r) => r.outcome === 'held') ?? [];
		expect(held.map((r) => r.id).sort()).toEqual([fx.heldConversationId, fx.sharedHeldConversationId].sort());
		expect(held[0].hold).toEqual({ kind: 'tag', id: fx.tagId });
		expect((await get(`/conversations/${fx.heldConversationId}`)).status).toBe(200);
		expect((await get(`/conversations/${fx.sharedHeldConversationId}`)).status).toBe(200);
		expect(report.items?.perRule['old-conversations'].held).toBe(2);
		// A contact-id hold works the same way, without looking the contact up (the old conversation went above).
		const lookups = fake.requests.length;
		const byId = await run({ rules: [conv()], exclusions: { contactIds: [fx.heldId, fx.activeId] } }, l);
		expect(byId.items?.counts).toMatchObject({ candidates: 2, held: 2, deleted: 0 });
		expect(fake.requests.slice(lookups).filter((r) => r.method === 'GET' && r.path.startsWith('/contacts/'))).toEqual([]);
	});

	it('a ticket rule deletes a resolved ticket untouched for 4 years; a recent resolved one and an old open one stay', async () => {
		const { l } = await ledger();
		const report = await run({ rules: [{ target: 'tickets', name: 'old-tickets', closedMoreThanDays: 1000, action: 'delete' }] }, l);
		expect(report.items?.results.map((r) => [r.id, r.outcome])).toEqual([[fx.oldTicketId, 'deleted']]);
		expect((await get(`/tickets/${fx.oldTicketId}`)).status).toBe(404);
		expect((await get(`/tickets/${fx.recentTicketId}`)).status).toBe(200);
		expect((await get(`/tickets/${fx.openOldTicketId}`)).status).toBe(200);
		const [entry] = await l.search({ type: 'retention.ticket_deleted' });
		expect(entry).toMatchObject({ contactIds: [fx.activeId], data: { rule: 'old-tickets', ticketId: fx.oldTicketId, verified: true }, actor: ACTOR });
	});

	it('an attribute rule clears the named file and custom attributes of a contact not updated for 2 years, and leaves the others', async () => {
		const { l } = await ledger();
		const rule = { target: 'attributes' as const, name: 'id-documents', names: ['id_scan_file', 'passport_number'], olderThanDays: 365, action: 'clear' as const };
		const report = await run({ rules: [rule] }, l);
		expect(report.items?.results).toEqual([{ target: 'attributes', id: fx.staleAttributesId, rule: 'id-documents', action: 'clear', outcome: 'cleared', attributes: ['id_scan_file', 'passport_number'] }]);
		const stale = (await get(`/contacts/${fx.staleAttributesId}`)).body.custom_attributes as Record<string, unknown>;
		expect(stale).toMatchObject({ id_scan_file: null, passport_number: null, plan: 'pro' });
		const fresh = (await get(`/contacts/${fx.freshAttributesId}`)).body.custom_attributes as Record<string, { type?: string }>;
		expect(fresh.id_scan_file).toMatchObject({ type: 'upload' });
		const put = fake.requests.filter((r) => r.method === 'PUT');
		expect(put.map((r) => [r.path, r.body])).toEqual([[`/contacts/${fx.staleAttributesId}`, { custom_attributes: { id_scan_file: null, passport_number: null } }]]);
		const [entry] = await l.search({ type: 'retention.attributes_cleared' });
		expect(entry).toMatchObject({ contactIds: [fx.staleAttributesId], data: { rule: 'id-documents', attributes: ['id_scan_file', 'passport_number'], verified: true }, actor: ACTOR });
		expect(JSON.stringify(entry.data)).not.toContain(fx.staleAttributesId);
		expect(JSON.stringify(entry.data)).not.toContain('X1234567');
	});

	it('an attribute rule with dateAttribute judges by that date, not by updated_at', async () => {
		const { l } = await ledger();
		const ws = fake.workspace;
		const recent = ws.contacts.get(fx.freshAttributesId)!; // updated yesterday
		recent.customAttributes.id_uploaded_at = Math.floor(fx.now.getTime() / 1000) - 400 * 86_400;
		const stale = ws.contacts.get(fx.staleAttributesId)!; // not updated for 2 years, uploaded 10 days ago
		stale.customAttributes.id_uploaded_at = Math.floor(fx.now.getTime() / 1000) - 10 * 86_400;
		const rule = { target: 'attributes' as const, names: ['id_scan_file'], olderThanDays: 365, dateAttribute: 'id_uploaded_at', action: 'clear' as const };
		const report = await run({ rules: [rule] }, l);
		expect(report.items?.results.map((r) => [r.id, r.outcome])).toEqual([[fx.freshAttributesId, 'cleared']]);
		expect(((await get(`/contacts/${fx.freshAttributesId}`)).body.custom_attributes as Record<string, unknown>).id_scan_file).toBeNull();
		expect(((await get(`/contacts/${fx.staleAttributesId}`)).body.custom_attributes as Record<string, unknown>).id_scan_file).not.toBeNull();
	});

	it('the rows behind the ledger hold no contact id and no attribute value in clear (ids only sealed)', async () => {
		const { l, cfg } = await ledger();
		const policy: RetentionPolicy = {
			rules: [conv({ action: 'redact' }), { target: 'tickets', closedMoreThanDays: 1000, action: 'delete' }, { target: 'attributes', names: ['id_scan_file', 'passport_number'], olderThanDays: 365, action: 'clear' }],
		};
		const report = await run(policy, l);
		expect(report.items?.counts).toMatchObject({ redacted: 3, deleted: 1, cleared: 1, failed: 0 });
		const raw = await b.raw(cfg);
		const rows = JSON.stringify(await raw.query('SELECT * FROM {t}ledger_entries'));
		await raw.close();
		expect(rows).toContain('retention.attributes_cleared'); // the read saw the entries
		for (const secret of [fx.activeId, fx.heldId, fx.staleAttributesId, 'X1234567', 'passport.png', ...fx.personalData]) expect(rows).not.toContain(secret);
	});

	it('faults: a lost DELETE answer counts as ours; a 500 fails that item and the run goes on; a 403 stops the run', async () => {
		const { l } = await ledger();
		fake.failNext({ method: 'DELETE', pathPattern: `^/tickets/${fx.oldTicketId}$`, dropAnswer: true });
		fake.failNext({ method: 'PUT', status: 500, count: 5 });
		const policy: RetentionPolicy = {
			rules: [{ target: 'tickets', closedMoreThanDays: 1000, action: 'delete' }, { target: 'attributes', names: ['id_scan_file'], olderThanDays: 365, action: 'clear' }, conv()],
		};
		const report = await run(policy, l);
		expect(report.items?.results.find((r) => r.id === fx.oldTicketId)?.outcome).toBe('deleted');
		const [ticket] = await l.search({ type: 'retention.ticket_deleted' });
		expect(ticket.data).toMatchObject({ ticketId: fx.oldTicketId, verified: true, answerLost: true });
		expect(report.items?.results.find((r) => r.id === fx.staleAttributesId)).toMatchObject({ outcome: 'failed', error: { status: 500 } });
		expect(report.items?.counts).toMatchObject({ deleted: 4, failed: 1 });
		expect(report.stoppedBy).toBe('completed');
		fake.clearFaults();

		fake.reset();
		fx = addItemFixtures(fake);
		fake.failNext({ method: 'DELETE', status: 403, code: 'forbidden', count: 5 });
		const stopped = await run({ rules: [conv()] }, l);
		expect(stopped.stoppedBy).toBe('aborted');
		expect(stopped.items).toMatchObject({ stoppedBy: 'aborted', counts: { failed: 1, deleted: 0 } });
		expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
		const runs = await l.search({ type: 'retention.run' });
		expect(runs.at(-1)?.data).toMatchObject({ stoppedBy: 'aborted', items: { stoppedBy: 'aborted', error: { status: 403 } } });
		fake.clearFaults();
	});

	it("the execution's cancel signal stops the run after the item in progress (reported cancelled)", async () => {
		const { l } = await ledger();
		const ac = new AbortController();
		// The first DELETE is slow; the user clicks cancel while it runs.
		fake.failNext({ method: 'DELETE', latencyMs: 400 });
		const watch = setInterval(() => {
			if (fake.requests.some((r) => r.method === 'DELETE')) ac.abort();
		}, 20);
		const report = await enforceRetention(gw(), { rules: [conv()] }, { ledger: l, now: () => fx.now, signal: ac.signal });
		clearInterval(watch);
		fake.clearFaults();
		expect(report.stoppedBy).toBe('cancelled');
		expect(report.items).toMatchObject({ stoppedBy: 'cancelled', counts: { deleted: 1 } });
		expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
		expect((await l.search({ type: 'retention.run' }))[0].data).toMatchObject({ stoppedBy: 'cancelled' });
	});

	it('caps: maxItemsPerRun stops the run after that many changes; the next run goes on', async () => {
		const { l } = await ledger();
		const policy: RetentionPolicy = {
			rules: [conv(), { target: 'tickets', closedMoreThanDays: 1000, action: 'delete' }, { target: 'attributes', names: ['id_scan_file'], olderThanDays: 365, action: 'clear' }],
			maxItemsPerRun: 2,
		};
		const first = await run(policy, l);
		expect(first.items).toMatchObject({ stoppedBy: 'cap', maxItemsPerRun: 2 });
		expect(first.items!.counts.deleted + first.items!.counts.cleared).toBe(2);
		expect(writes().filter((r) => r.method === 'DELETE' || r.method === 'PUT')).toHaveLength(2);
		const second = await run(policy, l);
		const third = await run(policy, l);
		const done = [first, second, third].flatMap((r) => r.items!.results.filter((x) => ['deleted', 'cleared'].includes(x.outcome)).map((x) => x.id));
		// Three old conversations (none held without holds), one ticket, one contact's attributes.
		expect(new Set(done)).toEqual(new Set([fx.oldConversationId, fx.heldConversationId, fx.sharedHeldConversationId, fx.oldTicketId, fx.staleAttributesId]));
		expect(third.items?.stoppedBy).toBe('completed');
	});

	it('dry run and Preview change nothing (no DELETE, PUT or redact in the request log) and write nothing', async () => {
		const { l } = await ledger();
		const policy: RetentionPolicy = {
			rules: [conv({ action: 'redact' }), { target: 'tickets', closedMoreThanDays: 1000, action: 'delete' }, { target: 'attributes', names: ['id_scan_file'], olderThanDays: 365, action: 'clear' }],
			exclusions: { tagIds: [fx.tagId] },
		};
		const dry = await run(policy, l, { dryRun: true });
		expect(dry.items?.results.map((r) => [r.id, r.outcome]).sort()).toEqual(
			[
				[fx.oldConversationId, 'would_redact'],
				[fx.heldConversationId, 'held'],
				[fx.sharedHeldConversationId, 'held'],
				[fx.oldTicketId, 'would_delete'],
				[fx.staleAttributesId, 'would_clear'],
			].sort(),
		);
		expect(dry.items?.results.find((r) => r.id === fx.oldConversationId)?.parts).toBe(3);
		const preview = await previewItemRetention(gw(), validatePolicy(policy), { timeZone: 'Europe/Berlin', now: () => fx.now });
		expect(preview.results).toEqual(dry.items?.results);
		expect(writes()).toEqual([]);
		expect(await l.head()).toMatchObject({ seq: 0 });
		// No personal data in what Preview reports: ids, counts and attribute names only.
		const text = JSON.stringify(preview);
		for (const pii of [...fx.personalData, 'X1234567', 'passport.png']) expect(text).not.toContain(pii);
	});
});

describe('a bad rule', () => {
	it.each([
		[{ target: 'conversations', closedMoreThanDays: 0, action: 'delete' }, 'rules[0].closedMoreThanDays must be ≥ 1'],
		[{ target: 'conversations', closedMoreThanDays: 30, action: 'erase' }, 'rules[0].action must be one of: "delete", "redact"'],
		[{ target: 'tickets', closedMoreThanDays: 30, action: 'redact' }, 'rules[0].action must be one of: "delete"'],
		[{ target: 'attributes', names: [], olderThanDays: 30, action: 'clear' }, 'rules[0].names must have at least 1 item(s)'],
		[{ target: 'attributes', names: ['id_scan_file'], action: 'clear' }, 'rules[0].olderThanDays is required'],
		[{ target: 'conversations', closedMoreThanDays: 30, action: 'delete', inactiveDays: 3 }, 'rules[0].inactiveDays is not a known setting'],
		[{ target: 'files', closedMoreThanDays: 30 }, 'rules[0].target must be one of'],
	])('%j → a clear error naming the field, before any request', async (rule, message) => {
		fake.reset();
		const before = fake.requests.length;
		const { l } = { l: await env.backends[0].open(env.backends[0].freshConfig()) };
		const err = await enforceRetention(gw(), { rules: [rule] } as unknown as RetentionPolicy, { ledger: l }).catch((e: unknown) => e);
		await l.close();
		expect(err).toBeInstanceOf(RetentionPolicyError);
		expect((err as Error).message).toContain(message);
		expect(fake.requests.length).toBe(before);
	});
});
