// Streaming download of a content export (raw fetch, Accept: application/octet-stream) and the
// rule that the token only ever goes to the gateway's own host.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IntercomApiError, IntercomInputError, type IntercomGateway } from '../../src/intercom';
import { rejectionOf, useFake } from './helpers';

const h = useFake();

interface Job {
	job_identifier: string;
	status: string;
	download_url: string;
}

async function completedExport(gw: IntercomGateway): Promise<Job> {
	const created = await gw.request<Job>('POST', '/export/content/data', {
		body: { created_at_after: 0, created_at_before: 2_000_000_000 },
	});
	let job = created.data;
	for (let i = 0; i < 10 && job.status !== 'completed'; i++) {
		job = (await gw.request<Job>('GET', `/export/content/data/${created.data.job_identifier}`)).data;
	}
	expect(job.status).toBe('completed');
	return job;
}

async function gunzipToText(body: ReadableStream<Uint8Array>): Promise<{ text: string; compressedBytes: number }> {
	let compressedBytes = 0;
	const chunks: Buffer[] = [];
	const src = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
	src.on('data', (c: Buffer) => (compressedBytes += c.length));
	const gunzip = createGunzip();
	gunzip.on('data', (c: Buffer) => chunks.push(c));
	await pipeline(src, gunzip);
	return { text: Buffer.concat(chunks).toString('utf8'), compressedBytes };
}

describe('download()', () => {
	it('streams the export by absolute download_url with the right headers', async () => {
		const gw = h.gw({ apiVersion: '2.16' });
		const job = await completedExport(gw);
		h.fake.requests.length = 0;
		const res = await gw.download(job.download_url);
		expect(res.body).toBeInstanceOf(ReadableStream);
		expect(res.contentType).toBe('application/octet-stream');
		const { text, compressedBytes } = await gunzipToText(res.body);
		expect(compressedBytes).toBe(res.contentLength);
		const lines = text.trim().split('\n');
		expect(lines[0]).toBe('user_id,user_external_id,user_email,content_id,content_type,content_title,received_at,opened_at,clicked_at');
		expect(lines.length - 1).toBe(h.fake.workspace.receipts.length);
		const [req] = h.fake.requests;
		expect(req.path).toBe(`/download/content/data/${job.job_identifier}`);
		expect(req.headers.accept).toBe('application/octet-stream');
		expect(req.headers.authorization).toBe(`Bearer ${h.fake.token}`);
		expect(req.headers['intercom-version']).toBe('2.16');
	});

	it('accepts a path as well', async () => {
		const gw = h.gw();
		const job = await completedExport(gw);
		const res = await gw.download(`/download/content/data/${job.job_identifier}`);
		const { text } = await gunzipToText(res.body);
		expect(text.startsWith('user_id,')).toBe(true);
	});

	it('retries a 5xx before the body starts', async () => {
		const gw = h.gw();
		const job = await completedExport(gw);
		h.fake.failNext({ status: 503, pathPattern: '^/download/' });
		const res = await gw.download(job.download_url);
		await gunzipToText(res.body);
		expect(h.fake.requests.filter((r) => r.path.startsWith('/download/')).map((r) => r.status)).toEqual([503, 200]);
	});

	it('maps an expired download (404) to IntercomApiError with a templated route', async () => {
		const gw = h.gw();
		const job = await completedExport(gw);
		h.fake.expireExports();
		const err = await rejectionOf(gw.download(job.download_url));
		expect(err).toBeInstanceOf(IntercomApiError);
		expect(err).toMatchObject({ status: 404, operation: 'GET /download/content/data/{id}', retryable: false });
		expect((err as Error).message).not.toContain(job.job_identifier);
	});

	it('can be aborted by the caller', async () => {
		const gw = h.gw();
		const job = await completedExport(gw);
		const ctrl = new AbortController();
		ctrl.abort();
		const err = await rejectionOf(gw.download(job.download_url, { signal: ctrl.signal }));
		expect(err).toMatchObject({ code: 'aborted', retryable: false });
	});
});

describe('token safety', () => {
	it.each([
		// Same server, different origin: if the token leaked, the fake would log the request.
		(url: string) => url.replace('127.0.0.1', 'localhost') + '/download/content/data/abc',
		() => 'https://evil.example/download/content/data/abc',
		() => '//evil.example/download/content/data/abc',
		(url: string) => url.replace('http:', 'https:') + '/download/content/data/abc',
	])('refuses to send the token to another host (%#)', async (make) => {
		const gw = h.gw();
		const err = await rejectionOf(gw.download(make(h.fake.url)));
		expect(err).toBeInstanceOf(IntercomInputError);
		expect((err as IntercomInputError).field).toBe('download_url');
		expect((err as Error).message).toContain('leak');
		expect(h.fake.requests).toHaveLength(0);
	});

	it('refuses an empty download_url', async () => {
		await expect(h.gw().download('')).rejects.toMatchObject({ field: 'download_url' });
	});
});
