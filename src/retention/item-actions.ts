/**
 * What Enforce does to one conversation, ticket or contact's attributes, with the erasure's own
 * Intercom calls (src/erasure/intercom.ts: `deleteObject`, `getObject`, `redactPart`;
 * src/erasure/scope.ts: `fetchConversation`), then a read-back and one ledger entry:
 *
 * - `retention.conversation_deleted` / `retention.ticket_deleted`: DELETE, then GET answers 404.
 * - `retention.conversation_redacted`: POST /conversations/redact on every part with a body and on
 *   the source when a contact wrote it, then the conversation read back (every one `redacted`).
 * - `retention.attributes_cleared`: PUT /contacts/{id} with the named attributes set to null, then
 *   GET /contacts/{id} shows them null.
 *
 * Entries name conversations and tickets by their Intercom ids and attributes by name (not personal
 * data); contact ids only in the sealed `contactIds` field, never in `data`.
 */
import type { IntercomGateway } from '../intercom';
import { IntercomApiError } from '../intercom';
import type { JsonValue, Ledger } from '../ledger/types';
import { deleteObject, getObject, redactPart } from '../erasure/intercom';
import { fetchConversation, type ConversationJson } from '../erasure/scope';
import type { ItemResult } from './item-types';
import type { ItemCandidate } from './item-select';

export const RETENTION_CONVERSATION_DELETED = 'retention.conversation_deleted';
export const RETENTION_CONVERSATION_REDACTED = 'retention.conversation_redacted';
export const RETENTION_TICKET_DELETED = 'retention.ticket_deleted';
export const RETENTION_ATTRIBUTES_CLEARED = 'retention.attributes_cleared';

export interface ItemContext {
	gw: IntercomGateway;
	/** Absent for a preview (dry run: nothing is recorded). */
	ledger?: Ledger;
	runId: string;
	now: () => Date;
	dryRun: boolean;
}

type Acted = Pick<ItemResult, 'outcome' | 'parts' | 'attributes' | 'remaining' | 'error'>;

async function record(ctx: ItemContext, type: string, c: ItemCandidate, data: { [k: string]: JsonValue }): Promise<void> {
	if (!ctx.ledger) throw new TypeError('enforcing retention needs a ledger');
	await ctx.ledger.append({ type, requestId: ctx.runId, contactIds: c.contactIds, data: { rule: c.rule.name, ...data }, at: ctx.now().toISOString() });
}

const stillThere = (): Acted['error'] => ({ status: null, code: 'still_found_after_delete', intercomRequestId: null });

/** DELETE a conversation or ticket, then GET it: gone is 404. A 404 on the first DELETE: someone else removed it. */
async function deleteItem(ctx: ItemContext, c: ItemCandidate, kind: 'conversations' | 'tickets'): Promise<Acted> {
	if (ctx.dryRun) return { outcome: 'would_delete' };
	const path = `/${kind}/${encodeURIComponent(c.id)}`;
	// Intercom's default `retain_metrics` (reporting aggregates kept, no message content in them).
	const r = await deleteObject(ctx.gw, path);
	if (r.outcome === 'already_deleted') return { outcome: 'already_handled' };
	const verified = (await getObject(ctx.gw, path)) === undefined;
	const type = kind === 'conversations' ? RETENTION_CONVERSATION_DELETED : RETENTION_TICKET_DELETED;
	await record(ctx, type, c, { [kind === 'conversations' ? 'conversationId' : 'ticketId']: c.id, verified, answerLost: r.answerLost });
	return verified ? { outcome: 'deleted' } : { outcome: 'failed', error: stillThere() };
}

const isContact = (type: string | undefined) => type === 'user' || type === 'lead' || type === 'contact';
const hasBody = (b: string | null | undefined) => typeof b === 'string' && b.trim() !== '';

interface Content {
	redact: Array<{ kind: 'part' | 'source'; id: string }>;
	remaining: Array<{ id: string; reason: string }>;
}

/** Everything with content in a conversation that is not redacted yet, and what Intercom cannot redact. */
export function contentOf(conv: ConversationJson): Content {
	const out: Content = { redact: [], remaining: [] };
	const src = conv.source;
	if (src && src.id !== undefined && src.id !== null && !src.redacted && hasBody(src.body)) {
		// Intercom redacts only a source message a contact wrote.
		if (isContact(src.author?.type)) out.redact.push({ kind: 'source', id: String(src.id) });
		else out.remaining.push({ id: String(src.id), reason: 'not_redactable' });
	}
	const list = conv.conversation_parts?.conversation_parts ?? [];
	for (const p of list) {
		if (p.redacted) continue;
		if (hasBody(p.body)) out.redact.push({ kind: 'part', id: String(p.id) });
		else if ((p.attachments ?? []).length > 0) out.remaining.push({ id: String(p.id), reason: 'not_redactable' });
	}
	// Parts older than the 500 most recent cannot be read, so not redacted.
	if ((conv.conversation_parts?.total_count ?? list.length) > list.length) out.remaining.push({ id: String(conv.id), reason: 'beyond_part_cap' });
	return out;
}

