// Bulk exports. Content export (message engagement data): one active job per workspace (429),
// states advance on each status poll: pending → in_progress → completed | no_data | failed |
// canceled (scripted with scriptExport), download needs Accept: application/octet-stream (406
// otherwise) and returns gzip; it expires 2 days after completion (404 afterwards).
// Reporting export (/export/reporting_data/*, 2.14+) follows the same job life cycle.
// Also the signed, expiring file URLs of file custom attributes (/files/...).

import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import { csv, tar } from '../archive';
import { HttpError, badRequest, notFound } from '../errors';
import type { Ctx, ExportJob, Route } from '../http';
import { createRng } from '../prng';
import { fileSignature } from '../serialize';
import type { FileAttribute } from '../workspace';

export const DOWNLOAD_TTL_SECONDS = 2 * 86_400;

function newJob(ctx: Ctx, kind: ExportJob['kind'], after: number, before: number): ExportJob {
	ctx.state.jobCounter += 1;
	const id = createRng(ctx.state.ws.seed * 7919 + ctx.state.jobCounter).alnum(16);
	const job: ExportJob = { id, kind, status: 'pending', createdAfter: after, createdBefore: before, polls: 0, script: { ...ctx.state.exportScript } };
	ctx.state.exportJobs.set(id, job);
	return job;
}

function rowsFor(ctx: Ctx, job: ExportJob): number {
	return ctx.state.ws.receipts.filter((r) => r.receivedAt >= job.createdAfter && r.receivedAt <= job.createdBefore).length;
}

/** One status poll: advance the job through its scripted life cycle. */
function poll(ctx: Ctx, job: ExportJob): void {
	if (job.status !== 'pending' && job.status !== 'in_progress') return;
	job.polls += 1;
	const n = job.script.pollsPerState;
	const stage = n <= 0 ? 2 : Math.floor(job.polls / n);
	if (stage === 0) return;
	if (stage === 1) {
		job.status = 'in_progress';
		return;
	}
	let outcome = job.script.outcome;
	if (outcome === 'completed' && job.kind === 'content' && job.script.syntheticBytes === undefined && rowsFor(ctx, job) === 0) outcome = 'no_data';
	job.status = outcome;
	if (outcome === 'completed') {
		job.completedAt = ctx.nowSec;
		job.expiresAt = ctx.nowSec + DOWNLOAD_TTL_SECONDS;
	}
}

function jobJson(ctx: Ctx, job: ExportJob): Record<string, unknown> {
	const done = job.status === 'completed';
	const path = job.kind === 'content' ? `/download/content/data/${job.id}` : `/download/reporting_data/${job.id}`;
	return {
		job_identifier: job.id,
		status: job.kind === 'reporting' && done ? 'complete' : job.status,
		download_url: done ? `${ctx.baseUrl}${path}` : '',
		download_expires_at: done ? String(job.expiresAt) : '',
	};
}

function requireJob(ctx: Ctx, id: string, kind: ExportJob['kind']): ExportJob {
	const job = ctx.state.exportJobs.get(id);
	if (!job || job.kind !== kind) throw notFound(`Export job not found for identifier: ${id}`);
	return job;
}

function requireOctetStream(ctx: Ctx): void {
	if (!(ctx.headers.accept ?? '').toLowerCase().includes('application/octet-stream')) {
		throw new HttpError(406, 'not_acceptable', 'This endpoint requires the header Accept: application/octet-stream');
	}
}

function downloadable(ctx: Ctx, job: ExportJob): void {
	if (job.status !== 'completed' || job.expiresAt === undefined || job.expiresAt < ctx.nowSec) {
		throw notFound('Export not available for download');
	}
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t * 1000).toISOString());

