/**
 * The options of exportSubject, checked before any request to Intercom: a bad value throws an
 * IntercomInputError naming the option and how to fix it, so nothing is half done.
 */
import { DEFAULT_MAX_CONCURRENCY, IntercomInputError } from '../intercom';
import { SUPPORTED_LANGUAGES } from './i18n';
import { DSAR_REGIMES, type DsarRegime, type ExportSubjectOptions } from './types';

// The gateway's default, so a library caller gets the same fan-out with or without maxConcurrency.
const DEFAULT_CONCURRENCY = DEFAULT_MAX_CONCURRENCY;
const MAX_CONCURRENCY = 64;
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Checks the options before any request; throws IntercomInputError naming the field. */
export interface CheckedOptions {
	requestId: string;
	concurrency: number;
	regime: DsarRegime;
	language: string;
	timeZone: string;
	fileTimeoutMs: number;
	maxFileBytes: number;
	fileOrigins: string[];
}

export function checkExportOptions(opts: ExportSubjectOptions): CheckedOptions {
	const now = opts.now ?? (() => new Date());
	const requestId = opts.requestId === undefined || opts.requestId.trim() === '' ? defaultRequestId(now()) : opts.requestId.trim();
	if (!REQUEST_ID.test(requestId)) {
		throw new IntercomInputError(
			'requestId',
			'it may hold only letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit)',
			'It names the package files: use e.g. your ticket number, "DSAR-2026-0042".',
		);
	}
	const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
		throw new IntercomInputError('concurrency', `it must be a whole number from 1 to ${MAX_CONCURRENCY}`, 'Leave it unset for 12.');
	}
	if (opts.onRestricted !== undefined && opts.onRestricted !== 'omit' && opts.onRestricted !== 'fail') {
		throw new IntercomInputError('onRestricted', 'it must be "omit" or "fail"', 'Use "omit" to export what is allowed and list the rest.');
	}
	if (opts.displayAs !== undefined && opts.displayAs !== 'html' && opts.displayAs !== 'plaintext') {
		throw new IntercomInputError('displayAs', 'it must be "html" or "plaintext"', 'Leave it unset for "html".');
	}
	const regime = opts.regime ?? 'gdpr';
	if (!DSAR_REGIMES.includes(regime)) {
		throw new IntercomInputError('regime', 'it must be "gdpr", "ccpa" or "both"', 'Choose the law the request was made under.');
	}
	const language = (opts.language ?? 'en').trim().toLowerCase();
	if (!SUPPORTED_LANGUAGES.includes(language)) {
		throw new IntercomInputError('language', `it must be one of ${SUPPORTED_LANGUAGES.join(', ')}`, 'Other languages can be added in src/dsar/i18n.ts.');
	}
	const timeZone = (opts.timeZone ?? 'UTC').trim();
	if (!isTimeZone(timeZone)) {
		throw new IntercomInputError('timeZone', 'it is not an IANA time zone', 'Use e.g. "Europe/Berlin", "America/Los_Angeles" or "UTC".');
	}
	if (!opts.testMode) {
		if (!opts.controller || opts.controller.trim() === '') {
			throw new IntercomInputError('controller', 'it is empty', 'Set the name and postal address of the company that answers the request (the controller), or use test mode for a package that is not sent.');
		}
		if (!opts.dpoContact || opts.dpoContact.trim() === '') {
			throw new IntercomInputError('dpoContact', 'it is empty', 'Set how the person can reach your data protection officer (or privacy contact), or use test mode for a package that is not sent.');
		}
	}
	for (const [i, d] of (opts.dataMap ?? []).entries()) {
		if (!d || typeof d.name !== 'string' || d.name.trim() === '' || typeof d.role !== 'string' || d.role.trim() === '') {
			throw new IntercomInputError(`dataMap[${i}]`, 'it needs a name and a role', 'Give each recipient e.g. {"name": "Intercom, Inc.", "role": "processor", "country": "USA", "safeguard": "EU-US DPF"}.');
		}
	}
	const fileTimeoutMs = opts.fileTimeoutMs ?? 60_000;
	if (!Number.isInteger(fileTimeoutMs) || fileTimeoutMs < 100 || fileTimeoutMs > 3_600_000) {
		throw new IntercomInputError('fileTimeoutMs', 'it must be a whole number of milliseconds from 100 to 3600000', 'Leave it unset for 60 s.');
	}
	const maxFileBytes = opts.maxFileBytes ?? 25 * 1024 * 1024;
	if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1) {
		throw new IntercomInputError('maxFileBytes', 'it must be a whole number of bytes ≥ 1', 'Leave it unset for 25 MiB.');
	}
	const fileOrigins = (opts.fileOrigins ?? []).map((o, i) => {
		if (typeof o !== 'string' || !URL.canParse(o) || !/^https?:$/.test(new URL(o).protocol)) {
			throw new IntercomInputError(`fileOrigins[${i}]`, 'it is not an http(s) origin', 'Use e.g. "https://files.example.com".');
		}
		return new URL(o).origin;
	});
	checkOutbound(opts);
	return { requestId, concurrency, regime, language, timeZone, fileTimeoutMs, maxFileBytes, fileOrigins };
}

function checkOutbound(opts: ExportSubjectOptions): void {
	const since = opts.outbound?.since;
	if (since !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(`${since}T00:00:00Z`)))) {
		throw new IntercomInputError('outbound.since', 'it is not a date (YYYY-MM-DD)', 'Use e.g. "2024-01-01", or leave it unset to start on the day the person’s first record was created.');
	}
	const today = (opts.now ?? (() => new Date()))().toISOString().slice(0, 10);
	if (since !== undefined && since > today) {
		throw new IntercomInputError('outbound.since', 'it is in the future', 'Use today or an earlier day: Intercom can only export messages already sent.');
	}
}

function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone });
		return true;
	} catch {
		return false;
	}
}

function defaultRequestId(d: Date): string {
	return `dsar-${d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}
