// Queue-mode e2e (`npm run test:e2e:queue`, through test/e2e-queue/run.sh): one `n8n start` main and
// two `n8n worker`s on Redis + PostgreSQL. Through production webhooks, 20 erasures and 5 access
// exports at once against the fake Intercom; then checks what a user of queue mode relies on:
//   - every execution succeeded, each on a worker (the workers' "Worker finished execution N" lines);
//   - each erased contact got exactly one DELETE (the fake's request log);
//   - the PostgreSQL ledger holds one valid chain with every entry;
//   - each ZIP reached a later node intact in queue mode's binary-data mode (`database` in n8n 2.41:
//     BinaryDataConfig defaults to it when EXECUTIONS_MODE=queue) — the later node's sha256 equals
//     the exporter's and the ledger's, and n8n's `binary_data` table holds the same bytes;
//   - the 1-minute trigger fired exactly once per tick while the workers ran (only the leader main
//     activates triggers);
//   - bad configuration is loud: a wrong PostgreSQL user in the ledger credential fails the
//     execution with a message naming the ledger (and nothing is deleted); a worker without Redis
//     exits with an error naming Redis.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../../src/ledger';
import { executionsByWorker, LEDGER_KEY, postWebhook, startCluster, waitForWebhook, type Cluster } from './cluster';
import { freePort, readLog, sleep, spawnLogged, tail, waitFor } from './procs';
import { IDS, PATHS, queueCredentials, queueWorkflows } from './workflows';

const ERASURES = 20;
const EXPORTS = 5;
const say = (l: string) => process.stderr.write(`${l}\n`);
const timings: Array<[string, number]> = [];
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
	const t0 = Date.now();
	try {
		return await fn();
	} finally {
		timings.push([label, (Date.now() - t0) / 1000]);
	}
}

/** Contacts with an email no other contact has, outside the fixtures' special cases. */
function pickContacts(c: Cluster, count: number): string[] {
	const ws = c.fake.workspace;
	const special = new Set(Object.values(ws.fixtures).flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : typeof v === 'object' && v ? Object.values(v).map(String) : [])));
	const emails = new Map<string, number>();
	for (const ct of ws.contacts.values()) if (ct.email) emails.set(ct.email.toLowerCase(), (emails.get(ct.email.toLowerCase()) ?? 0) + 1);
	const merged = new Set([...ws.merges.keys()].map(String));
	return [...ws.contacts.values()]
		.filter((ct) => ct.email && emails.get(ct.email.toLowerCase()) === 1 && !ct.archived && !special.has(ct.id) && !merged.has(ct.id))
		.slice(0, count)
		.map((ct) => ct.id);
}

