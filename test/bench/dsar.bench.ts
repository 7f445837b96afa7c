// DSAR export speed and memory (`npm run bench dsar`). Prints numbers; asserts nothing.
//
// 1. A contact with 300 conversations on the fake with 40 ms latency per request: the parallel export
//    (gateway maxConcurrency 16), the node's default (4), and the serial baseline (1), all in this run;
//    the lower bound is latency × requests ÷ concurrency, or the rate limit's, whichever is larger.
// 2. A contact with 5,000 conversations (no latency): peak heap growth during the export next to the
//    size of the package it produces.
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { createIntercom, DEFAULT_MAX_CONCURRENCY } from '../../src/intercom';
import { exportSubject, renderDsarPackage, toDocument } from '../../src/dsar';
import { protectContacts } from '../../src/dsar/others';

/**
 * Every step of a real answer is on: regime "both" (CCPA withholding by names, attribute definitions —
 * one GET /data_attributes — and detectors; protection of others), attachments, owner as staff.
 */
const EXPORT_OPTS = { testMode: true, regime: 'both' } as const;

const LATENCY_MS = 40;
const CONVERSATIONS = 300;

/** The fake in a worker thread (see dsar-fake-worker.ts); `count()` = requests it has seen. */
async function startFakeThread(data: { conversations: number; latencyMs: number; rateLimitPerWindow: number; windowSeconds: number }) {
	const worker = new Worker(join(__dirname, 'dsar-fake-worker.ts'), { workerData: data });
	const next = <T>(pick: (m: Record<string, unknown>) => T | undefined): Promise<T> =>
		new Promise((resolve, reject) => {
			const on = (m: Record<string, unknown>) => {
				const v = pick(m);
				if (v !== undefined) {
					worker.off('message', on);
					worker.off('error', onError);
					resolve(v);
				}
			};
			const onError = (e: Error) => {
				worker.off('message', on);
				reject(e);
			};
			worker.on('message', on);
			worker.once('error', onError);
		});
	const info = await next((m) => (typeof m.url === 'string' ? (m as { url: string; token: string; contactId: string }) : undefined));
	return {
		...info,
		count: () => {
			const p = next((m) => (typeof m.count === 'number' ? m.count : undefined));
			worker.postMessage({ count: true });
			return p;
		},
		close: async () => {
			const p = next((m) => (m.closed ? true : undefined));
			worker.postMessage({ close: true });
			await p;
			await worker.terminate();
		},
	};
}

type FakeThread = Awaited<ReturnType<typeof startFakeThread>>;

/**
 * The library path: createIntercom and exportSubject with their defaults (`gatewayConcurrency`
 * undefined), or with only the gateway set (4 = the gateway's default before it became 12, which
 * silently capped the export's own 12). Returns the effective concurrency for the bound.
 */
async function timedLibrary(gatewayConcurrency: number | undefined, fake: FakeThread) {
	const gw = createIntercom({ token: fake.token, baseUrl: fake.url, ...(gatewayConcurrency ? { maxConcurrency: gatewayConcurrency } : {}) });
	const before = await fake.count();
	const t0 = performance.now();
	const pkg = await exportSubject(gw, { contactId: fake.contactId }, EXPORT_OPTS); // concurrency left to the defaults
	const ms = performance.now() - t0;
	return { ms, requests: (await fake.count()) - before, conversations: pkg.counts.conversations, redactMs: 0, redactions: pkg.redactions?.total ?? 0 };
}

/** The outbound step (content export job, polled every 50–200 ms here; Intercom's jobs take minutes): runs beside the sections. */
const WITH_OUTBOUND = { outbound: { include: true, wait: { initialIntervalMs: 50, maxIntervalMs: 200 } } } as const;

async function timed(concurrency: number, fake: FakeThread, extra: Partial<typeof WITH_OUTBOUND> = {}) {
	const gw = createIntercom({ token: fake.token, baseUrl: fake.url, maxConcurrency: concurrency });
	const before = await fake.count();
	const t0 = performance.now();
	const pkg = await exportSubject(gw, { contactId: fake.contactId }, { ...EXPORT_OPTS, ...extra, concurrency });
	const ms = performance.now() - t0;
	// The protection pass again on a copy of the same data: its share of the export's time.
	const copy = structuredClone(pkg.contacts);
	const r0 = performance.now();
	protectContacts(copy, 'both');
	const redactMs = performance.now() - r0;
	return { ms, requests: (await fake.count()) - before, conversations: pkg.counts.conversations, redactMs, redactions: pkg.redactions?.total ?? 0 };
}

