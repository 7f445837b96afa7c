// Retention: policy (JSON Schema via ajv), candidate selection by whole days in the workspace time
// zone, enforcement in batches through the erasure flow, ledger retention.
export { planRetention, openRetentionPlan, workspaceTimeZone } from './select';
export type { RetentionPlan } from './select';
export { enforceRetention, RETENTION_RUN, RETENTION_ARCHIVED, RETENTION_DELETED } from './enforce';
export { validatePolicy, policyHash, retentionPolicySchema, RetentionPolicyError, DEFAULT_MAX_CONTACTS_PER_RUN, MAX_FILTERS_PER_GROUP } from './policy';
export type { PolicyProblem } from './policy';
export { normaliseHolds, findHold, hasHolds, companyIdsOf, LegalHoldsError } from './holds';
export type { HoldMatch, HoldKind } from './holds';
export { inactivityCutoff } from './calendar';
export { dayIn, addDays, isoDay, zonedUnix } from '../util/calendar';
export type { CalendarDay } from '../util/calendar';
export type {
	RetentionPolicy,
	RetentionRule,
	RetentionAction,
	LegalHolds,
	SearchFilter,
	SearchGroup,
	NormalisedPolicy,
	RetentionCandidate,
	RuleCutoff,
	PlanOptions,
	EnforceOptions,
	ContactOutcome,
	ContactResult,
	RetentionCounts,
	RetentionReport,
} from './types';
export { pruneLedger, verifyLedgerWithRetention, ledgerRetentionCutoff, LedgerRetentionError, LEDGER_PRUNED, DEFAULT_KEEP_YEARS, MIN_KEEP_YEARS } from './ledger-retention';
export type { PruneResult } from './ledger-retention';
export { enforceItemRules, previewItemRetention } from './item-enforce';
export { RETENTION_CONVERSATION_DELETED, RETENTION_CONVERSATION_REDACTED, RETENTION_TICKET_DELETED, RETENTION_ATTRIBUTES_CLEARED } from './item-actions';
export { DEFAULT_MAX_ITEMS_PER_RUN } from './policy';
export type { ItemRule, ConversationRule, TicketRule, AttributeRule, ItemTarget, ItemOutcome, ItemResult, ItemCounts, ItemCutoff, ItemRunReport } from './item-types';
