/** Public types of retention: policy, candidates, enforcement report. No personal data anywhere. */
import type { ItemRule, ItemRunReport, NormalisedItemRule } from './item-types';

/** One search filter in Intercom's contact-search language (see intercom-api reference §1.2). */
export interface SearchFilter {
	field: string;
	operator: string;
	value: unknown;
}
/** A compound filter one level deep: `{ operator: 'OR', value: [filters] }`. */
export interface SearchGroup {
	operator: 'AND' | 'OR';
	value: SearchFilter[];
}

export type RetentionAction = 'delete' | 'archive';

export interface RetentionRule {
	/** Contact rules: absent or `contacts`. Rules for conversations, tickets and attributes: see ItemRule. */
	target?: 'contacts';
	/** A short name for reports and the ledger (letters, digits, _ . -). Default `rule-<n>`. */
	name?: string;
	/** Which contacts: users, leads, or both. */
	role: 'user' | 'lead' | 'both';
	/** Inactive for at least this many whole days in the workspace time zone (by `last_seen_at`). */
	inactiveDays: number;
	/** Contacts never seen: judge them by `created_at` (default) or leave them alone. */
	neverSeen?: 'byCreatedAt' | 'skip';
	/** Extra search filters, ANDed with the rule (e.g. `{field:'custom_attributes.plan', operator:'=', value:'free'}`). */
	filters?: Array<SearchFilter | SearchGroup>;
	/** `delete` (erasure, through the erasure flow) or `archive` (hidden, NOT erased: undone when the person returns). */
	action: RetentionAction;
}

/** Contacts under legal hold are never selected, whatever the rules say. */
export interface LegalHolds {
	tagIds?: string[];
	segmentIds?: string[];
	companyIds?: string[];
	contactIds?: string[];
}

export interface RetentionPolicy {
	/** Schema version; 1. */
	version?: 1;
	rules: Array<RetentionRule | ItemRule>;
	exclusions?: LegalHolds;
	/** At most this many contacts are deleted/archived per Enforce run (default 500). */
	maxContactsPerRun?: number;
	/** IANA time zone used only when Intercom reports none for the workspace (GET /me `app.timezone` wins: Intercom compares dates there). */
	timeZone?: string;
	/** At most this many conversations, tickets and attribute clears per Enforce run (default 500). */
	maxItemsPerRun?: number;
}

/** A policy after validation: defaults filled in. */
export interface NormalisedPolicy {
	version: 1;
	rules: Array<Required<Pick<RetentionRule, 'name' | 'role' | 'inactiveDays' | 'neverSeen' | 'action'>> & { filters: Array<SearchFilter | SearchGroup> }>;
	exclusions: Required<LegalHolds>;
	maxContactsPerRun: number;
	timeZone?: string;
	/** Rules for conversations, tickets and attributes (present only when the policy has some, so older policies keep their hash). */
	itemRules?: NormalisedItemRule[];
	maxItemsPerRun?: number;
}

export interface RetentionCandidate {
	id: string;
	role: string;
	/** ISO times; null when Intercom has none (never seen). */
	lastSeenAt: string | null;
	createdAt: string | null;
	/** The first rule (by order) that matched, and what it does. */
	rule: string;
	ruleIndex: number;
	action: RetentionAction;
	/** Which date decided: `last_seen_at`, or `created_at` for a contact never seen. */
	matchedBy: 'last_seen_at' | 'created_at';
}

/** The day edge of one rule: a contact is selected when its date falls on `cutoffDay` - 1 or earlier. */
export interface RuleCutoff {
	rule: string;
	/** First calendar day (workspace time zone, YYYY-MM-DD) that counts as recent: dates before it are inactive. */
	cutoffDay: string;
	/** UNIX seconds of the start of `cutoffDay` in the time zone. */
	cutoffStart: number;
}

export interface PlanOptions {
	/** Clock, for tests. */
	now?: () => Date;
	/** Results per search page (default 150, Intercom's maximum). */
	perPage?: number;
	/** Stop early (e.g. a cancelled execution). */
	signal?: AbortSignal;
	/** Called once the time zone and cutoffs are known. */
	onPlan?: (plan: { timeZone: string; cutoffs: RuleCutoff[] }) => void;
	/** Called for each contact skipped because of a legal hold found on the client side (company, id list). */
	onHeld?: (hold: { rule: string; reason: 'company' | 'contactId' }) => void;
}

export type ContactOutcome = 'deleted' | 'archived' | 'already_handled' | 'failed' | 'would_delete' | 'would_archive';

export interface EnforceOptions {
	/** The audit ledger (openLedger): per-contact entries and the `retention.run` entry. */
	ledger: import('../ledger/types').Ledger;
	/** Select and report only: nothing changed, nothing recorded. */
	dryRun?: boolean;
	/** n8n's cancel signal: the run stops after the contact in progress and reports `cancelled`. */
	signal?: AbortSignal;
	/** Contacts handled per batch (default 25); the run checks the cancel signal and the cap between contacts. */
	batchSize?: number;
	/** Your id for the run (default `retention-<uuid>`). */
	runId?: string;
	now?: () => Date;
	perPage?: number;
	/** Progress after each contact (no personal data). */
	onProgress?: (p: { handled: number; cap: number; outcome: ContactOutcome; contactId: string }) => void | Promise<void>;
}

export interface ContactResult {
	id: string;
	rule: string;
	action: RetentionAction;
	outcome: ContactOutcome;
	/** The erasure request id in the ledger (delete), or null. */
	requestId: string | null;
	/** Delete: how many items of the contact its erasure left in Intercom (status `incomplete`; see that receipt). */
	remaining?: number;
	error?: { status: number | null; code: string | null; intercomRequestId: string | null };
}

export interface RetentionCounts {
	candidates: number;
	deleted: number;
	archived: number;
	alreadyHandled: number;
	failed: number;
	heldBack: number;
}

export interface RetentionReport {
	runId: string;
	dryRun: boolean;
	/** completed: every candidate handled; cap: stopped at maxContactsPerRun; cancelled; aborted: auth/permission error. */
	stoppedBy: 'completed' | 'cap' | 'cancelled' | 'aborted';
	timeZone: string;
	cutoffs: RuleCutoff[];
	/** SHA-256 of the normalised policy: which policy ran. */
	policyHash: string;
	counts: RetentionCounts;
	perRule: Record<string, RetentionCounts>;
	contacts: ContactResult[];
	startedAt: string;
	finishedAt: string;
	/** Conversations, tickets and attributes (present when the policy has such rules). */
	items?: ItemRunReport;
	/** The `retention.run` ledger entry (absent on a dry run). */
	ledgerEntry?: { seq: number; hash: string };
	error?: { status: number | null; code: string | null; message: string };
}