async function speed(): Promise<void> {
	const limit = 1000;
	const windowSeconds = 10;
	const fake = await startFakeThread({ conversations: CONVERSATIONS, latencyMs: LATENCY_MS, rateLimitPerWindow: limit, windowSeconds });
	try {
		await timed(16, fake); // warm-up (JIT, sockets)
		const rows: Array<[string, number, Awaited<ReturnType<typeof timed>>]> = [];
		for (const c of [16, 12, 8, 4, 1]) {
			// A fresh rate-limit window for each run, so none of them waits for a reset.
			await new Promise((r) => setTimeout(r, windowSeconds * 1000 + 200));
			rows.push([`concurrency ${c}`, c, await timed(c, fake)]);
		}
		await new Promise((r) => setTimeout(r, windowSeconds * 1000 + 200));
		rows.push(['12 + outbound', 12, await timed(12, fake, WITH_OUTBOUND)]);
		// Library callers who set nothing: today's defaults, and the old gateway default of 4.
		await new Promise((r) => setTimeout(r, windowSeconds * 1000 + 200));
		rows.push(['library defaults', DEFAULT_MAX_CONCURRENCY, await timedLibrary(undefined, fake)]);
		await new Promise((r) => setTimeout(r, windowSeconds * 1000 + 200));
		rows.push(['library, gw 4 (old)', 12, // bound at the export's 12: what the caller asked for
			await timedLibrary(4, fake)]);
		const serial = rows.find(([, c]) => c === 1)![2].ms;
		console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on the machine slows every row)`);
		console.log(`contact with ${CONVERSATIONS} conversations, ${LATENCY_MS} ms latency per request, rate limit ${limit}/${windowSeconds} s (fake in its own thread)`);
		console.log('run                  requests  conversations   time ms   bound ms   time/bound   serial/time');
		for (const [name, c, r] of rows) {
			const latencyBound = (LATENCY_MS * r.requests) / c;
			const rateBound = Math.max(0, Math.ceil(r.requests / limit) - 1) * windowSeconds * 1000;
			const bound = Math.max(latencyBound, rateBound);
			console.log(
				`${name.padEnd(19)} ${String(r.requests).padStart(9)} ${String(r.conversations).padStart(14)} ${r.ms.toFixed(0).padStart(9)} ${bound.toFixed(0).padStart(10)} ${(r.ms / bound).toFixed(2).padStart(12)} ${(serial / r.ms).toFixed(1).padStart(13)}×   redaction ${r.redactMs.toFixed(0)} ms = ${((100 * r.redactMs) / r.ms).toFixed(1)}%`,
			);
		}
		console.log(`(redaction = the protection pass — staff, other people, signed links, CCPA §7024(d) — timed again on a copy; ${rows[0][2].redactions} changes per export)`);
	} finally {
		await fake.close();
	}
}

/** A full garbage collection (the bench is a script: it may switch V8's gc() on for itself). */
function gc(): void {
	setFlagsFromString('--expose-gc');
	(runInNewContext('gc') as () => void)();
}

async function memory(): Promise<void> {
	const fake = await startFakeThread({ conversations: 5000, latencyMs: 0, rateLimitPerWindow: 1_000_000, windowSeconds: 10 });
	try {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, maxConcurrency: 16 });
		gc();
		const base = process.memoryUsage().heapUsed;
		let peak = base;
		const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
		const t0 = performance.now();
		const pkg = await exportSubject(gw, { contactId: fake.contactId }, EXPORT_OPTS);
		const exportMs = performance.now() - t0;
		clearInterval(timer);
		gc();
		const retained = process.memoryUsage().heapUsed - base;
		// The same package as a fresh object graph: what "only the package" costs in this heap.
		const copy = structuredClone(toDocument(pkg));
		gc();
		const packageOnly = process.memoryUsage().heapUsed - base - retained;
		const json = Buffer.byteLength(JSON.stringify(copy));
		const { zip } = await renderDsarPackage(pkg);
		const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
		console.log(`\ncontact with ${pkg.counts.conversations} conversations (no latency, fake in its own thread): export ${exportMs.toFixed(0)} ms`);
		console.log(`package: JSON ${mb(json)}, ZIP ${mb(zip.byteLength)}, as objects ${mb(packageOnly)}`);
		console.log(`heap kept after the export ${mb(retained)} = ${(retained / packageOnly).toFixed(2)}× the package's own objects; transient peak during the export ${mb(peak - base)}`);
	} finally {
		await fake.close();
	}
}

export default async function (): Promise<void> {
	await speed();
	await memory();
}
