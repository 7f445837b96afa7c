// eraseSubject against the fake Intercom, with the ledger on SQLite and on a real PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { eraseSubject } from '../../src/erasure';
import type { ErasureProgress, ErasureReceipt } from '../../src/erasure';
import { createIntercom } from '../../src/intercom';
import type { Ledger, LedgerConfig } from '../../src/ledger';
import { SubjectRefError } from '../../src/subject';
import type { FakeIntercom } from '../fake-intercom';
import { fakeIntercomAndLedgers } from '../support/world';
import { dumpLedger, findPii, seededExternalIds, seededPii } from './pii';

let fake: FakeIntercom;
const env = fakeIntercomAndLedgers({ seed: 1 }, { onStart: (f) => (fake = f) });

const deletes = (path?: RegExp) => fake.requests.filter((r) => r.method === 'DELETE' && (!path || path.test(r.path)));

describe.each(env.backends.map((b) => [b.name, b] as const))('eraseSubject with the ledger on %s', (_name, b) => {
	const opened: Array<{ cfg: LedgerConfig; ledger: Ledger }> = [];
	const outputs: unknown[] = [];
	const gw = (apiVersion = '2.14', token = fake.token) => createIntercom({ token, baseUrl: fake.url, apiVersion, maxRetries: 1 });
	async function ledger(): Promise<Ledger> {
		const cfg = b.freshConfig();
		const l = await b.open(cfg);
		opened.push({ cfg, ledger: l });
		return l;
	}
	const keep = (r: ErasureReceipt) => (outputs.push(r), r);
	afterAll(async () => {
		for (const o of opened) await o.ledger.close();
	});

	it('dry run: reports what would be deleted (contacts, conversations, tickets), deletes nothing, writes nothing', async () => {
		const fx = fake.workspace.fixtures;
		const l = await ledger();
		const r = keep(await eraseSubject(gw(), { email: fx.userEmail.toUpperCase() }, { ledger: l, dryRun: true }));
		expect(r.status).toBe('dry_run');
		expect(r.contacts.map((c) => [c.id, c.status])).toEqual([[fx.userId, 'would_delete']]);
		expect(r.items.conversations.found).toBe(5); // 3 + 1 with an attachment + the group conversation
		expect(r.items.conversations.shared).toBe(1); // the group conversation with the lead
		expect(r.items.conversationParts.found).toBeGreaterThanOrEqual(2); // the user's source and part(s) in it
		expect(r.items.tickets.found).toBe(1);
		expect(r.remaining).toEqual([]);
		expect(deletes()).toEqual([]);
		expect(await l.head()).toMatchObject({ seq: 0 });
	});

	it('erases every contact of an email (lead and user): intent first, DELETE each, verify, done, receipt', async () => {
		const fx = fake.workspace.fixtures;
		const l = await ledger();
		const events: Array<ErasureProgress & { deletesSoFar: number }> = [];
		const r = keep(
			await eraseSubject(gw(), { email: fx.sharedEmail }, { ledger: l, requestId: 'TICKET-42', onProgress: (e) => void events.push({ ...e, deletesSoFar: deletes().length }) }),
		);
		expect(r.status).toBe('erased');
		expect(r.requestId).toBe('TICKET-42');
		expect(r.contacts.map((c) => c.id).sort()).toEqual([fx.sharedEmailLeadId, fx.sharedEmailUserId].sort());
		expect(r.contacts.every((c) => c.status === 'deleted')).toBe(true);
		expect(r.counts).toMatchObject({ contacts: 2, deleted: 2, alreadyDeleted: 0, failed: 0, pending: 0 });
		expect(r.verification).toMatchObject({ ok: true, contactsGone: true, emailSearchEmpty: true });
		expect(r.subjectHashes).toContain(l.hashIdentifier('email', fx.sharedEmail));
		expect(r.caveats.join(' ')).toMatch(/7 days/);
		expect(r.caveats.join(' ')).toMatch(/CSAT/);
		expect(r.caveats.join(' ')).toMatch(/reporting/i);
		expect(Date.parse(r.finishedAt)).toBeGreaterThanOrEqual(Date.parse(r.startedAt));
		// Write-ahead: the intent was durable before the first DELETE.
		expect(events[0]).toMatchObject({ step: 'intent_recorded', deletesSoFar: 0 });
		expect(deletes(/^\/contacts\//).map((d) => d.path).sort()).toEqual([`/contacts/${fx.sharedEmailLeadId}`, `/contacts/${fx.sharedEmailUserId}`].sort());
		// Verification asked Intercom: GET each id → 404, search by email → empty.
		const after = fake.requests.slice(fake.requests.findIndex((q) => q.method === 'DELETE'));
		expect(after.filter((q) => q.method === 'GET' && /^\/contacts\/[0-9a-f]{24}$/.test(q.path)).map((q) => q.status)).toEqual([404, 404]);
		expect(after.some((q) => q.path === '/contacts/search' && JSON.stringify(q.body).includes('"email"'))).toBe(true);
		const entries = await l.search({ requestId: 'TICKET-42' });
		expect(entries.map((e) => e.type)).toEqual(['erasure.intent', 'erasure.done']);
		expect(entries[1].data).toMatchObject({ status: 'erased', counts: { deleted: 2 } });
		expect(r.ledger.entries.map((e) => e.seq)).toEqual(entries.map((e) => e.seq));
		expect((await l.verify()).ok).toBe(true);
		// "Did we erase this person?" is answerable from the email, via its HMAC.
		expect((await l.search({ subject: l.hashIdentifier('email', ` ${fx.sharedEmail.toUpperCase()} `), type: 'erasure.done' }))).toHaveLength(1);
	});

	it('a second erasure of the same person records already_deleted and deletes nothing twice', async () => {
		const fx = fake.workspace.fixtures;
		const l = await ledger();
		keep(await eraseSubject(gw(), { externalId: fx.userExternalId }, { ledger: l }));
		const before = deletes().length;
		const r = keep(await eraseSubject(gw(), { externalId: fx.userExternalId }, { ledger: l }));
		expect(deletes().length).toBe(before);
		expect(r.status).toBe('already_erased');
		expect(r.contacts).toEqual([{ id: fx.userId, role: undefined, status: 'already_deleted', source: 'ledger' }]);
		const done = await l.search({ type: 'erasure.done' });
		expect(done).toHaveLength(2);
		expect(done[1].contactIds).toEqual([fx.userId]);
		expect(done[1].data).toMatchObject({ status: 'already_erased', statuses: ['already_deleted'] });
		// By email too: the first run hashed the contact's email, so the ledger knows the person.
		const byEmail = keep(await eraseSubject(gw(), { email: fx.userEmail }, { ledger: l }));
		expect(byEmail.status).toBe('already_erased');
		expect(deletes().length).toBe(before);
	});

	it('an unknown person: a clear not_found result and only a not_found entry', async () => {
		const fx = fake.workspace.fixtures;
		const l = await ledger();
		const r = keep(await eraseSubject(gw(), { email: fx.unknownEmail }, { ledger: l }));
		expect(r.status).toBe('not_found');
		expect(r.contacts).toEqual([]);
		const all = await l.search({});
		expect(all.map((e) => e.type)).toEqual(['erasure.not_found']);
		expect(all[0].subjects).toEqual([l.hashIdentifier('email', fx.unknownEmail)]);
		expect(deletes()).toEqual([]);
	});

	it('bad input is refused before any request and any ledger entry', async () => {
		const l = await ledger();
		await expect(eraseSubject(gw(), { email: 'not an email' }, { ledger: l })).rejects.toBeInstanceOf(SubjectRefError);
		await expect(eraseSubject(gw(), { email: 'a@b.c', contactId: 'x' } as never, { ledger: l })).rejects.toBeInstanceOf(SubjectRefError);
		expect(fake.requests).toEqual([]);
		expect(await l.head()).toMatchObject({ seq: 0 });
	});

	it('401: nothing deleted, the ledger says failed', async () => {
		const fx = fake.workspace.fixtures;
		const l = await ledger();
		const r = keep(await eraseSubject(gw('2.14', 'wrong-token'), { email: fx.userEmail }, { ledger: l }));
		expect(r.status).toBe('failed');
		expect(r.error).toMatchObject({ stage: 'resolve', status: 401, code: 'unauthorized' });
		expect(r.error?.message).not.toContain('wrong-token');
		expect(deletes()).toEqual([]);
		const all = await l.search({});
		expect(all.map((e) => e.type)).toEqual(['erasure.failed']);
		expect(all[0].data).toMatchObject({ error: { stage: 'resolve', status: 401 } });
	});

	it('403 on DELETE: nothing deleted, intent then failed; a re-run completes the same request', async () => {
		const fx = fake.workspace.fixtures;
		const l = await ledger();
		fake.failNext({ status: 403, code: 'forbidden', method: 'DELETE', pathPattern: '^/contacts/', count: 5 });
		const r = keep(await eraseSubject(gw(), { contactId: fx.leadId }, { ledger: l }));
		expect(r).toMatchObject({ status: 'failed', error: { stage: 'delete', status: 403 } });
		expect(r.contacts).toEqual([{ id: fx.leadId, role: 'lead', status: 'pending', source: 'intercom' }]);
		expect(fake.workspace.contacts.has(fx.leadId)).toBe(true);
		expect((await l.search({ requestId: r.requestId })).map((e) => e.type)).toEqual(['erasure.intent', 'erasure.failed']);
		fake.clearFaults();
		const again = keep(await eraseSubject(gw(), { contactId: fx.leadId }, { ledger: l }));
		expect(again).toMatchObject({ status: 'erased', requestId: r.requestId, resumed: true });
		expect(fake.workspace.contacts.has(fx.leadId)).toBe(false);
	});

	it('a fault in the middle of several contacts: the receipt lists which were deleted; a re-run finishes the rest', async () => {
		const fx = fake.workspace.fixtures;
		const l = await ledger();
		// After the first contact is deleted, DELETEs fail with 503 (more times than the gateway retries).
		const first = keep(await eraseSubject(gw(), { email: fx.sharedEmail }, {
			ledger: l,
			onProgress: (e) => {
				if (e.step === 'contact_deleted') fake.failNext({ status: 503, method: 'DELETE', pathPattern: '^/contacts/', count: 10 });
			},
		}));
		expect(first.status).toBe('failed');
		expect(first.error).toMatchObject({ stage: 'delete', status: 503 });
		const deleted = first.contacts.filter((c) => c.status === 'deleted').map((c) => c.id);
		const pending = first.contacts.filter((c) => c.status === 'pending').map((c) => c.id);
		expect(deleted).toHaveLength(1);
		expect(pending).toHaveLength(1);
		const failed = (await l.search({ type: 'erasure.failed' }))[0];
		const statuses = failed.data.statuses as string[];
		expect(statuses).toHaveLength(2);
		expect(statuses[failed.contactIds.indexOf(deleted[0])]).toBe('deleted');
		expect(statuses[failed.contactIds.indexOf(pending[0])]).toBe('pending');
		fake.clearFaults();
		fake.requests.length = 0;
		const second = keep(await eraseSubject(gw(), { email: fx.sharedEmail }, { ledger: l }));
		expect(second).toMatchObject({ status: 'erased', requestId: first.requestId, resumed: true });
		expect(second.contacts.find((c) => c.id === deleted[0])?.status).toBe('already_deleted');
		expect(second.contacts.find((c) => c.id === pending[0])?.status).toBe('deleted');
		expect(deletes(/^\/contacts\//).map((d) => d.path)).toEqual([`/contacts/${pending[0]}`]);
		expect((await l.verify()).ok).toBe(true);
	});

	it('by default deletes conversations and tickets first; shared conversations are redacted, not deleted; retain_metrics=false only on 2.16', async () => {
		const fx = fake.workspace.fixtures;
		for (const version of ['2.14', '2.16']) {
			fake.reset();
			const l = await ledger();
			const r = keep(await eraseSubject(gw(version), { contactId: fx.userId }, { ledger: l }));
			expect(r.status).toBe('erased');
			const convDeletes = deletes(/^\/conversations\//);
			expect(convDeletes.length).toBe(r.items.conversations.deleted);
			expect(convDeletes.length).toBe(4);
			expect(convDeletes.map((d) => d.path)).not.toContain(`/conversations/${fx.groupConversationId}`);
			expect(r.items.conversations.shared).toBe(1);
			expect(r.redactedConversationIds).toEqual([fx.groupConversationId]);
			expect(r.items.conversationParts.redacted).toBeGreaterThanOrEqual(2);
			expect(r.verification).toMatchObject({ ok: true, ticketsGone: true, conversationsGone: true, partsRedacted: true });
			for (const d of convDeletes) expect(d.query.retain_metrics).toBe(version === '2.16' ? 'false' : undefined);
			expect(deletes(/^\/tickets\//).map((d) => d.path)).toEqual([`/tickets/${fx.ticketId}`]);
			// Conversations and tickets go before the contact.
			const order = deletes().map((d) => d.path.split('/')[1]);
			expect(order[order.length - 1]).toBe('contacts');
			expect(r.ticketIds).toEqual([fx.ticketId]);
			expect(r.caveats.some((c) => /retain_metrics=false/.test(c))).toBe(version === '2.16');
			const done = (await l.search({ type: 'erasure.done' }))[0];
			expect(done.data).toMatchObject({ conversationIds: r.conversationIds, ticketIds: [fx.ticketId], retainMetrics: version !== '2.16' });
		}
	});

	it('follows a merged contact to the surviving one', async () => {
		const fx = fake.workspace.fixtures;
		const l = await ledger();
		const r = keep(await eraseSubject(gw(), { contactId: fx.mergedContactId }, { ledger: l }));
		expect(r.status).toBe('erased');
		expect(r.mergedRedirects).toEqual([{ from: fx.mergedContactId, to: fx.mergedIntoId }]);
		expect(deletes(/^\/contacts\//).map((d) => d.path)).toEqual([`/contacts/${fx.mergedIntoId}`]);
	});

	describe('scope: one contact of a person (a lead sharing its email with a user)', () => {
		it('by contact id (default scope "contact"): the lead is erased and verified gone; the user is kept and counted, not a failure', async () => {
			const fx = fake.workspace.fixtures;
			const l = await ledger();
			const r = keep(await eraseSubject(gw(), { contactId: fx.sharedEmailLeadId }, { ledger: l, requestId: 'DUP-LEAD-1' }));
			expect(r).toMatchObject({ status: 'erased', scope: 'contact', counts: { contacts: 1, deleted: 1 } });
			expect(r.contacts.map((c) => c.id)).toEqual([fx.sharedEmailLeadId]);
			expect(r.verification).toMatchObject({
				ok: true,
				scope: 'contact',
				contactsGone: true,
				erasedContactsUnsearchable: true,
				emailSearchEmpty: false, // honest: the email still finds someone (the user)
				otherContactsRemain: 1,
			});
			expect(r.caveats.join(' ')).toMatch(/1 other Intercom contact\(s\).*NOT erased/);
			expect(deletes(/^\/contacts\//).map((d) => d.path)).toEqual([`/contacts/${fx.sharedEmailLeadId}`]);
			expect(fake.workspace.contacts.has(fx.sharedEmailUserId)).toBe(true);
			// Verified by GET (404) and by a search for the id, after the DELETE.
			const after = fake.requests.slice(fake.requests.findIndex((q) => q.method === 'DELETE'));
			expect(after.find((q) => q.method === 'GET' && q.path === `/contacts/${fx.sharedEmailLeadId}`)?.status).toBe(404);
			expect(after.some((q) => q.path === '/contacts/search' && JSON.stringify(q.body).includes(`{"field":"id","operator":"=","value":"${fx.sharedEmailLeadId}"}`))).toBe(true);
			const entries = await l.search({ requestId: 'DUP-LEAD-1' });
			expect(entries.map((e) => e.type)).toEqual(['erasure.intent', 'erasure.done']);
			expect(entries[0].data).toMatchObject({ scope: 'contact' });
			expect(entries[1].data).toMatchObject({ status: 'erased', verification: { ok: true, scope: 'contact', otherContactsRemain: 1 } });
			// That these requests match Intercom's OpenAPI description: test/conformance/erasure.test.ts.
		});

		it('by contact id with scope "person": the lead is deleted but the erasure is incomplete, naming the user still found by email', async () => {
			const fx = fake.workspace.fixtures;
			const l = await ledger();
			const r = keep(await eraseSubject(gw(), { contactId: fx.sharedEmailLeadId }, { ledger: l, scope: 'person' }));
			expect(r).toMatchObject({ status: 'incomplete', scope: 'person' });
			expect(r.verification).toMatchObject({ ok: false, scope: 'person', contactsGone: true, emailSearchEmpty: false, erasedContactsUnsearchable: null });
			expect(r.remaining).toEqual([{ type: 'contacts', id: fx.sharedEmailUserId, reason: 'found_by_search' }]);
			expect(r.items.contacts).toMatchObject({ found: 1, deleted: 1, remaining: 1 });
			expect(fake.workspace.contacts.has(fx.sharedEmailLeadId)).toBe(false);
			// Not `erasure.done`: the request stays open (Track Request does not close it).
			expect((await l.search({ requestId: r.requestId })).map((e) => e.type)).toEqual(['erasure.intent', 'erasure.incomplete']);
		});

		it('contact scope still fails when Intercom returns the erased contact again (restored, or search not yet updated)', async () => {
			const fx = fake.workspace.fixtures;
			const l = await ledger();
			const lead = fake.workspace.contacts.get(fx.sharedEmailLeadId);
			if (!lead) throw new Error('fixture missing');
			const r = keep(
				await eraseSubject(gw(), { contactId: fx.sharedEmailLeadId }, {
					ledger: l,
					onProgress: (e) => {
						if (e.step === 'contact_deleted') fake.workspace.contacts.set(lead.id, lead);
					},
				}),
			);
			expect(r).toMatchObject({ status: 'incomplete' });
			expect(r.verification).toMatchObject({ ok: false, scope: 'contact', contactsGone: false, erasedContactsUnsearchable: false, otherContactsRemain: 1 });
			expect(r.remaining).toEqual([{ type: 'contacts', id: fx.sharedEmailLeadId, reason: 'still_found_after_delete' }]);
			expect((await l.search({ type: 'erasure.done' }))).toHaveLength(0);
		});

		it('scope "contact" is refused for an email or external id (it would certify a person gone who is not), before any request', async () => {
			const fx = fake.workspace.fixtures;
			const l = await ledger();
			await expect(eraseSubject(gw(), { email: fx.sharedEmail }, { ledger: l, scope: 'contact' })).rejects.toThrow(/needs a contactId/);
			await expect(eraseSubject(gw(), { externalId: fx.userExternalId }, { ledger: l, scope: 'contact' })).rejects.toThrow(TypeError);
			await expect(eraseSubject(gw(), { contactId: fx.userId }, { ledger: l, scope: 'everything' as never })).rejects.toThrow(/"person" or "contact"/);
			expect(fake.requests).toEqual([]);
			expect(await l.head()).toMatchObject({ seq: 0 });
		});
	});

	it('no seeded email, name, phone or the token in any ledger row, receipt or error of this suite', async () => {
		const pii = seededPii(1, fake.token);
		expect(pii.length).toBeGreaterThan(300);
		let rows = '';
		for (const o of opened) rows += await dumpLedger(await b.raw(o.cfg));
		expect(opened.length).toBeGreaterThan(8);
		expect(rows.length).toBeGreaterThan(1000);
		expect(findPii(rows, pii)).toEqual([]);
		expect(findPii(JSON.stringify(outputs), pii)).toEqual([]);
		// Receipts carry the erased person's external ids on purpose (for downstream purges); the ledger does not.
		const externalIds = seededExternalIds(1);
		expect(findPii(rows, externalIds)).toEqual([]);
	});
});
