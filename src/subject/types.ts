import type { Intercom } from 'intercom-client';

/** Which identifier the caller gave for the person. Exactly one is allowed. */
export type SubjectField = 'contactId' | 'email' | 'externalId';

/** A reference to one person (data subject), as the caller gives it. Exactly one field must be set. */
export interface SubjectRef {
	contactId?: string;
	email?: string;
	externalId?: string;
}

/** A reference after validation: one field, its value trimmed (emails and ids lower-cased). */
export interface NormalisedSubjectRef {
	field: SubjectField;
	value: string;
	/** The value trimmed but with its original case (emails: also searched, in case Intercom stored it so). */
	asGiven: string;
}

/**
 * One step of Intercom's merge chain: the contact `from` was merged into `to` (GET answered 410 + Link).
 * `from` is null when the merged contact was reached by external_id, whose contact id Intercom does not reveal.
 */
export interface MergeRedirect {
	from: string | null;
	to: string;
}

/** Every Intercom contact that belongs to the person, and how we got there. */
export interface SubjectContacts {
	/** false when nobody matched: an answer, not an error, so a workflow can reply to the requester. */
	found: boolean;
	/** The identifier that was looked up. */
	lookup: SubjectField;
	/** Distinct contacts (by id), in the order found; merged contacts are replaced by the surviving one. */
	contacts: Intercom.Contact[];
	/** Merge redirects that were followed, in order. */
	mergedRedirects: MergeRedirect[];
	/** Contacts found through the ledger (archived by this package; search cannot see them), then by id. */
	viaLedger?: string[];
	/** Lookups by email or external id: what they cannot see (archived contacts) and how to look those up. Null by contact id. */
	archivedNotice?: string | null;
}

/** Options of resolveSubject. */
export interface ResolveOptions {
	/** The audit ledger: contacts this package archived are found through it (HMAC of the identifier → contact ids). */
	ledger?: Pick<import('../ledger/types').Ledger, 'search' | 'hashIdentifier'>;
}