function contentArchive(ctx: Ctx, job: ExportJob): Buffer {
	const ws = ctx.state.ws;
	const receipts = ws.receipts
		.filter((r) => r.receivedAt >= job.createdAfter && r.receivedAt <= job.createdBefore)
		.sort((a, b) => a.receivedAt - b.receivedAt);
	const who = (id: string): [string, string | null, string | null] => {
		const c = ws.contacts.get(id);
		return [id, c?.externalId ?? null, c?.email ?? null];
	};
	if (job.script.format === 'tar-gz' || job.script.format === 'zip') {
		const head = ['user_id', 'user_external_id', 'user_email', 'content_id', 'content_type', 'content_title'];
		const files = [
			{ name: 'receipts.csv', rows: receipts.map((r) => [...who(r.contactId), r.contentId, r.contentType, r.contentTitle, iso(r.receivedAt)]), col: 'received_at' },
			{ name: 'opens.csv', rows: receipts.filter((r) => r.openedAt).map((r) => [...who(r.contactId), r.contentId, r.contentType, r.contentTitle, iso(r.openedAt)]), col: 'opened_at' },
			{ name: 'clicks.csv', rows: receipts.filter((r) => r.clickedAt).map((r) => [...who(r.contactId), r.contentId, r.contentType, r.contentTitle, iso(r.clickedAt)]), col: 'clicked_at' },
		].map((f) => ({ name: f.name, content: csv([[...head, f.col], ...f.rows]) }));
		if (job.script.format === 'zip') {
			return Buffer.from(zipSync(Object.fromEntries(files.map((f) => [f.name, strToU8(f.content)])), { mtime: new Date((job.completedAt ?? ctx.nowSec) * 1000) }));
		}
		return gzipSync(tar(files, job.completedAt ?? ctx.nowSec));
	}
	const rows = receipts.map((r) => [...who(r.contactId), r.contentId, r.contentType, r.contentTitle, iso(r.receivedAt), iso(r.openedAt), iso(r.clickedAt)]);
	const gz = gzipSync(
		csv([['user_id', 'user_external_id', 'user_email', 'content_id', 'content_type', 'content_title', 'received_at', 'opened_at', 'clicked_at'], ...rows]),
	);
	if (job.script.format === 'corrupt') {
		// Valid gzip header, damaged deflate data: readers must fail, not return garbage.
		for (let i = 12; i < gz.length - 8; i++) gz[i] ^= 0x5a;
	}
	return gz;
}

// Synthetic exports for benchmarks: a gzip stream of many members (concatenated gzip members are
// one valid gzip file). One block of generated rows is compressed once per seed and repeated, so
// serving 500 MB costs neither memory nor CPU in the fake, and the bytes are deterministic.
const SYNTHETIC_HEAD = 'receipt_id,user_id,user_external_id,user_email,content_id,content_type,content_title,received_at,opened_at\n';
const syntheticBlocks = new Map<number, Buffer>();

function syntheticBlock(seed: number): Buffer {
	let block = syntheticBlocks.get(seed);
	if (!block) {
		const rng = createRng(seed * 31 + 17);
		const lines: string[] = [];
		let size = 0;
		for (let i = 0; size < 2_000_000; i++) {
			const t = 1_700_000_000 + rng.int(0, 30_000_000);
			const line = `${rng.alnum(20)},${rng.alnum(24)},ext-${rng.alnum(12)},user${rng.int(0, 9_999_999)}@example.com,${rng.int(1, 99_999)},email,Campaign ${rng.alnum(8)},${new Date(t * 1000).toISOString()},${rng.chance(0.4) ? new Date((t + rng.int(60, 86_400)) * 1000).toISOString() : ''}\n`;
			lines.push(line);
			size += line.length;
		}
		block = gzipSync(lines.join(''), { level: 6 });
		syntheticBlocks.set(seed, block);
	}
	return block;
}

function syntheticExport(seed: number, targetBytes: number): { stream: () => Readable; length: number } {
	const head = gzipSync(SYNTHETIC_HEAD);
	const block = syntheticBlock(seed);
	const count = Math.max(1, Math.round((targetBytes - head.length) / block.length));
	return {
		length: head.length + count * block.length,
		stream: () =>
			Readable.from(
				(function* () {
					yield head;
					for (let i = 0; i < count; i++) yield block;
				})(),
				{ objectMode: false },
			),
	};
}

/** Serves the archive whole, or breaks the connection after `after` bytes (a broken download). */
function breaking(source: Readable, after: number): Readable {
	return Readable.from(
		(async function* () {
			let sent = 0;
			for await (const chunk of source) {
				const buf = chunk as Buffer;
				if (sent + buf.length >= after) {
					yield buf.subarray(0, Math.max(0, after - sent));
					source.destroy();
					throw new Error('fake: download broken on purpose');
				}
				sent += buf.length;
				yield buf;
			}
		})(),
		{ objectMode: false },
	);
}

