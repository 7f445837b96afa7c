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
	MAX_PER_PAGE,
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
	normaliseSubjectRef,
	MAX_MERGE_HOPS,
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
	sanitizeHtml,
} from './src/dsar';
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
	withDownloadRestarts,
	readableOf,
	abortableSleep,
	ExportError,
	TERMINAL_STATUSES,
} from './src/export';
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
} from './src/export';
