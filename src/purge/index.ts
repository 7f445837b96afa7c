/**
 * n8n's own copies: the executions of a privacy workflow hold what it handled (the DSAR JSON, the
 * ZIP, the receipt). `purgeN8nExecutions` deletes them through n8n's public API (`/api/v1`, header
 * `X-N8N-API-KEY`, scopes execution:list, execution:read, execution:delete): the executions of the
 * given workflows that started more than N days ago, or whose data mentions a request id (or both
 * criteria: then an execution must meet both). A dry run lists what would go and deletes nothing.
 * A real purge is recorded in the audit ledger as `n8n.executions.purged` (ids and counts only).
 *
 * Never deleted: executions still running, waiting or new (n8n is not done with them).
 */
import { GdprError } from '../util/errors';
import { isLoopbackHost } from '../intercom/regions';
import { settle } from '../util/settle';
import type { Ledger } from '../ledger';
import { isRequestId } from '../ledger/entries';

export interface N8nApiOptions {
	/** n8n's base URL, e.g. https://n8n.example.com or http://localhost:5678 (http only for this machine). */
	baseUrl: string;
	/** An n8n API key (Settings → n8n API) with execution:list, execution:read and execution:delete. */
	apiKey: string;
	fetch?: typeof fetch;
	/** Per request; default 30 000. */
	timeoutMs?: number;
}

export interface PurgeCriteria {
	/** n8n workflow ids whose executions are purged (at least one). */
	workflowIds: string[];
	/** Executions that started more than this many days ago (0 = every finished one). */
	olderThanDays?: number;
	/** Executions whose stored data mentions this request id (as a whole token). */
	requestId?: string;
	/** List only (default true): nothing is deleted, nothing recorded. */
	dryRun?: boolean;
	/** Where a real purge is recorded; required unless dryRun. */
	ledger?: Ledger;
	now?: () => Date;
}

export interface PurgeResult {
	dryRun: boolean;
	workflowIds: string[];
	olderThanDays: number | null;
	requestId: string | null;
	/** ISO time: executions started before it match the age criterion (null without one). */
	startedBefore: string | null;
	/** Executions that match (and are finished). */
	matched: number;
	executionIds: string[];
	/** Skipped because they are still running / waiting. */
	skippedUnfinished: number;
	deleted: number;
	/** Gone already when we tried (404): another purge or n8n's own pruning got there first. */
	alreadyGone: number;
	failed: Array<{ executionId: string; status: number | null }>;
	/** The ledger entry of a real purge. */
	ledger: { seq: number; hash: string } | null;
}

/** Bad input, found before any request: names the field and how to fix it. */
export class PurgeInputError extends GdprError {
	declare readonly field: string;
	constructor(field: string, problem: string, fix: string) {
		super(`Invalid ${field}: ${problem}. ${fix}`, { code: 'bad_input', field, fix });
		this.name = 'PurgeInputError';
	}
}

/** n8n's public API refused or failed. No key, no execution data in the message. */
export class N8nApiError extends GdprError {
	constructor(
		readonly status: number | null,
		readonly operation: string,
		detail: string,
	) {
		super(`n8n's public API ${status === null ? 'could not be reached' : `answered ${status}`} on ${operation}${detail ? `: ${detail}` : ''}`, {
			code: status === null ? 'unreachable' : `http_${status}`,
			fix: 'Check the n8n API credential: base URL, API key and its scopes (execution:list, execution:read, execution:delete).',
		});
		this.name = 'N8nApiError';
	}
}

const WORKFLOW_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PAGE = 250; // the public API's maximum
const UNFINISHED = new Set(['running', 'waiting', 'new', 'unknown']);
const DAY_MS = 86_400_000;

function checkApi(opts: N8nApiOptions): { base: string; apiKey: string; fetch: typeof fetch; timeoutMs: number } {
	const raw = typeof opts?.baseUrl === 'string' ? opts.baseUrl.trim() : '';
	if (!URL.canParse(raw)) throw new PurgeInputError('baseUrl', 'it is not a URL', "Give n8n's address, e.g. https://n8n.example.com or http://localhost:5678.");
	const url = new URL(raw);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PurgeInputError('baseUrl', 'it is not http(s)', 'Use https://…');
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw new PurgeInputError('baseUrl', 'plain http:// is only allowed for this machine (localhost, 127.0.0.1, ::1)', 'Use https://, or http://localhost:5678 when n8n calls itself.');
	}
	if (url.username || url.password || url.search || url.hash) throw new PurgeInputError('baseUrl', 'it holds credentials, a query or a fragment', 'Give only scheme, host, port and path.');
	const apiKey = typeof opts.apiKey === 'string' ? opts.apiKey.trim() : '';
	if (apiKey === '' || /\s/.test(apiKey)) throw new PurgeInputError('apiKey', 'it is empty or contains spaces', 'Create an API key in n8n (Settings → n8n API) and paste it.');
	const timeoutMs = opts.timeoutMs ?? 30_000;
	return { base: `${url.origin}${url.pathname}`.replace(/\/+$/, ''), apiKey, fetch: opts.fetch ?? ((i, init) => globalThis.fetch(i, init)), timeoutMs };
}

