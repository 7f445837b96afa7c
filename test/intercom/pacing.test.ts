// The pacer's edge cases that the fake cannot produce on demand, on a virtual clock
// (sleep advances virtual time at once: nothing here depends on real time).
import { describe, expect, it } from 'vitest';
import { Pacer, RateLimitWaitTooLong, RESET_JITTER_MS, Semaphore, type Clock } from '../../src/intercom/pacing';

function virtualClock(start = 1_000_000): Clock & { t: number } {
	const c = {
		t: start,
		now: () => c.t,
		sleep: async (ms: number, signal?: AbortSignal) => {
			if (signal?.aborted) throw signal.reason;
			c.t += ms;
		},
	};
	return c;
}

const rl = (remaining: number, resetMs: number, limit = 10): Headers =>
	new Headers({
		'x-ratelimit-remaining': String(remaining),
		'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
		'x-ratelimit-limit': String(limit),
	});

/** One request that answers with `headers` (and status). */
async function oneRequest(p: Pacer, headers?: Headers, status = 200): Promise<void> {
	const permit = await p.acquire();
	permit.answered(headers, status);
	permit.release();
}

describe('Pacer', () => {
	it('spends the reported budget, then waits for the reset', async () => {
		const clock = virtualClock();
		const p = new Pacer(4, clock);
		const reset = clock.t + 10_000;
		await oneRequest(p, rl(2, reset));
		const grantedAt: number[] = [];
		for (let i = 0; i < 3; i++) {
			const permit = await p.acquire();
			grantedAt.push(clock.t);
			permit.answered(rl(Math.max(0, 1 - i), reset));
			permit.release();
		}
		expect(grantedAt[0]).toBeLessThan(reset);
		expect(grantedAt[1]).toBeLessThan(reset);
		expect(grantedAt[2]).toBeGreaterThanOrEqual(Math.ceil(reset / 1000) * 1000);
	});

	it('counts requests in flight against the budget', async () => {
		const clock = virtualClock();
		const p = new Pacer(8, clock);
		const reset = clock.t + 10_000;
		await oneRequest(p, rl(3, reset));
		const a = await p.acquire();
		const b = await p.acquire();
		const c = await p.acquire();
		const before = clock.t;
		const d = p.acquire(); // budget used up by a, b, c although none answered yet
		a.answered(rl(2, reset));
		b.answered(rl(1, reset));
		c.answered(rl(0, reset));
		[a, b, c].forEach((x) => x.release());
		await d;
		expect(clock.t).toBeGreaterThan(before);
	});

	it('a 429 without rate-limit headers makes everybody pause, then probes', async () => {
		const clock = virtualClock();
		const p = new Pacer(2, clock);
		await oneRequest(p, undefined, 429);
		const before = clock.t;
		await p.acquire();
		expect(clock.t - before).toBeGreaterThanOrEqual(1_000);
	});

	it('a 429 that still reports budget (one export job at a time) does not stall others', async () => {
		const clock = virtualClock();
		const p = new Pacer(2, clock);
		await oneRequest(p, rl(500, clock.t + 10_000, 1000), 429);
		const before = clock.t;
		await p.acquire();
		expect(clock.t).toBe(before);
	});

	it('ignores a late answer from an older window', async () => {
		const clock = virtualClock();
		const p = new Pacer(4, clock);
		const oldReset = clock.t + 1_000;
		await oneRequest(p, rl(5, oldReset));
		clock.t = oldReset + 2_000; // the window has passed
		const newReset = clock.t + 10_000;
		await oneRequest(p, rl(9, newReset));
		await oneRequest(p, rl(0, oldReset)); // straggler from the old window
		const before = clock.t;
		await p.acquire();
		expect(clock.t).toBe(before);
	});

	it('never grants more than maxConcurrency at once, in FIFO order', async () => {
		const p = new Pacer(2, virtualClock());
		const order: number[] = [];
		const first = await p.acquire();
		const second = await p.acquire();
		const waiting = [3, 4].map((n) => p.acquire().then((permit) => (order.push(n), permit)));
		await Promise.resolve();
		expect(order).toEqual([]);
		first.release();
		second.release();
		const granted = await Promise.all(waiting);
		expect(order).toEqual([3, 4]);
		granted.forEach((x) => x.release());
	});

	it('a caller aborted while queued gives up its place', async () => {
		const p = new Pacer(1, virtualClock());
		const held = await p.acquire();
		const ctrl = new AbortController();
		const queued = p.acquire(ctrl.signal);
		ctrl.abort(new Error('stop'));
		await expect(queued).rejects.toThrow('stop');
		held.release();
		const next = await p.acquire(); // the slot was not lost
		next.release();
	});
});

