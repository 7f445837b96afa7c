// n8n in queue mode for the e2e and the queue bench: PostgreSQL (n8n's database and the GDPR ledger,
// started like the ledger tests start theirs), Redis on a free port, one `n8n start` main and N
// `n8n worker` processes sharing one user folder (so the community package installed there is loaded
// by all of them), the fake Intercom in this process.
//
// Expects the environment `test/e2e-queue/run.sh` prepares (n8n on PATH, N8N_USER_FOLDER with the
// package installed, N8N_ENCRYPTION_KEY, …: scripts/n8n-env.sh).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startFakeIntercom, type FakeIntercom } from '../fake-intercom/index';
import { startPostgres, type PostgresServer } from '../ledger/postgres-server';
import { freePort, readLog, sleep, spawnLogged, startRedis, stopAll, tail, waitFor, type Proc } from './procs';

/** The ledger credential's key for these runs (not a secret: a throwaway ledger). */
export const LEDGER_KEY = ['queue-e2e-ledger', 'not-secret-0123456789'].join('-');
export const N8N_DB = 'n8n';
export const LEDGER_DB = 'gdpr_ledger';

export interface Cluster {
	work: string;
	logs: string;
	fake: FakeIntercom;
	pg: PostgresServer;
	redisPort: number;
	main: Proc;
	workers: Proc[];
	baseEnv: NodeJS.ProcessEnv;
	httpPort: number;
	n8nDb(): Promise<Client>;
	ledgerConnection: { host: string; port: number; database: string; user: string };
	stop(): Promise<void>;
}

export interface ClusterOptions {
	work: string;
	workers: number;
	workflows: Array<Record<string, unknown>>;
	credentials: (fake: FakeIntercom, pg: { port: number; database: string }) => Array<Record<string, unknown>>;
	fakeOptions?: Parameters<typeof startFakeIntercom>[0];
	/** Jobs one worker runs at once (n8n worker --concurrency; n8n's minimum is 5). */
	workerConcurrency?: number;
	log?: (line: string) => void;
}

export function n8nEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
	return env;
}

