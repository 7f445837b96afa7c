/**
 * Errors of the bulk export module. Messages say what happened and what to do; they never hold
 * personal data (job identifiers are opaque ids of a workspace-wide job, not of a person).
 */

import { GdprError } from '../util/errors';

export type ExportErrorCode =
	| 'export_already_running' // the one-active-job 429 of POST /export/content/data (or 5 pending reporting jobs)
	| 'export_failed'
	| 'export_canceled'
	| 'export_not_ready' // download asked for a job that is not completed yet
	| 'export_expired' // download_expires_at in the past, or the download answers 404
	| 'export_no_data'
	| 'wait_timeout' // max wait passed while polling
	| 'wait_aborted' // the caller's AbortSignal fired (n8n execution cancelled)
	| 'download_interrupted' // the connection broke before the whole file arrived
	| 'corrupt_archive'; // not a gzip/zip/tar.gz/CSV we can read, or damaged

export class ExportError extends GdprError {
	declare readonly code: ExportErrorCode;
	/** What the user can do about it (= `fix`; n8n shows it as the error description). */
	readonly hint: string;
	readonly jobIdentifier?: string;
	constructor(code: ExportErrorCode, message: string, hint: string, jobIdentifier?: string) {
		super(message, { code, fix: hint });
		this.name = 'ExportError';
		this.hint = hint;
		this.jobIdentifier = jobIdentifier;
	}
}
