/**
 * Verification after the deletes, per type: contacts by id, email and external id; tickets and
 * conversations by contact id and by their own ids; shared conversations read back (every part of
 * the person redacted, no teammate part naming them). What is still there becomes `remaining`.
 */
import type { IntercomGateway } from '../intercom';
import { getObject, listItems } from './intercom';
import { fetchConversation, readShared, type PersonMatcher } from './scope';
import type { ErasureScope, RemainingItem } from './types';

/** Contacts a search returns (ids only); enough to tell erased from other contacts, bounded. */
const MAX_VERIFY_HITS = 500;

async function searchIds(gw: IntercomGateway, query: object): Promise<string[]> {
	const ids: string[] = [];
	for await (const c of gw.searchContacts(query, { perPage: 50 })) {
		ids.push(c.id);
		if (ids.length >= MAX_VERIFY_HITS) break;
	}
	return ids;
}

export interface ContactCheck {
	contactsGone: boolean;
	emailSearchEmpty: boolean | null;
	externalIdSearchEmpty: boolean | null;
	erasedContactsUnsearchable: boolean | null;
	otherContactsRemain: number;
	/** The scope's verdict on contacts. */
	ok: boolean;
	remaining: RemainingItem[];
}

/** Every id answers 404/410; searches by email and external id find nothing (person scope) or no erased contact (contact scope). */
export async function verifyContacts(
	gw: IntercomGateway,
	scope: ErasureScope,
	contactIds: string[],
	emails: Set<string>,
	externalIds: Set<string>,
): Promise<ContactCheck> {
	const erased = new Set(contactIds);
	const others = new Set<string>();
	const stillFound = new Set<string>();
	const searchHits = new Set<string>();
	let erasedFound = false;
	const sort = (ids: string[]) => {
		for (const id of ids) {
			if (erased.has(id)) {
				erasedFound = true;
				searchHits.add(id);
			} else {
				others.add(id);
			}
		}
	};
	let contactsGone = true;
	for (const id of contactIds) {
		const look = await gw.getContact(id);
		if (look.status === 'found') {
			contactsGone = false;
			stillFound.add(id);
		}
		// Contact scope: the erased contact must not be found by search either (the API's other door).
		if (scope === 'contact') sort(await searchIds(gw, { field: 'id', operator: '=', value: id }));
	}
	let emailSearchEmpty: boolean | null = null;
	for (const email of emails) {
		const hits = await searchIds(gw, { field: 'email', operator: '=', value: email });
		sort(hits);
		emailSearchEmpty = (emailSearchEmpty ?? true) && hits.length === 0;
	}
	let externalIdSearchEmpty: boolean | null = null;
	for (const externalId of externalIds) {
		const hits = await searchIds(gw, { field: 'external_id', operator: '=', value: externalId });
		const direct = await gw.getContactByExternalId(externalId);
		if (direct.status === 'found') hits.push(direct.value.id);
		sort(hits);
		externalIdSearchEmpty = (externalIdSearchEmpty ?? true) && hits.length === 0;
	}
	const ok = scope === 'person' ? contactsGone && emailSearchEmpty !== false && externalIdSearchEmpty !== false : contactsGone && !erasedFound;
	const remaining: RemainingItem[] = [...stillFound].map((id) => ({ type: 'contacts', id, reason: 'still_found_after_delete' }));
	for (const id of searchHits) if (!stillFound.has(id)) remaining.push({ type: 'contacts', id, reason: 'found_by_search' });
	// Person scope: another contact answering to the person's email or external id is the person, still there.
	if (scope === 'person') for (const id of others) remaining.push({ type: 'contacts', id, reason: 'found_by_search' });
	return {
		contactsGone,
		emailSearchEmpty,
		externalIdSearchEmpty,
		erasedContactsUnsearchable: scope === 'contact' ? !erasedFound : null,
		otherContactsRemain: scope === 'contact' ? others.size : 0,
		ok,
		remaining,
	};
}

/** Tickets or conversations: each listed id answers 404, and a search by each contact id finds none of the person's. */
export async function verifyGoneItems(
	gw: IntercomGateway,
	kind: 'tickets' | 'conversations',
	ids: string[],
	contactIds: string[],
	ownIds: Set<string>,
): Promise<{ stillThere: string[] }> {
	const still = new Set<string>();
	for (const id of ids) {
		const got = await getObject<{ id?: unknown }>(gw, `/${kind}/${encodeURIComponent(id)}`);
		if (got !== undefined) still.add(id);
	}
	for (const contactId of contactIds) {
		for (const item of await listItems(gw, kind, contactId)) {
			// A conversation shared with others stays by design (its parts are checked separately).
			if (kind === 'conversations' && item.contactIds.some((c) => !ownIds.has(c))) continue;
			still.add(item.id);
		}
	}
	return { stillThere: [...still] };
}

/** Reads each shared conversation back: anything of the person not redacted is remaining. */
export async function verifyShared(
	gw: IntercomGateway,
	conversationIds: string[],
	ownIds: Set<string>,
	matcher: PersonMatcher,
): Promise<{ remaining: RemainingItem[]; alreadyRedacted: number }> {
	const remaining: RemainingItem[] = [];
	let alreadyRedacted = 0;
	for (const id of conversationIds) {
		const conv = await fetchConversation(gw, id);
		if (!conv) continue; // gone altogether: nothing of the person in it
		const r = readShared(conv, ownIds, matcher);
		alreadyRedacted += r.alreadyRedacted;
		remaining.push(...r.remaining);
		for (const x of r.redactions) remaining.push({ type: 'conversationParts', id: x.id, conversationId: x.conversationId, reason: 'not_redacted' });
	}
	return { remaining, alreadyRedacted };
}