async function main(): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'intercom-gdpr-queue-'));
	let c: Cluster | undefined;
	let ok = false;
	try {
		c = await timed('start PostgreSQL, Redis, fake, import, main + 2 workers', () =>
			startCluster({
				work,
				workers: 2,
				workflows: queueWorkflows(),
				credentials: (fake, pg) => queueCredentials(fake, pg, LEDGER_KEY),
			}),
		);
		const cluster = c;
		const activeSince = Date.now();
		for (const p of [PATHS.erase, PATHS.dsar, PATHS.badLedger]) await waitForWebhook(cluster, p);
		cluster.fake.requests.length = 0;

		const ids = pickContacts(cluster, ERASURES + EXPORTS);
		assert.equal(ids.length, ERASURES + EXPORTS, 'the fake has enough distinct people');
		const toErase = ids.slice(0, ERASURES);
		const toExport = ids.slice(ERASURES);

		say(`== ${ERASURES} erasures + ${EXPORTS} access exports at once through production webhooks`);
		const t0 = Date.now();
		const [erasures, exports] = await timed('25 webhooks, concurrently', () =>
			Promise.all([
				Promise.all(toErase.map((id, i) => postWebhook(cluster, PATHS.erase, { contactId: id, requestId: `Q-ERASE-${i + 1}` }))),
				Promise.all(toExport.map((id, i) => postWebhook(cluster, PATHS.dsar, { contactId: id, requestId: `Q-DSAR-${i + 1}` }))),
			]),
		);
		const loadSeconds = (Date.now() - t0) / 1000;
		erasures.forEach((r, i) => {
			assert.equal(r.status, 200, `erasure ${i + 1}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
			assert.equal(r.json.status, 'erased', `erasure ${i + 1} receipt status: ${JSON.stringify(r.json).slice(0, 300)}`);
			assert.equal(r.json.requestId, `Q-ERASE-${i + 1}`);
		});
		exports.forEach((r, i) => {
			assert.equal(r.status, 200, `export ${i + 1}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
			assert.match(String(r.json.packageSha256), /^[0-9a-f]{64}$/, `export ${i + 1} has packageSha256`);
			assert.equal(r.json.zipSha256ByLaterNode, r.json.packageSha256, `export ${i + 1}: the later node hashed the same ZIP the exporter made`);
		});
		say(`   all 25 answered in ${loadSeconds.toFixed(1)} s`);

		say('== every execution succeeded, on a worker');
		const db = await cluster.n8nDb();
		try {
			const { rows } = await db.query<{ id: string; workflowId: string; status: string; mode: string }>(
				`SELECT id::text, "workflowId", status, mode FROM execution_entity WHERE "workflowId" = ANY($1) ORDER BY id`,
				[[IDS.erase, IDS.dsar]],
			);
			assert.equal(rows.length, ERASURES + EXPORTS, `executions recorded: ${rows.length}`);
			for (const r of rows) assert.equal(r.status, 'success', `execution ${r.id} (${r.workflowId}) is ${r.status}`);
			const byWorker = await waitFor('every execution in a worker log', 30_000, () => {
				const m = executionsByWorker(cluster);
				return rows.every((r) => m.has(r.id)) ? m : undefined;
			});
			const split = new Map<string, number>();
			for (const r of rows) {
				const ran = byWorker.get(r.id)!;
				assert.equal(ran.length, 1, `execution ${r.id} ran once: ${ran.join(', ')}`);
				assert.match(ran[0], /^n8n-worker-\d$/, `execution ${r.id} ran on ${ran[0]}`);
				split.set(ran[0], (split.get(ran[0]) ?? 0) + 1);
			}
			assert.ok(!/Worker (started|finished) execution/.test(readLog(cluster.main)), 'the main ran no execution itself');
			say(`   ${rows.length} executions, all success; by worker: ${[...split].map(([w, n]) => `${w} ${n}`).join(', ')}`);

			say('== each erased contact got exactly one DELETE');
			for (const id of toErase) {
				const deletes = cluster.fake.requests.filter((r) => r.method === 'DELETE' && r.path === `/contacts/${id}`);
				assert.equal(deletes.length, 1, `contact ${id}: ${deletes.length} DELETEs`);
				assert.equal(deletes[0].status, 200);
				assert.ok(!cluster.fake.workspace.contacts.has(id), `contact ${id} is gone`);
			}
			for (const id of toExport) assert.ok(cluster.fake.workspace.contacts.has(id), 'exported people are still there');

			say('== the PostgreSQL ledger: one valid chain with every entry');
			const ledger = await openLedger({ kind: 'postgres', connection: cluster.ledgerConnection, key: LEDGER_KEY });
			let appendsPerSecond = 0;
			try {
				const v = await ledger.verify();
				assert.ok(v.ok, `ledger verify: ${JSON.stringify(v)}`);
				const all = await ledger.search({ limit: 10_000 });
				const count = (type: string) => all.filter((e) => e.type === type).length;
				assert.equal(count('erasure.intent'), ERASURES);
				assert.equal(count('erasure.done'), ERASURES);
				assert.equal(count('dsar.export'), EXPORTS);
				for (let i = 1; i <= ERASURES; i++) {
					const mine = all.filter((e) => e.requestId === `Q-ERASE-${i}`).map((e) => e.type);
					assert.deepEqual(mine.filter((t) => t.startsWith('erasure.')), ['erasure.intent', 'erasure.done'], `Q-ERASE-${i}: ${mine.join(',')}`);
				}
				const seqs = all.map((e) => e.seq);
				assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
				assert.equal(new Set(seqs).size, seqs.length, 'no sequence number twice');
				exports.forEach((r, i) => {
					const entry = all.find((e) => e.type === 'dsar.export' && e.requestId === `Q-DSAR-${i + 1}`);
					assert.ok(entry, `dsar.export for Q-DSAR-${i + 1}`);
					assert.equal(entry.data.packageSha256, r.json.zipSha256ByLaterNode, `Q-DSAR-${i + 1}: ledger sha256 = the later node's`);
				});
				const work = all.filter((e) => e.type !== 'ledger.checkpoint');
				const span = (Date.parse(work[work.length - 1].at) - Date.parse(work[0].at)) / 1000;
				appendsPerSecond = work.length / Math.max(span, 0.001);
				say(`   ${v.entries} entries, chain ok; ${work.length} appends from 2 workers in ${span.toFixed(1)} s (${appendsPerSecond.toFixed(1)}/s under this load)`);
			} finally {
				await ledger.close();
			}

			say("== the ZIPs crossed nodes through n8n's binary-data store in `database` mode");
			const bin = await db.query<{ sha: string; n: string }>(`SELECT encode(sha256(data), 'hex') AS sha, count(*)::text AS n FROM binary_data GROUP BY 1`);
			const stored = new Set(bin.rows.map((r) => r.sha));
			for (const r of exports) assert.ok(stored.has(String(r.json.packageSha256)), `binary_data holds ZIP ${String(r.json.packageSha256).slice(0, 12)}…`);
			say(`   binary_data holds all ${EXPORTS} ZIPs (${bin.rows.length} distinct files)`);

			say('== bad configuration: a wrong PostgreSQL user in the ledger credential');
			const before = cluster.fake.requests.length;
			const bad = await postWebhook(cluster, PATHS.badLedger, { contactId: ids[ERASURES], requestId: 'Q-BAD-LEDGER' });
			assert.notEqual(bad.status, 200, 'the webhook does not answer success');
			const failed = await waitFor('the failed execution is recorded', 60_000, async () => {
				const q = await db.query<{ id: string; status: string; data: string }>(
					`SELECT e.id::text, e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = $1 AND e.status <> 'running' AND e.status <> 'new'`,
					[IDS.badLedger],
				);
				return q.rows[0];
			});
			assert.equal(failed.status, 'error');
			// (execution_data is JSON text: the quotes around the role name arrive escaped.)
			assert.match(failed.data, /Could not open the GDPR ledger: Could not open the PostgreSQL ledger: role \\?"no_such_ledger_role\\?" does not exist/);
			assert.ok(executionsByWorker(cluster).get(failed.id)?.[0]?.startsWith('n8n-worker-'), 'the failing execution ran on a worker');
			const deletesAfter = cluster.fake.requests.slice(before).filter((r) => r.method === 'DELETE');
			assert.equal(deletesAfter.length, 0, 'nothing was deleted without a ledger');
			say('   execution failed with "Could not open the GDPR ledger: … role "no_such_ledger_role" does not exist"; no DELETE sent');

			say('== the 1-minute trigger fires exactly once per tick while the workers run');
			// Wait until at least two minute boundaries have passed since activation (+ time to finish).
			const firstTick = Math.ceil(activeSince / 60_000) * 60_000;
			const lastTick = Math.max(firstTick + 60_000, Math.floor((Date.now() - 5_000) / 60_000) * 60_000);
			const waitMs = lastTick + 20_000 - Date.now();
			if (waitMs > 0) {
				say(`   waiting ${(waitMs / 1000).toFixed(0)} s for the ticks at ${new Date(firstTick).toISOString()} … ${new Date(lastTick).toISOString()}`);
				await sleep(waitMs);
			}
			const ticks = await db.query<{ id: string; status: string; minute: string; mode: string }>(
				`SELECT id::text, status, mode, to_char(date_trunc('minute', "startedAt" AT TIME ZONE 'UTC'), 'HH24:MI') AS minute FROM execution_entity WHERE "workflowId" = $1 ORDER BY id`,
				[IDS.tick],
			);
			const expected: string[] = [];
			for (let t = firstTick; t <= lastTick; t += 60_000) expected.push(new Date(t).toISOString().slice(11, 16));
			const minutes = ticks.rows.map((r) => r.minute);
			// A tick exactly at activation may or may not be seen: only the ticks after it must all be there.
			const seen = minutes.filter((m) => expected.includes(m));
			assert.deepEqual(seen, expected, `trigger executions per minute: ${minutes.join(', ')} (expected one each at ${expected.join(', ')})`);
			assert.equal(new Set(minutes).size, minutes.length, `no minute twice: ${minutes.join(', ')}`);
			for (const r of ticks.rows) assert.equal(r.status, 'success', `tick execution ${r.id}: ${r.status}`);
			const tickByWorker = executionsByWorker(cluster);
			for (const r of ticks.rows) assert.match(tickByWorker.get(r.id)?.[0] ?? 'main', /^n8n-worker-/, `tick execution ${r.id} ran on a worker`);
			say(`   ${minutes.length} executions for ${expected.length} ticks (${minutes.join(', ')}), each on a worker`);
		} finally {
			await db.end();
		}

		say('== bad configuration: a worker without Redis');
		const deadPort = await freePort();
		const noRedis = spawnLogged('n8n-worker-no-redis', cluster.logs, 'n8n', ['worker'], {
			...cluster.baseEnv,
			QUEUE_BULL_REDIS_PORT: String(deadPort),
			QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD: '3000',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		});
		const code = await Promise.race([noRedis.exited, sleep(180_000).then(() => 'still running' as const)]);
		assert.notEqual(code, 'still running', `a worker without Redis kept running:\n${tail(noRedis)}`);
		assert.notEqual(code, 0, 'a worker without Redis exits non-zero');
		assert.match(readLog(noRedis), /Unable to connect to Redis after trying to connect for/);
		say(`   exited with ${String(code)}: "Unable to connect to Redis after trying to connect for …"`);

		ok = true;
		process.stdout.write(
			`${JSON.stringify({ erasures: ERASURES, exports: EXPORTS, loadSeconds, workers: 2, logs: cluster.logs })}\n`,
		);
	} finally {
		await c?.stop();
		say('\n== timings (s)');
		for (const [l, s] of timings) say(`  ${l.padEnd(60)} ${s.toFixed(1)}`);
		if (ok && process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
		else say(`\nlogs kept in ${work}`);
	}
}

main().then(
	() => {
		say('\nQUEUE E2E OK');
		process.exit(0);
	},
	(e: unknown) => {
		say(`\nQUEUE E2E FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
		process.exit(1);
	},
);
