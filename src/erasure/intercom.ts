/** The Intercom calls of an erasure, through the gateway (paced, retried, PII-free errors). */
import type { IntercomGateway } from '../intercom';
import { IntercomApiError, MAX_PER_PAGE } from '../intercom';
import { settle } from '../util/settle';

export interface Item {
	id: string;
	contactIds: string[];
}

/** A conversation or ticket as POST /conversations/search or /tickets/search lists it (no parts). */
export interface SearchedItem {
	id: string | number;
	contacts?: { contacts?: Array<{ id: string }> };
	state?: string;
	updated_at?: number;
	statistics?: { last_close_at?: number | null } | null;
	ticket_state?: string | { category?: string } | null;
}

interface SearchResponse {
	conversations?: SearchedItem[];
	tickets?: SearchedItem[];
	pages?: { next?: { starting_after?: string } | null };
}

/**
 * Every conversation or ticket a search query selects, page by page (150 per page, cursor paging),
 * one page in memory at a time. Used by the erasure (by contact id) and by retention (by age).
 */
export async function* searchItems(gw: IntercomGateway, kind: 'conversations' | 'tickets', query: object, signal?: AbortSignal): AsyncGenerator<SearchedItem> {
	let startingAfter: string | undefined;
	for (let page = 0; page < 10_000; page++) {
		if (signal?.aborted) return;
		const body = { query, pagination: { per_page: MAX_PER_PAGE, ...(startingAfter ? { starting_after: startingAfter } : {}) } };
		const { data } = await gw.request<SearchResponse>('POST', `/${kind}/search`, { body });
		yield* data[kind] ?? [];
		startingAfter = data.pages?.next?.starting_after ?? undefined;
		if (!startingAfter) break;
	}
}

/** The contact ids of a searched conversation or ticket. */
export const contactIdsOf = (item: SearchedItem): string[] => (item.contacts?.contacts ?? []).map((c) => String(c.id));

/** Every conversation or ticket a contact takes part in (all pages, 150 per page). */
export async function listItems(gw: IntercomGateway, kind: 'conversations' | 'tickets', contactId: string): Promise<Item[]> {
	const out: Item[] = [];
	for await (const item of searchItems(gw, kind, { field: 'contact_ids', operator: '=', value: contactId })) {
		out.push({ id: String(item.id), contactIds: contactIdsOf(item) });
	}
	return out;
}

export type DeleteOutcome = 'deleted' | 'already_deleted';

export interface DeleteResult {
	outcome: DeleteOutcome;
	/** The first answer was lost (reset, timeout, 5xx) and the retry found the object gone: our DELETE did it. */
	answerLost: boolean;
}

/**
 * DELETE one object. 404 means gone. Whether this request removed it: when the gateway retried
 * (the first attempt's answer was lost, 5xx, a timeout) and the retry answers 404, the object this
 * run saw a moment ago was removed by our own first DELETE: `deleted`. A 404 on the first attempt
 * means someone else removed it since: `already_deleted`.
 */
export async function deleteObject(gw: IntercomGateway, path: string, query?: Record<string, string | number | boolean>): Promise<DeleteResult> {
	const done = await settle(gw.request('DELETE', path, query ? { query } : undefined));
	if (done.ok) return { outcome: 'deleted', answerLost: false };
	if (done.error instanceof IntercomApiError && done.error.status === 404) {
		// Only an earlier attempt that may have reached Intercom makes the 404 ours (a 429 was not processed).
		const retried = done.error.earlierAttemptsMaybeProcessed > 0;
		return { outcome: retried ? 'deleted' : 'already_deleted', answerLost: retried };
	}
	throw done.error;
}

/** GET one object; undefined on 404. */
export async function getObject<T>(gw: IntercomGateway, path: string, query?: Record<string, string>): Promise<T | undefined> {
	const got = await settle(gw.request<T>('GET', path, query ? { query } : undefined));
	if (got.ok) return got.value.data;
	if (got.error instanceof IntercomApiError && got.error.status === 404) return undefined;
	throw got.error;
}

export type RedactOutcome = 'redacted' | 'not_redactable' | 'gone';

/** POST /conversations/redact for one part or the source message. */
export async function redactPart(gw: IntercomGateway, conversationId: string, kind: 'part' | 'source', id: string): Promise<RedactOutcome> {
	const body =
		kind === 'part'
			? { type: 'conversation_part', conversation_id: conversationId, conversation_part_id: id }
			: { type: 'source', conversation_id: conversationId, source_id: id };
	const done = await settle(gw.request('POST', '/conversations/redact', { body }));
	if (done.ok) return 'redacted';
	if (done.error instanceof IntercomApiError) {
		if (done.error.code === 'conversation_part_not_redactable') return 'not_redactable';
		if (done.error.status === 404) return 'gone';
	}
	throw done.error;
}

/** `retain_metrics` exists from 2.16 (and on Preview/Unstable). */
export function supportsRetainMetrics(apiVersion: string): boolean {
	if (apiVersion === 'Preview' || apiVersion === 'Unstable') return true;
	const [major, minor] = apiVersion.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 16);
}
