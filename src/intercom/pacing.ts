/**
 * Pacing against Intercom's rate limit, shared by every request of one gateway — and, through the
 * server's own headers, with every other process that spends the same app's budget (n8n queue-mode
 * workers, a second n8n, a script).
 *
 * Intercom counts requests in fixed windows (10 s) per app and reports, on every response,
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (UNIX seconds when the
 * window resets). Instead of firing and collecting 429s, we keep an estimate of the budget left in
 * the current window and wait for the reset when it is used up.
 *
 * The server is the shared truth. Our local estimate only ever gets more careful than what the
 * server last said: when a response reports `Remaining = R`, requests still in flight may or may not
 * be counted in R, so we assume they are not (`budget = R - inFlight`); within a window we keep the
 * minimum of our estimates, so another worker's spending (which lowers R) lowers ours too. A 429
 * says the window is used up whatever we believed, and its own `X-RateLimit-Reset` replaces ours,
 * even when it is earlier than a local guess (a fallback pause, a Retry-After).
 *
 * Several processes waiting for the same reset would all fire at the same instant; each wait gets a
 * random extra (jitter) so they spread out and read each other's spending in `Remaining`.
 *
 * No wait for budget is longer than the caller allows (`maxWaitMs`, the gateway's `timeoutMs`): when
 * the announced reset is further away, `acquire` fails at once with `RateLimitWaitTooLong` instead of
 * holding the call (a far-future reset from a broken proxy would otherwise hold every call).
 *
 * Bounded concurrency (a FIFO semaphore) comes first: at most `maxConcurrency` requests wait for
 * budget or are in flight at once, so the overshoot right after a reset is bounded too.
 */
import { abortableSleep } from '../util/sleep';
import { Semaphore } from '../util/semaphore';

export { abortableSleep, Semaphore };

export interface Clock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: abortableSleep };

/** Wait this much past the announced reset: Reset has 1-second resolution and clocks drift. */
const RESET_MARGIN_MS = 150;
/** When we are out of budget and no reset is known (e.g. a 429 without headers). */
const FALLBACK_WAIT_MS = 1_000;
/** Re-check interval while waiting for in-flight requests to report a fresh budget. */
const POLL_MS = 50;
/** Up to this much random extra on every wait for a reset, so workers do not all fire at once. */
export const RESET_JITTER_MS = 400;

/** The wait for rate-limit budget would be longer than the caller allows (see `Pacer.acquire`). */
export class RateLimitWaitTooLong extends Error {
	constructor(
		/** How long the wait would have been (ms), rounded up to whole seconds in the message. */
		readonly waitMs: number,
		/** The most the caller allowed. */
		readonly maxWaitMs: number,
	) {
		super(`rate-limit budget only after ${Math.ceil(waitMs / 1000)} s, more than the ${maxWaitMs} ms allowed`);
		this.name = 'RateLimitWaitTooLong';
	}
}

/**
 * One slot in the pipeline, acquired right before a request: it already holds one unit of the
 * window's budget and counts as in flight (taken synchronously when granted, so parallel callers
 * cannot all see the same last unit). Released after the response is read.
 */
export interface Permit {
	/** Call when the response headers arrive (or the request failed without response). */
	answered(headers?: Headers, status?: number): void;
	/** Give the concurrency slot back (idempotent). */
	release(): void;
}


export class Pacer {
	private readonly slots: Semaphore;
	private inFlight = 0;
	private limit: number | undefined;
	/** Estimated requests left in the current window; undefined = no rate-limit headers seen yet. */
	private budget: number | undefined;
	/** Reset time (ms) of the newest window we have heard of; never moves back. */
	private resetAtMs = 0;
	/** True once that reset has passed and we run on the assumed fresh budget, before any answer. */
	private fresh = false;

	constructor(
		maxConcurrency: number,
		private readonly clock: Clock = realClock,
		private readonly random: () => number = Math.random,
	) {
		this.slots = new Semaphore(maxConcurrency);
	}

	/**
	 * A concurrency slot plus one unit of budget. `maxWaitMs` caps the wait for budget (not the wait
	 * for a slot, which other callers' own caps bound): rejects with `RateLimitWaitTooLong` as soon
	 * as the known reset is further away than that, or when the cap runs out.
	 */
	async acquire(signal?: AbortSignal, maxWaitMs: number = Number.POSITIVE_INFINITY): Promise<Permit> {
		await this.slots.acquire(signal);
		let ready = false;
		try {
			await this.waitForBudget(signal, this.clock.now() + maxWaitMs, maxWaitMs);
			ready = true;
		} finally {
			if (!ready) this.slots.release(); // aborted while waiting: hand the slot on
		}
		let released = false;
		let answered = false;
		return {
			answered: (headers, status) => {
				if (answered) return;
				this.observe(headers, status);
				answered = true;
				this.inFlight--;
			},
			release: () => {
				if (released) return;
				if (!answered) {
					answered = true;
					this.inFlight--;
				}
				released = true;
				this.slots.release();
			},
		};
	}