function checkCriteria(c: PurgeCriteria): { workflowIds: string[]; olderThanDays?: number; requestId?: string; dryRun: boolean } {
	const workflowIds = [...new Set((Array.isArray(c?.workflowIds) ? c.workflowIds : []).map((w) => String(w).trim()).filter((w) => w !== ''))];
	if (workflowIds.length === 0) throw new PurgeInputError('workflowIds', 'no workflow id was given', "Name the workflows whose executions hold personal data (the id is in the workflow's URL).");
	const bad = workflowIds.find((w) => !WORKFLOW_ID.test(w));
	if (bad !== undefined) throw new PurgeInputError('workflowIds', 'a workflow id has characters n8n ids do not have', 'Give ids like "aBc123XyZ", separated by commas.');
	const olderThanDays = c.olderThanDays === undefined || c.olderThanDays === null ? undefined : c.olderThanDays;
	if (olderThanDays !== undefined && (!Number.isInteger(olderThanDays) || olderThanDays < 0 || olderThanDays > 36_500)) {
		throw new PurgeInputError('olderThanDays', 'it must be a whole number of days from 0', 'E.g. 30; leave it empty to purge by request id only.');
	}
	const requestId = typeof c.requestId === 'string' && c.requestId.trim() !== '' ? c.requestId.trim() : undefined;
	if (c.requestId !== undefined && c.requestId !== null && typeof c.requestId !== 'string') throw new PurgeInputError('requestId', 'it is not text', 'Give the request id, e.g. DSAR-2026-0042.');
	if (requestId !== undefined && !isRequestId(requestId)) {
		throw new PurgeInputError('requestId', 'it may hold only letters, digits, _ . : - (at most 128)', 'Give the request id your workflows used, e.g. DSAR-2026-0042.');
	}
	if (olderThanDays === undefined && requestId === undefined) {
		throw new PurgeInputError('olderThanDays', 'neither an age nor a request id was given', 'Set "Older Than (Days)" or "Request ID" (or both): purging every execution is not what this is for.');
	}
	const dryRun = c.dryRun !== false;
	if (!dryRun && !c.ledger) throw new PurgeInputError('ledger', 'a real purge needs the audit ledger', 'Pass the ledger, or run with dryRun: true.');
	return { workflowIds, olderThanDays, requestId, dryRun };
}

interface ListedExecution {
	id: string | number;
	status?: string;
	finished?: boolean;
	startedAt?: string | null;
	data?: unknown;
}

/** Whole-token match: `DSR-1` must not match `DSR-10`. */
function mentions(data: unknown, requestId: string): boolean {
	if (data === undefined || data === null) return false;
	const text = typeof data === 'string' ? data : JSON.stringify(data);
	let from = 0;
	for (;;) {
		const i = text.indexOf(requestId, from);
		if (i < 0) return false;
		const before = i > 0 ? text[i - 1] : '';
		const after = text[i + requestId.length] ?? '';
		if (!/[A-Za-z0-9_.:-]/.test(before) && !/[A-Za-z0-9_.:-]/.test(after)) return true;
		from = i + 1;
	}
}

type ApiCall = (method: string, path: string, operation: string) => Promise<{ status: number; json: unknown }>;

/** One call to n8n's public API; the key goes in the header, never in an error. */
function apiCaller(cfg: ReturnType<typeof checkApi>): ApiCall {
	return async (method, path, operation) => {
		const sent = await settle(
			cfg.fetch(`${cfg.base}/api/v1${path}`, {
				method,
				headers: { 'X-N8N-API-KEY': cfg.apiKey, accept: 'application/json' },
				signal: AbortSignal.timeout(cfg.timeoutMs),
			}),
		);
		if (!sent.ok) throw new N8nApiError(null, operation, (sent.error as Error)?.name === 'TimeoutError' ? 'timed out' : 'connection failed');
		const res = sent.value;
		const text = await res.text();
		let json: unknown;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		return { status: res.status, json };
	};
}

