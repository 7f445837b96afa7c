/**
 * Storage limitation below the contact (Art. 5(1)(e)): rules for conversations, tickets and named
 * custom attributes, their results and counts. No personal data: conversation and ticket ids,
 * attribute names, contact ids only where a contact's attributes were cleared.
 */

export interface ConversationRule {
	target: 'conversations';
	name?: string;
	/** Closed (`state` closed, `statistics.last_close_at`) more than this many days ago. */
	closedMoreThanDays: number;
	/** `delete`: DELETE /conversations/{id}. `redact`: every part with a body (and a source a contact wrote) through POST /conversations/redact. */
	action: 'delete' | 'redact';
}

export interface TicketRule {
	target: 'tickets';
	name?: string;
	/** Resolved, and not updated for more than this many days (ticket search has no close time). */
	closedMoreThanDays: number;
	action: 'delete';
}

export interface AttributeRule {
	target: 'attributes';
	name?: string;
	/** Custom attribute names (file attributes included) to clear. */
	names: string[];
	/** Whole days (workspace time zone) since the contact's `updated_at`, or since `dateAttribute`. */
	olderThanDays: number;
	/** A date custom attribute set together with the named ones: judged by it instead of `updated_at`. */
	dateAttribute?: string;
	action: 'clear';
}

export type ItemRule = ConversationRule | TicketRule | AttributeRule;
export type ItemTarget = ItemRule['target'];
export type NormalisedItemRule = (Omit<ConversationRule, 'name'> | Omit<TicketRule, 'name'> | Omit<AttributeRule, 'name'>) & { name: string };

export type ItemOutcome =
	| 'deleted'
	| 'redacted'
	| 'cleared'
	| 'already_handled'
	| 'held'
	| 'failed'
	| 'would_delete'
	| 'would_redact'
	| 'would_clear';

export interface ItemResult {
	target: ItemTarget;
	/** Conversation or ticket id; the contact id for attributes. */
	id: string;
	rule: string;
	action: ItemRule['action'];
	outcome: ItemOutcome;
	/** Redact: parts redacted (or to redact, in a dry run). */
	parts?: number;
	/** Attributes: the names cleared (or to clear). */
	attributes?: string[];
	/** What stays and why (parts Intercom cannot redact, beyond its 500-part cap; a hold's kind). */
	remaining?: Array<{ id: string; reason: string }>;
	/** Held: which hold (the rule, never the person). */
	hold?: { kind: string; id: string };
	error?: { status: number | null; code: string | null; intercomRequestId: string | null };
}

export interface ItemCounts {
	candidates: number;
	deleted: number;
	redacted: number;
	cleared: number;
	alreadyHandled: number;
	held: number;
	failed: number;
}

export interface ItemCutoff {
	rule: string;
	target: ItemTarget;
	/** Items closed / contacts updated before this instant are selected (ISO). */
	before: string;
	/** Attributes: the first calendar day that counts as recent, in the workspace time zone. */
	cutoffDay?: string;
}

export interface ItemRunReport {
	stoppedBy: 'completed' | 'cap' | 'cancelled' | 'aborted';
	maxItemsPerRun: number;
	cutoffs: ItemCutoff[];
	counts: ItemCounts;
	perRule: Record<string, ItemCounts>;
	results: ItemResult[];
	error?: { status: number | null; code: string | null; message: string };
}
