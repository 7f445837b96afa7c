// Queue bench: n8n in queue mode with 1, then 2 workers against the fake Intercom at a low rate limit
// (429s, total time). It installs n8n and starts PostgreSQL, Redis and three n8n processes, so it runs
// only when named: `npm run bench queue` (details in test/bench/queue-cluster.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default async function queueBench(): Promise<void> {
	if (!process.argv.slice(2).includes('queue')) {
		console.log('not run: starts n8n in queue mode (minutes); run it by name: npm run bench queue');
		return;
	}
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- bench harness: the queue-mode cluster
	const r = spawnSync('bash', [join(__dirname, '..', 'e2e-queue', 'run.sh'), 'bench'], { stdio: 'inherit' });
	if (r.status !== 0) throw new Error(`queue bench failed (exit ${r.status})`);
}