/** The finished executions of the workflows that match (age, request id), page by page. */
async function listMatching(call: ApiCall, c: ReturnType<typeof checkCriteria>, startedBefore: string | undefined): Promise<{ matched: string[]; skippedUnfinished: number }> {
	const matched: string[] = [];
	let skippedUnfinished = 0;
	for (const workflowId of c.workflowIds) {
		let cursor: string | undefined;
		do {
			const q = new URLSearchParams({ workflowId, limit: String(PAGE) });
			if (startedBefore) q.set('startedBefore', startedBefore);
			if (c.requestId) q.set('includeData', 'true');
			if (cursor) q.set('cursor', cursor);
			const r = await call('GET', `/executions?${q.toString()}`, 'GET /executions');
			if (r.status !== 200) throw new N8nApiError(r.status, 'GET /executions', hint(r.status));
			const page = r.json as { data?: ListedExecution[]; nextCursor?: string | null };
			for (const e of page.data ?? []) {
				if (startedBefore && e.startedAt && Date.parse(e.startedAt) >= Date.parse(startedBefore)) continue;
				if (c.requestId && !mentions(e.data, c.requestId)) continue;
				if (e.status && UNFINISHED.has(e.status)) {
					skippedUnfinished++;
					continue;
				}
				matched.push(String(e.id));
			}
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
	}
	return { matched, skippedUnfinished };
}

/** Deletes the matched executions into `result`; the status of a refusal (401/403) stops the rest. */
async function deleteMatched(call: ApiCall, matched: string[], result: PurgeResult): Promise<number | undefined> {
	for (const id of matched) {
		const r = await call('DELETE', `/executions/${encodeURIComponent(id)}`, 'DELETE /executions/{id}').catch((e: N8nApiError) => ({ status: e.status ?? 0, json: undefined }));
		if (r.status === 200 || r.status === 204) result.deleted++;
		else if (r.status === 404) result.alreadyGone++;
		// The key may list but not delete: no point trying the rest.
		else if (r.status === 401 || r.status === 403) return r.status;
		else result.failed.push({ executionId: id, status: r.status || null });
	}
	return undefined;
}

export async function purgeN8nExecutions(api: N8nApiOptions, criteria: PurgeCriteria): Promise<PurgeResult> {
	const cfg = checkApi(api);
	const c = checkCriteria(criteria);
	const now = (criteria.now ?? (() => new Date()))();
	const startedBefore = c.olderThanDays === undefined ? undefined : new Date(now.getTime() - c.olderThanDays * DAY_MS).toISOString();
	const call = apiCaller(cfg);
	const { matched, skippedUnfinished } = await listMatching(call, c, startedBefore);
	const result: PurgeResult = {
		dryRun: c.dryRun,
		workflowIds: c.workflowIds,
		olderThanDays: c.olderThanDays ?? null,
		requestId: c.requestId ?? null,
		startedBefore: startedBefore ?? null,
		matched: matched.length,
		executionIds: matched,
		skippedUnfinished,
		deleted: 0,
		alreadyGone: 0,
		failed: [],
		ledger: null,
	};
	if (c.dryRun) return result;

	const refused = await deleteMatched(call, matched, result);
	if (refused !== undefined && result.deleted === 0) throw new N8nApiError(refused, 'DELETE /executions/{id}', hint(refused));
	const entry = await criteria.ledger!.append({
		type: 'n8n.executions.purged',
		requestId: c.requestId ?? `purge-${now.toISOString().replace(/[^0-9]/g, '').slice(0, 14)}`,
		data: {
			workflowIds: c.workflowIds,
			olderThanDays: c.olderThanDays ?? null,
			startedBefore: startedBefore ?? null,
			byRequestId: c.requestId !== undefined,
			matched: result.matched,
			deleted: result.deleted,
			alreadyGone: result.alreadyGone,
			failed: result.failed.length,
			executionIds: matched,
		},
	});
	result.ledger = { seq: entry.seq, hash: entry.hash };
	// Recorded what was deleted before the refusal; now say why the rest is still there.
	if (refused !== undefined) throw new N8nApiError(refused, 'DELETE /executions/{id}', `${hint(refused)} (${result.deleted} deleted and recorded in the ledger first)`);
	return result;
}

function hint(status: number): string {
	if (status === 401) return 'the API key is wrong or expired (Settings → n8n API)';
	if (status === 403) return 'the API key lacks a scope: it needs execution:list, execution:read and execution:delete';
	if (status === 404) return 'is the public API enabled (N8N_PUBLIC_API_DISABLED) and the base URL n8n itself?';
	return '';
}
