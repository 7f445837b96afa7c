import type { Intercom } from 'intercom-client';
import { MAX_PER_PAGE, type IntercomGateway, type Lookup } from '../intercom';
import { MergeChainTooLongError } from './errors';
import type { MergeRedirect, NormalisedSubjectRef, SubjectContacts, SubjectRef } from './types';
import { normaliseSubjectRef } from './validate';

type Contact = Intercom.Contact;

/** Intercom resolves merge chains up to 3 hops itself; we follow the same number and no further. */
export const MAX_MERGE_HOPS = 3;

/**
 * Finds every Intercom contact that belongs to one person.
 *
 * - contactId: GET the contact; a merged one (410 + Link) is followed to the surviving contact.
 * - email: search `email =` — an email can belong to a lead AND a user, and a DSAR or an erasure
 *   must cover both. Matched case-insensitively.
 * - externalId: see findByExternalId below.
 *
 * The reference is validated before any request (SubjectRefError). An unknown person is
 * `{ found: false, contacts: [] }`, not an exception.
 *
 * Known limit (Intercom): search never returns archived contacts, so an archived contact is
 * found by id or external_id, not by email.
 */
export async function resolveSubject(gw: IntercomGateway, ref: SubjectRef): Promise<SubjectContacts> {
	const subject = normaliseSubjectRef(ref);
	const redirects: MergeRedirect[] = [];
	let contacts: Contact[];
	switch (subject.field) {
		case 'contactId': {
			const contact = await followMerges(gw, subject.value, await gw.getContact(subject.value), redirects);
			contacts = contact ? [contact] : [];
			break;
		}
		case 'email':
			contacts = await findByEmail(gw, subject);
			break;
		case 'externalId':
			contacts = await findByExternalId(gw, subject.value, redirects);
			break;
	}
	const unique = dedupeById(contacts);
	return { found: unique.length > 0, lookup: subject.field, contacts: unique, mergedRedirects: redirects };
}

async function findByEmail(gw: IntercomGateway, subject: NormalisedSubjectRef): Promise<Contact[]> {
	// Search with the lower-cased address, and also as typed when that differs, so we find the
	// person whether or not Intercom compares emails case-sensitively. Then keep only exact
	// (case-insensitive) matches, in case `=` is looser than we think.
	const variants = [...new Set([subject.value, subject.asGiven])];
	const filters = variants.map((value) => ({ field: 'email', operator: '=', value }));
	const query = filters.length === 1 ? filters[0] : { operator: 'OR', value: filters };
	const found = await collect(gw.searchContacts(query, { perPage: MAX_PER_PAGE }));
	return found.filter((c) => typeof c.email === 'string' && c.email.trim().toLowerCase() === subject.value);
}

/**
 * `GET /contacts/find_by_external_id` is documented for users only, and it is the only way to see
 * a merged contact's 410. A lead may still carry an external_id (set by an import or the API), and
 * missing a contact in an access or erasure request is worse than one extra request, so we also
 * search `external_id =` and merge both answers. Both run concurrently under the gateway's pacing.
 */
async function findByExternalId(gw: IntercomGateway, externalId: string, redirects: MergeRedirect[]): Promise<Contact[]> {
	const [lookup, searched] = await Promise.all([
		gw.getContactByExternalId(externalId),
		collect(gw.searchContacts({ field: 'external_id', operator: '=', value: externalId }, { perPage: MAX_PER_PAGE })),
	]);
	const direct = await followMerges(gw, null, lookup, redirects);
	// The search is exact on Intercom's side; re-check so a looser match never pulls in someone else.
	const exact = searched.filter((c) => c.external_id === externalId);
	return direct ? [direct, ...exact] : exact;
}

/**
 * Follows 410 merge redirects from a first lookup result, recording each hop.
 * Returns the surviving contact, or undefined when the chain ends in "not found".
 */
async function followMerges(
	gw: IntercomGateway,
	startId: string | null,
	first: Lookup<Contact>,
	redirects: MergeRedirect[],
): Promise<Contact | undefined> {
	let lookup = first;
	let currentId = startId;
	const chain: string[] = startId ? [startId] : [];
	for (let hops = 0; lookup.status === 'merged'; hops++) {
		const next = lookup.canonicalId;
		if (hops >= MAX_MERGE_HOPS || chain.includes(next)) {
			throw new MergeChainTooLongError(MAX_MERGE_HOPS, [...chain, next]);
		}
		redirects.push({ from: currentId, to: next });
		chain.push(next);
		currentId = next;
		lookup = await gw.getContact(next);
	}
	return lookup.status === 'found' ? lookup.value : undefined;
}

function dedupeById(contacts: Contact[]): Contact[] {
	const seen = new Set<string>();
	return contacts.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const item of items) out.push(item);
	return out;
}
