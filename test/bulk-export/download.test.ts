// Downloading finished exports: every container, rows and raw bytes, and the faults (broken
// connection, expiry, damaged archive, jobs that are not downloadable).
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
	collectExportRows,
	downloadExport,
	ExportError,
	getExportStatus,
	startContentExport,
	waitForExport,
	withDownloadRestarts,
} from '../../src/bulk-export';
import { rejectionOf, useFake } from '../intercom/helpers';
import { completedJob, FAST, LAST_YEAR, receiptCount } from './helpers';

const h = useFake({ seed: 6 });

async function rawBytes(gw: ReturnType<typeof h.gw>, job: Awaited<ReturnType<typeof completedJob>>): Promise<Buffer> {
	const dl = await downloadExport(gw, job);
	const parts: Buffer[] = [];
	for await (const c of dl.chunks()) parts.push(c);
	return Buffer.concat(parts);
}

describe('downloadExport: containers', () => {
	it('gzip CSV: sniffed, one row per receipt, named after the job', async () => {
		const gw = h.gw();
		const job = await completedJob(gw);
		const dl = await downloadExport(gw, job);
		expect(dl.container).toBe('gzip');
		expect(dl.fileName).toBe(`content-export-${job.jobIdentifier}.csv.gz`);
		const rows = [];
		for await (const r of dl.rows()) rows.push(r);
		expect(rows.length).toBe(receiptCount(h.fake));
		expect(rows.length).toBeGreaterThan(20);
		expect(rows[0].file).toBe(`content-export-${job.jobIdentifier}.csv`);
		expect(Object.keys(rows[0].values)).toEqual([
			'user_id',
			'user_external_id',
			'user_email',
			'content_id',
			'content_type',
			'content_title',
			'received_at',
			'opened_at',
			'clicked_at',
		]);
		const ids = new Set([...h.fake.workspace.contacts.keys()]);
		expect(rows.every((r) => ids.has(r.values.user_id))).toBe(true);
	});

	it('tar.gz: sniffed inside the gzip, rows of every CSV with the file name', async () => {
		h.fake.scriptExport({ format: 'tar-gz' });
		const gw = h.gw();
		const result = await collectExportRows(gw, await completedJob(gw));
		expect(result.container).toBe('tar.gz');
		expect(result.files).toEqual(['receipts.csv', 'opens.csv', 'clicks.csv']);
		const receipts = result.rows.filter((r) => r.file === 'receipts.csv');
		expect(receipts.length).toBe(receiptCount(h.fake));
		expect(result.rows.find((r) => r.file === 'opens.csv')?.values).toHaveProperty('opened_at');
	});

	it('zip: the same files, streamed through fflate', async () => {
		h.fake.scriptExport({ format: 'zip' });
		const gw = h.gw();
		const job = await completedJob(gw);
		const result = await collectExportRows(gw, job);
		expect(result.container).toBe('zip');
		expect(result.files).toEqual(['receipts.csv', 'opens.csv', 'clicks.csv']);
		expect(result.rows.filter((r) => r.file === 'receipts.csv').length).toBe(receiptCount(h.fake));
		const dl = await downloadExport(gw, job);
		expect([dl.fileName, dl.mimeType]).toEqual([`content-export-${job.jobIdentifier}.zip`, 'application/zip']);
		await dl.close();
	});

	it('chunks() hands over the archive byte for byte', async () => {
		const gw = h.gw();
		const job = await completedJob(gw);
		const bytes = await rawBytes(gw, job);
		expect(gunzipSync(bytes).toString('utf8').split('\n')[0]).toMatch(/^user_id,user_external_id/);
	});

	it('stops at the row limit and says so', async () => {
		const gw = h.gw();
		const result = await collectExportRows(gw, await completedJob(gw), { limit: 5 });
		expect(result.rows).toHaveLength(5);
		expect(result.limitReached).toBe(true);
	});
});