/** Runs one n8n CLI command to completion (import, publish); throws with the log tail. */
function n8nCli(logs: string, name: string, env: NodeJS.ProcessEnv, args: string[]): void {
	const log = join(logs, `${name}.log`);
	let failure: { stdout?: string; stderr?: string; message: string } | undefined;
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness: n8n's own CLI
		writeFileSync(log, execFileSync('n8n', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 }));
	} catch (e) {
		failure = e as typeof failure;
	}
	if (failure) {
		writeFileSync(log, `${failure.stdout ?? ''}\n${failure.stderr ?? ''}`);
		throw new Error(`n8n ${args.join(' ')} failed: ${failure.message}\n${(failure.stdout ?? '').slice(-3000)}\n${(failure.stderr ?? '').slice(-3000)}`);
	}
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
	const say = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
	const logs = join(opts.work, 'logs');
	mkdirSync(logs, { recursive: true });
	const closers: Array<() => Promise<void>> = [];
	const stop = async () => {
		await stopAll();
		while (closers.length > 0) await closers.pop()!().catch(() => undefined);
	};
	let started = false;
	try {
		say('== PostgreSQL (n8n database + ledger)');
		const pg = await startPostgres();
		closers.push(() => pg.stop());
		const admin = new Client({ connectionString: pg.connectionString });
		await admin.connect();
		await admin.query(`CREATE DATABASE ${N8N_DB}`);
		await admin.query(`CREATE DATABASE ${LEDGER_DB}`);
		await admin.end();

		say('== Redis');
		const redis = await startRedis(join(opts.work, 'redis'), logs);

		say('== fake Intercom');
		const fake = await startFakeIntercom(opts.fakeOptions ?? {});
		closers.push(() => fake.close());

		const httpPort = await freePort();
		const baseEnv = n8nEnv({
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: N8N_DB,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_PORT: String(httpPort),
			N8N_LOG_LEVEL: 'info',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		});

		say('== import credentials and workflows (first command also migrates the database)');
		const importDir = join(opts.work, 'import');
		mkdirSync(join(importDir, 'workflows'), { recursive: true });
		writeFileSync(join(importDir, 'credentials.json'), JSON.stringify(opts.credentials(fake, { port: pg.port, database: LEDGER_DB }), null, 2));
		for (const wf of opts.workflows) writeFileSync(join(importDir, 'workflows', `${String(wf.id)}.json`), JSON.stringify(wf, null, 2));
		n8nCli(logs, 'import-credentials', baseEnv, ['import:credentials', `--input=${join(importDir, 'credentials.json')}`]);
		// (`import:workflow --activeState=fromJson` is accepted in queue mode but left the webhooks
		// unregistered in 2.41.1: publish each workflow instead.)
		n8nCli(logs, 'import-workflows', baseEnv, ['import:workflow', '--separate', `--input=${join(importDir, 'workflows')}`]);
		for (const wf of opts.workflows) {
			if (wf.active === true) n8nCli(logs, `publish-${String(wf.id)}`, baseEnv, ['publish:workflow', `--id=${String(wf.id)}`]);
		}

		say('== n8n main + workers (EXECUTIONS_MODE=queue)');
		const main = spawnLogged('n8n-main', logs, 'n8n', ['start'], baseEnv);
		const workers: Proc[] = [];
		for (let i = 1; i <= opts.workers; i++) {
			const env = { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_ACTIVE: 'false' };
			workers.push(spawnLogged(`n8n-worker-${i}`, logs, 'n8n', ['worker', `--concurrency=${opts.workerConcurrency ?? 10}`], env));
		}
		await waitFor('n8n main /healthz/readiness', 300_000, async () => {
			const r = await fetch(`http://127.0.0.1:${httpPort}/healthz/readiness`).catch(() => undefined);
			return r?.status === 200 ? true : undefined;
		}, main);
		for (const w of workers) await waitFor(`${w.name} ready`, 300_000, () => (readLog(w).includes('n8n worker is now ready') ? true : undefined), w);

		const n8nDb = async () => {
			const c = new Client({ host: '127.0.0.1', port: pg.port, database: N8N_DB, user: 'postgres' });
			await c.connect();
			return c;
		};
		started = true;
		return {
			work: opts.work,
			logs,
			fake,
			pg,
			redisPort: redis.port,
			main,
			workers,
			baseEnv,
			httpPort,
			n8nDb,
			ledgerConnection: { host: '127.0.0.1', port: pg.port, database: LEDGER_DB, user: 'postgres' },
			stop,
		};
	} finally {
		if (!started) await stop();
	}
}

/** Waits until a production webhook is registered: a GET on a POST-only webhook names the method. */
export async function waitForWebhook(c: Cluster, path: string): Promise<void> {
	await waitFor(`webhook ${path} registered`, 120_000, async () => {
		const r = await fetch(`http://127.0.0.1:${c.httpPort}/webhook/${path}`).catch(() => undefined);
		if (!r) return undefined;
		const text = await r.text();
		return r.status !== 404 || /POST/.test(text) ? true : undefined;
	}, c.main);
}

export async function postWebhook(c: Cluster, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
	const r = await fetch(`http://127.0.0.1:${c.httpPort}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(600_000),
	});
	const text = await r.text();
	let json: Record<string, unknown>;
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		json = { raw: text.slice(0, 500) };
	}
	return { status: r.status, json };
}

/** execution id → the worker whose log says it finished it ("Worker finished execution N"). */
export function executionsByWorker(c: Cluster): Map<string, string[]> {
	const byId = new Map<string, string[]>();
	for (const w of [c.main, ...c.workers]) {
		for (const m of readLog(w).matchAll(/Worker finished execution (\d+)/g)) {
			byId.set(m[1], [...(byId.get(m[1]) ?? []), w.name]);
		}
	}
	return byId;
}

export { sleep, tail };
