// Drives the bulk export core (src/bulk-export) through both export kinds and the error paths, then
// validates every request it sent against the OpenAPI description of the version it asked for.
import { describe, expect, it } from 'vitest';
import {
	cancelExport,
	collectExportRows,
	getExportStatus,
	listReportingDatasets,
	startContentExport,
	startReportingExport,
	waitForExport,
} from '../../src/bulk-export/index';
import { createIntercom } from '../../src/intercom/index';
import type { FakeIntercom } from '../fake-intercom/index';
import { validateAgainstSpec } from './openapi';
import { useFakeIntercom } from '../support/world';

const FAST = { initialIntervalMs: 1, maxIntervalMs: 1, sleep: async (): Promise<void> => undefined };
const range = (): { from: string; to: string } => ({
	from: new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10),
	to: new Date().toISOString().slice(0, 10),
});

describe.each(['2.14', '2.16'])('requests the export core sends (Intercom-Version %s)', (apiVersion) => {
	let fake: FakeIntercom;
	useFakeIntercom({ seed: 9 }, (f) => (fake = f));

	it('match the request schemas of every export operation', async () => {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, apiVersion });
		const content = await startContentExport(gw, range());
		await expect(startContentExport(gw, range())).rejects.toThrow(/another content export is running/i);
		const done = await waitForExport(gw, content, FAST);
		expect((await collectExportRows(gw, done)).rows.length).toBeGreaterThan(0);
		const second = await startContentExport(gw, range());
		await cancelExport(gw, second);

		const [dataset] = await listReportingDatasets(gw);
		const reporting = await startReportingExport(gw, { datasetId: dataset.id, attributeIds: dataset.attributes.map((a) => a.id), ...range() });
		const finished = await waitForExport(gw, reporting, FAST);
		await getExportStatus(gw, { kind: 'reporting', jobIdentifier: reporting.jobIdentifier });
		expect((await collectExportRows(gw, finished)).rows.length).toBeGreaterThan(0);

		const paths = new Set(fake.requests.map((r) => `${r.method} ${r.path.replace(/\/[A-Za-z0-9]{16}$/, '/{id}')}`));
		expect([...paths].sort()).toEqual(
			[
				'GET /download/content/data/{id}',
				'GET /download/reporting_data/{id}',
				'GET /export/content/data/{id}',
				'GET /export/reporting_data/get_datasets',
				'GET /export/reporting_data/{id}',
				'GET /me',
				'POST /export/cancel/{id}',
				'POST /export/content/data',
				'POST /export/reporting_data/enqueue',
			].sort(),
		);
		const problems = fake.requests
			.map((entry) => ({ entry, result: validateAgainstSpec(entry) }))
			.filter(({ result }) => !result.ok)
			.map(({ entry, result }) => `${entry.method} ${entry.path} → ${result.errors.join('; ')}`);
		expect(problems).toEqual([]);
		for (const entry of fake.requests) {
			expect(entry.headers['intercom-version']).toBe(apiVersion);
			if (entry.path.startsWith('/download/')) expect(entry.headers.accept).toBe('application/octet-stream');
		}
	});
});