describe('downloadExport: faults', () => {
	it('a download broken mid-stream is restarted from the start; the rows are complete', async () => {
		h.fake.scriptExport({ breakDownloads: 2, breakAfterBytes: 300 });
		const gw = h.gw();
		const result = await collectExportRows(gw, await completedJob(gw));
		expect(result.restarts).toBe(2);
		expect(result.rows.length).toBe(receiptCount(h.fake));
		expect(h.fake.requests.filter((r) => r.path.startsWith('/download/')).length).toBe(3);
	});

	it('a download that keeps breaking fails as interrupted, never as a short complete result', async () => {
		h.fake.scriptExport({ breakDownloads: 5, breakAfterBytes: 300 });
		const gw = h.gw();
		const job = await completedJob(gw);
		const e = await rejectionOf(collectExportRows(gw, job, { attempts: 2 }));
		expect((e as ExportError).code).toBe('download_interrupted');
		expect((e as Error).message).toMatch(/broke off after 300 bytes of \d+; the partial file was discarded/);
		// Raw bytes too: reading throws instead of ending early.
		const e2 = await rejectionOf(rawBytes(gw, job));
		expect((e2 as ExportError).code).toBe('download_interrupted');
	});

	it('withDownloadRestarts returns only the result of the complete run', async () => {
		h.fake.scriptExport({ breakDownloads: 1, breakAfterBytes: 200 });
		const gw = h.gw();
		const job = await completedJob(gw);
		const published: number[] = [];
		const size = await withDownloadRestarts(
			() => downloadExport(gw, job),
			async (dl) => {
				let n = 0;
				for await (const c of dl.chunks()) n += c.length;
				return n;
			},
		);
		published.push(size);
		expect(published).toEqual([(await rawBytes(gw, job)).length]);
	});

	it('an expired download (404) tells to start a new job', async () => {
		const gw = h.gw();
		const job = await completedJob(gw);
		h.fake.expireExports();
		const e = await rejectionOf(downloadExport(gw, job));
		expect((e as ExportError).code).toBe('export_expired');
		expect((e as ExportError).hint).toMatch(/Start a new export job/);
	});

	it('download_expires_at in the past is refused before the request', async () => {
		const gw = h.gw();
		const job = await completedJob(gw);
		const before = h.fake.requests.length;
		const e = await rejectionOf(downloadExport(gw, job, { now: () => Date.now() + 3 * 86_400_000 }));
		expect((e as ExportError).code).toBe('export_expired');
		expect((e as Error).message).toMatch(/expired on \d{4}-/);
		expect(h.fake.requests.length).toBe(before);
	});

	it('a damaged archive is a clear error, for rows and for the raw bytes', async () => {
		h.fake.scriptExport({ format: 'corrupt' });
		const gw = h.gw();
		const job = await completedJob(gw);
		const e = await rejectionOf(collectExportRows(gw, job));
		expect((e as ExportError).code).toBe('corrupt_archive');
		expect((e as Error).message).toMatch(/damaged/);
		const e2 = await rejectionOf(rawBytes(gw, job));
		expect((e2 as ExportError).code).toBe('corrupt_archive');
	});

	it.each([
		['no_data', 'export_no_data'],
		['failed', 'export_failed'],
		['canceled', 'export_canceled'],
	] as const)('a %s job is not downloadable (%s)', async (outcome, code) => {
		h.fake.scriptExport({ outcome });
		const gw = h.gw();
		const job = await waitForExport(gw, await startContentExport(gw, LAST_YEAR()), FAST);
		expect(((await rejectionOf(downloadExport(gw, job))) as ExportError).code).toBe(code);
	});

	it('a running job is "not ready yet" (asks for the status when given an id)', async () => {
		h.fake.scriptExport({ pollsPerState: 10 });
		const gw = h.gw();
		const job = await startContentExport(gw, LAST_YEAR());
		const e = await rejectionOf(downloadExport(gw, job.jobIdentifier));
		expect((e as ExportError).code).toBe('export_not_ready');
		expect((await getExportStatus(gw, job)).status).toBe('pending');
	});
});
