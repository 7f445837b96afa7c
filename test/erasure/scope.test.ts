// The erasure's scope: everything of the person the API can remove, verified per type, and then a
// scan of everything the fake still serves for the person's email, name and phone. Either zero
// hits and `erased`, or `incomplete` with every remaining item named. Ledger on SQLite and PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { archivalReceipt, eraseSubject } from '../../src/erasure';
import type { ErasureReceipt, RemainingItem } from '../../src/erasure';
import { createIntercom } from '../../src/intercom';
import { addErasureScenario, type ErasureScenario, type FakeIntercom } from '../fake-intercom';
import { REDACTED_BODY } from '../fake-intercom/routes/conversations';
import { deleteObject } from '../../src/erasure/intercom';
import { fakeIntercomAndLedgers, freshLedgers } from '../support/world';
import { needlesOf, scanServed, type Hit } from './scan';

let fake: FakeIntercom;
// The scan reads every object the fake serves: more than Intercom's default 1000 requests per window.
const env = fakeIntercomAndLedgers({ seed: 3, rateLimitPerWindow: 1_000_000 }, { onStart: (f) => (fake = f) });

/** Every hit of the scan is named in the receipt's `remaining` (a part by its id, or its conversation when beyond the cap). */
function unexplained(hits: Hit[], remaining: RemainingItem[]): Hit[] {
	return hits.filter((h) => !remaining.some((r) => r.type === h.type && (r.id === h.id || (r.reason === 'beyond_part_cap' && r.conversationId === h.conversationId))));
}

/** The receipts of this file, printed at the end for the report (counts and statuses only). */
const summaries: string[] = [];
function summary(label: string, r: ErasureReceipt): void {
	const t = (k: keyof ErasureReceipt['items']) => {
		const x = r.items[k];
		return `${k} ${x.found}/${x.deleted}/${x.redacted}/${x.remaining}`;
	};
	summaries.push(`${label}: ${r.status}; found/deleted/redacted/remaining: ${t('contacts')}, ${t('tickets')}, ${t('conversations')} (shared ${r.items.conversations.shared}), ${t('conversationParts')}; remaining ${JSON.stringify(r.remaining.map((x) => x.reason))}`);
}

