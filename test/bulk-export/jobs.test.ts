// Content export jobs against the fake: start (range checked first), the one-active-job 429,
// every status, cancel.
import { describe, expect, it } from 'vitest';
import { cancelExport, ExportError, getExportStatus, startContentExport, waitForExport } from '../../src/bulk-export';
import { IntercomApiError, IntercomInputError } from '../../src/intercom';
import { rejectionOf, useFake } from '../intercom/helpers';
import { daysAgo, FAST, LAST_YEAR } from './helpers';

const h = useFake({ seed: 3 });

describe('startContentExport', () => {
	it('sends whole days and returns the pending job', async () => {
		const job = await startContentExport(h.gw(), { from: '2026-01-01', to: '2026-01-31' }, { now: () => Date.parse('2026-02-01T00:00:00Z') });
		expect(job).toMatchObject({ kind: 'content', status: 'pending', terminal: false, downloadUrl: '' });
		expect(job.jobIdentifier).toMatch(/^\w+$/);
		const sent = h.fake.requests.find((r) => r.method === 'POST');
		expect(sent?.body).toEqual({ created_at_after: Date.parse('2026-01-01T00:00:00Z') / 1000, created_at_before: Date.parse('2026-01-31T23:59:59Z') / 1000 });
	});

	it('checks the range before any request', async () => {
		const e = await rejectionOf(startContentExport(h.gw(), { from: daysAgo(1), to: daysAgo(-1) }));
		expect(e).toBeInstanceOf(IntercomInputError);
		expect((e as IntercomInputError).field).toBe('to');
		expect(h.fake.requests).toHaveLength(0);
	});

	it('turns the one-active-job 429 into "another export is running", without retrying it', async () => {
		await startContentExport(h.gw(), LAST_YEAR());
		const e = await rejectionOf(startContentExport(h.gw(), LAST_YEAR()));
		expect(e).toBeInstanceOf(ExportError);
		expect((e as ExportError).code).toBe('export_already_running');
		expect((e as Error).message).toMatch(/another content export is running.*cancel it or wait/i);
		const posts = h.fake.requests.filter((r) => r.method === 'POST' && r.path === '/export/content/data');
		expect(posts.map((r) => r.status)).toEqual([200, 429]);
	});
});

describe('getExportStatus and cancelExport', () => {
	it('reports pending → in_progress → completed with an absolute download URL and its expiry', async () => {
		const gw = h.gw();
		const job = await startContentExport(gw, LAST_YEAR());
		expect((await getExportStatus(gw, job.jobIdentifier)).status).toBe('in_progress');
		const done = await getExportStatus(gw, job);
		expect(done).toMatchObject({ status: 'completed', terminal: true });
		expect(done.downloadUrl).toBe(`${h.fake.url}/download/content/data/${job.jobIdentifier}`);
		const expires = Date.parse(done.downloadExpiresAt ?? '');
		expect(expires - Date.now()).toBeGreaterThan(47 * 3_600_000);
	});

	it.each(['no_data', 'failed', 'canceled'] as const)('reports the terminal state %s', async (outcome) => {
		h.fake.scriptExport({ outcome, pollsPerState: 1 });
		const gw = h.gw();
		const final = await waitForExport(gw, await startContentExport(gw, LAST_YEAR()), FAST);
		expect(final).toMatchObject({ status: outcome, terminal: true, downloadUrl: '' });
	});

	it('reports no_data for a range without sent messages', async () => {
		const gw = h.gw();
		const final = await waitForExport(gw, await startContentExport(gw, { from: '2001-01-01', to: '2001-01-02' }), FAST);
		expect(final.status).toBe('no_data');
	});

	it('cancels a running job, which frees the workspace for a new one', async () => {
		const gw = h.gw();
		const job = await startContentExport(gw, LAST_YEAR());
		expect(await cancelExport(gw, job)).toMatchObject({ status: 'canceled', terminal: true });
		expect((await startContentExport(gw, LAST_YEAR())).status).toBe('pending');
	});

	it('names a bad job identifier before any request, and passes a 404 for an unknown one', async () => {
		expect(await rejectionOf(getExportStatus(h.gw(), ''))).toBeInstanceOf(IntercomInputError);
		expect(h.fake.requests).toHaveLength(0);
		const e = await rejectionOf(getExportStatus(h.gw(), 'nosuchjob'));
		expect(e).toBeInstanceOf(IntercomApiError);
		expect((e as IntercomApiError).status).toBe(404);
	});
});
