/**
 * The one pipeline every request goes through (SDK calls, raw JSON calls, downloads):
 * concurrency slot + rate-limit budget (pacing.ts) → fetch with a per-attempt timeout →
 * retry decision (retry.ts) → either an OK Response or an IntercomApiError (errors.ts).
 *
 * JSON responses are read completely inside the attempt (so the timeout covers the body and the
 * concurrency slot is held until the body is in); streamed downloads are handed over as soon as
 * the headers arrive.
 */
import { IntercomApiError, safeCode, safeRequestId, sanitizeIntercomMessage } from './errors';
import { type Clock, Pacer, RateLimitWaitTooLong, realClock } from './pacing';
import { type AttemptOutcome, isRetryableOutcome, MAX_RATE_LIMIT_RETRIES, MAX_RETRY_WAIT_MS, retryDelayMs, shouldRetry } from './retry';
import { routeOf } from './routes';

export interface TransportConfig {
	baseUrl: string;
	fetch: typeof fetch;
	maxConcurrency: number;
	timeoutMs: number;
	maxRetries: number;
	clock?: Clock;
}

export interface SendRequest {
	method: string;
	url: string;
	headers: Headers;
	body?: string;
	signal?: AbortSignal;
	/** Hand the body over unread (downloads). */
	stream?: boolean;
	/** Label for errors; default the templated route. */
	operation?: string;
}

export class Transport {
	readonly pacer: Pacer;
	private readonly clock: Clock;
	private readonly basePath: string;

	constructor(private readonly cfg: TransportConfig) {
		this.clock = cfg.clock ?? realClock;
		this.pacer = new Pacer(cfg.maxConcurrency, this.clock);
		this.basePath = new URL(cfg.baseUrl).pathname.replace(/\/+$/, '');
	}

	/** Path relative to the base URL, without query: what the retry rules and route templates see. */
	relativePath(url: string): string {
		let p = new URL(url).pathname;
		if (this.basePath && p.startsWith(this.basePath)) p = p.slice(this.basePath.length) || '/';
		return p;
	}

	/** `GET /contacts/{id}`: the templated route, safe for messages. */
	route(method: string, url: string): string {
		return routeOf(method, url, this.basePath);
	}

	async send(req: SendRequest): Promise<Response> {
		const method = req.method.toUpperCase();
		const path = this.relativePath(req.url);
		const route = routeOf(method, req.url, this.basePath);
		const operation = req.operation ?? route;
		// Rate-limit 429s have their own, larger allowance: the request was not processed, and each retry
		// waits for the window's reset. With several workers (or executions) on one app's budget, a
		// request can lose the race for the last units a few windows in a row without anything being wrong.
		let otherFailures = 0;
		let rateLimited = 0;
		for (let attempt = 1; ; attempt++) {
			const result = await this.attempt(req, method, route, operation, attempt);
			if (result.response) return result.response;
			const outcome = result.outcome;
			const isRateLimit = outcome.kind === 'http' && outcome.status === 429;
			if (isRateLimit) rateLimited++;
			else otherFailures++;
			// maxRetries 0 still means: no retry at all.
			const rateLimitBudget = this.cfg.maxRetries === 0 ? 0 : Math.max(this.cfg.maxRetries, MAX_RATE_LIMIT_RETRIES);
			const withinBudget = isRateLimit ? rateLimited <= rateLimitBudget : otherFailures <= this.cfg.maxRetries;
			const canRetry = withinBudget && shouldRetry(outcome, method, path);
			const delay = canRetry ? retryDelayMs(outcome, attempt, this.clock.now()) : 0;
			// A 429's Retry-After is a wait for budget: capped by timeoutMs like every other one.
			const maxWait = outcome.status === 429 ? Math.min(MAX_RETRY_WAIT_MS, this.cfg.timeoutMs) : MAX_RETRY_WAIT_MS;
			if (!canRetry || delay > maxWait) {
				// Earlier failures other than 429s may have been processed (a lost answer, a timeout, a 5xx).
				const earlierAttemptsMaybeProcessed = otherFailures - (isRateLimit ? 0 : 1);
				throw toApiError(outcome, result.errorBody, { operation, route, attempts: attempt, earlierAttemptsMaybeProcessed, retryable: isRetryableOutcome(outcome, method, path) });
			}
			if (outcome.status === 429 && delay > 0) this.pacer.noteRetryAfter(delay);
			await this.sleepOrAbort(delay, req.signal, operation, route);
		}
	}