describe.each(env.backends.map((b) => [b.name, b] as const))('erasure scope and verification (ledger on %s)', (name, b) => {
	const gw = (apiVersion = '2.14') => createIntercom({ token: fake.token, baseUrl: fake.url, apiVersion, maxRetries: 2 });
	const ledger = freshLedgers(b);
	afterAll(() => {
		if (name === 'sqlite') console.log(`\nReceipts (sqlite runs):\n${summaries.join('\n')}`);
	});
	const scenario = (opts?: Parameters<typeof addErasureScenario>[1]): ErasureScenario => addErasureScenario(fake.workspace, opts);

	it('KEY: a person with a ticket, a sole conversation and parts in a shared conversation: default options erase all of it; nothing of them is served afterwards', async () => {
		const p = scenario();
		const needles = needlesOf(p);
		// Before: the scan finds the person in the contact, the ticket, both conversations.
		const before = await scanServed(fake, needles);
		expect(new Set(before.map((h) => h.type))).toEqual(new Set(['contacts', 'tickets', 'conversationParts']));
		const l = await ledger();
		const r = await eraseSubject(gw(), { email: p.email }, { ledger: l, requestId: 'KEY-1' });
		summary('key (default options)', r);
		expect(r.status).toBe('erased');
		expect(r.remaining).toEqual([]);
		expect(r.items.contacts).toMatchObject({ found: 1, deleted: 1, remaining: 0 });
		expect(r.items.tickets).toMatchObject({ found: 1, deleted: 1, remaining: 0 });
		expect(r.items.conversations).toMatchObject({ found: 2, deleted: 1, shared: 1, remaining: 0 });
		// The source and two own parts, and the teammate's part greeting the person by name.
		expect(r.items.conversationParts).toMatchObject({ found: 4, redacted: 4, remaining: 0 });
		expect(r.ticketIds).toEqual([p.ticketId]);
		expect(r.conversationIds).toEqual([p.soleConversationId]);
		expect(r.redactedConversationIds).toEqual([p.sharedConversationId]);
		expect(r.verification).toMatchObject({ ok: true, contactsGone: true, emailSearchEmpty: true, externalIdSearchEmpty: true, ticketsGone: true, conversationsGone: true, partsRedacted: true });

		// The fake: ticket and sole conversation gone; the shared one kept, the other person's part intact.
		expect(fake.workspace.tickets.has(p.ticketId)).toBe(false);
		expect(fake.workspace.conversations.has(p.soleConversationId)).toBe(false);
		const shared = fake.workspace.conversations.get(p.sharedConversationId);
		expect(shared?.parts.filter((x) => x.redacted).map((x) => x.id).sort()).toEqual([...p.sharedPartIds, p.adminMentionPartId].sort());
		expect(shared?.parts.find((x) => x.author.id === p.otherContactId)?.body).toBe('<p>Same question from me.</p>');
		expect(shared?.sourceBody).toBe(REDACTED_BODY);

		expect(await scanServed(fake, needles)).toEqual([]);
		// (That every request is one Intercom's OpenAPI description accepts: test/conformance/erasure.test.ts.)
		const entries = await l.search({ requestId: 'KEY-1' });
		expect(entries.map((e) => e.type)).toEqual(['erasure.intent', 'erasure.done']);
		expect(entries[1].data).toMatchObject({ status: 'erased', items: { tickets: { deleted: 1 }, conversationParts: { redacted: 4 } }, remaining: [] });
		expect(JSON.stringify(entries).toLowerCase()).not.toContain(p.email);
	}, 180_000);

	it('another participant names the person in their own message: not redacted (theirs), the receipt is incomplete and names that part', async () => {
		const p = scenario({ otherPersonMentions: true });
		const l = await ledger();
		const r = await eraseSubject(gw(), { externalId: p.externalId }, { ledger: l });
		summary('other participant names the person', r);
		expect(r.status).toBe('incomplete');
		expect(r.remaining).toEqual([{ type: 'conversationParts', id: p.otherMentionPartId, conversationId: p.sharedConversationId, reason: 'written_by_other_person' }]);
		expect(r.verification).toMatchObject({ ok: false, contactsGone: true, partsRedacted: false });
		const hits = await scanServed(fake, needlesOf(p));
		expect(hits).toHaveLength(1);
		expect(unexplained(hits, r.remaining)).toEqual([]);
		expect((await l.search({ requestId: r.requestId })).map((e) => e.type)).toEqual(['erasure.intent', 'erasure.incomplete']);
	}, 180_000);

	it('options narrow the scope, never silently: tickets kept and shared parts not redacted are each named, status incomplete', async () => {
		const p = scenario();
		const l = await ledger();
		const r = await eraseSubject(gw(), { email: p.email }, { ledger: l, deleteTickets: false, redactSharedConversations: false, deleteConversations: false });
		summary('deleteTickets/deleteConversations/redactSharedConversations off', r);
		expect(r.status).toBe('incomplete');
		// The fake does not delete tickets with their contact (like the issue observed): it stays, named.
		expect(r.remaining).toEqual(
			expect.arrayContaining([
				{ type: 'tickets', id: p.ticketId, reason: 'excluded_by_option' },
				...p.sharedPartIds.map((id) => ({ type: 'conversationParts', id, conversationId: p.sharedConversationId, reason: 'excluded_by_option' })),
			]),
		);
		// The sole conversation went with the contact (Intercom removes a person's conversations with them): verified, not assumed.
		expect(r.items.conversations).toMatchObject({ found: 2, deleted: 0, deletedWithContact: 1 });
		expect(fake.requests.filter((q) => q.method === 'DELETE' || q.path === '/conversations/redact').map((q) => q.path.split('/')[1])).toEqual(['contacts']);
		const hits = await scanServed(fake, needlesOf(p));
		expect(hits.length).toBeGreaterThanOrEqual(4);
		expect(unexplained(hits, r.remaining)).toEqual([]);
	}, 180_000);

	it('a shared conversation past Intercom\'s 500-part cap: the older parts cannot be read, so the receipt says so', async () => {
		const p = scenario({ beyondPartCap: true });
		const l = await ledger();
		const r = await eraseSubject(gw(), { email: p.email }, { ledger: l });
		summary('shared conversation beyond the 500-part cap', r);
		expect(r.status).toBe('incomplete');
		expect(r.remaining).toEqual([{ type: 'conversationParts', id: p.sharedConversationId, conversationId: p.sharedConversationId, reason: 'beyond_part_cap' }]);
		// The visible parts were redacted; the first one (older than the 500 most recent) was not.
		const conv = fake.workspace.conversations.get(p.sharedConversationId);
		expect(conv?.parts[0].redacted).toBeUndefined();
		expect(conv?.parts.filter((x) => x.author.id === p.contactId && x.redacted)).toHaveLength(2);
	}, 180_000);

	it('a lost DELETE answer: the retry gets 404, and the receipt and ledger say this request deleted it', async () => {
		const p = scenario();
		const l = await ledger();
		fake.failNext({ dropAnswer: true, method: 'DELETE', pathPattern: '^/contacts/' });
		fake.failNext({ dropAnswer: true, method: 'DELETE', pathPattern: '^/tickets/' });
		const r = await eraseSubject(gw(), { email: p.email }, { ledger: l });
		summary('lost DELETE answers (contact, ticket)', r);
		const contactDeletes = fake.requests.filter((q) => q.method === 'DELETE' && q.path.startsWith('/contacts/'));
		expect(contactDeletes.map((q) => q.status)).toEqual([0, 404]); // the answer lost, the retry: 404
		expect(r.status).toBe('erased');
		expect(r.contacts).toEqual([expect.objectContaining({ id: p.contactId, status: 'deleted', answerLost: true })]);
		expect(r.counts).toMatchObject({ deleted: 1, alreadyDeleted: 0 });
		expect(r.items.tickets).toMatchObject({ deleted: 1, alreadyDeleted: 0 });
		const done = (await l.search({ type: 'erasure.done' }))[0];
		// Contact ids only in the sealed contactIds; data gives statuses in that order and a count.
		expect(done.contactIds).toEqual([p.contactId]);
		expect(done.data).toMatchObject({ statuses: ['deleted'], answersLost: 1 });
	}, 180_000);

	it('a 429 and then a 404: Intercom never processed our DELETE, so the contact is already_deleted (not ours)', async () => {
		const fx = fake.workspace.fixtures;
		fake.workspace.contacts.delete(fx.leadId); // someone else removed it a moment ago
		fake.failNext({ status: 429, method: 'DELETE', pathPattern: '^/contacts/' });
		const r = await deleteObject(gw(), `/contacts/${fx.leadId}`);
		const deletes = fake.requests.filter((q) => q.method === 'DELETE' && q.path === `/contacts/${fx.leadId}`);
		expect(deletes.map((q) => q.status)).toEqual([429, 404]);
		expect(r).toEqual({ outcome: 'already_deleted', answerLost: false });
	}, 60_000);

	it('downstream systems travel with the receipt and the ledger; the archival receipt leaves out external ids', async () => {
		const p = scenario();
		const l = await ledger();
		const r = await eraseSubject(gw(), { email: p.email }, { ledger: l, notifyRecipients: ['Stripe', 'Data warehouse', 'Stripe'] });
		expect(r.recipients).toEqual(['Stripe', 'Data warehouse']);
		expect(r.externalIds).toEqual([p.externalId]);
		const kept = archivalReceipt(r);
		expect(kept).toMatchObject({ variant: 'archival', externalIds: [], recipients: ['Stripe', 'Data warehouse'], status: 'erased' });
		expect(JSON.stringify(kept)).not.toContain(p.externalId);
		expect(r.externalIds).toEqual([p.externalId]); // the original is untouched
		expect((await l.search({ type: 'erasure.intent' }))[0].data).toMatchObject({ recipients: ['Stripe', 'Data warehouse'] });
		await expect(eraseSubject(gw(), { email: p.email }, { ledger: l, notifyRecipients: ['ops@example.com'] })).rejects.toThrow(/notifyRecipients\[0\]/);
	});
});
