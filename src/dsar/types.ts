/** The DSAR package: everything Intercom holds about one person, as exportSubject returns it. */
import type { MergeRedirect, ResolveOptions, SubjectField } from '../subject';

export const DSAR_SCHEMA_VERSION = 'dsar-package.v1';

/** A JSON object as Intercom sent it (kept whole: the package must not drop fields we did not foresee). */
export type JsonObject = Record<string, unknown>;

/** Sections of one contact that come from their own endpoints and can be missing on their own. */
export type DsarSection =
	| 'profile'
	| 'files'
	| 'tags'
	| 'segments'
	| 'companies'
	| 'notes'
	| 'subscriptions'
	| 'conversations'
	| 'tickets'
	| 'events'
	| 'attachments';

export const DSAR_SECTIONS: readonly DsarSection[] = [
	'profile',
	'files',
	'tags',
	'segments',
	'companies',
	'notes',
	'subscriptions',
	'conversations',
	'tickets',
	'events',
	'attachments',
];

/**
 * Why something is missing, as the person is told it (in the package's language): Intercom does not
 * let us read it, no longer holds it, or did not return it; a file that could not be downloaded, was
 * not followed (a link off Intercom's file hosts, or not a valid link), or is too large; a listing that
 * ended early.
 */
export type DsarOmissionKind = 'not_permitted' | 'gone' | 'intercom_error' | 'file_not_fetched' | 'file_not_followed' | 'file_too_large' | 'listing_stopped';
export const DSAR_OMISSION_KINDS: readonly DsarOmissionKind[] = ['not_permitted', 'gone', 'intercom_error', 'file_not_fetched', 'file_not_followed', 'file_too_large', 'listing_stopped'];

/** Something that could not be included, and why (no personal data: ids, status, Intercom codes only). */
export interface DsarOmission {
	contactId: string;
	section: DsarSection;
	/** A single conversation / ticket / file when only that item is missing. */
	itemId?: string;
	/** For the operator (English, with status codes and what to do, e.g. "run the export again"). */
	reason: string;
	/** For the person: index.html says this in the package's language (absent in older packages: `reason` is shown). */
	kind?: DsarOmissionKind;
	status?: number;
	code?: string;
	requestId?: string;
}

/** Art. 15(1)(a)–(h) GDPR: what the controller must tell the person besides the data itself. */
export interface Art15Information {
	controller: string;
	/** Contact of the data protection officer (Art. 13(1)(b)); empty when none was set (test mode). */
	dpo?: string;
	/** (a) */
	purposes: string;
	/** (b) */
	categories: string;
	/** (c) incl. third countries / safeguards (Art. 15(2)) */
	recipients: string;
	/** (d) */
	retention: string;
	/** (e), (f) */
	rights: string;
	/** (f) */
	complaint: string;
	/** (g) */
	source: string;
	/** (h) */
	automatedDecisions: string;
}

/**
 * A file downloaded into the package (the bytes travel in `DsarPackage.attachments`): a file custom
 * attribute, or an attachment of a conversation/ticket part (`source: 'attachment'`).
 */
export interface DsarFile {
	/** The custom attribute's name, or `attachment`. */
	attribute: string;
	source?: 'attribute' | 'attachment';
	threadId?: string;
	partId?: string;
	name: string;
	contentType: string | null;
	size: number;
	sha256: string;
	/** Path inside the ZIP. */
	path: string;
}

export interface DsarThread {
	/** The full conversation / ticket object from GET /conversations/{id} or /tickets/{id}. */
	data: JsonObject;
	partsReturned: number;
	partsTotal: number;
	/** Intercom returns only the 500 most recent parts: older ones are not in the package. */
	truncated: boolean;
}

export interface DsarEventSummary {
	name: string;
	first: string | null;
	last: string | null;
	count: number;
}

export interface DsarContact {
	id: string;
	role: string;
	profile: JsonObject;
	files: DsarFile[];
	tags: JsonObject[];
	segments: JsonObject[];
	companies: JsonObject[];
	notes: JsonObject[];
	subscriptions: JsonObject[];
	conversations: DsarThread[];
	tickets: DsarThread[];
	events: { listed: JsonObject[]; summary: DsarEventSummary[] };
}

