// Purge e2e in real n8n (`npm run test:e2e:purge`, through test/e2e-queue/run.sh purge): n8n's own
// public API, an API key created here (Settings → n8n API, done through n8n's REST API as the editor
// does), and Intercom GDPR → n8n Execution → Purge in a workflow:
//   - a "privacy" workflow runs 5 times (3 for request PURGE-REQ-1, 2 for PURGE-REQ-10) and n8n keeps
//     the executions;
//   - Purge by request id, dry run: lists the 3, deletes nothing, records nothing;
//   - the real purge deletes exactly those 3 (PURGE-REQ-10 is a different request), and the ledger
//     records one `n8n.executions.purged` entry with their ids;
//   - by age: "older than 1 day" matches nothing just run; "older than 0 days" (dry) matches the rest;
//   - a key without execution:delete fails the purge with a clear error.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../../src/ledger';
import { sleep, spawnLogged, stopAll, tail, waitFor } from '../e2e-queue/procs';

const LEDGER_KEY = ['purge-e2e-ledger', 'not-secret-0123456789'].join('-'); // a throwaway ledger
const TARGET = 'icGdprPurgeTargt';
const PURGER = 'icGdprPurgeRun01';
const N8N_CRED = { id: 'icGdprPurgeN8nCr', name: 'n8n API (purge)' };
const LEDGER_CRED = { id: 'icGdprPurgeLgCrd', name: 'GDPR Ledger (purge e2e)' };
const say = (l: string) => process.stderr.write(`${l}\n`);

function n8n(logs: string, name: string, args: string[]): void {
	let err: { stdout?: string; stderr?: string; status?: number } | undefined;
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness: n8n's own CLI
		writeFileSync(join(logs, `${name}.log`), execFileSync('n8n', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 }));
	} catch (e) {
		err = e as typeof err;
	}
	if (err) throw new Error(`n8n ${args.join(' ')} exited with ${err.status}:\n${(err.stdout ?? '').slice(-3000)}\n${(err.stderr ?? '').slice(-2000)}`);
}

const webhook = (path: string, id: string) => ({
	id,
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: `${id.slice(0, -2)}ff`,
	parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
});

function workflows(): Array<Record<string, unknown>> {
	return [
		{
			id: TARGET,
			name: 'Purge e2e: a privacy workflow whose executions are kept',
			active: true,
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
			nodes: [
				webhook('purge-target', '8d0e0000-0000-4000-8000-000000000001'),
				{
					id: '8d0e0000-0000-4000-8000-000000000002',
					name: 'Handle Request',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [240, 0],
					parameters: {
						mode: 'manual',
						assignments: { assignments: [{ id: 'a1', name: 'requestId', value: '={{ $json.body.requestId }}', type: 'string' }] },
						includeOtherFields: false,
						options: {},
					},
				},
			],
			connections: { Webhook: { main: [[{ node: 'Handle Request', type: 'main', index: 0 }]] } },
			pinData: {},
		},
		{
			id: PURGER,
			name: 'Purge e2e: purge n8n executions',
			active: true,
			settings: { executionOrder: 'v1', saveDataSuccessExecution: 'none' },
			nodes: [
				webhook('purge-run', '8d0e0000-0000-4000-8000-000000000011'),
				{
					id: '8d0e0000-0000-4000-8000-000000000012',
					name: 'Purge',
					type: 'n8n-nodes-intercom-gdpr.intercomGdpr',
					typeVersion: 1,
					position: [240, 0],
					parameters: {
						resource: 'n8nExecution',
						operation: 'purge',
						purgeWorkflowIds: '={{ $json.body.workflowIds }}',
						purgeOlderThanDays: '={{ $json.body.olderThanDays }}',
						purgeRequestId: '={{ $json.body.requestId }}',
						purgeDryRun: '={{ $json.body.dryRun }}',
					},
					credentials: { gdprN8nApi: N8N_CRED, gdprLedger: LEDGER_CRED },
				},
			],
			connections: { Webhook: { main: [[{ node: 'Purge', type: 'main', index: 0 }]] } },
			pinData: {},
		},
	];
}

