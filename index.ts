/**
 * n8n-nodes-intercom-gdpr as a plain library: the core API, without n8n.
 * Only re-exports from src/ (design.md, "The core API"): the names here are a contract.
 */
export {
	createIntercom,
	IntercomApiError,
	IntercomInputError,
	REGION_BASE_URLS,
	DEFAULT_API_VERSION,
	SUPPORTED_API_VERSIONS,
} from './src/intercom';
export type {
	Region,
	IntercomOptions,
	IntercomGateway,
	Lookup,
	Contact,
	AdminWithApp,
	SearchPage,
	DownloadResult,
} from './src/intercom';

export {
	resolveSubject,
	SubjectRefError,
	MergeChainTooLongError,
} from './src/subject';
export type { SubjectRef, SubjectContacts, SubjectField, MergeRedirect } from './src/subject';

// Access requests (GDPR Art. 15 / CCPA right to know): everything Intercom holds about a person.
export {
	exportSubject,
	renderDsarPackage,
	toDocument,
	validateDsarDocument,
	DSAR_JSON_SCHEMA,
	DSAR_SCHEMA_VERSION,
	DEFAULT_ART15,
	reviewDsarPackage,
	DSAR_REGIMES,
} from './src/dsar';
// One call for what Data Subject → Export does: export, file, sha256, review, ledger record.
export { deliverDsarPackage } from './src/dsar';
export type { DeliverDsarOptions, DsarDelivery, DsarDeliveryFormat, DsarOutbound, OutboundOptions } from './src/dsar';
export type {
	DsarPackage,
	DsarDocument,
	DsarContact,
	DsarThread,
	DsarFile,
	DsarOmission,
	DsarSection,
	DsarCounts,
	DsarFileOut,
	DsarManifest,
	ExportSubjectOptions,
	Art15Information,
	DsarRegime,
	DsarRedaction,
	DsarWithheld,
	DsarReview,
	CcpaDisclosures,
	DataMapEntry,
} from './src/dsar';

// Bulk exports: Intercom's content export (outbound-message statistics) and the reporting export.
export {
	startContentExport,
	getExportStatus,
	cancelExport,
	waitForExport,
	downloadExport,
	listReportingDatasets,
	startReportingExport,
	collectExportRows,
	saveExportFiles,
	ExportError,
} from './src/bulk-export';
export type {
	ExportJob,
	ExportJobRef,
	ExportKind,
	ExportStatus,
	ExportRow,
	ExportContainer,
	ExportDownload,
	DayRange,
	ReportingDataset,
	WaitForExportOptions,
	DownloadExportOptions,
	ExportErrorCode,
} from './src/bulk-export';

// Erasure requests (GDPR Art. 17 / CCPA deletion): plan → write-ahead entry → delete → verify → receipt.
export { eraseSubject, supportsRetainMetrics, erasureCaveats } from './src/erasure';
export type {
	ErasureOptions,
	ErasureReceipt,
	ErasureStatus,
	ErasureVerification,
	ErasureError,
	ErasureProgress,
	ContactErasure,
	ItemCounts,
	ErasureItemType,
	TypeTally,
	RemainingItem,
	RemainingReason,
} from './src/erasure';
export { archivalReceipt, ErasureOptionError } from './src/erasure';
export { ARCHIVED_NOTICE, SubjectLookupMismatchError } from './src/subject';
export type { ResolveOptions } from './src/subject';
export { findHold, LegalHoldsError } from './src/retention';
export type { HoldMatch, HoldKind } from './src/retention';

// The append-only, hash-chained audit ledger (SQLite or PostgreSQL); identifiers only as HMACs.
export {
	openLedger,
	recordDsarExport,
	defaultLedgerPath,
	LedgerInputError,
	LedgerStorageError,
	LedgerKeyMismatchError,
} from './src/ledger';
export type {
	Ledger,
	LedgerConfig,
	LedgerEntry,
	LedgerEntryInput,
	LedgerSearch,
	LedgerAnchor,
	LedgerActor,
	VerifyOptions,
	VerifyResult,
	BrokenLink,
	IdentifierKind,
	DsarExportRecord,
} from './src/ledger';

// Retention (storage limitation, Art. 5(1)(e)): policies, candidate selection, enforcement, ledger retention.
export {
	planRetention,
	enforceRetention,
	validatePolicy,
	retentionPolicySchema,
	RetentionPolicyError,
	pruneLedger,
	verifyLedgerWithRetention,
	DEFAULT_KEEP_YEARS,
	MIN_KEEP_YEARS,
} from './src/retention';
export type {
	RetentionPolicy,
	RetentionRule,
	RetentionAction,
	LegalHolds,
	RetentionCandidate,
	PlanOptions,
	EnforceOptions,
	RetentionReport,
} from './src/retention';
// Retention below the contact: rules for conversations, tickets and attributes.
export { previewItemRetention, RETENTION_CONVERSATION_DELETED, RETENTION_CONVERSATION_REDACTED, RETENTION_TICKET_DELETED, RETENTION_ATTRIBUTES_CLEARED } from './src/retention';
export type { ItemRule, ConversationRule, TicketRule, AttributeRule, ItemResult, ItemCounts as RetentionItemCounts, ItemRunReport } from './src/retention';

// Request deadlines: statutory due dates and open requests tracked in the ledger.
export { computeDeadline, trackRequest, extendRequest, closeRequest, getRequest, listRequests, dueRequests, recordRequestStep, RequestStepError, REGIMES } from './src/requests';
export type { Deadline, Regime, TrackedRequest, RequestKind, RequestStep, RequestStepResult } from './src/requests';
// The request lifecycle (acknowledged, verified, delivered, refused, recipient notified), the CCPA
// acknowledgement deadline, and the identity gate in front of Export and Erase.
export { acknowledgementDueDay, requireVerified, VerificationRequiredError, REFUSAL_CODES, CLOSE_OUTCOMES, WAIVER_REASONS } from './src/requests';
export type { RequestStatus, RequestDeadline, VerificationLevel, VerificationGateResult } from './src/requests';
// Identity verification of requesters: one-time codes and links, data points.
export { issueChallenge, checkChallenge, purgeExpiredChallenges, openVerificationStore, matchDataPoints, deliveryAddress, ChallengeError } from './src/verification';
export type { IssuedChallenge, CheckOutcome, VerificationStore, DataPointKind } from './src/verification';
// Secure delivery: AES-256 encrypted ZIP, single-use expiring downloads, and their purge.
export { encryptZip, encryptFiles, decryptZip, generatePassphrase, publishPackage, claimPackage, purgeExpiredPackages, purgeExpiredRequestFiles } from './src/delivery';
export type { EncryptedPackage, PublishedPackage, ClaimResult } from './src/delivery';

// PII redaction: pure, no I/O. Field rules by path, validated text detectors, HTML-aware, linear time.
export { compileRedactor, redactValue, redactText, PRESETS, RedactionError, ENTITY_TYPES } from './src/redact';
export type {
	Redactor,
	RedactionRules,
	FieldRule,
	Finding,
	Operator,
	CustomDetector,
	EntityType,
	TextOptions,
	Preset,
	PresetName,
} from './src/redact';
// Known-subject redaction (the access package keeps the subject's own data and redacts everybody else's).
export { subjectFromItem } from './src/redact';
export type { KnownSubject, ScanContext } from './src/redact';
export { GdprError } from './src/util/errors';
