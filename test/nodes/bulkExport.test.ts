// Bulk Export operations run through their real execute() against the fake Intercom.
import { gunzipSync } from 'node:zlib';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import * as bulkExport from '../../nodes/IntercomGdpr/actions/bulkExport';
import { completedJob, LAST_YEAR, receiptCount } from '../bulk-export/helpers';
import { bulkContext, type BulkContext } from './context';
import { rejectionOf, useFake } from '../intercom/helpers';
import { fakeCredential } from './context';

const h = useFake({ seed: 8, windowSeconds: 1 });

type Op = keyof typeof bulkExport & ('start' | 'startReporting' | 'listDatasets' | 'getStatus' | 'download' | 'cancel' | 'startAndWait');

async function run(op: Op, params: IDataObject, more: { continueOnFail?: boolean } = {}): Promise<{ out: INodeExecutionData[]; c: BulkContext }> {
	const c = bulkContext({ itemParams: [{ resource: 'bulkExport', operation: op, ...params }], credential: fakeCredential(h.fake.url, h.fake.token), ...more });
	const out = await bulkExport[op].execute.call(c.ctx, c.ctx.getInputData());
	return { out, c };
}

async function failure(op: Op, params: IDataObject): Promise<NodeOperationError | NodeApiError> {
	const c = bulkContext({ itemParams: [{ resource: 'bulkExport', operation: op, ...params }], credential: fakeCredential(h.fake.url, h.fake.token) });
	return (await rejectionOf(bulkExport[op].execute.call(c.ctx, c.ctx.getInputData()))) as NodeOperationError;
}

const range = (): IDataObject => ({ dateFrom: LAST_YEAR().from, dateTo: LAST_YEAR().to });
const FAST_WAIT = { initialIntervalSeconds: 0.01, maxIntervalSeconds: 0.02 };

