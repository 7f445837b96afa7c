// Fake Intercom: a real HTTP server on 127.0.0.1 that answers like Intercom's REST API for the
// endpoints this project uses. Tests start it in-process (startFakeIntercom); other processes use
// cli.ts and the unauthenticated control API under /__fake/. See README.md.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HttpError, defaultCode, errorList } from './errors';
import { compileRoute, type CompiledRoute, type Ctx, type ExportScript, type Reply, type ServerState } from './http';
import { adminRoutes } from './routes/admin';
import { dataAttributeRoutes } from './routes/attributes';
import { contactRoutes } from './routes/contacts';
import { conversationRoutes } from './routes/conversations';
import { eventRoutes } from './routes/events';
import { exportRoutes, fileRoutes } from './routes/export';
import { ticketRoutes } from './routes/tickets';
import { addErasureScenario } from './scenarios';
import { generateWorkspace, type FakeWorkspace } from './workspace';

export type { FakeWorkspace, Fixtures } from './workspace';
export { generateWorkspace, resolveMerge } from './workspace';
export type { ExportScript } from './http';
export { addErasureScenario } from './scenarios';
export type { ErasureScenario, ErasureScenarioOptions } from './scenarios';

export interface FakeIntercomOptions {
	seed?: number; // deterministic workspace generator seed; default 1
	token?: string; // the one accepted bearer token; default 'fake-intercom-token'
	port?: number; // default 0 = ephemeral; always binds 127.0.0.1
	rateLimitPerWindow?: number; // default 1000 (Intercom windows are 10 s)
	windowSeconds?: number; // default 10
	/** Clock in ms (default Date.now); lets tests move rate-limit windows and expiries forward. */
	now?: () => number;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: unknown;
	/** HTTP status sent; 0 when the connection was reset by a fault. */
	status: number;
	at: number;
}

export interface FaultSpec {
	count?: number;
	status?: number;
	code?: string;
	reset?: boolean;
	/** Handle the request normally (it takes effect), then cut the connection instead of answering: a lost answer. */
	dropAnswer?: boolean;
	latencyMs?: number;
	/** Answer 200 with a content-length, send the first 16 bytes, then never finish the body (a stalled download). */
	stallBody?: boolean;
	pathPattern?: string /* regex source tested against the path; default any */;
	method?: string;
}

export interface FakeIntercom {
	url: string;
	token: string;
	workspace: FakeWorkspace;
	requests: LoggedRequest[];
	failNext(spec: FaultSpec): void;
	squeezeRateLimit(perWindow: number): void;
	clearFaults(): void;
	reset(): void;
	close(): Promise<void>;
	/** How the next content/reporting export jobs behave (kept until changed or reset()). */
	scriptExport(script: Partial<ExportScript>): void;
	/** Make every completed export's download expire now (download then answers 404). */
	expireExports(): void;
}

export const SUPPORTED_VERSIONS = [
	'2.7', '2.8', '2.9', '2.10', '2.11', '2.12', '2.13', '2.14', '2.15', '2.16', 'Unstable', 'Preview',
];
export const DEFAULT_VERSION = '2.14';
export const DEFAULT_EXPORT_SCRIPT: ExportScript = { outcome: 'completed', pollsPerState: 1, format: 'gzip-csv' };

const ROUTES: CompiledRoute[] = [
	...adminRoutes,
	...contactRoutes,
	...conversationRoutes,
	...ticketRoutes,
	...eventRoutes,
	...exportRoutes,
	...dataAttributeRoutes,
].map(compileRoute);
const PUBLIC_ROUTES: CompiledRoute[] = fileRoutes.map(compileRoute);

