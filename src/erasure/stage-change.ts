/**
 * Erasure stages 4–5: the write-ahead `erasure.intent` (durable before the first change, with every
 * id a resumed run needs), then the changes: redactions first (while the contact still exists),
 * tickets, sole conversations, then contacts.
 */
import { deleteObject, redactPart, supportsRetainMetrics } from './intercom';
import { append, progress, addRemaining, stage, StageFailure, type Run } from './run';
import type { Plan } from './stage-plan';
import type { TypeTally } from './types';

function bump(c: TypeTally, outcome: 'deleted' | 'already_deleted'): void {
	if (outcome === 'deleted') c.deleted++;
	else c.alreadyDeleted++;
}

/** Stage 4. */
export async function intentStage(run: Run, plan: Plan, ids: string[]): Promise<void> {
	const { want } = run;
	const intent = await append(run, {
		type: 'erasure.intent',
		requestId: run.requestId,
		subjects: run.receipt.subjectHashes,
		contactIds: ids,
		data: {
			lookup: run.subject.field,
			scope: run.scope,
			resumed: run.receipt.resumed,
			plan: {
				contacts: ids.length,
				ticketIds: want.tickets ? plan.tickets : [],
				conversationIds: want.conversations ? plan.conversations : [],
				sharedConversationIds: plan.shared,
				redactions: want.redact ? plan.redactions.length : 0,
			},
			options: { deleteConversations: want.conversations, deleteTickets: want.tickets, redactSharedConversations: want.redact },
			recipients: run.recipients,
		},
	});
	await progress(run, { step: 'intent_recorded', requestId: run.requestId, seq: intent.seq });
}

async function redactAll(run: Run, plan: Plan): Promise<void> {
	const receipt = run.receipt;
	for (const x of plan.redactions) {
		const outcome = await redactPart(run.gw, x.conversationId, x.kind, x.id);
		if (outcome === 'redacted') receipt.items.conversationParts.redacted++;
		else if (outcome === 'not_redactable') addRemaining(run, [{ type: 'conversationParts', id: x.id, conversationId: x.conversationId, reason: 'not_redactable' }]);
		const touched = (receipt.redactedConversationIds ??= []);
		if (!touched.includes(x.conversationId)) touched.push(x.conversationId);
		await progress(run, { step: 'part_redacted', conversationId: x.conversationId, id: x.id, status: outcome });
	}
}

async function deleteItems(run: Run, plan: Plan, purgeMetrics: boolean): Promise<void> {
	const { receipt, gw } = run;
	if (run.want.tickets) {
		for (const id of plan.tickets) {
			const r = await deleteObject(gw, `/tickets/${encodeURIComponent(id)}`);
			bump(receipt.items.tickets, r.outcome);
			(receipt.ticketIds ??= []).push(id);
			await progress(run, { step: 'ticket_deleted', id, status: r.outcome });
		}
	}
	if (run.want.conversations) {
		for (const id of plan.conversations) {
			const r = await deleteObject(gw, `/conversations/${encodeURIComponent(id)}`, purgeMetrics ? { retain_metrics: false } : undefined);
			bump(receipt.items.conversations, r.outcome);
			(receipt.conversationIds ??= []).push(id);
			await progress(run, { step: 'conversation_deleted', id, status: r.outcome });
		}
	}
}

async function deleteContacts(run: Run): Promise<void> {
	for (const c of run.receipt.contacts) {
		// Looked up gone before the plan (contacts known from the ledger): nothing to delete.
		if (c.status === 'already_deleted') {
			await progress(run, { step: 'contact_deleted', contactId: c.id, status: 'already_deleted' });
			continue;
		}
		c.status = 'failed'; // until Intercom confirms; a failure leaves it here (then reported as pending)
		const r = await deleteObject(run.gw, `/contacts/${encodeURIComponent(c.id)}`);
		c.status = r.outcome;
		if (r.answerLost) c.answerLost = true;
		await progress(run, { step: 'contact_deleted', contactId: c.id, status: c.status });
	}
}

/** Whether this run purges the reporting metrics of the conversations it deletes (`retain_metrics=false`). */
export function purgesMetrics(run: Run): boolean {
	return run.opts.purgeConversationMetrics !== false && supportsRetainMetrics(run.gw.apiVersion);
}

/** Stage 5. */
export async function changeStage(run: Run, plan: Plan): Promise<void | StageFailure> {
	return await stage('delete', async () => {
		if (run.want.redact) await redactAll(run, plan);
		await deleteItems(run, plan, purgesMetrics(run));
		await deleteContacts(run);
	});
}
