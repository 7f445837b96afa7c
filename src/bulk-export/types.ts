/** Public types of the bulk export module (content export and reporting data export). */

/** `content`: POST /export/content/data (message engagement statistics). `reporting`: /export/reporting_data (2.14+). */
export type ExportKind = 'content' | 'reporting';

/** Intercom's six job states. The reporting export says `complete`; we report it as `completed`. */
export type ExportStatus = 'pending' | 'in_progress' | 'completed' | 'no_data' | 'failed' | 'canceled';

export const TERMINAL_STATUSES: readonly ExportStatus[] = ['completed', 'no_data', 'failed', 'canceled'];

export interface ExportJob {
	kind: ExportKind;
	jobIdentifier: string;
	status: ExportStatus;
	/** True for completed, no_data, failed and canceled: polling further changes nothing. */
	terminal: boolean;
	/** Absolute URL on the Intercom host; empty until completed. */
	downloadUrl: string;
	/** When the download stops working (ISO 8601), if Intercom said. */
	downloadExpiresAt?: string;
	/** Reporting export only: the app the job belongs to (needed for status and download). */
	appId?: string;
}

/** Enough to address a job again: an ExportJob, or its identifier plus kind (and app id for reporting). */
export type ExportJobRef = ExportJob | { kind?: ExportKind; jobIdentifier: string; appId?: string };

/** A calendar-day range, inclusive at both ends: `YYYY-MM-DD`, an ISO date-time (its date part counts) or a Date. */
export interface DayRange {
	from: string | Date;
	to: string | Date;
}

export interface ReportingDataset {
	id: string;
	name: string;
	description?: string;
	defaultTimeAttributeId?: string;
	attributes: Array<{ id: string; name: string }>;
}

/** The container sniffed from the first bytes of the download. */
export type ExportContainer = 'gzip' | 'tar.gz' | 'zip' | 'csv';

/** One CSV row of an export: the columns by header name, plus the CSV file it came from. */
export interface ExportRow {
	file: string;
	/** The header of the file (shared by its rows). */
	columns: string[];
	/** The row's fields in column order. */
	fields: string[];
	/** Column → value (built on first access). */
	readonly values: Record<string, string>;
}
