/**
 * Erasure stages 6–7: verify every type (contacts by id, email and external id; tickets and
 * conversations by id and by contact id; shared conversations read back), then record
 * `erasure.done` (or `erasure.incomplete`, which stays open for a re-run) and answer.
 */
import { caveats, countsData, itemsData, remainingData, statusesData } from './ledger-data';
import { addRemaining, append, finish, progress, stage, StageFailure, type Run } from './run';
import { purgesMetrics } from './stage-change';
import type { Plan } from './stage-plan';
import type { Resolution } from './stage-resolve';
import type { ErasureItemType, ErasureReceipt } from './types';
import { verifyContacts, verifyGoneItems, verifyShared } from './verify';

async function readBack(run: Run, plan: Plan, r: Resolution, contactIds: string[]) {
	const { gw } = run;
	return await stage('verify', async () => {
		const contacts = await verifyContacts(gw, run.scope, contactIds, r.emails, r.externalIds);
		const tickets = await verifyGoneItems(gw, 'tickets', plan.tickets, contactIds, plan.ownIds);
		const conversations = await verifyGoneItems(gw, 'conversations', plan.conversations, contactIds, plan.ownIds);
		const shared = await verifyShared(gw, plan.shared, plan.ownIds, plan.matcher);
		return { contacts, tickets, conversations, shared };
	});
}

/** Stage 6: the receipt's `verification` and `remaining`, from what Intercom answers now. */
export async function verifyStage(run: Run, plan: Plan, r: Resolution): Promise<void | StageFailure> {
	const { receipt, want } = run;
	const contactIds = receipt.contacts.map((c) => c.id);
	const v = await readBack(run, plan, r, contactIds);
	if (v instanceof StageFailure) return v;
	addRemaining(run, v.contacts.remaining);
	addRemaining(run, v.tickets.stillThere.map((id) => ({ type: 'tickets', id, reason: want.tickets ? 'still_found_after_delete' : 'excluded_by_option' })));
	addRemaining(run, v.conversations.stillThere.map((id) => ({ type: 'conversations', id, reason: want.conversations ? 'still_found_after_delete' : 'excluded_by_option' })));
	addRemaining(run, v.shared.remaining);
	if (!want.conversations) {
		const still = new Set(v.conversations.stillThere);
		receipt.items.conversations.deletedWithContact = plan.conversations.filter((id) => !still.has(id)).length;
	}
	const anyLeft = (t: ErasureItemType) => receipt.remaining.some((x) => x.type === t);
	receipt.verification = {
		ok: v.contacts.ok && receipt.remaining.length === 0,
		scope: run.scope,
		contactsGone: v.contacts.contactsGone,
		emailSearchEmpty: v.contacts.emailSearchEmpty,
		externalIdSearchEmpty: v.contacts.externalIdSearchEmpty,
		erasedContactsUnsearchable: v.contacts.erasedContactsUnsearchable,
		otherContactsRemain: v.contacts.otherContactsRemain,
		ticketsGone: !anyLeft('tickets'),
		conversationsGone: !anyLeft('conversations'),
		partsRedacted: plan.shared.length === 0 && !anyLeft('conversationParts') ? null : !anyLeft('conversationParts'),
		checkedAt: run.now().toISOString(),
	};
	await progress(run, { step: 'verified', ok: receipt.verification.ok });
	receipt.caveats = caveats(run.opts, run.gw, receipt, v.contacts.otherContactsRemain, r.archivedNotice);
}

/** Stage 7: the status, and the entry that closes the request (`erasure.done`) or keeps it open (`erasure.incomplete`). */
export async function recordStage(run: Run): Promise<ErasureReceipt> {
	const { receipt } = run;
	const it = receipt.items;
	const contactIds = receipt.contacts.map((c) => c.id);
	finish(run);
	const anything = receipt.counts.deleted + it.tickets.deleted + it.conversations.deleted + it.conversationParts.redacted;
	const verification = receipt.verification!;
	receipt.status = !verification.ok ? 'incomplete' : anything > 0 ? 'erased' : 'already_erased';
	await append(run, {
		type: receipt.status === 'incomplete' ? 'erasure.incomplete' : 'erasure.done',
		requestId: run.requestId,
		subjects: receipt.subjectHashes,
		contactIds,
		data: {
			status: receipt.status,
			resumed: receipt.resumed,
			statuses: statusesData(receipt.contacts),
			counts: countsData(receipt),
			items: itemsData(receipt),
			remaining: remainingData(receipt.remaining, contactIds),
			conversationIds: receipt.conversationIds ?? [],
			ticketIds: receipt.ticketIds ?? [],
			redactedConversationIds: receipt.redactedConversationIds ?? [],
			answersLost: receipt.contacts.filter((c) => c.answerLost).length,
			verification: { ...verification },
			retainMetrics: !purgesMetrics(run),
			recipients: run.recipients,
			startedAt: run.startedAt,
		},
	});
	return finish(run);
}