describe('Bulk Export → Start', () => {
	it('returns the pending job for the Wait-node loop', async () => {
		const { out } = await run('start', range());
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({ exportType: 'content', status: 'pending', terminal: false, downloadUrl: null });
		expect(out[0].pairedItem).toEqual({ item: 0 });
	});

	it('rejects a bad range before calling Intercom, naming the field', async () => {
		const e = await failure('start', { dateFrom: '2026-01-05', dateTo: '2026-01-04' });
		expect(e).toBeInstanceOf(NodeOperationError);
		expect(e.message).toMatch(/^Invalid from: it is later than the "to" date\. .* \[item 0\]$/);
		expect(h.fake.requests).toHaveLength(0);
	});

	it('says "another export is running; cancel it or wait" for the one-job 429', async () => {
		await run('start', range());
		const e = await failure('start', range());
		expect(e.message).toMatch(/Another content export is running .*; cancel it or wait \[item 0\]/);
		expect(e.description).toMatch(/Bulk Export → Cancel/);
		expect(h.fake.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([200, 429]);
	});
});

describe('Bulk Export → Get Status / Cancel / Download', () => {
	it('Get Status reports the states, then the download URL and expiry', async () => {
		const { out: started } = await run('start', range());
		const jobIdentifier = started[0].json.jobIdentifier as string;
		expect((await run('getStatus', { jobIdentifier })).out[0].json.status).toBe('in_progress');
		const done = (await run('getStatus', { jobIdentifier })).out[0].json;
		expect(done.status).toBe('completed');
		expect(done.downloadUrl).toBe(`${h.fake.url}/download/content/data/${jobIdentifier}`);
		expect(typeof done.downloadExpiresAt).toBe('string');
	});

	it('Cancel cancels', async () => {
		const { out: started } = await run('start', range());
		const { out } = await run('cancel', { jobIdentifier: started[0].json.jobIdentifier });
		expect(out[0].json.status).toBe('canceled');
	});

	it('Download → rows: one item per CSV row with the CSV name, all rows', async () => {
		const job = await completedJob(h.gw());
		const { out } = await run('download', { jobIdentifier: job.jobIdentifier, output: 'rows' });
		expect(out.length).toBe(receiptCount(h.fake));
		expect(out[0].json.sourceFile).toBe(`content-export-${job.jobIdentifier}.csv`);
		expect(out[0].json).toHaveProperty('received_at');
		expect(out.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('Download → rows with a limit stops there and says so', async () => {
		const job = await completedJob(h.gw());
		const { out, c } = await run('download', { jobIdentifier: job.jobIdentifier, output: 'rows', returnAll: false, limit: 3 });
		expect(out).toHaveLength(3);
		expect(c.hints.map((x) => x.message).join(' ')).toMatch(/limit of 3 rows/);
	});

	it('Download → archive: the file streamed into binary data, byte for byte', async () => {
		const job = await completedJob(h.gw());
		const { out, c } = await run('download', { jobIdentifier: job.jobIdentifier, output: 'archive', binaryPropertyName: 'export' });
		expect(out).toHaveLength(1);
		const bin = out[0].binary?.export;
		expect(bin?.fileName).toBe(`content-export-${job.jobIdentifier}.csv.gz`);
		expect(bin?.mimeType).toBe('application/gzip');
		const stored = c.files.get(bin?.id as string);
		expect(gunzipSync(stored?.data as Buffer).toString().split('\n').length - 2).toBe(receiptCount(h.fake));
		expect(out[0].json).toMatchObject({ container: 'gzip' });
	});

	it('Download → files: one binary per file of a tar.gz', async () => {
		h.fake.scriptExport({ format: 'tar-gz' });
		const job = await completedJob(h.gw());
		const { out, c } = await run('download', { jobIdentifier: job.jobIdentifier, output: 'files' });
		expect(out.map((i) => i.json.fileName)).toEqual(['receipts.csv', 'opens.csv', 'clicks.csv']);
		const receipts = c.files.get(out[0].binary?.data.id as string)?.data.toString('utf8') ?? '';
		expect(receipts.split('\n')[0]).toBe('user_id,user_external_id,user_email,content_id,content_type,content_title,received_at');
		expect(receipts.trim().split('\n').length - 1).toBe(receiptCount(h.fake));
	});

	it('a download broken mid-stream is restarted; the partial binary is never output', async () => {
		h.fake.scriptExport({ breakDownloads: 1, breakAfterBytes: 2000 });
		const job = await completedJob(h.gw());
		const { out, c } = await run('download', { jobIdentifier: job.jobIdentifier, output: 'archive' });
		expect(c.failedStreams).toBe(1);
		expect(out).toHaveLength(1);
		const stored = c.files.get(out[0].binary?.data.id as string);
		expect(() => gunzipSync(stored?.data as Buffer)).not.toThrow();
		expect(c.hints.map((x) => x.message).join(' ')).toMatch(/broke off 1 time\(s\) and was restarted/);
	});

	it('a download that keeps breaking fails with our message, not n8n\'s wrapper', async () => {
		h.fake.scriptExport({ breakDownloads: 5, breakAfterBytes: 2000 });
		const job = await completedJob(h.gw());
		const e = await failure('download', { jobIdentifier: job.jobIdentifier, output: 'archive' });
		expect(e.message).toMatch(/The download broke off after 2000 bytes .*discarded \[item 0\]/);
	});

	it('an expired download tells to start a new job', async () => {
		const job = await completedJob(h.gw());
		h.fake.expireExports();
		const e = await failure('download', { jobIdentifier: job.jobIdentifier });
		expect(e.message).toMatch(/expired/);
		expect(e.description).toMatch(/Start a new export job/);
	});

	it('a damaged archive is a clear error', async () => {
		h.fake.scriptExport({ format: 'corrupt' });
		const job = await completedJob(h.gw());
		const e = await failure('download', { jobIdentifier: job.jobIdentifier, output: 'archive' });
		expect(e.message).toMatch(/damaged or not in a known format \(gzip: .*\) \[item 0\]/);
	});

	it('continueOnFail turns the error into an item', async () => {
		const { out } = await run('download', { jobIdentifier: 'nosuchjob' }, { continueOnFail: true });
		expect(out).toHaveLength(1);
		expect(out[0].json.error).toMatch(/404.*\[item 0\]$/);
		expect(out[0].pairedItem).toEqual({ item: 0 });
	});

	it('continueOnFail keeps the export hint as the error item\'s description', async () => {
		const job = await completedJob(h.gw());
		h.fake.expireExports();
		const { out } = await run('download', { jobIdentifier: job.jobIdentifier }, { continueOnFail: true });
		expect(out).toEqual([{ json: { error: expect.stringMatching(/expired.*\[item 0\]$/), description: expect.stringMatching(/Start a new export job/) }, pairedItem: { item: 0 } }]);
	});
});

describe('Bulk Export → Start and Wait', () => {
	it('completed → rows as items', async () => {
		h.fake.scriptExport({ pollsPerState: 2 });
		const { out } = await run('startAndWait', { exportType: 'content', ...range(), output: 'rows', options: FAST_WAIT });
		expect(out.length).toBe(receiptCount(h.fake));
		expect(out[0].json).toHaveProperty('user_id');
	});

	it('no_data → no items and a hint, not an error', async () => {
		const { out, c } = await run('startAndWait', { dateFrom: '2001-01-01', dateTo: '2001-01-31', output: 'rows', options: FAST_WAIT });
		expect(out).toEqual([]);
		expect(c.hints[0]).toMatchObject({ type: 'warning' });
		expect(c.hints[0].message).toMatch(/finished without data/);
	});

	it.each([
		['failed', /failed in Intercom/],
		['canceled', /was canceled/],
	] as const)('%s → a clear error', async (outcome, message) => {
		h.fake.scriptExport({ outcome });
		const e = await failure('startAndWait', { ...range(), options: FAST_WAIT });
		expect(e.message).toMatch(message);
	});

	it('max wait passed → error whose description shows the Wait-node loop', async () => {
		h.fake.scriptExport({ pollsPerState: 100_000 });
		const e = await failure('startAndWait', { ...range(), options: { ...FAST_WAIT, maxWaitMinutes: 0.003 } });
		expect(e.message).toMatch(/did not finish within the max wait/);
		expect(e.description).toMatch(/Start, then a Wait node .*Get Status → IF .*Download/);
	});

	it('stops when n8n cancels the execution', async () => {
		h.fake.scriptExport({ pollsPerState: 100_000 });
		const c = bulkContext({ itemParams: [{ resource: 'bulkExport', operation: 'startAndWait', ...range(), options: { initialIntervalSeconds: 30 } }], credential: fakeCredential(h.fake.url, h.fake.token) });
		const running = bulkExport.startAndWait.execute.call(c.ctx, c.ctx.getInputData());
		setTimeout(() => c.abort.abort(), 100);
		const e = (await rejectionOf(running)) as NodeOperationError;
		expect(e.message).toMatch(/execution was cancelled/);
	});

	it('reporting export: enqueue, wait, rows of the chosen attributes', async () => {
		const { out } = await run('startAndWait', {
			exportType: 'reporting',
			datasetId: 'conversation',
			attributeIds: 'conversation_id, conversation_state',
			...range(),
			output: 'rows',
			options: FAST_WAIT,
		});
		expect(out.length).toBeGreaterThan(10);
		expect(Object.keys(out[0].json)).toEqual(['conversation_id', 'conversation_state', 'sourceFile']);
	});
});

describe('Bulk Export → reporting operations', () => {
	it('List Datasets, Start Reporting Export, Get Status, Download', async () => {
		const { out: ds } = await run('listDatasets', {});
		expect(ds[0].json).toMatchObject({ datasetId: 'conversation' });
		expect(ds[0].json.attributeIds).toContain('conversation_id');
		const { out: started } = await run('startReporting', { datasetId: 'conversation', attributeIds: 'conversation_id', ...range() });
		const jobIdentifier = started[0].json.jobIdentifier;
		expect(started[0].json).toMatchObject({ exportType: 'reporting', status: 'pending' });
		await run('getStatus', { exportType: 'reporting', jobIdentifier });
		expect((await run('getStatus', { exportType: 'reporting', jobIdentifier })).out[0].json.status).toBe('completed');
		const { out } = await run('download', { exportType: 'reporting', jobIdentifier, output: 'rows' });
		expect(Object.keys(out[0].json)).toEqual(['conversation_id', 'sourceFile']);
	});
});
