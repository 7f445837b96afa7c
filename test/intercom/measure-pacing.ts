// Not a test: prints how the gateway's pacing behaves against a squeezed rate limit, next to the
// bare SDK (its own retries, no pacing). Run: npx tsx test/intercom/measure-pacing.ts [calls] [limit] [windowSeconds]
import { IntercomClient } from 'intercom-client';
import { startFakeIntercom } from '../fake-intercom/index';
import { createIntercom } from '../../src/intercom';

async function main(): Promise<void> {
	const [calls = 300, limit = 50, windowSeconds = 2] = process.argv.slice(2).map(Number);
	const fake = await startFakeIntercom({ windowSeconds });

	fake.squeezeRateLimit(limit);
	const gw = createIntercom({ token: fake.token, baseUrl: fake.url, maxConcurrency: 8 });
	let t = Date.now();
	const ours = await Promise.allSettled(Array.from({ length: calls }, () => gw.me()));
	const oursMs = Date.now() - t;
	const oursLog = fake.requests.slice();

	fake.reset();
	fake.squeezeRateLimit(limit);
	const sdk = new IntercomClient({ token: fake.token, baseUrl: fake.url });
	t = Date.now();
	const bare = await Promise.allSettled(Array.from({ length: calls }, () => sdk.admins.identify()));
	const bareMs = Date.now() - t;
	const bareLog = fake.requests.slice();
	await fake.close();

	const row = (name: string, settled: PromiseSettledResult<unknown>[], log: typeof oursLog, ms: number) => ({
		client: name,
		calls,
		ok: settled.filter((s) => s.status === 'fulfilled').length,
		failed: settled.filter((s) => s.status === 'rejected').length,
		requestsSent: log.length,
		'429s': log.filter((r) => r.status === 429).length,
		// a burst = requests separated by less than half a window from the previous one
		bursts: log.filter((r, i) => i === 0 || r.at - log[i - 1].at > (windowSeconds * 1000) / 2).length,
		seconds: (ms / 1000).toFixed(1),
	});
	console.log(`limit ${limit} per ${windowSeconds}-second window; at least ${Math.ceil(calls / limit)} windows needed`);
	console.table([row('gateway (paced)', ours, oursLog, oursMs), row('bare SDK', bare, bareLog, bareMs)]);
}

void main();
