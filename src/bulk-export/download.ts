/**
 * Download a finished export as a stream and read it: the raw archive, the files inside, or the
 * CSV rows. Nothing is buffered beyond a chunk (plus the rows the caller keeps).
 *
 * Breaks: if the connection drops before the last byte, reading throws `download_interrupted`
 * (never a silent short file); `withDownloadRestarts` then starts the download again from the
 * first byte, so a caller that only publishes its result after success never publishes partial
 * data. Expired downloads (`download_expires_at` passed, or 404) say to start a new job.
 */
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { IntercomApiError } from '../intercom';
import type { IntercomGateway } from '../intercom';
import { ExportError } from './errors';
import { getExportStatus, reportingAppId } from './jobs';
import { settle, type Settled } from '../util/settle';
import type { ExportContainer, ExportJob, ExportJobRef, ExportRow } from './types';
import { csvRowBatches, verifiedGzip } from './read';
import { type ArchiveEvent, sniffContainer, unpack } from './unpack';

export interface DownloadExportOptions {
	signal?: AbortSignal;
	/** Clock for the expiry check (tests). */
	now?: () => number;
}

export interface ExportDownload {
	job: ExportJob;
	container: ExportContainer;
	/** e.g. `content-export-<job>.csv.gz`. */
	fileName: string;
	mimeType: string;
	contentLength?: number;
	/** The raw file as it arrives (gzip streams are checked on the side: damage throws before the end). Read once. */
	chunks(): AsyncGenerator<Buffer>;
	/** The files inside, as events. Read once (instead of chunks()). */
	events(): AsyncGenerator<ArchiveEvent>;
	/** CSV rows in batches (one batch per decoded chunk), header line per file. Read once. */
	rowBatches(opts?: { limit?: number }): AsyncGenerator<ExportRow[]>;
	/** Same, one row at a time. */
	rows(opts?: { limit?: number }): AsyncGenerator<ExportRow>;
	/** Let go of the connection without reading (safe to call after reading too). */
	close(): Promise<void>;
}

const MIME: Record<ExportContainer, string> = { gzip: 'application/gzip', 'tar.gz': 'application/gzip', zip: 'application/zip', csv: 'text/csv' };
const EXT: Record<ExportContainer, string> = { gzip: 'csv.gz', 'tar.gz': 'tar.gz', zip: 'zip', csv: 'csv' };
const SNIFF_BYTES = 1024;

function expired(jobIdentifier: string, when?: string): ExportError {
	return new ExportError(
		'export_expired',
		when ? `The download of this export expired on ${when}` : 'The download of this export is no longer available (expired or unknown job)',
		'Intercom keeps finished exports for a limited time (2 days). Start a new export job for the same dates and download it when it completes.',
		jobIdentifier,
	);
}

function interrupted(jobIdentifier: string, got: number, expected?: number): ExportError {
	return new ExportError(
		'download_interrupted',
		`The download broke off after ${got} bytes${expected !== undefined ? ` of ${expected}` : ''}; the partial file was discarded`,
		'Run the node again (the download restarts from the beginning); check the network between n8n and Intercom if it keeps happening.',
		jobIdentifier,
	);
}

/** The job must be completed and not expired; anything else gets an error that says what to do. */
export function assertDownloadable(job: ExportJob, now: () => number = Date.now): void {
	const id = job.jobIdentifier;
	switch (job.status) {
		case 'completed':
			break;
		case 'no_data':
			throw new ExportError('export_no_data', 'The export finished without data: nothing was sent in that date range', 'Pick a date range in which messages were sent.', id);
		case 'failed':
			throw new ExportError('export_failed', 'Intercom reports that the export job failed', 'Start a new export job; if it fails again, try a shorter date range or contact Intercom support.', id);
		case 'canceled':
			throw new ExportError('export_canceled', 'The export job was canceled', 'Start a new export job.', id);
		default:
			throw new ExportError(
				'export_not_ready',
				`The export is not ready yet (status: ${job.status})`,
				'Wait and check again with Get Status, or use Start and Wait; download once the status is "completed".',
				id,
			);
	}
	if (job.downloadExpiresAt && Date.parse(job.downloadExpiresAt) < now()) throw expired(id, job.downloadExpiresAt);
}

