/**
 * createIntercom(): the one object the rest of the package uses to talk to Intercom.
 * Typed calls go through the official SDK, raw JSON calls and downloads through plain fetch;
 * all three share one Transport (pacing, retries, timeouts, error mapping).
 */
import { IntercomClient, IntercomError } from 'intercom-client';
import { emptyStream, resolveDownloadUrl } from './download';
import { IntercomApiError, IntercomInputError } from './errors';
import { searchContacts, searchContactsPage } from './pagination';
import { resolveOptions, type ResolvedOptions } from './regions';
import { makeSdkFetcher, parseJson } from './sdk-fetcher';
import { settle } from '../util/settle';
import { Transport } from './transport';
import type {
	AdminWithApp,
	Contact,
	DownloadResult,
	IntercomGateway,
	IntercomOptions,
	Lookup,
	RawResponse,
	RequestOptions,
	SearchPage,
} from './types';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export function createIntercom(opts: IntercomOptions): IntercomGateway {
	return new Gateway(resolveOptions(opts));
}

class Gateway implements IntercomGateway {
	readonly baseUrl: string;
	readonly apiVersion: string;
	readonly region: ResolvedOptions['region'];
	private readonly transport: Transport;
	private readonly sdk: IntercomClient;
	private readonly token: string;

	constructor(cfg: ResolvedOptions) {
		this.baseUrl = cfg.baseUrl;
		this.apiVersion = cfg.apiVersion;
		this.region = cfg.region;
		this.token = cfg.token;
		this.transport = new Transport({
			baseUrl: cfg.baseUrl,
			fetch: cfg.fetch,
			maxConcurrency: cfg.maxConcurrency,
			timeoutMs: cfg.timeoutMs,
			maxRetries: cfg.maxRetries,
		});
		this.sdk = new IntercomClient({
			token: cfg.token,
			baseUrl: cfg.baseUrl,
			// The SDK's typed `version` stops at 2.14: the header carries any version.
			headers: { 'Intercom-Version': cfg.apiVersion },
			maxRetries: 0,
			fetcher: makeSdkFetcher(this.transport),
		});
		// Keep the token out of enumerable properties (console.log / JSON of the gateway).
		Object.defineProperty(this, 'token', { enumerable: false });
		Object.defineProperty(this, 'sdk', { enumerable: false });
	}

	async me(): Promise<AdminWithApp> {
		const admin = await this.call('admins.identify', (sdk, req) => sdk.admins.identify(req));
		if (!admin) {
			throw new IntercomApiError({ code: 'empty_response', retryable: false, operation: 'admins.identify', route: 'GET /me' });
		}
		return admin;
	}

	async getContact(id: string): Promise<Lookup<Contact>> {
		const contactId = checkId('contactId', id);
		return this.lookup('contacts.find', (sdk, req) => sdk.contacts.find({ contact_id: contactId }, req) as Promise<Contact>);
	}

	async getContactByExternalId(externalId: string): Promise<Lookup<Contact>> {
		const ext = checkId('externalId', externalId);
		return this.lookup(
			'contacts.showContactByExternalId',
			(sdk, req) => sdk.contacts.showContactByExternalId({ external_id: ext }, req) as Promise<Contact>,
		);
	}

	searchContacts(query: object, opts?: { perPage?: number }): AsyncIterable<Contact> {
		return searchContacts((op, fn) => this.call(op, fn), query, opts);
	}

	searchContactsPage(query: object, opts?: { perPage?: number; startingAfter?: string }): Promise<SearchPage> {
		return searchContactsPage((op, fn) => this.call(op, fn), query, opts);
	}

	async call<T>(operation: string, fn: (sdk: IntercomClient, req: RequestOptions) => Promise<T>): Promise<T> {
		const op = typeof operation === 'string' && operation.trim() !== '' ? operation.trim().slice(0, 80) : 'intercom';
		try {
			// Ask the SDK for nothing of its own: our fetcher ignores timeouts/retries anyway.
			return await fn(this.sdk, { maxRetries: 0 });
		} catch (e) {
			throw mapError(e, op);
		}
	}

