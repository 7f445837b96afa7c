// Retention preview on a big workspace: N stale leads added to the fake, then planRetention
// (streaming, one page + ids in memory) against two baselines in the same process: raw paging of the
// same search through the gateway (what the pagination itself costs), and collecting every contact
// into an array first (what a naive preview would hold in memory). Prints ratios, asserts nothing.
import { createIntercom } from '../../src/intercom';
import { planRetention } from '../../src/retention';
import { startFakeIntercom } from '../fake-intercom';
import { addContact } from '../retention/fixtures';

const N = Number(process.env.RETENTION_BENCH_CONTACTS ?? 15_000);

/** Live heap (after a full gc when node runs with --expose-gc): what is retained, not garbage. */
function heapMb(): number {
	global.gc?.();
	return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function rawPaging(gw: ReturnType<typeof createIntercom>, query: object): Promise<{ n: number; ms: number }> {
	const t = performance.now();
	let n = 0;
	for await (const c of gw.searchContacts(query, { perPage: 150 })) {
		void c;
		n++;
	}
	return { n, ms: performance.now() - t };
}

export default async function (): Promise<void> {
	const fake = await startFakeIntercom({ seed: 1, rateLimitPerWindow: 100_000 });
	try {
		const old = Math.floor(Date.now() / 1000) - 900 * 86_400;
		for (let i = 0; i < N; i++) addContact(fake, { label: `bench-${i}`, role: 'lead', lastSeenAt: old, createdAt: old - 86_400 });
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		const policy = { rules: [{ role: 'lead' as const, inactiveDays: 365, action: 'delete' as const, neverSeen: 'skip' as const, filters: [{ field: 'email', operator: '^', value: 'retention-bench-' }] }] };
		const query = { operator: 'AND', value: [{ field: 'role', operator: '=', value: 'lead' }, { field: 'last_seen_at', operator: '<', value: Math.floor(Date.now() / 1000) - 366 * 86_400 }, policy.rules[0].filters[0]] };

		const before = await rawPaging(gw, query); // also warms up the fake and the JIT
		let base = heapMb();
		let peak = base;
		const t = performance.now();
		let streamed = 0;
		for await (const c of planRetention(gw, policy)) {
			void c;
			if (++streamed % 1500 === 0) peak = Math.max(peak, heapMb());
		}
		const streamMs = performance.now() - t;
		const streamPeak = peak - base;

		const after = await rawPaging(gw, query);
		const raw = after.n;
		const rawMs = (before.ms + after.ms) / 2;

		base = heapMb();
		peak = base;
		const all: unknown[] = [];
		for await (const c of gw.searchContacts(query, { perPage: 150 })) {
			all.push(c);
			if (all.length % 1500 === 0) peak = Math.max(peak, heapMb());
		}
		const collectPeak = peak - base;

		console.log(`contacts selected: streamed ${streamed}, raw paging ${raw}, collected ${all.length} (of ${N} stale leads)`);
		console.log(`time: planRetention ${streamMs.toFixed(0)} ms vs raw paging ${rawMs.toFixed(0)} ms (mean of a run before and after) → ratio ${(streamMs / rawMs).toFixed(2)}`);
		console.log(`live heap growth (sampled every 1500 contacts${global.gc ? ', after gc' : '; run with --expose-gc for exact numbers'}): streaming ${streamPeak.toFixed(1)} MB vs collect-all ${collectPeak.toFixed(1)} MB → ratio ${(streamPeak / Math.max(collectPeak, 0.1)).toFixed(2)}`);
	} finally {
		await fake.close();
	}
}
