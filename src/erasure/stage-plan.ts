/**
 * Erasure stage 3: the plan. The person's tickets, the conversations only they take part in, and
 * the conversations shared with other people (read to find the parts to redact). A resumed run
 * starts from the ids its open intent recorded.
 */
import type { Contact } from '../intercom';
import { listItems } from './intercom';
import { addRemaining, planFromIntent, stage, StageFailure, type Run } from './run';
import { fetchConversation, PersonMatcher, readShared, type Redaction } from './scope';
import type { RemainingItem } from './types';

/** What the run will touch besides contacts. */
export interface Plan {
	tickets: string[];
	conversations: string[];
	shared: string[];
	redactions: Redaction[];
	/** Known before the run starts: what options or Intercom leave in place. */
	remaining: RemainingItem[];
	ownIds: Set<string>;
	matcher: PersonMatcher;
}

/** Tickets and conversations of every live contact: the person's alone, or shared with other people. */
async function listAll(run: Run, live: Map<string, Contact>, plan: Plan): Promise<void> {
	const fromIntent = planFromIntent(run.openIntent?.data);
	const seen = { tickets: new Set<string>(fromIntent.tickets), conversations: new Set<string>([...fromIntent.conversations, ...fromIntent.shared]) };
	plan.tickets.push(...fromIntent.tickets);
	plan.conversations.push(...fromIntent.conversations);
	plan.shared.push(...fromIntent.shared);
	for (const kind of ['tickets', 'conversations'] as const) {
		for (const contactId of live.keys()) {
			for (const item of await listItems(run.gw, kind, contactId)) {
				if (seen[kind].has(item.id)) continue;
				seen[kind].add(item.id);
				const alone = item.contactIds.every((id) => plan.ownIds.has(id));
				if (kind === 'tickets') {
					if (alone) plan.tickets.push(item.id);
					else plan.remaining.push({ type: 'tickets', id: item.id, reason: 'shared_with_other_people' });
				} else if (alone) plan.conversations.push(item.id);
				else plan.shared.push(item.id);
			}
		}
	}
}

/** Stage 3. */
export async function planStage(run: Run, live: Map<string, Contact>, ids: string[]): Promise<Plan | StageFailure> {
	const plan: Plan = { tickets: [], conversations: [], shared: [], redactions: [], remaining: [], ownIds: new Set(ids), matcher: new PersonMatcher([...live.values()]) };
	const it = run.receipt.items;
	const planned = await stage('plan', async () => {
		await listAll(run, live, plan);
		for (const id of plan.shared) {
			const conv = await fetchConversation(run.gw, id);
			if (!conv) continue;
			const r = readShared(conv, plan.ownIds, plan.matcher);
			plan.redactions.push(...r.redactions);
			it.conversationParts.alreadyRedacted += r.alreadyRedacted;
			plan.remaining.push(...r.remaining);
		}
	});
	if (planned instanceof StageFailure) return planned;
	it.tickets.found = plan.tickets.length + plan.remaining.filter((r) => r.type === 'tickets').length;
	it.conversations.found = plan.conversations.length + plan.shared.length;
	it.conversations.shared = plan.shared.length;
	it.conversationParts.found =
		plan.redactions.length + it.conversationParts.alreadyRedacted + plan.remaining.filter((r) => r.type === 'conversationParts' && r.reason !== 'beyond_part_cap').length;
	addRemaining(run, plan.remaining);
	if (!run.want.tickets) addRemaining(run, plan.tickets.map((id) => ({ type: 'tickets', id, reason: 'excluded_by_option' })));
	if (!run.want.redact) addRemaining(run, plan.redactions.map((x) => ({ type: 'conversationParts', id: x.id, conversationId: x.conversationId, reason: 'excluded_by_option' })));
	// Sole conversations left by option: Intercom removes them with the contact (help center); verification decides.
	return plan;
}