interface ActiveFault extends FaultSpec {
	remaining: number;
	regex?: RegExp;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

export async function startFakeIntercom(opts: FakeIntercomOptions = {}): Promise<FakeIntercom> {
	const seed = opts.seed ?? 1;
	const token = opts.token ?? 'fake-intercom-token';
	const now = opts.now ?? Date.now;
	const windowMs = (opts.windowSeconds ?? 10) * 1000;
	const defaultLimit = opts.rateLimitPerWindow ?? 1000;

	const state: ServerState = {
		ws: generateWorkspace(seed, Math.floor(now() / 1000)),
		exportJobs: new Map(),
		exportScript: { ...DEFAULT_EXPORT_SCRIPT },
		jobCounter: 0,
		now,
	};
	let faults: ActiveFault[] = [];
	let limit = defaultLimit;
	// A window opens with the first request after the previous one ended (not aligned to the clock),
	// so a burst in a test never straddles two windows by accident.
	let window = { start: -Infinity, count: 0 };
	const requests: LoggedRequest[] = [];
	const sockets = new Set<Socket>();
	let baseUrl = '';

	const currentWindow = (): { start: number; count: number } => {
		const t = now();
		if (t >= window.start + windowMs) window = { start: t, count: 0 };
		return window;
	};

	const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, raw?: Buffer): void => {
		if (res.destroyed) return;
		const payload = raw ?? (body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)));
		const h: Record<string, string | number> = { ...headers, 'content-length': payload.length };
		if (!raw && body !== undefined) h['content-type'] = 'application/json; charset=utf-8';
		res.writeHead(status, h);
		res.end(payload);
	};

	const takeFault = (method: string, path: string): ActiveFault | undefined => {
		const f = faults.find(
			(x) => x.remaining > 0 && (!x.method || x.method.toUpperCase() === method) && (!x.regex || x.regex.test(path)),
		);
		if (f) {
			f.remaining -= 1;
			faults = faults.filter((x) => x.remaining > 0);
		}
		return f;
	};

	const control = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
		try {
			await controlUnsafe(req, res, path);
		} catch (e) {
			send(res, 400, errorList('parameter_invalid', e instanceof Error ? e.message : 'bad control request'), {});
		}
	};

	const controlUnsafe = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
		const raw = await readBody(req);
		const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
		// Each action returns the JSON to send, or undefined for 204.
		const actions: Record<string, () => unknown> = {
			'GET /__fake/requests': () => requests,
			'DELETE /__fake/requests': () => void (requests.length = 0),
			'POST /__fake/faults': () => api.failNext(body as FaultSpec),
			'DELETE /__fake/faults': () => api.clearFaults(),
			'POST /__fake/reset': () => api.reset(),
			'GET /__fake/fixtures': () => state.ws.fixtures,
			'POST /__fake/rate-limit': () => api.squeezeRateLimit(Number(body.perWindow)),
			'POST /__fake/export-script': () => api.scriptExport(body as Partial<ExportScript>),
			'POST /__fake/export-expire': () => api.expireExports(),
			// Scenario people added on top of the seed (new ids only); answers their ids and data.
			'POST /__fake/scenario': () => {
				if (body.name !== 'erasure') throw new Error('name must be "erasure"');
				return addErasureScenario(state.ws, { otherPersonMentions: body.otherPersonMentions === true, beyondPartCap: body.beyondPartCap === true });
			},
		};
		const action = actions[`${req.method ?? 'GET'} ${path}`];
		if (!action) return send(res, 404, errorList('not_found', 'Unknown control endpoint'), {});
		const result = action();
		send(res, result === undefined ? 204 : 200, result, {});
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname;
		const method = (req.method ?? 'GET').toUpperCase();
		if (path.startsWith('/__fake/')) return control(req, res, path);

		const requestId = randomUUID();
		const query: Record<string, string> = {};
		url.searchParams.forEach((v, k) => (query[k] = v));
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
		const rawBody = await readBody(req);
		let body: unknown = undefined;
		let badJson = false;
		if (rawBody !== '') {
			try {
				body = JSON.parse(rawBody);
			} catch {
				body = rawBody;
				badJson = true;
			}
		}
		const entry: LoggedRequest = { method, path, query, headers, body, status: 0, at: now() };
		requests.push(entry);
		const base: Record<string, string> = { 'x-request-id': requestId };
		const reply = (status: number, b: unknown, h: Record<string, string> = {}, raw?: Buffer): void => {
			entry.status = status;
			send(res, status, b, { ...base, ...h }, raw);
		};
		const fail = (status: number, code: string, message: string, h: Record<string, string> = {}): void =>
			reply(status, errorList(code, message, requestId), h);

		const fault = takeFault(method, path);
		if (fault?.latencyMs) await sleep(fault.latencyMs);
		if (fault?.reset) {
			entry.status = 0;
			req.socket.destroy();
			return;
		}
		if (fault?.stallBody) {
			entry.status = 200;
			res.writeHead(200, { ...base, 'content-type': 'application/octet-stream', 'content-length': '100000' });
			res.write(Buffer.alloc(16, 0x41));
			return; // the socket stays open until the client gives up (or close() destroys it)
		}
		if (fault?.status) {
			const h: Record<string, string> = {};
			if (fault.status === 429) {
				const w = currentWindow();
				h['x-ratelimit-limit'] = String(limit);
				h['x-ratelimit-remaining'] = '0';
				h['x-ratelimit-reset'] = String(Math.ceil((w.start + windowMs) / 1000));
			}
			return fail(fault.status, fault.code ?? defaultCode(fault.status), `Injected fault (${fault.status})`, h);
		}

		const publicRoute = PUBLIC_ROUTES.find((r) => r.method === method && r.regex.test(path));

		const auth = headers.authorization ?? '';
		if (!publicRoute && auth !== `Bearer ${token}`) return fail(401, 'unauthorized', 'Access Token Invalid');

		const rl: Record<string, string> = {};
		if (!publicRoute) {
			const w = currentWindow();
			rl['x-ratelimit-limit'] = String(limit);
			rl['x-ratelimit-reset'] = String(Math.ceil((w.start + windowMs) / 1000));
			if (w.count >= limit) {
				rl['x-ratelimit-remaining'] = '0';
				return fail(429, 'rate_limit_exceeded', `Exceeded rate limit of ${limit} in ${windowMs / 1000}_seconds`, rl);
			}
			w.count += 1;
			rl['x-ratelimit-remaining'] = String(Math.max(0, limit - w.count));
		}

		const version = headers['intercom-version'] ?? DEFAULT_VERSION;
		if (!SUPPORTED_VERSIONS.includes(version)) {
			return fail(400, 'intercom_version_invalid', 'The requested version could not be found', rl);
		}
		if (badJson) return fail(400, 'parameter_invalid', 'There was a problem in the JSON you submitted', rl);

		let route: CompiledRoute | undefined = publicRoute;
		let match: RegExpExecArray | null = publicRoute ? publicRoute.regex.exec(path) : null;
		if (!route) {
			for (const r of ROUTES) {
				if (r.method !== method) continue;
				match = r.regex.exec(path);
				if (match) {
					route = r;
					break;
				}
			}
		}
		if (!route || !match) return fail(404, 'not_found', 'Resource Not Found', rl);
		const params: Record<string, string> = {};
		route.names.forEach((n, i) => (params[n] = decodeURIComponent(match[i + 1])));
		const ctx: Ctx = { method, path, params, query, headers, body, version, baseUrl, state, requestId, nowSec: Math.floor(now() / 1000) };
		try {
			const r: Reply = await route.handler(ctx);
			if (r.stream) {
				// Streamed download: an error in the stream cuts the connection (a broken download).
				entry.status = r.status ?? 200;
				res.writeHead(entry.status, { ...base, ...rl, ...(r.headers ?? {}) });
				r.stream.on('error', () => res.destroy());
				r.stream.pipe(res);
				return;
			}
			if (fault?.dropAnswer) {
				// The request took effect; the answer is lost on the way back.
				entry.status = 0;
				req.socket.destroy();
				return;
			}
			reply(r.status ?? 200, r.body, { ...rl, ...(r.headers ?? {}) }, r.raw);
		} catch (e) {
			if (e instanceof HttpError) return fail(e.status, e.code, e.message, { ...rl, ...e.headers });
			console.error('fake-intercom: handler crashed', e);
			fail(500, 'server_error', 'Fake Intercom crashed handling this request', rl);
		}
	};

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((e: unknown) => {
			console.error('fake-intercom: request failed', e);
			if (!res.headersSent) send(res, 500, errorList('server_error', 'Fake Intercom failed'), {});
		});
	});
	// Never close an idle keep-alive connection from the server side: a client that reuses it at the
	// same moment gets ECONNRESET (a race that loaded CI machines hit). Clients close their own idle
	// sockets; close() destroys the rest.
	server.keepAliveTimeout = 0;
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
	});
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const api: FakeIntercom = {
		url: baseUrl,
		token,
		get workspace() {
			return state.ws;
		},
		requests,
		failNext(spec: FaultSpec) {
			const regex = spec.pathPattern ? new RegExp(spec.pathPattern) : undefined;
			faults.push({ ...spec, remaining: spec.count ?? 1, regex });
		},
		squeezeRateLimit(perWindow: number) {
			if (!Number.isInteger(perWindow) || perWindow < 0) throw new Error('perWindow must be a non-negative integer');
			limit = perWindow;
		},
		clearFaults() {
			faults = [];
		},
		reset() {
			state.ws = generateWorkspace(seed, Math.floor(now() / 1000));
			state.exportJobs.clear();
			state.exportScript = { ...DEFAULT_EXPORT_SCRIPT };
			state.jobCounter = 0;
			requests.length = 0;
			faults = [];
			limit = defaultLimit;
			window = { start: -Infinity, count: 0 };
		},
		close() {
			return new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			});
		},
		scriptExport(script: Partial<ExportScript>) {
			const outcomes = ['completed', 'no_data', 'failed', 'canceled'];
			if (script.outcome !== undefined && !outcomes.includes(script.outcome)) throw new Error(`outcome must be one of ${outcomes.join(', ')}`);
			if (script.format !== undefined && !['gzip-csv', 'tar-gz', 'zip', 'corrupt'].includes(script.format)) throw new Error('format must be gzip-csv, tar-gz, zip or corrupt');
			if (script.pollsPerState !== undefined && !(Number.isInteger(script.pollsPerState) && script.pollsPerState >= 0)) {
				throw new Error('pollsPerState must be a non-negative integer');
			}
			state.exportScript = { ...state.exportScript, ...script };
		},
		expireExports() {
			for (const job of state.exportJobs.values()) {
				if (job.expiresAt !== undefined) job.expiresAt = Math.floor(now() / 1000) - 1;
			}
		},
	};
	return api;
}
