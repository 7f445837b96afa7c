/**
 * Start, inspect and cancel export jobs. Content export through the SDK (`dataExport.*`),
 * reporting export through raw JSON calls (the SDK's status call insists on a `client_id` we fill
 * ourselves and its types stop short of the 2.16 fields). Everything goes through the gateway:
 * pacing, retries (never for the job-creating POSTs on 429) and PII-free errors.
 */
import type { Intercom } from 'intercom-client';
import { IntercomApiError, IntercomInputError } from '../intercom';
import type { IntercomGateway } from '../intercom';
import { toUnixRange } from './dates';
import { ExportError } from './errors';
import { TERMINAL_STATUSES } from './types';
import type { DayRange, ExportJob, ExportJobRef, ExportKind, ExportStatus, ReportingDataset } from './types';

const STATUSES: readonly ExportStatus[] = ['pending', 'in_progress', 'completed', 'no_data', 'failed', 'canceled'];

interface RawJob {
	job_identifier?: string;
	status?: string;
	download_url?: string;
	download_expires_at?: string | number;
}

/** Intercom sends `download_expires_at` as UNIX seconds (often as a string) or a date string. */
function expiresAt(v: unknown): string | undefined {
	if (v === undefined || v === null || v === '') return undefined;
	const n = typeof v === 'number' ? v : /^\d+$/.test(String(v).trim()) ? Number(v) : undefined;
	const t = n !== undefined ? n * 1000 : Date.parse(String(v));
	return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

export function toExportJob(kind: ExportKind, raw: RawJob, fallbackId?: string, appId?: string): ExportJob {
	const rawStatus = String(raw.status ?? '').toLowerCase();
	const normalised = rawStatus === 'complete' ? 'completed' : rawStatus === 'cancelled' ? 'canceled' : rawStatus;
	const status = (STATUSES as readonly string[]).includes(normalised) ? (normalised as ExportStatus) : undefined;
	const jobIdentifier = raw.job_identifier ?? fallbackId;
	if (!status || !jobIdentifier) {
		throw new IntercomApiError({
			code: 'unexpected_export_status',
			retryable: false,
			operation: `${kind} export`,
			detail: 'the job has no identifier or an unknown status',
		});
	}
	const job: ExportJob = {
		kind,
		jobIdentifier,
		status,
		terminal: TERMINAL_STATUSES.includes(status),
		downloadUrl: typeof raw.download_url === 'string' ? raw.download_url : '',
		downloadExpiresAt: expiresAt(raw.download_expires_at),
	};
	if (appId !== undefined) job.appId = appId;
	return job;
}

function checkJobId(ref: ExportJobRef | string): string {
	const id = typeof ref === 'string' ? ref : ref?.jobIdentifier;
	if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(id.trim())) {
		throw new IntercomInputError('jobIdentifier', 'it is empty or not an export job identifier', 'Pass the job_identifier returned by the Start operation.');
	}
	return id.trim();
}

function alreadyRunning(e: unknown, kind: ExportKind): unknown {
	if (e instanceof IntercomApiError && e.status === 429) {
		return kind === 'content'
			? new ExportError(
					'export_already_running',
					'Another content export is running in this Intercom workspace (Intercom allows one at a time); cancel it or wait',
					'Wait until the running export finishes, or cancel it with Bulk Export → Cancel (its job identifier is in the output of the Start that created it), then start again.',
				)
			: new ExportError(
					'export_already_running',
					'Five reporting exports are already pending in this Intercom workspace; cancel one or wait',
					'Wait until one of the pending reporting exports finishes, then start again.',
				);
	}
	return e;
}

// ---------------------------------------------------------------------------------------------
// Content export
// ---------------------------------------------------------------------------------------------

export interface StartContentExportOptions {
	/** Clock for "not in the future" (tests). */
	now?: () => number;
}

/** POST /export/content/data for whole days `from`…`to` (inclusive). Checks the range before any call. */
export async function startContentExport(gw: IntercomGateway, range: DayRange, opts: StartContentExportOptions = {}): Promise<ExportJob> {
	const { after, before } = toUnixRange(range, opts.now);
	try {
		const raw = await gw.call('dataExport.create', (sdk, req) => sdk.dataExport.create({ created_at_after: after, created_at_before: before }, req));
		return toExportJob('content', raw as RawJob);
	} catch (e) {
		throw alreadyRunning(e, 'content');
	}
}