const DATASETS = [
	{
		id: 'conversation',
		name: 'Conversation',
		description: 'Conversation-level details: status, channel, assignee.',
		default_time_attribute_id: 'conversation_started_at',
		attributes: [
			{ id: 'conversation_id', name: 'Conversation ID' },
			{ id: 'conversation_started_at', name: 'Started at' },
			{ id: 'conversation_state', name: 'State' },
			{ id: 'contact_id', name: 'Contact ID' },
		],
	},
];

function reportingArchive(ctx: Ctx, job: ExportJob): Buffer {
	const attrs = job.attributeIds ?? [];
	const convs = [...ctx.state.ws.conversations.values()]
		.filter((c) => c.createdAt >= job.createdAfter && c.createdAt <= job.createdBefore)
		.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
	const value = (c: (typeof convs)[number], a: string): string | number | null =>
		a === 'conversation_id' ? c.id : a === 'conversation_started_at' ? iso(c.createdAt) : a === 'conversation_state' ? c.state : (c.contactIds[0] ?? null);
	return gzipSync(csv([attrs, ...convs.map((c) => attrs.map((a) => value(c, a)))]));
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const exportRoutes: Route[] = [
	{
		method: 'POST',
		path: '/export/content/data',
		handler: (ctx) => {
			const body = (ctx.body ?? {}) as Record<string, unknown>;
			const { created_at_after: after, created_at_before: before } = body;
			if (!isInt(after) || !isInt(before)) throw badRequest('created_at_after and created_at_before must be UNIX timestamps');
			if (after > before) throw badRequest('created_at_after must not be later than created_at_before');
			const active = [...ctx.state.exportJobs.values()].some((j) => j.kind === 'content' && (j.status === 'pending' || j.status === 'in_progress'));
			if (active) throw new HttpError(429, 'rate_limit_exceeded', 'Exceeded rate limit of 1 pending message data export jobs');
			return { body: jobJson(ctx, newJob(ctx, 'content', after, before)) };
		},
	},
	{
		method: 'GET',
		path: '/export/content/data/:id',
		handler: (ctx) => {
			const job = requireJob(ctx, ctx.params.id, 'content');
			poll(ctx, job);
			return { body: jobJson(ctx, job) };
		},
	},
	{
		method: 'POST',
		path: '/export/cancel/:id',
		handler: (ctx) => {
			const job = requireJob(ctx, ctx.params.id, 'content');
			if (job.status === 'pending' || job.status === 'in_progress') job.status = 'canceled';
			return { body: jobJson(ctx, job) };
		},
	},
	{
		method: 'GET',
		path: '/download/content/data/:id',
		handler: (ctx) => {
			requireOctetStream(ctx);
			const job = requireJob(ctx, ctx.params.id, 'content');
			downloadable(ctx, job);
			const ext = { 'tar-gz': 'tar.gz', zip: 'zip', 'gzip-csv': 'csv.gz', corrupt: 'csv.gz' }[job.script.format];
			const headers = {
				'content-type': 'application/octet-stream',
				'content-disposition': `attachment; filename="content-export-${job.id}.${ext}"`,
			};
			const breakNow = (job.script.breakDownloads ?? 0) > 0;
			if (breakNow) job.script.breakDownloads = (job.script.breakDownloads ?? 0) - 1;
			if (job.script.syntheticBytes === undefined && !breakNow) return { raw: contentArchive(ctx, job), headers };
			let body: { stream: () => Readable; length: number };
			if (job.script.syntheticBytes !== undefined) {
				body = syntheticExport(ctx.state.ws.seed, job.script.syntheticBytes);
			} else {
				const raw = contentArchive(ctx, job);
				body = { stream: () => Readable.from([raw], { objectMode: false }), length: raw.length };
			}
			const stream = breakNow ? breaking(body.stream(), job.script.breakAfterBytes ?? 1000) : body.stream();
			return { stream, headers: { ...headers, 'content-length': String(body.length) } };
		},
	},
	{
		method: 'GET',
		path: '/export/reporting_data/get_datasets',
		handler: () => ({ body: { type: 'list', data: DATASETS } }),
	},
	{
		method: 'POST',
		path: '/export/reporting_data/enqueue',
		handler: (ctx) => {
			const body = (ctx.body ?? {}) as Record<string, unknown>;
			for (const k of ['dataset_id', 'attribute_ids', 'start_time', 'end_time']) {
				if (body[k] === undefined) throw badRequest(`'${k}' is a required parameter`, 'bad_request');
			}
			const ds = DATASETS.find((d) => d.id === body.dataset_id);
			if (!ds) throw badRequest(`${String(body.dataset_id)} is not a valid dataset_id`, 'bad_request');
			const ids = body.attribute_ids;
			if (!Array.isArray(ids)) throw badRequest("'attribute_ids' not an array must be of type Array", 'bad_request');
			if (ids.length === 0) throw badRequest('attribute_ids must contain at least one attribute_id', 'bad_request');
			const bad = ids.filter((a) => !ds.attributes.some((x) => x.id === a));
			if (bad.length) throw badRequest(`attribute_ids invalid for ${ds.id} dataset: ${bad.join(', ')}`, 'bad_request');
			if (!isInt(body.start_time) || !isInt(body.end_time)) throw badRequest('start_time and end_time must be UNIX timestamps', 'bad_request');
			const active = [...ctx.state.exportJobs.values()].filter((j) => j.kind === 'reporting' && (j.status === 'pending' || j.status === 'in_progress'));
			if (active.length >= 5) throw new HttpError(429, 'rate_limit_exceeded', 'Exceeded rate limit of 5 pending reporting dataset export jobs');
			const job = newJob(ctx, 'reporting', body.start_time, body.end_time);
			job.datasetId = ds.id;
			job.attributeIds = ids as string[];
			return { body: jobJson(ctx, job) };
		},
	},
	{
		method: 'GET',
		path: '/export/reporting_data/:id',
		handler: (ctx) => {
			// The spec declares job_identifier both in the path and as a query parameter; the path wins.
			if (!ctx.query.app_id || ctx.query.app_id !== ctx.state.ws.app.idCode) throw badRequest('app_id is required and must be this workspace', 'bad_request');
			const job = requireJob(ctx, ctx.params.id, 'reporting');
			poll(ctx, job);
			return { body: jobJson(ctx, job) };
		},
	},
	{
		method: 'GET',
		path: '/download/reporting_data/:id',
		handler: (ctx) => {
			requireOctetStream(ctx);
			if (!ctx.query.app_id || ctx.query.app_id !== ctx.state.ws.app.idCode) throw badRequest('app_id is required and must be this workspace', 'bad_request');
			const job = requireJob(ctx, ctx.params.id, 'reporting');
			downloadable(ctx, job);
			return {
				raw: reportingArchive(ctx, job),
				headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="report-${job.id}.csv.gz"` },
			};
		},
	},
];

function findFile(ctx: Ctx, fileId: string): FileAttribute | undefined {
	for (const c of ctx.state.ws.contacts.values()) {
		for (const v of Object.values(c.customAttributes)) if (v !== null && typeof v === 'object' && v.fileId === fileId) return v;
	}
	for (const t of ctx.state.ws.tickets.values()) if (t.attachment?.fileId === fileId) return t.attachment;
	for (const c of ctx.state.ws.conversations.values()) {
		for (const p of c.parts) for (const a of p.attachments) if (a.fileId === fileId) return a;
	}
	return undefined;
}

/** Signed file URLs need no token (like Intercom's CDN links) but stop working after 30 minutes. */
export const fileRoutes: Route[] = [
	{
		method: 'GET',
		path: '/files/:fileId/:name',
		handler: (ctx) => {
			const f = findFile(ctx, ctx.params.fileId);
			const expires = Number(ctx.query.expires);
			if (!f || ctx.query.signature !== fileSignature(ctx.params.fileId, expires)) throw notFound('File not found');
			if (!(expires >= ctx.nowSec)) throw new HttpError(403, 'forbidden', 'Request has expired');
			return { raw: Buffer.from(f.content, 'utf8'), headers: { 'content-type': f.contentType } };
		},
	},
];
