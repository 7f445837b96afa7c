/**
 * Downloads of files the person's records point at (file custom attributes, conversation and
 * ticket attachments). Two kinds of URL are followed:
 * - the gateway's own host (scheme, host, port of the credential): through the gateway, with its
 *   retries and the token (the token rule of src/intercom/download.ts);
 * - Intercom's own file hosts (an allow-list, https only): WITHOUT the token — these are signed
 *   links that need none, and the token must never leave the API host.
 * Anything else is not fetched. The whole body is bounded by `timeoutMs` (a stalled body is cut,
 * not waited on for minutes) and by `maxBytes`; the export's cancel signal stops it at once.
 */
import { isGatewayOrigin, type IntercomGateway } from '../intercom';
import { settle } from '../util/settle';
import type { DsarOmissionKind } from './types';

/** Hosts Intercom serves uploads and attachments from (signed links, no token needed). */
export const INTERCOM_FILE_HOSTS: readonly RegExp[] = [
	/^downloads\.intercomcdn\.(com|eu)$/,
	/^downloads\.au\.intercomcdn\.com$/,
	/^uploads\.intercomcdn\.(com|eu)$/,
	/^uploads\.au\.intercomcdn\.com$/,
	/^uploads\.intercomusercontent\.com$/,
	/^intercom-attachments(-\d{1,2})?\.com$/,
];

export interface FileFetchLimits {
	/** Time for one whole download (headers and body). */
	timeoutMs: number;
	/** Largest file taken into the package. */
	maxBytes: number;
	/** Further origins allowed without the token (e.g. a proxy or a test server): `https://files.example`. */
	extraOrigins: readonly string[];
	/** fetch for the token-less downloads; default the global fetch. */
	fetch?: typeof fetch;
}

/** Why a file URL the host refused (403) is missing: Intercom's signed file URLs last 30 minutes. */
export const EXPIRED_URL = 'the file URL had expired (403; Intercom file URLs are valid 30 minutes): run the export again';

export type FileResult = { ok: true; data: Uint8Array; contentType?: string } | { ok: false; reason: string; kind: DsarOmissionKind };

export function isIntercomFileHost(url: URL, extraOrigins: readonly string[] = []): boolean {
	if (extraOrigins.includes(url.origin)) return true;
	return url.protocol === 'https:' && url.port === '' && INTERCOM_FILE_HOSTS.some((re) => re.test(url.hostname));
}

export async function fetchFile(gw: IntercomGateway, raw: string, limits: FileFetchLimits, runSignal: AbortSignal): Promise<FileResult> {
	let url: URL;
	try {
		url = new URL(raw, gw.baseUrl);
	} catch {
		return { ok: false, reason: 'the file URL is not a valid URL', kind: 'file_not_followed' };
	}
	if (url.username || url.password) return { ok: false, reason: 'the file URL contains a user name or password; it was not followed', kind: 'file_not_followed' };
	const viaGateway = isGatewayOrigin(url, gw.baseUrl);
	if (!viaGateway && !isIntercomFileHost(url, limits.extraOrigins)) {
		return { ok: false, reason: `the file is on ${url.host}, which is not one of Intercom's file hosts; it was not downloaded (a link without its signature is in the record)`, kind: 'file_not_followed' };
	}
	const timeout = AbortSignal.timeout(limits.timeoutMs);
	const signal = AbortSignal.any([runSignal, timeout]);
	const stalled = (): FileResult => ({ ok: false, reason: `the download did not finish within ${Math.round(limits.timeoutMs / 1000)} s; it was stopped (run the export again)`, kind: 'file_not_fetched' });
	const outcome = await settle(download(gw, url, viaGateway, limits, signal));
	if (outcome.ok) return outcome.value;
	if (runSignal.aborted) throw runSignal.reason; // the export failed or was cancelled: its own error wins
	if (timeout.aborted) return stalled();
	if (viaGateway) throw outcome.error; // the gateway's own errors (403 expired, 5xx after retries) keep their meaning
	return { ok: false, reason: 'the file host could not be reached', kind: 'file_not_fetched' };
}

async function download(gw: IntercomGateway, url: URL, viaGateway: boolean, limits: FileFetchLimits, signal: AbortSignal): Promise<FileResult> {
	let body: ReadableStream<Uint8Array> | null;
	let contentType: string | undefined;
	let length: number | undefined;
	if (viaGateway) {
		const dl = await gw.download(url.toString(), { signal });
		body = dl.body;
		contentType = dl.contentType;
		length = dl.contentLength;
	} else {
		const res = await (limits.fetch ?? fetch)(url.toString(), { method: 'GET', signal, redirect: 'follow', headers: { Accept: '*/*' } });
		if (!res.ok) {
			await res.body?.cancel().catch(() => undefined);
			return { ok: false, reason: res.status === 403 ? EXPIRED_URL : `the file host answered ${res.status}`, kind: 'file_not_fetched' };
		}
		body = res.body;
		contentType = res.headers.get('content-type') ?? undefined;
		const len = res.headers.get('content-length');
		length = len !== null && /^\d+$/.test(len) ? Number(len) : undefined;
	}
	if (length !== undefined && length > limits.maxBytes) {
		await body?.cancel().catch(() => undefined);
		return tooLarge(limits.maxBytes);
	}
	const data = await readBounded(body, limits.maxBytes);
	if (data === undefined) return tooLarge(limits.maxBytes);
	return { ok: true, data, contentType };
}

function tooLarge(max: number): FileResult {
	return { ok: false, reason: `the file is larger than ${Math.round(max / 1024 / 1024)} MiB (the package's limit); it was not downloaded`, kind: 'file_too_large' };
}

/** Reads a body to the end, or undefined once it passes `max` bytes (then it is cancelled). */
async function readBounded(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array | undefined> {
	if (!body) return new Uint8Array(0);
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > max) {
			await reader.cancel().catch(() => undefined);
			return undefined;
		}
		chunks.push(value);
	}
	const out = new Uint8Array(total);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.byteLength;
	}
	return out;
}