/** Status of a content or reporting job (`kind` defaults to content). */
export async function getExportStatus(gw: IntercomGateway, ref: ExportJobRef | string): Promise<ExportJob> {
	const id = checkJobId(ref);
	const kind = typeof ref === 'string' ? 'content' : (ref.kind ?? 'content');
	if (kind === 'reporting') {
		const appId = await reportingAppId(gw, typeof ref === 'string' ? undefined : ref.appId);
		const res = await gw.request<RawJob>('GET', `/export/reporting_data/${encodeURIComponent(id)}`, {
			// The spec wants both ids as query parameters besides the path; client_id is the app here.
			query: { app_id: appId, client_id: appId, job_identifier: id },
		});
		return toExportJob('reporting', res.data, id, appId);
	}
	const raw = await gw.call('dataExport.find', (sdk, req) => sdk.dataExport.find({ job_identifier: id }, req));
	return toExportJob('content', raw as RawJob, id);
}

/** POST /export/cancel/{id} (content export; Intercom has no cancel for reporting jobs). */
export async function cancelExport(gw: IntercomGateway, ref: ExportJobRef | string): Promise<ExportJob> {
	const id = checkJobId(ref);
	if (typeof ref !== 'string' && ref.kind === 'reporting') {
		throw new IntercomInputError('kind', 'Intercom cannot cancel reporting exports', 'Let the reporting job finish; it does not block other exports.');
	}
	const raw = await gw.call('dataExport.cancel', (sdk, req) => sdk.dataExport.cancel({ job_identifier: id }, req));
	return toExportJob('content', raw as RawJob, id);
}

// ---------------------------------------------------------------------------------------------
// Reporting data export (2.14+)
// ---------------------------------------------------------------------------------------------

const appIds = new WeakMap<IntercomGateway, Promise<string>>();

/** The workspace's app id (`GET /me` → app.id_code), asked once per gateway. */
export async function reportingAppId(gw: IntercomGateway, given?: string): Promise<string> {
	if (given && given.trim() !== '') return given.trim();
	let p = appIds.get(gw);
	if (!p) {
		p = gw.me().then((me) => {
			const id = (me as Intercom.AdminWithApp).app?.id_code;
			if (!id) throw new IntercomApiError({ code: 'no_app_id', retryable: false, operation: 'admins.identify', detail: 'the app has no id' });
			return id;
		});
		p.catch(() => appIds.delete(gw));
		appIds.set(gw, p);
	}
	return p;
}

interface RawDataset {
	id?: string;
	name?: string;
	description?: string;
	default_time_attribute_id?: string;
	attributes?: Array<{ id?: string; name?: string }>;
}

/** GET /export/reporting_data/get_datasets: what can be exported and its attribute ids. */
export async function listReportingDatasets(gw: IntercomGateway): Promise<ReportingDataset[]> {
	const res = await gw.request<{ data?: RawDataset[] }>('GET', '/export/reporting_data/get_datasets');
	return (res.data.data ?? [])
		.filter((d): d is RawDataset & { id: string } => typeof d.id === 'string')
		.map((d) => ({
			id: d.id,
			name: d.name ?? d.id,
			description: d.description,
			defaultTimeAttributeId: d.default_time_attribute_id,
			attributes: (d.attributes ?? []).filter((a) => typeof a.id === 'string').map((a) => ({ id: a.id as string, name: a.name ?? (a.id as string) })),
		}));
}

export interface StartReportingExportInput extends DayRange {
	datasetId: string;
	attributeIds: string[];
}

/** POST /export/reporting_data/enqueue for whole days `from`…`to` (inclusive). */
export async function startReportingExport(
	gw: IntercomGateway,
	input: StartReportingExportInput,
	opts: StartContentExportOptions & { appId?: string } = {},
): Promise<ExportJob> {
	if (typeof input?.datasetId !== 'string' || input.datasetId.trim() === '') {
		throw new IntercomInputError('datasetId', 'it is empty', 'Pick a dataset (List Datasets shows them, e.g. "conversation").');
	}
	const attributeIds = Array.isArray(input.attributeIds) ? input.attributeIds.map((a) => String(a).trim()).filter((a) => a !== '') : [];
	if (attributeIds.length === 0) {
		throw new IntercomInputError('attributeIds', 'no attribute is chosen', 'Pick at least one attribute of the dataset (List Datasets shows their ids).');
	}
	const { after, before } = toUnixRange(input, opts.now);
	let raw: RawJob;
	try {
		const res = await gw.request<RawJob>('POST', '/export/reporting_data/enqueue', {
			body: { dataset_id: input.datasetId.trim(), attribute_ids: attributeIds, start_time: after, end_time: before },
		});
		raw = res.data;
	} catch (e) {
		throw alreadyRunning(e, 'reporting');
	}
	const appId = await reportingAppId(gw, opts.appId);
	return toExportJob('reporting', raw, undefined, appId);
}