async function redactConversation(ctx: ItemContext, c: ItemCandidate): Promise<Acted> {
	const conv = await fetchConversation(ctx.gw, c.id);
	if (!conv) return { outcome: 'already_handled' };
	const before = contentOf(conv);
	if (before.redact.length === 0) return { outcome: 'already_handled', ...(before.remaining.length ? { remaining: before.remaining } : {}) };
	if (ctx.dryRun) return { outcome: 'would_redact', parts: before.redact.length, ...(before.remaining.length ? { remaining: before.remaining } : {}) };
	let redacted = 0;
	const refused = new Set<string>();
	for (const x of before.redact) {
		const outcome = await redactPart(ctx.gw, c.id, x.kind, x.id);
		if (outcome === 'redacted') redacted++;
		else if (outcome === 'not_redactable') refused.add(x.id);
	}
	// Intercom refused every one (a part it will not redact): nothing changed, nothing to record.
	if (redacted === 0 && refused.size === before.redact.length) return { outcome: 'already_handled', remaining: [...before.remaining, ...[...refused].map((id) => ({ id, reason: 'not_redactable' }))] };
	// Read back: anything with content still unredacted (other than what Intercom refused or cannot redact) remains.
	const after = await fetchConversation(ctx.gw, c.id);
	const left = after ? contentOf(after) : { redact: [], remaining: [] };
	const unredacted = left.redact.filter((x) => !refused.has(x.id));
	const remaining = [...left.remaining, ...left.redact.filter((x) => refused.has(x.id)).map((x) => ({ id: x.id, reason: 'not_redactable' })), ...unredacted.map((x) => ({ id: x.id, reason: 'not_redacted' }))];
	const verified = unredacted.length === 0;
	await record(ctx, RETENTION_CONVERSATION_REDACTED, c, { conversationId: c.id, parts: redacted, remaining, verified });
	const base = { parts: redacted, ...(remaining.length ? { remaining } : {}) };
	return verified ? { outcome: 'redacted', ...base } : { outcome: 'failed', ...base, error: { status: null, code: 'not_redacted_after_redact', intercomRequestId: null } };
}

/** PUT the named attributes to null, then read the contact back. A contact gone since: already handled. */
async function clearAttributes(ctx: ItemContext, c: ItemCandidate): Promise<Acted> {
	const names = c.attributes ?? [];
	if (ctx.dryRun) return { outcome: 'would_clear', attributes: names };
	const path = `/contacts/${encodeURIComponent(c.id)}`;
	const body = { custom_attributes: Object.fromEntries(names.map((n) => [n, null])) };
	const put = await ctx.gw.request('PUT', path, { body }).then(
		() => true,
		(error: unknown) => {
			if (error instanceof IntercomApiError && error.status === 404) return false;
			throw error;
		},
	);
	if (!put) return { outcome: 'already_handled' };
	const back = await getObject<{ custom_attributes?: Record<string, unknown> }>(ctx.gw, path);
	const stillSet = names.filter((n) => back?.custom_attributes?.[n] !== null && back?.custom_attributes?.[n] !== undefined);
	const verified = stillSet.length === 0;
	await record(ctx, RETENTION_ATTRIBUTES_CLEARED, c, { attributes: names, verified, stillSet });
	if (verified) return { outcome: 'cleared', attributes: names };
	return { outcome: 'failed', attributes: names, remaining: stillSet.map((n) => ({ id: n, reason: 'still_set_after_clear' })), error: { status: null, code: 'still_set_after_clear', intercomRequestId: null } };
}

/** Acts on one candidate (nothing changes in a dry run). Intercom errors propagate to the caller. */
export async function actOnItem(ctx: ItemContext, c: ItemCandidate): Promise<Acted> {
	switch (c.rule.target) {
		case 'conversations':
			return c.rule.action === 'redact' ? await redactConversation(ctx, c) : await deleteItem(ctx, c, 'conversations');
		case 'tickets':
			return await deleteItem(ctx, c, 'tickets');
		case 'attributes':
			return await clearAttributes(ctx, c);
	}
}
