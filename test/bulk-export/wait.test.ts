// Polling: backoff, survival of 429/5xx, the max wait and the cancel signal.
import { describe, expect, it } from 'vitest';
import { ExportError, startContentExport, waitForExport } from '../../src/bulk-export';
import { rejectionOf, useFake } from '../intercom/helpers';
import { FAST, LAST_YEAR } from './helpers';

// One-second rate-limit windows: an injected 429 then costs a second, not ten.
const h = useFake({ seed: 4, windowSeconds: 1 });

/** A clock that only moves when the waiter sleeps. */
function virtualTime(): { now: () => number; sleep: (ms: number) => Promise<void>; pauses: number[] } {
	let t = 1_000_000;
	const pauses: number[] = [];
	return {
		now: () => t,
		sleep: async (ms: number) => {
			pauses.push(ms);
			t += ms;
		},
		pauses,
	};
}

describe('waitForExport', () => {
	it('polls with growing pauses: first 5 s, doubling, capped at the max interval (30 s default)', async () => {
		h.fake.scriptExport({ pollsPerState: 4 });
		const gw = h.gw();
		const clock = virtualTime();
		const job = await waitForExport(gw, await startContentExport(gw, LAST_YEAR()), { now: clock.now, sleep: clock.sleep });
		expect(job.status).toBe('completed');
		// Start returned "pending": no second ask before the first pause. Done at the 8th poll.
		expect(clock.pauses).toEqual([5_000, 10_000, 20_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
	});

	it('honours a user max interval', async () => {
		h.fake.scriptExport({ pollsPerState: 3 });
		const gw = h.gw();
		const clock = virtualTime();
		await waitForExport(gw, await startContentExport(gw, LAST_YEAR()), { now: clock.now, sleep: clock.sleep, maxIntervalMs: 8_000 });
		expect(clock.pauses).toEqual([5_000, 8_000, 8_000, 8_000, 8_000, 8_000]);
	});

	it('keeps polling through 429s and 5xx', async () => {
		h.fake.scriptExport({ pollsPerState: 1 });
		const gw = h.gw({ maxRetries: 0 });
		const job = await startContentExport(gw, LAST_YEAR());
		h.fake.failNext({ status: 429, count: 2, pathPattern: '^/export/content/data/' });
		h.fake.failNext({ status: 503, count: 2, pathPattern: '^/export/content/data/' });
		const errors: number[] = [];
		const final = await waitForExport(gw, job, { ...FAST, onPoll: (p) => p.error && errors.push(p.error.status ?? 0) });
		expect(final.status).toBe('completed');
		expect(errors).toEqual([429, 429, 503, 503]);
	});

	it('stops at the max wait with an error that shows the Wait-node loop', async () => {
		h.fake.scriptExport({ pollsPerState: 1000 });
		const gw = h.gw();
		const clock = virtualTime();
		const e = await rejectionOf(waitForExport(gw, await startContentExport(gw, LAST_YEAR()), { now: clock.now, sleep: clock.sleep, maxWaitMs: 120_000 }));
		expect(e).toBeInstanceOf(ExportError);
		expect((e as ExportError).code).toBe('wait_timeout');
		expect((e as Error).message).toMatch(/did not finish within the max wait \(2 min\); last status: (pending|in_progress)/);
		expect((e as ExportError).hint).toMatch(/Start, then a Wait node .* Get Status → IF status is "completed" → Bulk Export → Download.*back to the Wait node/);
		expect(clock.now() - 1_000_000).toBe(120_000);
	});

	it('stops when the signal fires (n8n execution cancelled), also in the middle of a pause', async () => {
		h.fake.scriptExport({ pollsPerState: 1000 });
		const gw = h.gw();
		const job = await startContentExport(gw, LAST_YEAR());
		const ctrl = new AbortController();
		const waiting = waitForExport(gw, job, { initialIntervalMs: 60_000, signal: ctrl.signal });
		setTimeout(() => ctrl.abort(), 50);
		const e = await rejectionOf(waiting);
		expect((e as ExportError).code).toBe('wait_aborted');
	});

	it('ends on failed and canceled (the caller decides), without error', async () => {
		h.fake.scriptExport({ outcome: 'failed' });
		const gw = h.gw();
		expect((await waitForExport(gw, await startContentExport(gw, LAST_YEAR()), FAST)).status).toBe('failed');
	});
});

describe('waitForExport with a job identifier only', () => {
	it('asks at once, and returns a finished job without pausing', async () => {
		const gw = h.gw();
		const job = await startContentExport(gw, LAST_YEAR());
		const clock = virtualTime();
		await waitForExport(gw, job, { now: clock.now, sleep: clock.sleep });
		const before = h.fake.requests.length;
		const again = await waitForExport(gw, job.jobIdentifier, { now: clock.now, sleep: clock.sleep });
		expect(again.status).toBe('completed');
		expect(h.fake.requests.length - before).toBe(1);
		expect(clock.pauses).toEqual([5_000, 10_000]);
	});
});