function isCompletedJob(ref: ExportJobRef | string): ref is ExportJob {
	return typeof ref === 'object' && ref !== null && 'status' in ref && ref.status === 'completed' && typeof ref.downloadUrl === 'string';
}

async function downloadPath(gw: IntercomGateway, job: ExportJob): Promise<string> {
	const id = encodeURIComponent(job.jobIdentifier);
	if (job.kind === 'content') return job.downloadUrl || `/download/content/data/${id}`;
	const appId = await reportingAppId(gw, job.appId);
	const url = new URL(job.downloadUrl || `/download/reporting_data/${id}`, gw.baseUrl);
	if (!url.searchParams.has('app_id')) url.searchParams.set('app_id', appId);
	if (!url.searchParams.has('job_identifier')) url.searchParams.set('job_identifier', job.jobIdentifier);
	return job.downloadUrl ? url.toString() : `${url.pathname}${url.search}`;
}

/** Opens the download of a completed job (asks for its status first when given only an id). */
export async function downloadExport(gw: IntercomGateway, ref: ExportJobRef | string, opts: DownloadExportOptions = {}): Promise<ExportDownload> {
	// A completed job object is trusted as is (its URL and expiry are what we need); otherwise ask.
	const job = isCompletedJob(ref) ? ref : await getExportStatus(gw, ref);
	assertDownloadable(job, opts.now);
	const opened = await settle(gw.download(await downloadPath(gw, job), { signal: opts.signal }));
	if (!opened.ok) {
		if (opened.error instanceof IntercomApiError && opened.error.status === 404) throw expired(job.jobIdentifier);
		throw opened.error;
	}
	const res = opened.value;
	const body = bodyChunks(res.body, res.contentLength, job.jobIdentifier, opts.signal);
	const head: Buffer[] = [];
	let headBytes = 0;
	let done = false;
	let container: ExportContainer | undefined;
	try {
		while (headBytes < SNIFF_BYTES) {
			const r = await body.next();
			if (r.done) {
				done = true;
				break;
			}
			head.push(r.value);
			headBytes += r.value.length;
		}
		container = sniffContainer(Buffer.concat(head));
	} finally {
		if (container === undefined) await body.return(undefined);
	}
	const base = `${job.kind}-export-${job.jobIdentifier}`;
	let taken = false;
	const raw = async function* (): AsyncGenerator<Buffer> {
		if (taken) throw new Error('The export download can be read only once');
		taken = true;
		try {
			yield* head;
			while (!done) {
				const r = await body.next();
				if (r.done) break;
				yield r.value;
			}
		} finally {
			await body.return(undefined);
		}
	};
	const events = (): AsyncGenerator<ArchiveEvent> => unpack(container, raw(), `${base}.csv`);
	const rowBatches = (o: { limit?: number } = {}): AsyncGenerator<ExportRow[]> => csvRowBatches(events(), container, o.limit);
	return {
		job,
		container,
		fileName: `${base}.${EXT[container]}`,
		mimeType: MIME[container],
		contentLength: res.contentLength,
		chunks: () => (container === 'gzip' || container === 'tar.gz' ? verifiedGzip(raw()) : raw()),
		events,
		rowBatches,
		async *rows(o: { limit?: number } = {}) {
			for await (const batch of rowBatches(o)) yield* batch;
		},
		async close() {
			taken = true;
			await body.return(undefined);
		},
	};
}

