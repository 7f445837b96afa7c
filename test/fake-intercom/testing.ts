// A tiny raw client for tests of the fake itself (and anyone who wants raw responses).

import type { FakeIntercom } from './index';

/** Parsed response JSON. Tests read arbitrary, deeply nested Intercom payloads, so it is left loose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface RawResponse<T = Json> {
	status: number;
	headers: Headers;
	body: T;
}

export async function call<T = Json>(
	fake: FakeIntercom,
	method: string,
	path: string,
	opts: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<RawResponse<T>> {
	const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
	if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? fake.token}`;
	if (opts.body !== undefined) headers['content-type'] = 'application/json';
	const url = path.startsWith('http') ? path : `${fake.url}${path}`;
	const res = await fetch(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
	const text = await res.text();
	let body: unknown = text;
	try {
		body = text === '' ? undefined : JSON.parse(text);
	} catch {
		// not JSON: keep the text
	}
	return { status: res.status, headers: res.headers, body: body as T };
}

/** Every contact a search returns, following pages.next.starting_after to the end. */
export async function searchAll(fake: FakeIntercom, query: unknown, perPage = 150): Promise<Json[]> {
	const out: Json[] = [];
	let startingAfter: string | undefined;
	for (;;) {
		const r = await call(fake, 'POST', '/contacts/search', {
			body: { query, pagination: { per_page: perPage, starting_after: startingAfter } },
		});
		if (r.status !== 200) throw new Error(`search failed with ${r.status}: ${JSON.stringify(r.body)}`);
		out.push(...r.body.data);
		startingAfter = r.body.pages?.next?.starting_after;
		if (!startingAfter) return out;
	}
}
