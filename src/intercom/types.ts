/** Public types of the Intercom gateway (the "Core gateway" contract in the team brief). */
import type { Intercom, IntercomClient } from 'intercom-client';

export type Region = 'us' | 'eu' | 'au';

export interface IntercomOptions {
	/** Access token of the Intercom app; sent as `Authorization: Bearer …`, never logged. */
	token: string;
	/** Regional host; default `us`. Ignored when `baseUrl` is given. */
	region?: Region;
	/** Custom base URL (sandbox, tests, proxies); wins over `region`. http(s) only. */
	baseUrl?: string;
	/** Sent as the `Intercom-Version` header; default 2.14; 2.11–2.16, Preview, Unstable accepted. */
	apiVersion?: string;
	/** Transport under our pipeline (pacing, retries); default the global fetch. */
	fetch?: typeof fetch;
	/** Requests in flight at once; default 4. */
	maxConcurrency?: number;
	/** Per-attempt timeout until the response (headers and, for JSON, the body) arrives; default 20 000. */
	timeoutMs?: number;
	/** Our retries (the SDK's own are switched off); default 3. */
	maxRetries?: number;
}

export type Contact = Intercom.Contact;
export type AdminWithApp = Intercom.AdminWithApp;
export type RequestOptions = IntercomClient.RequestOptions;

export type Lookup<T> = { status: 'found'; value: T } | { status: 'not_found' } | { status: 'merged'; canonicalId: string };

export interface SearchPage {
	contacts: Contact[];
	/** Cursor for the next page (`pages.next.starting_after`); absent on the last page. */
	next?: string;
	totalCount: number;
}

export interface RawResponse<T> {
	status: number;
	data: T;
	headers: Headers;
}

export interface DownloadResult {
	/** The body as it arrives (not buffered). Cancel it if you stop reading. */
	body: ReadableStream<Uint8Array>;
	contentType?: string;
	contentLength?: number;
}

export interface IntercomGateway {
	readonly baseUrl: string;
	readonly apiVersion: string;
	readonly region: Region | 'custom';
	/** GET /me: the admin and app behind the token (credential test). */
	me(): Promise<AdminWithApp>;
	/** GET /contacts/{id}: 404 → not_found, 410 + Link → merged. */
	getContact(id: string): Promise<Lookup<Contact>>;
	/** GET /contacts/find_by_external_id/{external_id} (users only): 404 → not_found, 410 → merged. */
	getContactByExternalId(externalId: string): Promise<Lookup<Contact>>;
	/** POST /contacts/search, following `pages.next` to the end. */
	searchContacts(query: object, opts?: { perPage?: number }): AsyncIterable<Contact>;
	/** One page of POST /contacts/search. */
	searchContactsPage(query: object, opts?: { perPage?: number; startingAfter?: string }): Promise<SearchPage>;
	/** Any SDK call, through the same pacing, retries and error mapping. Pass `req` to the SDK method. */
	call<T>(operation: string, fn: (sdk: IntercomClient, req: RequestOptions) => Promise<T>): Promise<T>;
	/** Raw JSON call for what the SDK lacks (e.g. retain_metrics, /conversations/deleted). */
	request<T>(
		method: string,
		path: string,
		init?: { query?: Record<string, string | number | boolean>; body?: unknown },
	): Promise<RawResponse<T>>;
	/** Streamed binary download (`Accept: application/octet-stream`), path or same-host absolute URL. */
	download(pathOrUrl: string, init?: { signal?: AbortSignal }): Promise<DownloadResult>;
}