async function* bodyChunks(
	body: ReadableStream<Uint8Array>,
	expected: number | undefined,
	jobIdentifier: string,
	signal?: AbortSignal,
): AsyncGenerator<Buffer> {
	const reader = body.getReader();
	let got = 0;
	let finished = false;
	try {
		for (;;) {
			const read = await settle(reader.read());
			if (!read.ok) {
				if (signal?.aborted) throw new ExportError('wait_aborted', 'The download was cancelled', 'Run the node again to download it.', jobIdentifier);
				throw interrupted(jobIdentifier, got, expected);
			}
			const r = read.value;
			if (r.done) break;
			got += r.value.byteLength;
			yield Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
		}
		finished = true;
		if (expected !== undefined && got < expected) throw interrupted(jobIdentifier, got, expected);
	} finally {
		if (!finished) await reader.cancel().catch(() => undefined);
		reader.releaseLock();
	}
}

export interface RestartOptions {
	/** Downloads tried in all; default 3. */
	attempts?: number;
	onRestart?: (error: ExportError, attempt: number) => void;
}

/**
 * Runs `use` on a fresh download, again from the first byte when the connection broke
 * (`download_interrupted`). Only the result of a complete run is returned.
 */
export async function withDownloadRestarts<T>(
	open: () => Promise<ExportDownload>,
	use: (download: ExportDownload) => Promise<T>,
	opts: RestartOptions = {},
): Promise<T> {
	const attempts = Math.max(1, opts.attempts ?? 3);
	for (let attempt = 1; ; attempt++) {
		// The break can come while the first bytes are read for sniffing (in open) or later (in use).
		const opened = await settle(open());
		const result: Settled<T> = opened.ok ? await settle(use(opened.value)) : opened;
		if (opened.ok) await opened.value.close();
		if (result.ok) return result.value;
		const e = result.error;
		if (!(e instanceof ExportError && e.code === 'download_interrupted') || attempt >= attempts) throw e;
		opts.onRestart?.(e, attempt);
	}
}

/** CSV rows of a completed job, up to `limit`, restarting broken downloads. */
export async function collectExportRows(
	gw: IntercomGateway,
	ref: ExportJobRef | string,
	opts: DownloadExportOptions & RestartOptions & { limit?: number } = {},
): Promise<{ job: ExportJob; container: ExportContainer; rows: ExportRow[]; files: string[]; limitReached: boolean; restarts: number }> {
	let restarts = 0;
	return withDownloadRestarts(
		() => downloadExport(gw, ref, opts),
		async (dl) => {
			const rows: ExportRow[] = [];
			for await (const batch of dl.rowBatches({ limit: opts.limit })) rows.push(...batch);
			const files = [...new Set(rows.map((r) => r.file))];
			const limitReached = opts.limit !== undefined && opts.limit > 0 && rows.length >= opts.limit;
			return { job: dl.job, container: dl.container, rows, files, limitReached, restarts };
		},
		{ ...opts, onRestart: (e, n) => ((restarts = n), opts.onRestart?.(e, n)) },
	);
}

/**
 * Hands each file inside the download to `save` as a Readable (e.g. n8n's prepareBinaryData),
 * one after the other, with backpressure. Returns what `save` returned, in archive order.
 */
export async function saveExportFiles<T>(dl: ExportDownload, save: (name: string, stream: Readable) => Promise<T>): Promise<T[]> {
	const results: T[] = [];
	let pt: PassThrough | undefined;
	let pending: Promise<T> | undefined;
	const events = dl.events();
	let completed = false;
	try {
		for await (const ev of events) {
			if (ev.type === 'file') {
				pt = new PassThrough();
				pending = save(ev.name, pt);
				pending.catch(() => undefined);
			} else if (ev.type === 'data' && pt && pending) {
				if (!pt.write(ev.chunk)) await Promise.race([once(pt, 'drain'), pending.then(() => undefined)]);
			} else if (ev.type === 'end' && pt && pending) {
				pt.end();
				results.push(await pending);
				pt = undefined;
				pending = undefined;
			}
		}
		completed = true;
	} finally {
		// Stops the consumer of a half-written file: it must not keep a truncated file as complete.
		if (!completed) pt?.destroy(new Error('The export download stopped before this file was complete'));
	}
	return results;
}