describe('Pacer shared with other workers', () => {
	it("a 429's own reset replaces a later local estimate", async () => {
		const clock = virtualClock();
		const realReset = clock.t + 2_000;
		// An answer already in flight comes back 429 with the server's reset, 2 s away.
		const q = new Pacer(4, clock, () => 0);
		await oneRequest(q, rl(0, clock.t + 30_000)); // a 30 s window known from before: our estimate
		await oneRequest(q, rl(0, realReset), 429); // the server's 429 says 2 s
		const before = clock.t;
		await q.acquire();
		expect(clock.t - before).toBeLessThanOrEqual(2_000 + 150);
		expect(clock.t).toBeGreaterThanOrEqual(Math.ceil(realReset / 1000) * 1000);
	});

	it('adds up to RESET_JITTER_MS of random wait so workers waiting for one reset do not fire together', async () => {
		const waits: number[] = [];
		for (const r of [0, 0.5, 0.999]) {
			const clock = virtualClock();
			const p = new Pacer(2, clock, () => r);
			const reset = Math.ceil((clock.t + 5_000) / 1000) * 1000;
			await oneRequest(p, rl(0, reset));
			const before = clock.t;
			await p.acquire();
			waits.push(clock.t - before);
		}
		expect(waits[1] - waits[0]).toBe(Math.floor(0.5 * RESET_JITTER_MS));
		expect(waits[2] - waits[0]).toBe(Math.floor(0.999 * RESET_JITTER_MS));
	});

	it('refuses at once, without sleeping, when the reset is beyond maxWaitMs; the slot is handed on', async () => {
		const clock = virtualClock();
		const p = new Pacer(1, clock, () => 0);
		await oneRequest(p, rl(0, clock.t + 3_600_000));
		const before = clock.t;
		const e = await p.acquire(undefined, 20_000).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(RateLimitWaitTooLong);
		expect((e as RateLimitWaitTooLong).waitMs).toBeGreaterThan(3_500_000);
		expect(clock.t).toBe(before);
		// Within the cap it waits as before.
		const q = new Pacer(1, clock, () => 0);
		await oneRequest(q, rl(0, clock.t + 5_000));
		await q.acquire(undefined, 20_000);
	});
});

describe('Semaphore.run (the DSAR export queues its per-item fetches through it)', () => {
	it('runs at most `size` tasks at once, hands results and errors through, and frees the slot after a failure', async () => {
		const pool = new Semaphore(2);
		let running = 0;
		let peak = 0;
		const gates: Array<() => void> = [];
		const task = (n: number) =>
			pool.run(async () => {
				running++;
				peak = Math.max(peak, running);
				await new Promise<void>((resolve) => gates.push(resolve));
				running--;
				if (n === 1) throw new Error('task 1 failed');
				return n;
			});
		const results = [1, 2, 3, 4].map((n) => task(n).catch((e: Error) => e.message));
		for (let i = 0; i < 4; i++) {
			await new Promise((r) => setImmediate(r));
			expect(running).toBeLessThanOrEqual(2);
			gates.shift()?.();
		}
		expect(await Promise.all(results)).toEqual(['task 1 failed', 2, 3, 4]);
		expect(peak).toBe(2);
		expect(await pool.run(async () => 'slot still free')).toBe('slot still free');
	});
});
