import type { Intercom } from 'intercom-client';
import { MAX_PER_PAGE, type IntercomGateway, type Lookup } from '../intercom';
import { MergeChainTooLongError, SubjectLookupMismatchError } from './errors';
import type { MergeRedirect, NormalisedSubjectRef, ResolveOptions, SubjectContacts, SubjectRef } from './types';
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
 * found by id or external_id, not by email. With `opts.ledger`, contacts this package archived
 * (`retention.archived` entries carry the HMACs of their email and external id) are found through
 * the ledger and then by id; every other lookup by email or external id carries `archivedNotice`.
 *
 * A direct lookup must answer with the contact asked for (same id, or the same external id): an
 * answer about anything else (a list, another contact) is refused, never taken as the person.
 */
export async function resolveSubject(gw: IntercomGateway, ref: SubjectRef, opts: ResolveOptions = {}): Promise<SubjectContacts> {
	const subject = normaliseSubjectRef(ref);
	const redirects: MergeRedirect[] = [];
	let contacts: Contact[];
	switch (subject.field) {
		case 'contactId': {
			const contact = await followMerges(gw, subject.value, await gw.getContact(subject.value), redirects);
			if (contact) expectContact(contact, 'contactId', redirects.at(-1)?.to ?? subject.value);
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
	const viaLedger: string[] = [];
	if (opts.ledger && subject.field !== 'contactId') {
		const known = new Set(contacts.map((c) => c.id));
		for (const id of await archivedByUs(opts.ledger, subject)) {
			if (known.has(id)) continue;
			const look = await gw.getContact(id);
			// Only if it still is this person (the archived contact may have changed its email since).
			if (look.status === 'found' && matches(look.value, subject)) {
				contacts.push(look.value);
				viaLedger.push(id);
				known.add(id);
			}
		}
	}
	const unique = dedupeById(contacts);
	return {
		found: unique.length > 0,
		lookup: subject.field,
		contacts: unique,
		mergedRedirects: redirects,
		viaLedger,
		archivedNotice: subject.field === 'contactId' ? null : opts.ledger ? ARCHIVED_NOTICE[subject.field] : withoutLedger(ARCHIVED_NOTICE[subject.field]),
	};
}

/**
 * What a lookup by email or external id cannot see: Intercom's search never returns archived
 * contacts. Said wherever "no record" would otherwise be the answer.
 */
export const ARCHIVED_NOTICE = {
	email:
		"Intercom's search never returns archived contacts, so an archived contact with this email address cannot be found by email. " +
		'Contacts this package archived are found through the ledger. For others: in Intercom, list the archived contacts (Contacts → filter "Archived"), ' +
		'take the contact ID from the contact\'s URL and look it up by contact ID (GET /contacts/{id} also returns archived contacts), then export or erase by that ID.',
	externalId:
		"Intercom's search never returns archived contacts; an archived user is still found by external ID (GET /contacts/find_by_external_id), an archived lead is not. " +
		'For such a lead: in Intercom, list the archived contacts (Contacts → filter "Archived"), take the contact ID from its URL and look it up by contact ID.',
} as const;

const LEDGER_CLAIM = 'Contacts this package archived are found through the ledger.';

/** Without the ledger the notice must not claim that contacts this package archived were found. */
function withoutLedger(notice: string): string {
	return notice.replace(LEDGER_CLAIM, 'Contacts this package archived are found through the ledger, which this lookup did not consult.');
}

/** Contact ids the ledger says this package archived for this identifier (through its HMAC). */
async function archivedByUs(ledger: NonNullable<ResolveOptions['ledger']>, subject: NormalisedSubjectRef): Promise<string[]> {
	const hash = ledger.hashIdentifier(subject.field === 'email' ? 'email' : 'externalId', subject.value);
	const entries = await ledger.search({ subject: hash, type: 'retention.archived', limit: 10_000 });
	return [...new Set(entries.flatMap((e) => e.contactIds))];
}

function matches(c: Contact, subject: NormalisedSubjectRef): boolean {
	if (subject.field === 'email') return typeof c.email === 'string' && c.email.trim().toLowerCase() === subject.value;
	if (subject.field === 'externalId') return c.external_id === subject.value;
	return c.id === subject.value;
}

/** A lookup's answer must be a contact with the id (or external id) asked for. */
function expectContact(c: Contact, field: 'contactId' | 'externalId', expected: string): void {
	const type = (c as { type?: unknown }).type;
	const ok = (type === undefined || type === 'contact') && (field === 'contactId' ? String(c.id).toLowerCase() === expected.toLowerCase() : c.external_id === expected);
	if (!ok) throw new SubjectLookupMismatchError(field);
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
	const hops = redirects.length;
	const direct = await followMerges(gw, null, lookup, redirects);
	// Not merged: the answer must carry the external id asked for; merged: the surviving contact's id.
	if (direct && redirects.length > hops) expectContact(direct, 'contactId', redirects[redirects.length - 1].to);
	else if (direct) expectContact(direct, 'externalId', externalId);
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
