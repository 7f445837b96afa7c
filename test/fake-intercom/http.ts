// Route plumbing shared by the route files: request context, replies, small parsing helpers.

import type { FakeWorkspace } from './workspace';
import { badRequest } from './errors';

export interface ExportScript {
	outcome: 'completed' | 'no_data' | 'failed' | 'canceled';
	pollsPerState: number;
	/** `gzip-csv`: one gzipped CSV (default); `tar-gz`: several CSVs in a gzipped tar; `zip`: the same CSVs in a ZIP; `corrupt`: a gzip whose data is damaged. */
	format: 'gzip-csv' | 'tar-gz' | 'zip' | 'corrupt';
	/** Content download: instead of the workspace's receipts, about this many bytes of generated gzip CSV, streamed (benchmarks). */
	syntheticBytes?: number;
	/** Content download: the next N downloads of each job break (socket destroyed) after `breakAfterBytes` bytes. */
	breakDownloads?: number;
	/** Default 1000. */
	breakAfterBytes?: number;
}

export interface ExportJob {
	id: string;
	kind: 'content' | 'reporting';
	status: 'pending' | 'in_progress' | 'completed' | 'no_data' | 'failed' | 'canceled';
	createdAfter: number;
	createdBefore: number;
	polls: number;
	script: ExportScript;
	completedAt?: number;
	expiresAt?: number;
	/** Reporting export only. */
	datasetId?: string;
	attributeIds?: string[];
}

/** Mutable server state that routes may touch besides the workspace. */
export interface ServerState {
	ws: FakeWorkspace;
	exportJobs: Map<string, ExportJob>;
	exportScript: ExportScript;
	jobCounter: number;
	now: () => number; // ms
}

export interface Ctx {
	method: string;
	path: string;
	params: Record<string, string>;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: unknown;
	version: string;
	baseUrl: string;
	state: ServerState;
	requestId: string;
	nowSec: number;
}

export interface Reply {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Binary body (downloads); `body` is ignored when set. */
	raw?: Buffer;
	/** Streamed binary body (large downloads); set `content-length` in headers when known. Wins over raw/body. */
	stream?: import('node:stream').Readable;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
	method: string;
	/** Path template such as `/contacts/:id/tags`. */
	path: string;
	handler: Handler;
}

export interface CompiledRoute extends Route {
	regex: RegExp;
	names: string[];
}

export function compileRoute(r: Route): CompiledRoute {
	const names: string[] = [];
	const source = r.path
		.split('/')
		.map((seg) => {
			if (seg.startsWith(':')) {
				names.push(seg.slice(1));
				return '([^/]+)';
			}
			return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { ...r, regex: new RegExp(`^${source}/?$`), names };
}

const VERSION_ORDER = (v: string): number => {
	if (v === 'Unstable' || v === 'Preview') return 1e6;
	const [major, minor] = v.split('.').map(Number);
	return major * 1000 + minor;
};

/** True when the requested API version is `v` or newer (Unstable/Preview count as newest). */
export function versionAtLeast(version: string, v: string): boolean {
	return VERSION_ORDER(version) >= VERSION_ORDER(v);
}

export function intParam(
	raw: unknown,
	name: string,
	opts: { def: number; min: number; max: number },
): number {
	if (raw === undefined || raw === null || raw === '') return opts.def;
	const n = typeof raw === 'number' ? raw : Number(raw);
	if (!Number.isInteger(n) || n < opts.min || n > opts.max) {
		throw badRequest(`${name} must be an integer between ${opts.min} and ${opts.max}`);
	}
	return n;
}

/** A plain-text rendering of HTML bodies for `display_as=plaintext`. */
export function toPlainText(html: string | null): string | null {
	if (html === null) return null;
	return html
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/p>\s*<p>/gi, '\n')
		.replace(/<[^>]+>/g, '')
		.trim();
}