	/**
	 * A 429 came with a wait hint (Retry-After): make every caller wait, not just the one retrying.
	 * The server's hint replaces our estimate, earlier or later.
	 */
	noteRetryAfter(ms: number): void {
		this.budget = 0;
		this.fresh = false;
		this.resetAtMs = this.clock.now() + ms;
	}

	private async waitForBudget(signal: AbortSignal | undefined, deadline: number, maxWaitMs: number): Promise<void> {
		const sleepUntil = async (wakeAt: number): Promise<void> => {
			const now = this.clock.now();
			if (wakeAt > deadline) throw new RateLimitWaitTooLong(wakeAt - now, maxWaitMs);
			await this.clock.sleep(wakeAt - now, signal);
		};
		for (;;) {
			if (this.budget === undefined) {
				this.inFlight++; // no rate-limit headers seen yet: only concurrency applies
				return;
			}
			const now = this.clock.now();
			if (!this.fresh && now >= this.resetAtMs + RESET_MARGIN_MS) {
				// The window has reset. Requests still in flight may land in the new one.
				this.fresh = true;
				this.budget = (this.limit ?? Number.POSITIVE_INFINITY) - this.inFlight;
			}
			if (this.budget > 0) {
				// Take the unit now, in the same tick as the check.
				this.budget--;
				this.inFlight++;
				return;
			}
			if (!this.fresh) {
				// Wait for the reset, plus jitter: other workers wait for the same instant.
				await sleepUntil(this.resetAtMs + RESET_MARGIN_MS + Math.floor(this.random() * RESET_JITTER_MS));
			} else if (this.inFlight > 0) {
				await sleepUntil(now + POLL_MS); // an answer will tell us the new budget
			} else {
				// Out of budget, nothing in flight, no window known: pause, then probe with one request.
				await sleepUntil(now + FALLBACK_WAIT_MS + Math.floor(this.random() * RESET_JITTER_MS));
				this.budget = Math.max(this.budget, 1);
			}
		}
	}

	private observe(headers: Headers | undefined, status: number | undefined): void {
		const remaining = intHeader(headers, 'x-ratelimit-remaining');
		const resetSec = intHeader(headers, 'x-ratelimit-reset');
		const limit = intHeader(headers, 'x-ratelimit-limit');
		const others = this.inFlight - 1; // this response's request is still counted in inFlight
		if (remaining !== undefined && resetSec !== undefined) {
			const resetMs = resetSec * 1000;
			if (limit !== undefined) this.limit = limit;
			if (resetMs > this.resetAtMs) {
				// A newer window than any we knew.
				this.resetAtMs = resetMs;
				this.fresh = false;
				this.budget = remaining - others;
			} else if (resetMs === this.resetAtMs && !this.fresh) {
				this.budget = Math.min(this.budget ?? remaining, remaining - others);
			}
			// else: a late answer from an older window; it tells us nothing new.
		}
		if (status === 429 && (remaining === undefined || remaining <= 0)) {
			// Whatever we believed, the server says the window is used up. (A 429 that still reports
			// budget left is not about the rate limit, e.g. "one export job at a time".)
			this.budget = 0;
			this.fresh = false;
			const now = this.clock.now();
			if (resetSec !== undefined) {
				// The 429's own reset is the truth, even when earlier than our estimate. One already
				// past (clocks disagree) means "soon": pause briefly, then probe.
				this.resetAtMs = resetSec * 1000 + RESET_MARGIN_MS > now ? resetSec * 1000 : now + FALLBACK_WAIT_MS;
			} else if (this.resetAtMs + RESET_MARGIN_MS <= now) {
				this.resetAtMs = now + FALLBACK_WAIT_MS; // no usable reset: pause, then probe
			}
		}
	}
}

function intHeader(headers: Headers | undefined, name: string): number | undefined {
	const v = headers?.get(name);
	if (v === null || v === undefined || v.trim() === '') return undefined;
	const n = Number(v);
	return Number.isFinite(n) ? Math.trunc(n) : undefined;
}
