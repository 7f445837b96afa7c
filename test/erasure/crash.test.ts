// A real crash between "delete" and "record": a child process runs eraseSubject, we SIGKILL it right
// after Intercom (the fake) has answered its first contact DELETE, then a re-run completes the erasure.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseSubject } from '../../src/erasure';
import { createIntercom } from '../../src/intercom';
import { startFakeIntercom } from '../fake-intercom';
import type { FakeIntercom } from '../fake-intercom';
import { bothBackends } from '../ledger/backends';
import type { LedgerConfig } from '../../src/ledger';

const env = bothBackends();
let fake: FakeIntercom;
beforeAll(async () => {
	fake = await startFakeIntercom({ seed: 1 });
	await env.start();
}, 60_000);
afterAll(async () => {
	await fake.close();
	await env.stop();
}, 60_000);

/** Runs the worker until it reports its first delete, then kills it with SIGKILL. */
function runAndKill(cfg: LedgerConfig, ref: object): Promise<{ killedAfter: string; signal: string | null }> {
	return new Promise((resolve, reject) => {
		// A real process to kill (the point of the test). eslint: tests may start processes; nodes may not.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'crash-worker.ts'), fake.url, fake.token, JSON.stringify(cfg), JSON.stringify(ref)], {
			cwd: join(__dirname, '..', '..'),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		let killedAfter = '';
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.stdout.on('data', (d: Buffer) => {
			out += d.toString();
			const m = /deleted (\w+)/.exec(out);
			const logged = fake.requests.some((r) => r.method === 'DELETE' && r.status === 200);
			if (m && logged && !killedAfter) {
				killedAfter = m[1];
				child.kill('SIGKILL');
			}
		});
		child.on('exit', (code, signal) => (killedAfter ? resolve({ killedAfter, signal }) : reject(new Error(`worker exited ${code} before the delete: ${err}${out}`))));
	});
}

describe.each(env.backends.map((b) => [b.name, b] as const))('crash between delete and record (ledger on %s)', (_name, b) => {
	it('leaves an open intent; the next run finds it, completes the same request and deletes nothing twice', async () => {
		fake.reset();
		const fx = fake.workspace.fixtures;
		const cfg = b.freshConfig();
		const { killedAfter, signal } = await runAndKill(cfg, { email: fx.sharedEmail });
		expect(signal).toBe('SIGKILL');
		expect([fx.sharedEmailLeadId, fx.sharedEmailUserId]).toContain(killedAfter);
		expect(fake.workspace.contacts.has(killedAfter)).toBe(false);

		const ledger = await b.open(cfg);
		const before = await ledger.search({});
		expect(before.map((e) => e.type)).toEqual(['erasure.intent']); // durable, nothing after it
		expect((await ledger.verify()).ok).toBe(true);

		fake.requests.length = 0;
		const r = await eraseSubject(createIntercom({ token: fake.token, baseUrl: fake.url }), { email: fx.sharedEmail }, { ledger });
		expect(r).toMatchObject({ status: 'erased', requestId: before[0].requestId, resumed: true });
		const other = killedAfter === fx.sharedEmailLeadId ? fx.sharedEmailUserId : fx.sharedEmailLeadId;
		expect(r.contacts.find((c) => c.id === killedAfter)?.status).toBe('already_deleted');
		expect(r.contacts.find((c) => c.id === other)?.status).toBe('deleted');
		expect(fake.requests.filter((q) => q.method === 'DELETE' && q.path.startsWith('/contacts/')).map((q) => q.path)).toEqual([`/contacts/${other}`]);
		// The conversations the first run deleted come from the intent: asked again, they answer 404 (already deleted).
		const planned = ((before[0].data.plan as { conversationIds: string[] }).conversationIds ?? []).map(String);
		expect(planned.length).toBeGreaterThan(0);
		expect(fake.requests.filter((q) => q.method === 'DELETE' && q.path.startsWith('/conversations/')).map((q) => [q.path, q.status])).toEqual(
			planned.map((id) => [`/conversations/${id}`, 404]),
		);
		expect((await ledger.search({ requestId: r.requestId })).map((e) => e.type)).toEqual(['erasure.intent', 'erasure.intent', 'erasure.done']);
		expect((await ledger.verify()).ok).toBe(true);
		await ledger.close();
	}, 60_000);
});
