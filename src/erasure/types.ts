import type { LedgerEntry, Ledger } from '../ledger/types';
import type { MergeRedirect, SubjectField } from '../subject/types';

/**
 * What an erasure must prove gone.
 * - `person`: every contact of the person, and nothing in Intercom still answers to their email or
 *   external id (a lead AND a user sharing an email must both go). Default for email / external id.
 * - `contact`: the contacts erased (404/410 on GET, no longer found by search). Other contacts that
 *   share the email or external id are NOT a failure; the receipt counts them
 *   (`verification.otherContactsRemain`) and says so in a caveat. Default for a contact id, the
 *   choice for deleting one contact (retention, a duplicate lead).
 */
export type ErasureScope = 'person' | 'contact';

export interface ErasureOptions {
	ledger: Ledger;
	/** See ErasureScope. Default: `contact` for a contactId reference, `person` otherwise (the only choice there). */
	scope?: ErasureScope;
	/** Report what would be deleted and stop: nothing deleted, nothing written to the ledger. */
	dryRun?: boolean;
	/** Delete the person's conversations one by one before the contact (a per-item record). Default false. */
	deleteConversations?: boolean;
	/** Delete the person's tickets one by one before the contact. Default false. */
	deleteTickets?: boolean;
	/**
	 * With deleteConversations on API version 2.16+ (or Preview): also purge the conversations' reporting
	 * metrics (`retain_metrics=false`, needs the `delete_conversations_and_metrics` scope). Default true.
	 */
	purgeConversationMetrics?: boolean;
	/** Your reference for the request (e.g. a ticket number); a UUID when absent. An open intent's id wins. */
	requestId?: string;
	/** Progress events (no personal data): for logs, and for tests that simulate a crash. */
	onProgress?: (event: ErasureProgress) => void | Promise<void>;
	/** Clock, for tests. */
	now?: () => Date;
}

export type ErasureProgress =
	| { step: 'intent_recorded'; requestId: string; seq: number }
	| { step: 'conversation_deleted' | 'ticket_deleted'; id: string; status: 'deleted' | 'already_deleted' }
	| { step: 'contact_deleted'; contactId: string; status: 'deleted' | 'already_deleted' }
	| { step: 'verified'; ok: boolean };

export type ContactErasureStatus = 'would_delete' | 'deleted' | 'already_deleted' | 'failed' | 'pending';

export interface ContactErasure {
	id: string;
	role?: string;
	status: ContactErasureStatus;
	/** Where the id came from: found in Intercom now, or named by an earlier ledger entry. */
	source: 'intercom' | 'ledger';
}

export interface ItemCounts {
	/** Found for the person (shared ones excluded). */
	found: number;
	deleted: number;
	alreadyDeleted: number;
	/** Conversations/tickets that also involve other people: left for Intercom's contact deletion. */
	sharedSkipped: number;
}

export interface ErasureVerification {
	ok: boolean;
	/** What `ok` required (see ErasureScope). */
	scope: ErasureScope;
	/** Every contact id answers 404 (or 410: merged away). */
	contactsGone: boolean;
	/** A search by each known email found nothing (null: no email known). Required for `ok` in person scope. */
	emailSearchEmpty: boolean | null;
	/** A search and a lookup by each known external id found nothing (null: none known). Required for `ok` in person scope. */
	externalIdSearchEmpty: boolean | null;
	/**
	 * Contact scope: no search (by contact id, email or external id) returned an erased contact.
	 * Null in person scope (there any search hit fails).
	 */
	erasedContactsUnsearchable: boolean | null;
	/**
	 * Contact scope: how many OTHER contacts still share an email or external id of the erased ones
	 * (e.g. the user when a lead with the same email was erased). Not a failure, but not erased.
	 */
	otherContactsRemain: number;
	checkedAt: string;
}

export interface ErasureError {
	stage: 'resolve' | 'plan' | 'delete' | 'verify';
	status: number | null;
	code: string | null;
	intercomRequestId: string | null;
	message: string;
}

export type ErasureStatus = 'dry_run' | 'erased' | 'already_erased' | 'not_found' | 'failed';

/**
 * The erasure receipt: ids, HMACs, counts and times — no names, emails, phones or message text.
 * `externalIds` are your own system's user ids, returned so the workflow can purge downstream
 * systems; they identify the person there (some companies use an email as external id), so they
 * are never written to the ledger (only their HMACs are), and a receipt meant for long-term
 * keeping should drop them once the purge is done.
 */
export interface ErasureReceipt {
	requestId: string;
	status: ErasureStatus;
	dryRun: boolean;
	lookup: SubjectField;
	scope: ErasureScope;
	/** HMAC-SHA256 (ledger key) of the identifier given and of every email / external id / contact id of the person. */
	subjectHashes: string[];
	contacts: ContactErasure[];
	/** External ids of the contacts (your own system's user ids), for purging downstream systems. */
	externalIds: string[];
	counts: {
		contacts: number;
		deleted: number;
		alreadyDeleted: number;
		failed: number;
		pending: number;
		conversations?: ItemCounts;
		tickets?: ItemCounts;
	};
	conversationIds?: string[];
	ticketIds?: string[];
	verification?: ErasureVerification;
	/** This run completed an erasure an earlier run started (a crash or a fault after its intent). */
	resumed: boolean;
	mergedRedirects: MergeRedirect[];
	error?: ErasureError;
	startedAt: string;
	finishedAt: string;
	/** What Intercom keeps or can restore, so the record is honest. */
	caveats: string[];
	/** Ledger entries written by this run. */
	ledger: { entries: Array<Pick<LedgerEntry, 'seq' | 'type' | 'hash'>> };
}
