/**
 * What an erasure writes into the ledger's `data` and its receipt's caveats.
 *
 * Contact ids in the ledger live only in an entry's sealed `contactIds` field (encrypted at rest,
 * see src/ledger/keys.ts). What `data` says about contacts refers to them by position in that field,
 * or counts them: `data` is stored as it is, and an id in clear there would undo the sealing.
 */
import type { IntercomGateway } from '../intercom';
import type { JsonValue } from '../ledger/types';
import type { HoldMatch } from '../retention/holds';
import type { SubjectField } from '../subject';
import { CAVEAT_CSAT, CAVEAT_EXPORTS, CAVEAT_METRICS_PURGED, CAVEAT_OTHER_CONTACTS, CAVEAT_REPORTING, CAVEAT_RESTORABLE } from './caveats';
import { supportsRetainMetrics } from './intercom';
import type { ContactErasure, ErasureError, ErasureItemType, ErasureOptions, ErasureReceipt, ErasureScope, RemainingItem } from './types';

export const TYPES: ErasureItemType[] = ['contacts', 'tickets', 'conversations', 'conversationParts'];

/** The part of a receipt's error that goes into the ledger (no free text). */
export function errorData(e: ErasureError) {
	return { stage: e.stage, status: e.status, code: e.code, intercomRequestId: e.intercomRequestId };
}

/** Each contact's status, in the order of the entry's `contactIds`. */
export function statusesData(contacts: ContactErasure[]): string[] {
	return contacts.map((c) => c.status);
}

/**
 * What remains, for the ledger: tickets, conversations and parts by their Intercom ids (not personal
 * data); contacts by their position in `contactIds`, or `null` for another contact a search still
 * returns (its id is not kept at all).
 */
export function remainingData(remaining: RemainingItem[], contactIds: string[]): JsonValue[] {
	return remaining.map((r): JsonValue => {
		if (r.type !== 'contacts') return { type: r.type, id: r.id, conversationId: r.conversationId ?? null, reason: r.reason };
		const position = contactIds.indexOf(r.id);
		return { type: r.type, position: position >= 0 ? position : null, reason: r.reason };
	});
}

/** A hold for the ledger: a contact-id hold by its position in the entry's `contactIds` (the rule's id IS the person's). */
export function holdData(hold: HoldMatch): { data: { [k: string]: JsonValue }; contactIds: string[] } {
	if (hold.kind === 'contactId') return { data: { kind: hold.kind, position: 0 }, contactIds: [hold.id] };
	return { data: { kind: hold.kind, id: hold.id }, contactIds: [] };
}

export function countsData(r: ErasureReceipt) {
	const c = r.counts;
	return { contacts: c.contacts, deleted: c.deleted, alreadyDeleted: c.alreadyDeleted, failed: c.failed, pending: c.pending };
}

export function itemsData(r: ErasureReceipt): { [k: string]: JsonValue } {
	const out: { [k: string]: JsonValue } = {};
	for (const t of TYPES) out[t] = { ...r.items[t] };
	return out;
}

export function caveats(opts: ErasureOptions, gw: IntercomGateway, r: ErasureReceipt, otherContacts: number, archivedNotice: string | null | undefined): string[] {
	const out = [CAVEAT_RESTORABLE, CAVEAT_CSAT, CAVEAT_REPORTING];
	if (opts.deleteConversations !== false && opts.purgeConversationMetrics !== false && supportsRetainMetrics(gw.apiVersion)) out.push(CAVEAT_METRICS_PURGED);
	if (r.items.conversations.shared > 0) {
		out.push(
			`${r.items.conversations.shared} conversation(s) also involve other people and were kept: the person's own messages (and the first message when they wrote it) were redacted, and teammates' messages naming them; Intercom keeps who took part and when.`,
		);
	}
	if (otherContacts > 0) out.push(CAVEAT_OTHER_CONTACTS(otherContacts));
	if (archivedNotice) out.push(archivedNotice);
	out.push(CAVEAT_EXPORTS);
	return out;
}

/**
 * The scope an erasure verifies (see ErasureScope). Contact scope only for a contact id: an erasure
 * by email or external id that passed while contacts with that email remain would be a false receipt.
 */
export function scopeOf(field: SubjectField, wanted: ErasureScope | undefined): ErasureScope {
	if (wanted === undefined) return field === 'contactId' ? 'contact' : 'person';
	if (wanted !== 'person' && wanted !== 'contact') throw new TypeError('eraseSubject: scope must be "person" or "contact"');
	if (wanted === 'contact' && field !== 'contactId') {
		throw new TypeError('eraseSubject: scope "contact" needs a contactId reference; an erasure by email or external id always covers the whole person');
	}
	return wanted;
}
