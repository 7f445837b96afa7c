// DSAR (GDPR Art. 15 / CCPA right to know): collect everything about one person, render the package.
export { exportSubject } from './collect';
export { deliverDsarPackage } from './deliver';
export type { DeliverDsarOptions, DsarDelivery, DsarDeliveryFormat } from './deliver';
export { checkExportOptions } from './options';
export { definitionCategory } from './definitions';
export { renderDsarPackage, toDocument, sha256Hex } from './render';
export type { DsarFileOut, DsarManifest, ManifestEntry, RenderOptions } from './render';
export { validateDsarDocument, DSAR_JSON_SCHEMA } from './validate';
export { sanitizeHtml, htmlToText, escapeHtml } from './sanitize';
export { DEFAULT_ART15, DEFAULT_CCPA, LISTABLE_EVENT_DAYS, MAX_THREAD_PARTS, transferText } from './art15';
export { reviewDsarPackage } from './review';
export type { DsarReview } from './review';
export { SUPPORTED_LANGUAGES } from './i18n';
export { INTERCOM_FILE_HOSTS } from './files';
export { DSAR_SCHEMA_VERSION, DSAR_SECTIONS, DSAR_REGIMES } from './types';
export type {
	DsarPackage,
	DsarDocument,
	DsarContact,
	DsarThread,
	DsarFile,
	DsarOmission,
	DsarSection,
	DsarCounts,
	DsarAttachment,
	Art15Information,
	ExportSubjectOptions,
	DsarRegime,
	DsarRedaction,
	DsarWithheld,
	CcpaDisclosures,
	DataMapEntry,
	DsarOutbound,
	OutboundOptions,
} from './types';