export type DsarCounts = Record<
	'contacts' | 'files' | 'tags' | 'segments' | 'companies' | 'notes' | 'subscriptions' | 'conversations' | 'conversationParts' | 'tickets' | 'ticketParts' | 'events' | 'eventsTotal',
	number
>;

/** Which law the answer is given under: headings, statements, and what is withheld follow it. */
export type DsarRegime = 'gdpr' | 'ccpa' | 'both';
export const DSAR_REGIMES: readonly DsarRegime[] = ['gdpr', 'ccpa', 'both'];

/** Why a value was changed: another person's data, CCPA §7024(d), or a link that would give access. */
export type DsarRedactionReason = 'other_person' | 'ccpa_7024d' | 'capability_url';
export const DSAR_REDACTION_REASONS: readonly DsarRedactionReason[] = ['other_person', 'ccpa_7024d', 'capability_url'];

/**
 * One kind of change made to the data before it went into the package, counted per item. Holds no
 * value: where (contact, section, item, path) and what kind, so the log can be read by anyone.
 */
export interface DsarRedaction {
	contactId: string;
	section: DsarSection;
	itemId?: string;
	/** EMAIL, PHONE (another person's), STAFF (staff details beyond name/role), PARTICIPANT (another contact), FIELD (a company field about a person), URL_SIGNATURE, US_SSN, CARD, IBAN. */
	type: string;
	/** other_person (GDPR Art. 15(4)), ccpa_7024d (CCPA regulations §7024(d)), capability_url (a live signed link). */
	reason: DsarRedactionReason;
	count: number;
}

/** Something held about the person that the package states but does not disclose (CCPA §7024(d)). */
export interface DsarWithheld {
	contactId: string;
	section: DsarSection;
	itemId?: string;
	/** government_id, financial_account, password, security_question, health_id, biometric. */
	category: string;
	/** What it is (an attribute or file name, or "text in conversation N"), never the value. */
	what: string;
}

/** CCPA right-to-know disclosures (Cal. Civ. Code §1798.110). */
export interface CcpaDisclosures {
	categoriesCollected: string;
	sources: string;
	businessPurposes: string;
	thirdParties: string;
	soldOrShared: string;
}

/** A recipient or sub-processor from the controller's data map. */
export interface DataMapEntry {
	name: string;
	role: string;
	purpose?: string;
	country?: string;
	safeguard?: string;
}

/** The JSON document (subject.json). */
export interface DsarDocument {
	schema: typeof DSAR_SCHEMA_VERSION;
	requestId: string;
	generatedAt: string;
	subject: {
		lookup: SubjectField;
		found: boolean;
		contactIds: string[];
		mergedRedirects: MergeRedirect[];
		/**
		 * Lookups by email or external id: Intercom's search never returns archived contacts; this says
		 * so and how to find one by contact id (absent for a lookup by contact id, which sees them).
		 */
		archivedNotice?: string;
	};
	workspace: { appIdCode: string | null; region: string | null; apiVersion: string; host: string };
	art15: Art15Information;
	/** Plain-language statements about the limits of what Intercom returns. */
	statements: string[];
	counts: DsarCounts;
	flags: { truncatedConversations: string[]; truncatedTickets: string[]; incomplete: boolean };
	omissions: DsarOmission[];
	contacts: DsarContact[];
	/** Law the answer is given under (absent in packages made before the option existed: GDPR). */
	regime?: DsarRegime;
	/** Language of the texts (en, de, fr) and the time zone dates are shown in. */
	language?: string;
	timeZone?: string;
	/** True when made in test mode (no controller set): not for sending. */
	testMode?: boolean;
	/** Every change made to protect other people or to drop live links, counted. */
	redactions?: { total: number; entries: DsarRedaction[] };
	withheld?: DsarWithheld[];
	ccpa?: CcpaDisclosures;
	/** Outbound messages the person received, from the content export (only when asked for). */
	outbound?: DsarOutbound;
}

/**
 * The person's rows of Intercom's content data export (delivery and engagement statistics of
 * outbound messages: received, opened, clicked…; no message bodies). `included`: the job finished and
 * its rows were filtered to the person; `no_data`: Intercom had no receipts in the range;
 * `not_included`: the job could not run or finish (`reason`).
 */
