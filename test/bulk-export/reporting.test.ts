// Reporting data export (2.14+): datasets, enqueue, status (Intercom says "complete"), download.
import { describe, expect, it } from 'vitest';
import { collectExportRows, ExportError, getExportStatus, listReportingDatasets, startReportingExport, waitForExport } from '../../src/bulk-export';
import { IntercomInputError } from '../../src/intercom';
import { rejectionOf, useFake } from '../intercom/helpers';
import { FAST, LAST_YEAR } from './helpers';

const h = useFake({ seed: 7 });

describe('reporting data export', () => {
	it('lists datasets with their attribute ids', async () => {
		const ds = await listReportingDatasets(h.gw());
		const conv = ds.find((d) => d.id === 'conversation');
		expect(conv?.defaultTimeAttributeId).toBe('conversation_started_at');
		expect(conv?.attributes.map((a) => a.id)).toContain('conversation_id');
	});

	it('enqueues, polls to completed and downloads rows with the chosen attributes', async () => {
		const gw = h.gw();
		const job = await startReportingExport(gw, { datasetId: 'conversation', attributeIds: ['conversation_id', 'conversation_state'], ...LAST_YEAR() });
		expect(job).toMatchObject({ kind: 'reporting', status: 'pending', appId: h.fake.workspace.fixtures.appIdCode });
		const done = await waitForExport(gw, job, FAST);
		expect(done.status).toBe('completed');
		const again = await getExportStatus(gw, { kind: 'reporting', jobIdentifier: job.jobIdentifier });
		expect(again.status).toBe('completed');
		const result = await collectExportRows(gw, done);
		expect(result.rows.length).toBeGreaterThan(10);
		expect(Object.keys(result.rows[0].values)).toEqual(['conversation_id', 'conversation_state']);
		const statusCall = h.fake.requests.find((r) => r.path === `/export/reporting_data/${job.jobIdentifier}`);
		expect(statusCall?.query).toMatchObject({ app_id: h.fake.workspace.fixtures.appIdCode, job_identifier: job.jobIdentifier });
	});

	it('checks dataset, attributes and dates before any request', async () => {
		const gw = h.gw();
		expect(((await rejectionOf(startReportingExport(gw, { datasetId: 'conversation', attributeIds: [], ...LAST_YEAR() }))) as IntercomInputError).field).toBe('attributeIds');
		expect(((await rejectionOf(startReportingExport(gw, { datasetId: '', attributeIds: ['x'], ...LAST_YEAR() }))) as IntercomInputError).field).toBe('datasetId');
		expect(((await rejectionOf(startReportingExport(gw, { datasetId: 'conversation', attributeIds: ['x'], from: '2026-01-02', to: '2026-01-01' }))) as IntercomInputError).field).toBe('from');
		expect(h.fake.requests).toHaveLength(0);
	});

	it('the sixth pending job gets a clear message', async () => {
		const gw = h.gw();
		for (let i = 0; i < 5; i++) await startReportingExport(gw, { datasetId: 'conversation', attributeIds: ['conversation_id'], ...LAST_YEAR() });
		const e = await rejectionOf(startReportingExport(gw, { datasetId: 'conversation', attributeIds: ['conversation_id'], ...LAST_YEAR() }));
		expect((e as ExportError).code).toBe('export_already_running');
	});
});
