/**
 * What the rules for conversations, tickets and attributes select (Art. 5(1)(e) below the contact).
 *
 * - Conversations: `state = closed` AND `statistics.last_close_at < now − N days` (conversation
 *   search; both fields are in Intercom's list of searchable fields). Checked again on each result.
 * - Tickets: Intercom's ticket search has no close time. `state = resolved` AND `updated_at < now −
 *   N days`: closing a ticket updates it, so a resolved ticket not updated since was closed at least
 *   N days ago (never early; later if someone touched it after closing).
 * - Attributes: Intercom does not say when an attribute was set. Contacts whose `updated_at` is
 *   before the cutoff day (setting an attribute updates the contact, so the value is at least that
 *   old), or — with `dateAttribute` — whose date attribute is; only contacts that hold a value in
 *   one of the named attributes. Contact dates compare by whole days in the workspace time zone.
 *   Archived contacts are not searchable in Intercom: their attributes cannot be found this way.
 */
import type { Contact, IntercomGateway } from '../intercom';
import { contactIdsOf, searchItems, type SearchedItem } from '../erasure/intercom';
import { inactivityCutoff } from './calendar';
import type { AttributeRule, ItemCutoff, NormalisedItemRule } from './item-types';

const DAY_MS = 86_400_000;

/** One thing a rule selected: a conversation, a ticket, or a contact with attributes to clear. */
export interface ItemCandidate {
	rule: NormalisedItemRule;
	id: string;
	/** The contacts it belongs to (holds are checked on each). */
	contactIds: string[];
	/** Attributes: the contact as search returned it, and the named attributes that hold a value. */
	contact?: Contact;
	attributes?: string[];
}

export interface ItemSelection {
	cutoff: ItemCutoff;
	/** UNIX seconds: selected items are strictly older. */
	before: number;
	candidates: () => AsyncGenerator<ItemCandidate>;
}

const unix = (ms: number) => Math.floor(ms / 1000);

/** `ticket_state` is an object with a category from 2.16 (a string before). */
const ticketCategory = (t: SearchedItem): string | undefined => (typeof t.ticket_state === 'string' ? t.ticket_state : (t.ticket_state?.category ?? undefined));

async function* conversations(gw: IntercomGateway, rule: NormalisedItemRule, before: number, signal?: AbortSignal): AsyncGenerator<ItemCandidate> {
	const query = { operator: 'AND', value: [{ field: 'state', operator: '=', value: 'closed' }, { field: 'statistics.last_close_at', operator: '<', value: before }] };
	for await (const c of searchItems(gw, 'conversations', query, signal)) {
		const closedAt = c.statistics?.last_close_at;
		// Checked here too: a result that says it is open, or closed since, is never touched.
		if (c.state !== undefined && c.state !== 'closed') continue;
		if (typeof closedAt === 'number' && closedAt >= before) continue;
		yield { rule, id: String(c.id), contactIds: contactIdsOf(c) };
	}
}

async function* tickets(gw: IntercomGateway, rule: NormalisedItemRule, before: number, signal?: AbortSignal): AsyncGenerator<ItemCandidate> {
	const query = { operator: 'AND', value: [{ field: 'state', operator: '=', value: 'resolved' }, { field: 'updated_at', operator: '<', value: before }] };
	for await (const t of searchItems(gw, 'tickets', query, signal)) {
		const category = ticketCategory(t);
		if (category !== undefined && category !== 'resolved') continue;
		if (typeof t.updated_at === 'number' && t.updated_at >= before) continue;
		yield { rule, id: String(t.id), contactIds: contactIdsOf(t) };
	}
}

const hasValue = (v: unknown) => v !== null && v !== undefined && v !== '';

async function* attributes(gw: IntercomGateway, rule: AttributeRule & { name: string }, search: { searchValue: number; cutoffStart: number }, signal?: AbortSignal): AsyncGenerator<ItemCandidate> {
	const field = rule.dateAttribute ? `custom_attributes.${rule.dateAttribute}` : 'updated_at';
	const query = { field, operator: '<', value: search.searchValue };
	let cursor: string | undefined;
	do {
		if (signal?.aborted) return;
		const page = await gw.searchContactsPage(query, { perPage: 150, startingAfter: cursor });
		cursor = page.next;
		for (const c of page.contacts) {
			const attrs = (c.custom_attributes ?? {}) as Record<string, unknown>;
			const decisive = rule.dateAttribute ? attrs[rule.dateAttribute] : c.updated_at;
			// The day edge, checked by us too (a contact updated on the cutoff day itself is recent).
			if (typeof decisive !== 'number' || decisive >= search.cutoffStart) continue;
			const named = rule.names.filter((n) => hasValue(attrs[n]));
			if (named.length === 0) continue;
			yield { rule, id: c.id, contactIds: [c.id], contact: c, attributes: named };
		}
	} while (cursor);
}

/** The selection of one rule: its cutoff, and the candidates (searched lazily, page by page). */
export function selectItems(gw: IntercomGateway, rule: NormalisedItemRule, timeZone: string, nowMs: number, signal?: AbortSignal): ItemSelection {
	if (rule.target === 'attributes') {
		const c = inactivityCutoff(timeZone, nowMs, rule.olderThanDays);
		const cutoff = { rule: rule.name, target: rule.target, before: new Date(c.cutoffStart * 1000).toISOString(), cutoffDay: c.cutoffDay };
		return { cutoff, before: c.cutoffStart, candidates: () => attributes(gw, rule, c, signal) };
	}
	const before = unix(nowMs - rule.closedMoreThanDays * DAY_MS);
	const cutoff = { rule: rule.name, target: rule.target, before: new Date(before * 1000).toISOString() };
	const gen = rule.target === 'conversations' ? conversations : tickets;
	return { cutoff, before, candidates: () => gen(gw, rule, before, signal) };
}
