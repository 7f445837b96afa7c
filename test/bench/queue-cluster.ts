// Queue bench (`npm run bench queue`, through test/e2e-queue/run.sh bench): n8n in queue mode against
// the fake Intercom squeezed to a low rate limit. The same load — erasures and access exports fired at
// once through production webhooks — first with 1 worker, then with 2 (a second worker joins the same
// main, Redis and PostgreSQL; fresh contacts). Prints 429s, total time and requests per operation;
// asserts nothing. Every execution builds its own gateway, so even one worker runs several pacers
// that share the app's budget only through Intercom's X-RateLimit headers.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { executionsByWorker, LEDGER_KEY, postWebhook, startCluster, waitForWebhook, type Cluster } from '../e2e-queue/cluster';
import { readLog, spawnLogged, waitFor, freePort } from '../e2e-queue/procs';
import { IDS, PATHS, queueCredentials, queueWorkflows } from '../e2e-queue/workflows';

const LIMIT = Number(process.env.QUEUE_BENCH_LIMIT ?? 20);
const WINDOW_S = Number(process.env.QUEUE_BENCH_WINDOW_S ?? 2);
const ERASURES = Number(process.env.QUEUE_BENCH_ERASURES ?? 30);
const EXPORTS = Number(process.env.QUEUE_BENCH_EXPORTS ?? 3);
const say = (l: string) => process.stderr.write(`${l}\n`);

function freshContacts(c: Cluster, used: Set<string>, count: number): string[] {
	const ws = c.fake.workspace;
	const special = new Set(Object.values(ws.fixtures).flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : typeof v === 'object' && v ? Object.values(v).map(String) : [])));
	const emails = new Map<string, number>();
	for (const ct of ws.contacts.values()) if (ct.email) emails.set(ct.email.toLowerCase(), (emails.get(ct.email.toLowerCase()) ?? 0) + 1);
	const picked = [...ws.contacts.values()]
		.filter((ct) => ct.email && emails.get(ct.email.toLowerCase()) === 1 && !ct.archived && !special.has(ct.id) && !ws.merges.has(ct.id) && !used.has(ct.id))
		.slice(0, count)
		.map((ct) => ct.id);
	picked.forEach((id) => used.add(id));
	return picked;
}

interface Round {
	workers: number;
	seconds: number;
	requests: number;
	r429: number;
	erasures: number;
	exports: number;
	byWorker: string;
}

async function round(c: Cluster, workers: number, used: Set<string>, tag: string): Promise<Round> {
	const ids = freshContacts(c, used, ERASURES + EXPORTS);
	assert.equal(ids.length, ERASURES + EXPORTS);
	c.fake.requests.length = 0;
	const t0 = performance.now();
	const results = await Promise.all([
		...ids.slice(0, ERASURES).map((id, i) => postWebhook(c, PATHS.erase, { contactId: id, requestId: `QB-${tag}-E${i + 1}` })),
		...ids.slice(ERASURES).map((id, i) => postWebhook(c, PATHS.dsar, { contactId: id, requestId: `QB-${tag}-D${i + 1}` })),
	]);
	const seconds = (performance.now() - t0) / 1000;
	const failed = results.filter((r, i) => r.status !== 200 || r.json.status !== (i < ERASURES ? 'erased' : 'exported'));
	assert.equal(failed.length, 0, `failed: ${JSON.stringify(failed.slice(0, 2)).slice(0, 600)}`);
	const m = executionsByWorker(c);
	const split = new Map<string, number>();
	for (const runs of m.values()) for (const w of runs) split.set(w, (split.get(w) ?? 0) + 1);
	return {
		workers,
		seconds,
		requests: c.fake.requests.length,
		r429: c.fake.requests.filter((r) => r.status === 429).length,
		erasures: ERASURES,
		exports: EXPORTS,
		byWorker: [...split].map(([w, n]) => `${w.replace('n8n-', '')}:${n}`).join(' '),
	};
}

async function main(): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'intercom-gdpr-queue-bench-'));
	const c = await startCluster({
		work,
		workers: 1,
		workflows: queueWorkflows().filter((w) => w.id === IDS.erase || w.id === IDS.dsar),
		credentials: (fake, pg) => queueCredentials(fake, pg, LEDGER_KEY),
		fakeOptions: { rateLimitPerWindow: LIMIT, windowSeconds: WINDOW_S },
	});
	try {
		await waitForWebhook(c, PATHS.erase);
		await waitForWebhook(c, PATHS.dsar);
		const used = new Set<string>();
		const rows: Round[] = [];
		await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
		rows.push(await round(c, 1, used, 'W1'));
		say('== a second worker joins');
		const env = { ...c.baseEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_ACTIVE: 'false' };
		const w2 = spawnLogged('n8n-worker-2', c.logs, 'n8n', ['worker', '--concurrency=10'], env);
		c.workers.push(w2);
		await waitFor('worker 2 ready', 300_000, () => (readLog(w2).includes('n8n worker is now ready') ? true : undefined), w2);
		await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
		rows.push(await round(c, 2, used, 'W2'));

		console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (n8n main + workers + PostgreSQL + Redis + fake share them)`);
		console.log(`fake Intercom at ${LIMIT} requests per ${WINDOW_S} s window (${((LIMIT * 60) / WINDOW_S).toFixed(0)}/min); per round ${ERASURES} erasures + ${EXPORTS} access exports at once through webhooks; worker --concurrency=10`);
		console.log('workers   time s   requests   429s   429/request   rate-limit bound s   time/bound   erasures/min   executions per worker');
		for (const r of rows) {
			const bound = Math.max(0, Math.ceil((r.requests - r.r429) / LIMIT) - 1) * WINDOW_S;
			console.log(
				`${String(r.workers).padStart(7)} ${r.seconds.toFixed(1).padStart(8)} ${String(r.requests).padStart(10)} ${String(r.r429).padStart(6)} ${(r.r429 / r.requests).toFixed(3).padStart(13)} ${bound.toFixed(0).padStart(20)} ${(r.seconds / Math.max(bound, 0.001)).toFixed(2).padStart(12)} ${((r.erasures * 60) / r.seconds).toFixed(1).padStart(14)}   ${r.byWorker}`,
			);
		}
		const ok = rows[0].requests - rows[0].r429;
		console.log(`requests per round without 429s: ${ok} → ${(ok / (ERASURES + EXPORTS)).toFixed(1)} per operation (erasure + export mix)`);
		console.log(`time 2 workers / 1 worker: ${(rows[1].seconds / rows[0].seconds).toFixed(2)}; 429s ${rows[0].r429} → ${rows[1].r429}`);
	} finally {
		await c.stop();
		if (process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(e: unknown) => {
		console.error(e);
		process.exit(1);
	},
);