async function main(): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'intercom-gdpr-purge-'));
	const logs = join(work, 'logs');
	mkdirSync(join(work, 'import', 'workflows'), { recursive: true });
	mkdirSync(logs, { recursive: true });
	const port = Number(process.env.N8N_PORT);
	const base = `http://127.0.0.1:${port}`;
	let ok = false;
	try {
		const ledgerPath = join(work, 'ledger.sqlite');
		writeFileSync(
			join(work, 'import', 'credentials.json'),
			JSON.stringify([
				{ ...N8N_CRED, type: 'gdprN8nApi', data: { apiKey: 'replaced-after-start', baseUrl: base } },
				{ ...LEDGER_CRED, type: 'gdprLedger', data: { backend: 'sqlite', sqlitePath: ledgerPath, secretKey: LEDGER_KEY } },
			]),
		);
		for (const wf of workflows()) writeFileSync(join(work, 'import', 'workflows', `${String(wf.id)}.json`), JSON.stringify(wf));
		say('== import, publish, n8n start');
		n8n(logs, 'import-credentials', ['import:credentials', `--input=${join(work, 'import', 'credentials.json')}`]);
		n8n(logs, 'import-workflows', ['import:workflow', '--separate', `--input=${join(work, 'import', 'workflows')}`]);
		for (const id of [TARGET, PURGER]) n8n(logs, `publish-${id}`, ['publish:workflow', `--id=${id}`]);
		const main = spawnLogged('n8n-start', logs, 'n8n', ['start'], process.env);
		await waitFor('n8n /healthz/readiness', 300_000, async () => ((await fetch(`${base}/healthz/readiness`).catch(() => undefined))?.status === 200 ? true : undefined), main);

		say('== owner, login, two API keys (one for the purge: execution:list/read/delete only)');
		let cookie = '';
		const rest = async (method: string, path: string, body?: unknown) => {
			const r = await fetch(`${base}/rest${path}`, {
				method,
				headers: { 'content-type': 'application/json', 'browser-id': 'purge-e2e', ...(cookie ? { cookie } : {}) },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const set = r.headers.get('set-cookie');
			if (set) cookie = set.split(';')[0];
			const json = (await r.json().catch(() => ({}))) as { data?: Record<string, unknown> };
			assert.ok(r.status < 400, `${method} /rest${path}: ${r.status} ${JSON.stringify(json).slice(0, 300)}`);
			return json.data ?? {};
		};
		await rest('POST', '/owner/setup', { email: 'purge-e2e@example.com', firstName: 'Purge', lastName: 'Owner', password: 'PurgeE2e123' });
		await rest('POST', '/login', { emailOrLdapLoginId: 'purge-e2e@example.com', password: 'PurgeE2e123' });
		const key = async (label: string, scopes: string[]) => String((await rest('POST', '/api-keys', { label, scopes, expiresAt: null })).rawApiKey);
		const adminKey = await key('purge-e2e-admin', ['execution:list', 'execution:read', 'credential:update']);
		const purgeKey = await key('purge-e2e-purge', ['execution:list', 'execution:read', 'execution:delete']);
		const readOnlyKey = await key('purge-e2e-read-only', ['execution:list', 'execution:read']);
		const api = async (method: string, path: string, body?: unknown) => {
			const r = await fetch(`${base}/api/v1${path}`, {
				method,
				headers: { 'X-N8N-API-KEY': adminKey, 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const json = (await r.json().catch(() => ({}))) as Record<string, unknown>;
			assert.ok(r.status < 400, `${method} /api/v1${path}: ${r.status} ${JSON.stringify(json).slice(0, 300)}`);
			return json;
		};
		const setPurgeKey = (apiKey: string) => api('PATCH', `/credentials/${N8N_CRED.id}`, { name: N8N_CRED.name, type: 'gdprN8nApi', data: { apiKey, baseUrl: base } });
		await setPurgeKey(purgeKey);

		const hook = async (path: string, body: unknown) => {
			const r = await fetch(`${base}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			return { status: r.status, json: (await r.json().catch(() => ({}))) as Record<string, unknown> };
		};
		const targetExecutions = async () => ((await api('GET', `/executions?workflowId=${TARGET}&limit=250`)).data as Array<{ id: string }>).map((e) => String(e.id)).sort();
		await waitFor('webhooks registered', 60_000, async () => ((await hook('purge-target', { requestId: 'warm-up' })).status === 200 ? true : undefined), main);

		say('== 5 executions of the privacy workflow: 3 for PURGE-REQ-1, 2 for PURGE-REQ-10');
		for (const rid of ['PURGE-REQ-1', 'PURGE-REQ-10', 'PURGE-REQ-1', 'PURGE-REQ-10', 'PURGE-REQ-1']) {
			const r = await hook('purge-target', { requestId: rid });
			assert.equal(r.status, 200);
			assert.equal(r.json.requestId, rid);
		}
		const all = await waitFor('6 executions stored', 30_000, async () => {
			const ids = await targetExecutions();
			return ids.length === 6 ? ids : undefined;
		});

		say('== dry run by request id');
		const dry = await hook('purge-run', { workflowIds: TARGET, olderThanDays: -1, requestId: 'PURGE-REQ-1', dryRun: true });
		assert.equal(dry.status, 200, JSON.stringify(dry.json));
		assert.equal(dry.json.dryRun, true);
		assert.equal(dry.json.matched, 3, JSON.stringify(dry.json));
		assert.equal(dry.json.deleted, 0);
		assert.equal(dry.json.ledger, null);
		assert.deepEqual(await targetExecutions(), all, 'a dry run deletes nothing');

		say('== the real purge');
		const real = await hook('purge-run', { workflowIds: TARGET, olderThanDays: -1, requestId: 'PURGE-REQ-1', dryRun: false });
		assert.equal(real.status, 200, JSON.stringify(real.json));
		assert.equal(real.json.deleted, 3, JSON.stringify(real.json));
		assert.deepEqual((real.json.executionIds as string[]).sort(), (dry.json.executionIds as string[]).sort(), 'the real purge deletes what the dry run listed');
		const left = await targetExecutions();
		assert.equal(left.length, 3, `left: ${left.join(',')}`);
		for (const id of real.json.executionIds as string[]) assert.ok(!left.includes(id));

		say('== by age');
		const notOld = await hook('purge-run', { workflowIds: TARGET, olderThanDays: 1, requestId: '', dryRun: false });
		assert.equal(notOld.json.matched, 0, JSON.stringify(notOld.json));
		await sleep(1_100);
		const old = await hook('purge-run', { workflowIds: TARGET, olderThanDays: 0, requestId: '', dryRun: true });
		assert.equal(old.json.matched, 3, JSON.stringify(old.json));

		say('== the ledger records the real purges only');
		const ledger = await openLedger({ kind: 'sqlite', path: ledgerPath, key: LEDGER_KEY });
		try {
			const entries = await ledger.search({ type: 'n8n.executions.purged' });
			assert.equal(entries.length, 2, `entries: ${entries.length}`); // PURGE-REQ-1, and the "older than 1 day" run that matched 0
			const byRequest = entries.find((e) => e.requestId === 'PURGE-REQ-1');
			assert.ok(byRequest);
			assert.equal(byRequest.data.deleted, 3);
			assert.deepEqual([...(byRequest.data.executionIds as string[])].sort(), (real.json.executionIds as string[]).sort());
			assert.equal((real.json.ledger as { seq: number }).seq, byRequest.seq);
			assert.ok((await ledger.verify()).ok);
		} finally {
			await ledger.close();
		}

		say('== a key without execution:delete');
		await setPurgeKey(readOnlyKey);
		const refused = await hook('purge-run', { workflowIds: TARGET, olderThanDays: 0, requestId: '', dryRun: false });
		assert.notEqual(refused.status, 200);
		say(`   webhook answered ${refused.status}: ${JSON.stringify(refused.json).slice(0, 200)}`);
		assert.equal((await targetExecutions()).length, 3, 'nothing deleted with a read-only key');
		ok = true;
	} finally {
		await stopAll();
		if (ok && process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
		else say(`logs kept in ${work}`);
	}
}

main().then(
	() => {
		say('\nPURGE E2E OK');
		process.exit(0);
	},
	(e: unknown) => {
		say(`\nPURGE E2E FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
		process.exit(1);
	},
);
export { tail };
