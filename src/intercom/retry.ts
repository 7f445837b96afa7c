/**
 * When a failed attempt is retried, and how long we wait. The SDK's own retries are bypassed
 * (our fetcher ignores its maxRetries), so these rules are the only ones.
 *
 * Retried:
 * - 429 `rate_limit_exceeded` (or a 429 without a code) for any method: Intercom rejected the
 *   request before doing anything, so repeating it cannot do anything twice.
 * - 408, 5xx, connection resets/refusals and our per-attempt timeouts, for methods where repeating is
 *   harmless: GET/HEAD/OPTIONS/PUT, DELETE, and the POSTs listed in SAFE_POSTS (searches, archive,
 *   unarchive, block, redact, export cancel).
 *   DELETE is retried on purpose: if the first attempt did delete and only the answer got lost, the
 *   retry answers 404, which every caller treats as "already deleted" (erasure is idempotent).
 * Never retried:
 * - any 429 on POST /export/content/data (and /export/reporting_data/enqueue): there it means
 *   "one content export job is already active" (Intercom even uses the code rate_limit_exceeded
 *   for it), which waiting a few seconds does not fix; the export module decides what to do.
 * - a 429 whose code is not `rate_limit_exceeded`, or that still reports X-RateLimit-Remaining > 0
 *   (same reason: not about the request rate). Reported with retryable: false.
 * - other POSTs after 5xx/network errors (creating twice is worse than failing once).
 */

export interface AttemptOutcome {
	status?: number;
	code?: string;
	kind: 'http' | 'timeout' | 'network';
	headers?: Headers;
}

const SAFE_POSTS: RegExp[] = [
	/\/search$/, // contacts, conversations, tickets: reads
	/^\/contacts\/[^/]+\/(archive|unarchive|block)$/,
	/^\/conversations\/redact$/,
	/^\/export\/cancel\/[^/]+$/,
	/^\/export\/reporting_data\/get_datasets$/,
];

/** Routes where a 429 means "too many export jobs active", not a rate limit. */
const EXPORT_CREATE = /^\/export\/(content\/data|reporting_data\/enqueue)\/?$/;

export function isIdempotent(method: string, path: string): boolean {
	const m = method.toUpperCase();
	if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS' || m === 'PUT' || m === 'DELETE') return true;
	return m === 'POST' && SAFE_POSTS.some((re) => re.test(path));
}

export function isRetryableStatus(status: number): boolean {
	return status === 408 || status === 429 || status >= 500;
}

/** Whether the error is worth retrying at all (reported as `retryable` on the error). */
export function isRetryableOutcome(o: AttemptOutcome, method: string, path: string): boolean {
	if (o.kind !== 'http') return true;
	if (o.status === undefined || !isRetryableStatus(o.status)) return false;
	if (o.status === 429) return !isExportConflict(o, method, path);
	return true;
}

/** Whether we retry it ourselves, now. `path` is relative to the base URL, without query. */
export function shouldRetry(o: AttemptOutcome, method: string, path: string): boolean {
	if (!isRetryableOutcome(o, method, path)) return false;
	if (o.kind === 'http' && o.status === 429) return true; // not processed: safe for every method
	return isIdempotent(method, path);
}

/** A 429 that is not about the request rate: waiting for the window reset would not fix it. */
function isExportConflict(o: AttemptOutcome, method: string, path: string): boolean {
	if (method.toUpperCase() === 'POST' && EXPORT_CREATE.test(path)) return true;
	if (o.code !== undefined && o.code !== 'rate_limit_exceeded') return true;
	const remaining = Number(o.headers?.get('x-ratelimit-remaining') ?? '0');
	return Number.isFinite(remaining) && remaining > 0; // budget left, yet 429: not the rate limit
}

const BASE_DELAY_MS = 250;
const MAX_BACKOFF_MS = 8_000;
/**
 * Retries of rate-limit 429s (counted apart from `maxRetries`, which bounds the other failures): each
 * waits for a window reset (10 s at Intercom, and never longer than timeoutMs), so 8 cover a minute and
 * more of contention between workers sharing one app's budget.
 */
export const MAX_RATE_LIMIT_RETRIES = 8;

/** Longer waits than this are not worth blocking a workflow for: give up, say retryable. */
export const MAX_RETRY_WAIT_MS = 60_000;

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1). Honours Retry-After (seconds or
 * HTTP date); for 429s the pacer already waits for X-RateLimit-Reset, so we only add a little.
 */
export function retryDelayMs(o: AttemptOutcome, attempt: number, now: number, random: () => number = Math.random): number {
	const retryAfter = parseRetryAfter(o.headers?.get('retry-after'), now);
	if (retryAfter !== undefined) return retryAfter;
	if (o.status === 429) return 0; // the pacer holds every request until X-RateLimit-Reset
	const exp = Math.min(BASE_DELAY_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
	return Math.round(exp * (0.8 + 0.4 * random()));
}

export function parseRetryAfter(v: string | null | undefined, now: number): number | undefined {
	if (!v) return undefined;
	const t = v.trim();
	if (/^\d+$/.test(t)) return Number(t) * 1000;
	const date = Date.parse(t);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
