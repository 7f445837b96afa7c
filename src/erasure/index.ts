// Erasure: plan → write-ahead ledger entry → delete → verify → receipt (see erase.ts).
export { eraseSubject } from './erase';
export { supportsRetainMetrics } from './intercom';
export * as erasureCaveats from './caveats';
export type {
	ErasureOptions,
	ErasureProgress,
	ErasureReceipt,
	ErasureStatus,
	ErasureVerification,
	ErasureScope,
	ErasureError,
	ContactErasure,
	ContactErasureStatus,
	ItemCounts,
} from './types';
