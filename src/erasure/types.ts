import type { LedgerEntry, Ledger } from '../ledger/types';
import type { HoldMatch } from '../retention/holds';
import type { LegalHolds } from '../retention/types';
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
	/**
	 * Delete the conversations only the person takes part in, one by one, before the contact. Default
	 * true. Off narrows the scope: what stays is listed in `remaining` (reason `excluded_by_option`).
	 */
	deleteConversations?: boolean;
	/** Delete the person's tickets one by one before the contact (Intercom keeps them otherwise). Default true. */
	deleteTickets?: boolean;
	/**
	 * In conversations shared with other people: redact the person's own parts and the source message
	 * when they wrote it (POST /conversations/redact), and teammates' parts that name the person.
	 * Default true; off leaves them, listed in `remaining`.
	 */
	redactSharedConversations?: boolean;
	/**
	 * Legal holds (the same definition Retention uses): a held person is not erased; the receipt
	 * says `held` and the ledger names the hold (tag/segment/company/contact id), not the person.
	 */
	legalHolds?: LegalHolds;
	/** Erase despite a legal hold: needs a reason (no personal data; recorded in the ledger). */
	overrideLegalHold?: { reason: string };
	/** Downstream systems to tell about the erasure (names only, e.g. "Stripe"); carried by the receipt and the ledger. */
	notifyRecipients?: string[];
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
	| { step: 'part_redacted'; conversationId: string; id: string; status: 'redacted' | 'not_redactable' | 'gone' }
	| { step: 'contact_deleted'; contactId: string; status: 'deleted' | 'already_deleted' }
	| { step: 'verified'; ok: boolean };

export type ContactErasureStatus = 'would_delete' | 'deleted' | 'already_deleted' | 'failed' | 'pending';

export interface ContactErasure {
	id: string;
	role?: string;
	status: ContactErasureStatus;
	/** Where the id came from: found in Intercom now, or named by an earlier ledger entry. */
	source: 'intercom' | 'ledger';
	/** Archived (by this package, found through the ledger): Intercom's search cannot see it. */
	archived?: boolean;
	/** Our DELETE went through but its answer was lost; the retry found it gone (deleted by this request). */
	answerLost?: boolean;
}

/** The kinds of things an erasure covers, each counted and verified on its own. */
export type ErasureItemType = 'contacts' | 'tickets' | 'conversations' | 'conversationParts';

/** Why something of the person is still in Intercom after the erasure. */
export type RemainingReason =
	| 'excluded_by_option' // an option narrowed the scope (deleteTickets / deleteConversations / redactSharedConversations off)
	| 'shared_with_other_people' // a ticket of several people: tickets cannot be redacted, deleting it would delete the others' data
	| 'still_found_after_delete' // verification still finds it (Intercom restored it, or refused silently)
	| 'found_by_search' // a search by the person's email or external id still returns this contact
	| 'not_redacted' // a part read back after the redaction is not redacted
	| 'not_redactable' // Intercom refused (conversation_part_not_redactable): no body, or a source a teammate wrote
	| 'written_by_other_person' // another participant's own message names the person: theirs, not redacted
	| 'beyond_part_cap'; // the conversation has more than 500 parts: older ones cannot be read or redacted through the API

export interface RemainingItem {
	type: ErasureItemType;
	/** Contact, ticket, conversation or part id (for `beyond_part_cap`: the conversation id). */
	id: string;
	/** For parts: their conversation. */
	conversationId?: string;
	reason: RemainingReason;
}

/** Per type: what was found, what this run removed, what was already gone, and what is left. */
export interface TypeTally {
	found: number;
	deleted: number;
	/** Gone before this run got to it (404 on the first attempt, or found gone in the ledger's list). */
	alreadyDeleted: number;
	/** Conversations: removed by Intercom with the contact (deleteConversations off). */
	deletedWithContact: number;
	/** Conversations kept because other people take part (their parts of the person are redacted instead). */
	shared: number;
	redacted: number;
	alreadyRedacted: number;
	/** = the entries of this type in `receipt.remaining`. */
	remaining: number;
}

/** @deprecated the per-type tally is `TypeTally` (receipt.items). */
export type ItemCounts = TypeTally;

export interface ErasureVerification {
	/** Contacts verified gone (see scope) AND tickets, conversations and redacted parts verified. */
	ok: boolean;
	/** Every ticket of the person answers 404 and a ticket search by each contact id finds none (null: tickets not checked). */
	ticketsGone: boolean | null;
	/** Every sole conversation answers 404 and a conversation search by each contact id finds none. */
	conversationsGone: boolean | null;
	/** Read back: every part and source of the person in shared conversations is redacted, and no teammate part names them. */
	partsRedacted: boolean | null;
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

/**
 * - `erased`: this run removed something and verification found nothing of the person left.
 * - `already_erased`: nothing left, and nothing needed removing (a re-run).
 * - `incomplete`: the run finished but something of the person remains: see `remaining`.
 * - `held`: a legal hold applies; nothing was deleted (`hold` names it).
 * - `not_found`: no contact of the person (read `notice`: archived contacts are invisible to search).
 * - `failed`: a stage failed (see `error`); a re-run completes the same request.
 */
export type ErasureStatus = 'dry_run' | 'erased' | 'already_erased' | 'incomplete' | 'held' | 'not_found' | 'failed';

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
	};
	/** Per type: found / deleted / redacted / remaining. */
	items: Record<ErasureItemType, TypeTally>;
	/** Everything of the person still in Intercom, with the reason; empty when `erased`. */
	remaining: RemainingItem[];
	/** Conversations and tickets deleted by this run; conversations whose parts were redacted. */
	conversationIds?: string[];
	ticketIds?: string[];
	redactedConversationIds?: string[];
	verification?: ErasureVerification;
	/** Status `held`: the legal hold that applies (the rule, not the person). */
	hold?: HoldMatch;
	/** A legal hold that was overridden, and why. */
	holdOverride?: { hold: HoldMatch; reason: string };
	/** Downstream systems to notify of the erasure (names only). */
	recipients: string[];
	/** What a lookup by email or external id cannot see (archived contacts) and how to look those up. */
	notice?: string;
	/** `archival`: the long-term variant without external ids (see archivalReceipt). */
	variant?: 'full' | 'archival';
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
