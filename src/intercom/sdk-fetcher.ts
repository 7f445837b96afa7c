/**
 * The SDK's `fetcher` hook, routed into our Transport.
 *
 * Why the `fetcher` hook and not only the `fetch` option: with `fetch` alone the SDK still wraps
 * each call in its own timeout (default 20 s, started before our queue and pacing wait, so a call
 * paced for a full window would time out) and leaves that timer running when fetch rejects. Its
 * retries (maxRetries) would stack on ours. Through `fetcher` the SDK only builds the request
 * (URL, headers incl. Bearer, JSON body) and reads our answer; timeouts, retries, pacing and error
 * mapping are all ours and identical for SDK and raw calls. A failed call throws our
 * IntercomApiError straight out of the SDK method (the SDK awaits the fetcher and does not catch).
 */
import type { IntercomClient } from 'intercom-client';
import { IntercomApiError } from './errors';
import type { Transport } from './transport';

type FetcherFn = NonNullable<IntercomClient.Options['fetcher']>;
type FetcherArgs = Parameters<FetcherFn>[0];

export function makeSdkFetcher(transport: Transport): FetcherFn {
	const fetcher = async (args: FetcherArgs) => {
		const url = withQuery(args.url, args.queryParameters);
		const headers = await resolveHeaders(args.headers);
		// JSON unless the SDK method asked for something else (e.g. octet-stream on reporting downloads).
		if (!headers.has('accept')) headers.set('Accept', args.responseType === 'text' ? 'text/plain' : 'application/json');
		let body: string | undefined;
		if (args.body !== undefined) {
			if (args.requestType !== undefined && args.requestType !== 'json') {
				// Uploads (file/form/bytes) are not used by this package; refuse rather than mis-send.
				throw new IntercomApiError({ code: 'unsupported_request', retryable: false, operation: transport.route(args.method, url) });
			}
			body = JSON.stringify(args.body);
			headers.set('Content-Type', args.contentType ?? 'application/json');
		}
		const res = await transport.send({ method: args.method, url, headers, body, signal: args.abortSignal });
		const rawResponse = {
			headers: res.headers,
			redirected: res.redirected,
			status: res.status,
			statusText: res.statusText,
			type: res.type,
			url: res.url,
		};
		const text = await res.text();
		const parsed = args.responseType === 'text' ? { ok: true, value: text } : parseJson(text);
		if (!parsed.ok) {
			throw new IntercomApiError({
				status: res.status,
				code: 'invalid_json',
				retryable: false,
				operation: transport.route(args.method, url),
				detail: 'the response was not JSON',
			});
		}
		return { ok: true as const, body: parsed.value, headers: res.headers, rawResponse };
	};
	return fetcher as FetcherFn;
}

async function resolveHeaders(h: FetcherArgs['headers']): Promise<Headers> {
	const out = new Headers();
	if (!h) return out;
	for (const [key, value] of Object.entries(h)) {
		const v: unknown = typeof value === 'function' ? await (value as (a: unknown) => unknown)({ endpointMetadata: {} }) : await value;
		if (v === null || v === undefined) continue;
		out.set(key, String(v));
	}
	return out;
}

/** Same encoding as the SDK's qs helper (arrays repeat the key, objects use brackets). */
export function withQuery(url: string, query: Record<string, unknown> | undefined): string {
	if (!query) return url;
	const parts: string[] = [];
	const add = (key: string, value: unknown): void => {
		if (value === undefined || value === null) return;
		if (Array.isArray(value)) {
			for (const item of value) add(key, item);
		} else if (typeof value === 'object') {
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(`${key}[${k}]`, v);
		} else {
			parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
		}
	};
	for (const [k, v] of Object.entries(query)) add(k, v);
	if (parts.length === 0) return url;
	return `${url}${url.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

/** Empty body → undefined (like the SDK); unparsable → not ok. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	if (text.length === 0) return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}