export interface DsarOutbound {
	status: 'included' | 'no_data' | 'not_included';
	range: { from: string; to: string };
	jobIdentifier?: string;
	/** For the operator (English, with codes and request ids): why the job could not run or finish. */
	reason?: string;
	/**
	 * For the person, in the package's language: `busy` (another content export was running; Intercom
	 * runs one at a time) or `failed` (the job failed, was cancelled, or Intercom answered an error).
	 */
	reasonCode?: 'busy' | 'failed';
	/** One entry per row, with the CSV file it came from and its columns as Intercom named them. */
	receipts: Array<{ file: string; values: Record<string, string> }>;
}

/** Options of the outbound-messages step (off unless `include`). */
export interface OutboundOptions {
	/** Run the workspace-wide content export and keep the person's receipts; default false. */
	include?: boolean;
	/** First day (YYYY-MM-DD) of the range; default the day their earliest contact was created. */
	since?: string;
	/** Polling of the job (see waitForExport); defaults 5 s growing to 30 s, at most 60 minutes. */
	wait?: { initialIntervalMs?: number; maxIntervalMs?: number; maxWaitMs?: number };
}

export interface DsarAttachment {
	path: string;
	contentType: string;
	data: Uint8Array;
}

/** What exportSubject returns: the document plus the downloaded file bytes. */
export interface DsarPackage extends DsarDocument {
	attachments: DsarAttachment[];
}

export interface ExportSubjectOptions {
	/** Names the package and its files; default `dsar-<timestamp>`. Letters, digits, `.`, `_`, `-`. */
	requestId?: string;
	/** Download file custom attributes (30-minute URLs) into the package; default true. */
	includeFiles?: boolean;
	/** `omit` (default): a 403 on one section is recorded in `omissions`, the rest is exported. `fail`: throw. */
	onRestricted?: 'omit' | 'fail';
	/** How to fetch conversation bodies: `html` (default, as written; sanitised in index.html) or `plaintext`. */
	displayAs?: 'html' | 'plaintext';
	/** Bound on calls queued at once by the export (the gateway bounds what is in flight). Default 12. */
	concurrency?: number;
	/** Overrides of the Art. 15 texts; unset fields keep the defaults. */
	art15?: Partial<Art15Information>;
	/** Clock for generatedAt (tests). */
	now?: () => Date;
	/** Law the answer is given under; default 'gdpr'. 'ccpa' withholds the §7024(d) categories; 'both' applies both. */
	regime?: DsarRegime;
	/** Language of the package texts: en (default), de, fr. */
	language?: string;
	/** IANA time zone for dates in index.html and the CSV files; default UTC. */
	timeZone?: string;
	/** n8n's cancel signal (or any AbortSignal): stops every request of the export. */
	signal?: AbortSignal;
	/** Time for one whole file download, body included; default 60 000 ms. */
	fileTimeoutMs?: number;
	/** Largest file taken into the package; default 25 MiB. */
	maxFileBytes?: number;
	/** Further origins files may be fetched from without the token (proxies, tests). */
	fileOrigins?: string[];
	/** Download conversation and ticket attachments (Intercom's file hosts only); default true. */
	includeAttachments?: boolean;
	/** Who is responsible (name and address). Required unless testMode. */
	controller?: string;
	/** How to reach the data protection officer. Required unless testMode. */
	dpoContact?: string;
	/** Makes a package without controller/DPO, marked as a test, not for sending. */
	testMode?: boolean;
	/** Recipients and sub-processors (Art. 15(1)(c)); they replace the generic recipients text. */
	dataMap?: DataMapEntry[];
	/** The retention policy in use, in words (e.g. from the Retention node: "closed conversations 365 days"). */
	retentionPolicy?: string;
	/** How long the request ledger keeps its entries (e.g. "6 years"). */
	ledgerRetention?: string;
	/** CCPA disclosures; unset fields keep the honest defaults. */
	ccpa?: Partial<CcpaDisclosures>;
	/** Outbound messages received (content export, workspace-wide job): off by default. */
	outbound?: OutboundOptions;
	/** The audit ledger: contacts this package archived (Retention) are found through it, then by id. */
	ledger?: ResolveOptions['ledger'];
}
