import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FakeIntercom } from './index';
import { call } from './testing';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({}, (f) => (fake = f), { reset: true });

const YEAR = 365 * 86_400;
const range = () => {
	const now = Math.floor(Date.now() / 1000);
	return { created_at_after: now - YEAR, created_at_before: now };
};
const start = () => call(fake, 'POST', '/export/content/data', { body: range() });
const status = (id: string) => call(fake, 'GET', `/export/content/data/${id}`);
const download = (id: string, accept = 'application/octet-stream') =>
	fetch(`${fake.url}/download/content/data/${id}`, { headers: { authorization: `Bearer ${fake.token}`, accept } });

describe('content export', () => {
	it('moves pending → in_progress → completed and downloads a gzipped CSV', async () => {
		const created = await start();
		expect(created.body).toEqual({ job_identifier: expect.any(String), status: 'pending', download_url: '', download_expires_at: '' });
		const id = created.body.job_identifier;
		expect((await status(id)).body.status).toBe('in_progress');
		const done = await status(id);
		expect(done.body.status).toBe('completed');
		expect(done.body.download_url).toBe(`${fake.url}/download/content/data/${id}`);
		expect(Number(done.body.download_expires_at)).toBeGreaterThan(Date.now() / 1000 + 86_400);

		expect((await download(id, '*/*')).status).toBe(406);
		const res = await download(id);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/octet-stream');
		const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
		const lines = text.trim().split('\n');
		expect(lines[0]).toBe('user_id,user_external_id,user_email,content_id,content_type,content_title,received_at,opened_at,clicked_at');
		expect(lines.length).toBeGreaterThan(10);
	});

	it('allows one active job per workspace (429), and a new one once it is done', async () => {
		const first = await start();
		const second = await start();
		expect(second.status).toBe(429);
		expect(second.body.errors[0]).toEqual({ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 1 pending message data export jobs' });
		await status(first.body.job_identifier);
		await status(first.body.job_identifier);
		expect((await start()).status).toBe(200);
	});

	it.each(['no_data', 'failed', 'canceled'] as const)('can be scripted to end as %s', async (outcome) => {
		fake.scriptExport({ outcome, pollsPerState: 2 });
		const id = (await start()).body.job_identifier;
		const seen = [];
		for (let i = 0; i < 5; i++) seen.push((await status(id)).body.status);
		expect(seen).toEqual(['pending', 'in_progress', 'in_progress', outcome, outcome]);
		expect((await status(id)).body.download_url).toBe('');
		expect((await download(id)).status).toBe(404);
	});

	it('ends as no_data when nothing was sent in the range', async () => {
		const r = await call(fake, 'POST', '/export/content/data', { body: { created_at_after: 1_000_000_000, created_at_before: 1_000_086_400 } });
		const id = r.body.job_identifier;
		await status(id);
		expect((await status(id)).body.status).toBe('no_data');
	});

	it('cancels an active job', async () => {
		const id = (await start()).body.job_identifier;
		const c = await call(fake, 'POST', `/export/cancel/${id}`);
		expect(c.body.status).toBe('canceled');
		expect((await status(id)).body.status).toBe('canceled');
		expect((await start()).status).toBe(200);
	});

	it('answers 404 for unknown and expired jobs', async () => {
		expect((await status('doesnotexist')).status).toBe(404);
		const id = (await start()).body.job_identifier;
		await status(id);
		await status(id);
		fake.expireExports();
		expect((await download(id)).status).toBe(404);
	});

	it('can deliver several CSVs in a gzipped tar', async () => {
		fake.scriptExport({ format: 'tar-gz', pollsPerState: 0 });
		const id = (await start()).body.job_identifier;
		expect((await status(id)).body.status).toBe('completed');
		const tarball = gunzipSync(Buffer.from(await (await download(id)).arrayBuffer()));
		const names: string[] = [];
		for (let off = 0; off + 512 <= tarball.length; ) {
			const name = tarball.subarray(off, off + 100).toString('latin1').replace(/\0.*$/s, '');
			if (!name) break;
			names.push(name);
			const size = parseInt(tarball.subarray(off + 124, off + 136).toString('latin1'), 8);
			off += 512 + Math.ceil(size / 512) * 512;
		}
		expect(names).toEqual(['receipts.csv', 'opens.csv', 'clicks.csv']);
	});

	it('is scripted over the control API', async () => {
		await fetch(`${fake.url}/__fake/export-script`, { method: 'POST', body: JSON.stringify({ outcome: 'failed', pollsPerState: 0 }) });
		const id = (await start()).body.job_identifier;
		expect((await status(id)).body.status).toBe('failed');
	});
});

describe('reporting export', () => {
	it('lists datasets, enqueues, completes and downloads', async () => {
		const ds = await call(fake, 'GET', '/export/reporting_data/get_datasets');
		expect(ds.body.data[0].id).toBe('conversation');
		const now = Math.floor(Date.now() / 1000);
		const job = await call(fake, 'POST', '/export/reporting_data/enqueue', {
			body: { dataset_id: 'conversation', attribute_ids: ['conversation_id', 'contact_id'], start_time: now - YEAR, end_time: now },
		});
		expect(job.body.status).toBe('pending');
		const app = fake.workspace.fixtures.appIdCode;
		const id = job.body.job_identifier;
		const q = `?app_id=${app}&client_id=test&job_identifier=${id}`;
		await call(fake, 'GET', `/export/reporting_data/${id}${q}`);
		const done = await call(fake, 'GET', `/export/reporting_data/${id}${q}`);
		expect(done.body.status).toBe('complete');
		const res = await fetch(`${fake.url}/download/reporting_data/${id}?app_id=${app}&job_identifier=${id}`, {
			headers: { authorization: `Bearer ${fake.token}`, accept: 'application/octet-stream' },
		});
		const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
		expect(text.split('\n')[0]).toBe('conversation_id,contact_id');
	});

	it('rejects unknown datasets and attributes with 400 bad_request', async () => {
		const r = await call(fake, 'POST', '/export/reporting_data/enqueue', { body: { dataset_id: 'imaginary', attribute_ids: ['x'], start_time: 1, end_time: 2 } });
		expect(r.status).toBe(400);
		expect(r.body.errors[0].code).toBe('bad_request');
	});
});