	private async attempt(
		req: SendRequest,
		method: string,
		route: string,
		operation: string,
		attempt: number,
	): Promise<{ response?: Response; outcome: AttemptOutcome; errorBody?: ParsedErrorBody }> {
		let permit;
		try {
			// No call waits longer for rate-limit budget than it would for an answer.
			permit = await this.pacer.acquire(req.signal, this.cfg.timeoutMs);
		} catch (e) {
			if (e instanceof RateLimitWaitTooLong) throw rateLimited(e, operation, route, attempt);
			throw aborted(operation, route, attempt);
		}
		const timeout = new AbortController();
		const timer = setTimeout(() => timeout.abort(new Error('timeout')), this.cfg.timeoutMs);
		const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
		try {
			const res = await this.cfg.fetch(req.url, { method, headers: req.headers, body: req.body, signal, redirect: 'follow' });
			permit.answered(res.headers, res.status);
			if (res.ok && req.stream) {
				clearTimeout(timer); // a long download must not be cut by the per-request timeout
				return { response: res, outcome: { kind: 'http', status: res.status } };
			}
			const buf = await res.arrayBuffer();
			if (res.ok) {
				const nullBody = res.status === 204 || res.status === 205 || res.status === 304;
				return {
					response: new Response(nullBody ? null : buf, { status: res.status, statusText: res.statusText, headers: res.headers }),
					outcome: { kind: 'http', status: res.status },
				};
			}
			const errorBody = parseErrorBody(buf);
			return { outcome: { kind: 'http', status: res.status, code: errorCode(errorBody), headers: res.headers }, errorBody: withHeaders(errorBody, res.headers) };
		} catch (e) {
			permit.answered();
			if (req.signal?.aborted) throw aborted(operation, route, attempt);
			if (timeout.signal.aborted) return { outcome: { kind: 'timeout', code: 'timeout' } };
			return { outcome: { kind: 'network', code: 'network_error' }, errorBody: { networkCause: causeCode(e) } };
		} finally {
			clearTimeout(timer);
			permit.release();
		}
	}

	private async sleepOrAbort(ms: number, signal: AbortSignal | undefined, operation: string, route: string): Promise<void> {
		if (ms <= 0 && !signal?.aborted) return;
		try {
			await this.clock.sleep(ms, signal);
		} catch {
			throw aborted(operation, route, 1);
		}
	}
}

/** The rate limit leaves no budget within timeoutMs: fail now (retryable later) instead of hanging. */
function rateLimited(e: RateLimitWaitTooLong, operation: string, route: string, attempts: number): IntercomApiError {
	return new IntercomApiError({
		code: 'rate_limit_wait',
		retryable: true,
		operation,
		route,
		detail: `Intercom's rate limit resets in ${Math.ceil(e.waitMs / 1000)} s, longer than the timeout of ${e.maxWaitMs} ms`,
		attempts,
	});
}

function aborted(operation: string, route: string, attempts: number): IntercomApiError {
	return new IntercomApiError({ code: 'aborted', retryable: false, operation, route, attempts });
}

interface ParsedErrorBody {
	code?: string;
	message?: string;
	requestId?: string;
	headerRequestId?: string;
	canonicalId?: string;
	networkCause?: string;
}

function parseErrorBody(buf: ArrayBuffer): ParsedErrorBody {
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder().decode(buf));
	} catch {
		return {};
	}
	if (!json || typeof json !== 'object') return {};
	const o = json as Record<string, unknown>;
	const first = Array.isArray(o.errors) && o.errors.length > 0 ? (o.errors[0] as Record<string, unknown>) : o;
	return {
		code: typeof first?.code === 'string' ? first.code : undefined,
		message: typeof first?.message === 'string' ? first.message : undefined,
		requestId: typeof o.request_id === 'string' ? o.request_id : undefined,
	};
}

function errorCode(b: ParsedErrorBody): string | undefined {
	return safeCode(b.code);
}

function withHeaders(b: ParsedErrorBody, headers: Headers): ParsedErrorBody {
	return { ...b, headerRequestId: headers.get('x-request-id') ?? undefined, canonicalId: canonicalFromLink(headers.get('link')) };
}

/** `Link: </contacts/ID>; rel="canonical"` (relative or absolute) → ID. */
export function canonicalFromLink(link: string | null): string | undefined {
	if (!link) return undefined;
	for (const part of link.split(',')) {
		const m = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
		if (!m || !/rel\s*=\s*"?canonical"?/i.test(m[2])) continue;
		let pathname = m[1];
		try {
			pathname = new URL(m[1], 'http://x').pathname;
		} catch {
			continue;
		}
		const id = /\/contacts\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname)?.[1];
		if (id) return id;
	}
	return undefined;
}

function causeCode(e: unknown): string | undefined {
	const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
	const code = cause?.code ?? (e as { code?: unknown } | undefined)?.code;
	return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : undefined;
}

function toApiError(
	o: AttemptOutcome,
	body: ParsedErrorBody | undefined,
	ctx: { operation: string; route: string; attempts: number; earlierAttemptsMaybeProcessed?: number; retryable: boolean },
): IntercomApiError {
	const detail =
		o.kind === 'network' ? (body?.networkCause ?? '') : o.kind === 'timeout' ? '' : sanitizeIntercomMessage(body?.message);
	return new IntercomApiError({
		status: o.kind === 'http' ? o.status : undefined,
		code: o.code,
		requestId: safeRequestId(body?.requestId) ?? safeRequestId(body?.headerRequestId),
		retryable: ctx.retryable,
		operation: ctx.operation,
		route: ctx.route,
		detail,
		canonicalId: body?.canonicalId,
		attempts: ctx.attempts,
		earlierAttemptsMaybeProcessed: ctx.earlierAttemptsMaybeProcessed,
	});
}
