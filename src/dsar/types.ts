/** The DSAR package: everything Intercom holds about one person, as exportSubject returns it. */
import type { MergeRedirect, SubjectField } from '../subject';

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
	| 'events';

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
];

/** Something that could not be included, and why (no personal data: ids, status, Intercom codes only). */
export interface DsarOmission {
	contactId: string;
	section: DsarSection;
	/** A single conversation / ticket / file when only that item is missing. */
	itemId?: string;
	reason: string;
	status?: number;
	code?: string;
	requestId?: string;
}

/** Art. 15(1)(a)–(h) GDPR: what the controller must tell the person besides the data itself. */
export interface Art15Information {
	controller: string;
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

/** A file custom attribute downloaded into the package (the bytes travel in `DsarPackage.attachments`). */
export interface DsarFile {
	attribute: string;
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

/** The JSON document (subject.json). */
export interface DsarDocument {
	schema: typeof DSAR_SCHEMA_VERSION;
	requestId: string;
	generatedAt: string;
	subject: { lookup: SubjectField; found: boolean; contactIds: string[]; mergedRedirects: MergeRedirect[] };
	workspace: { appIdCode: string | null; region: string | null; apiVersion: string; host: string };
	art15: Art15Information;
	/** Plain-language statements about the limits of what Intercom returns. */
	statements: string[];
	counts: DsarCounts;
	flags: { truncatedConversations: string[]; truncatedTickets: string[]; incomplete: boolean };
	omissions: DsarOmission[];
	contacts: DsarContact[];
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
}
