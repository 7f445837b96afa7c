// Erasure: plan → write-ahead ledger entry → redact / delete → verify every type → receipt (see erase.ts).
export { eraseSubject } from './erase';
export { supportsRetainMetrics } from './intercom';
export { archivalReceipt, checkRecipients, checkOverrideReason, ErasureOptionError } from './receipt';
export * as erasureCaveats from './caveats';
export type {
	ErasureOptions,
	ErasureProgress,
	ErasureReceipt,
	ErasureStatus,
	ErasureVerification,
	ErasureScope,
	ErasureError,
	ErasureItemType,
	ContactErasure,
	ContactErasureStatus,
	ItemCounts,
	TypeTally,
	RemainingItem,
	RemainingReason,
} from './types';