	async request<T>(
		method: string,
		path: string,
		init: { query?: Record<string, string | number | boolean>; body?: unknown } = {},
	): Promise<RawResponse<T>> {
		const m = typeof method === 'string' ? method.toUpperCase() : '';
		if (!METHODS.has(m)) {
			throw new IntercomInputError('method', 'it must be GET, POST, PUT, PATCH or DELETE', 'Pass an HTTP method name.');
		}
		if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.includes('?') || path.includes('#')) {
			throw new IntercomInputError(
				'path',
				'it must be a path starting with / without query string',
				'Pass e.g. "/conversations/deleted" and put parameters into init.query.',
			);
		}
		const url = new URL(`${this.baseUrl}${path}`);
		for (const [k, v] of Object.entries(init.query ?? {})) {
			if (v === undefined || v === null) continue;
			url.searchParams.append(k, String(v));
		}
		const headers = this.authHeaders('application/json');
		let body: string | undefined;
		if (init.body !== undefined) {
			body = JSON.stringify(init.body);
			headers.set('Content-Type', 'application/json');
		}
		const res = await this.transport.send({ method: m, url: url.toString(), headers, body });
		const parsed = parseJson(await res.text());
		if (!parsed.ok) {
			throw new IntercomApiError({
				status: res.status,
				code: 'invalid_json',
				retryable: false,
				operation: this.transport.route(m, url.toString()),
				detail: 'the response was not JSON',
			});
		}
		return { status: res.status, data: parsed.value as T, headers: res.headers };
	}

	async download(pathOrUrl: string, init: { signal?: AbortSignal } = {}): Promise<DownloadResult> {
		const url = resolveDownloadUrl(pathOrUrl, this.baseUrl);
		const res = await this.transport.send({
			method: 'GET',
			url,
			headers: this.authHeaders('application/octet-stream'),
			signal: init.signal,
			stream: true,
		});
		const len = res.headers.get('content-length');
		const contentLength = len !== null && /^\d+$/.test(len) ? Number(len) : undefined;
		return {
			body: (res.body as ReadableStream<Uint8Array> | null) ?? emptyStream(),
			contentType: res.headers.get('content-type') ?? undefined,
			contentLength,
		};
	}

	private authHeaders(accept: string): Headers {
		return new Headers({
			Authorization: `Bearer ${this.token}`,
			Accept: accept,
			'Intercom-Version': this.apiVersion,
		});
	}

	private async lookup(operation: string, fn: (sdk: IntercomClient, req: RequestOptions) => Promise<Contact>): Promise<Lookup<Contact>> {
		const settled = await settle(this.call(operation, fn));
		if (settled.ok) return { status: 'found', value: settled.value };
		const e = settled.error;
		if (e instanceof IntercomApiError && e.status === 404) return { status: 'not_found' };
		if (e instanceof IntercomApiError && e.status === 410 && e.canonicalId) return { status: 'merged', canonicalId: e.canonicalId };
		// Anything else, including a 410 without a canonical Link (an anomaly we do not guess about).
		throw e;
	}
}

function checkId(field: string, v: unknown): string {
	if (typeof v !== 'string' || v.trim() === '') {
		throw new IntercomInputError(field, 'it is empty', `Pass the ${field} of the contact.`);
	}
	return v.trim();
}

/** Anything thrown inside call() becomes an IntercomApiError labelled with the operation. */
function mapError(e: unknown, operation: string): Error {
	if (e instanceof IntercomApiError) return e.withOperation(operation);
	if (e instanceof IntercomInputError) return e;
	if (e instanceof IntercomError) {
		// Only reachable for SDK-side failures (our fetcher throws for every HTTP error). Its
		// message can embed a response body, so only the status survives.
		return new IntercomApiError({ status: e.statusCode, code: 'sdk_error', retryable: false, operation });
	}
	// A bug in the caller's function (TypeError etc.): keep it as it is, it is not Intercom's answer.
	return e instanceof Error ? e : new Error(`${operation} failed`);
}
