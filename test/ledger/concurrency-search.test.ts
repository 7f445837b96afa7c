// Issue 10 point 9 (ledger side) and point 7 (who acted; contact ids at rest), on both backends:
// one ledger object shared by concurrent tasks; every search filter field checked by name; the
// actor bound at open written into every entry; contact ids sealed in the database, clear to the key holder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerInputError } from '../../src/ledger';
import type { LedgerSearch } from '../../src/ledger';
import { bothBackends } from './backends';

const env = bothBackends();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop(), 60_000);

describe.each(env.backends.map((b) => [b.name, b] as const))('one ledger object, many tasks, on %s', (_name, b) => {
	it('append, appendMany, verify (hashes in a worker: awaits inside its read transaction) and prune at the same time: all succeed, one valid chain', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 10 });
		const ledger = await b.open(cfg);
		await ledger.appendMany(Array.from({ length: 30 }, (_, i) => ({ type: 'x.old', requestId: `old-${i}`, at: '2018-01-01T00:00:00Z' })));
		const tasks: Array<Promise<unknown>> = [];
		for (let i = 0; i < 20; i++) {
			tasks.push(ledger.append({ type: 'x.single', requestId: `s-${i}`, contactIds: [`c${i}`] }));
			if (i % 5 === 0) tasks.push(ledger.verify({ parallel: true }));
			if (i % 7 === 0) tasks.push(ledger.appendMany([{ type: 'x.batch', requestId: `b-${i}-1` }, { type: 'x.batch', requestId: `b-${i}-2` }]));
			if (i === 10) tasks.push(ledger.prune({ before: '2020-01-01T00:00:00Z' }));
			if (i % 4 === 0) tasks.push(ledger.search({ type: 'x.single' }));
		}
		const settled = await Promise.allSettled(tasks);
		const failures = settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
		expect(failures).toEqual([]);
		for (const s of settled) {
			const value = (s as PromiseFulfilledResult<{ ok?: boolean }>).value;
			if (value && typeof value === 'object' && 'ok' in value) expect(value.ok).toBe(true);
		}
		const v = await ledger.verify();
		expect(v.ok).toBe(true);
		expect(v.cutAfterSeq).toBeGreaterThanOrEqual(30);
		expect(await ledger.search({ type: 'x.old' })).toEqual([]);
		expect(await ledger.search({ type: 'x.single', limit: 100 })).toHaveLength(20);
		expect(await ledger.search({ type: 'x.batch', limit: 100 })).toHaveLength(6);
		await ledger.close();
		await expect(ledger.append({ type: 'x.t', requestId: 'r' })).rejects.toThrow(/closed/);
	});

	it('close() waits for what is already running', async () => {
		const ledger = await b.open(b.freshConfig());
		await ledger.appendMany(Array.from({ length: 50 }, (_, i) => ({ type: 'x.t', requestId: `r${i}` })));
		const verifying = ledger.verify({ parallel: true });
		await ledger.close();
		expect((await verifying).ok).toBe(true);
	});
});

describe.each(env.backends.map((b) => [b.name, b] as const))('search filters on %s', (_name, b) => {
	it('refuses a bad field by name and says how to fix it, never echoing the value', async () => {
		const ledger = await b.open(b.freshConfig());
		await ledger.append({ type: 'x.t', requestId: 'r1', at: '2026-01-01T00:00:00Z' });
		const bad: Array<[LedgerSearch, RegExp]> = [
			[{ since: 'bad' }, /^Ledger search since is not a date\. Pass an ISO-8601 time/],
			[{ until: 'last tuesday' }, /^Ledger search until is not a date/],
			[{ subject: 'erin@example.com' }, /^Ledger search subject is not a 64-character hex HMAC\. Pass ledger\.hashIdentifier/],
			[{ contactId: 'erin@example.com' }, /^Ledger search contactId is not an Intercom contact id/],
			[{ requestId: 'erin@example.com' }, /^Ledger search requestId is not/],
			[{ type: 'Erasure Done' }, /^Ledger search type is not a dotted lower-case entry type/],
			[{ limit: 0 }, /^Ledger search limit is not a whole number of at least 1/],
			[{ limit: Number.NaN }, /^Ledger search limit/],
			[{ newestFirst: 'yes' as unknown as boolean }, /^Ledger search newestFirst/],
			[{ email: 'erin@example.com' } as unknown as LedgerSearch, /^Ledger search email is not a search field\. Use subject, contactId/],
			[{ 'erin@example.com': 1 } as unknown as LedgerSearch, /^Ledger search field is not a search field/],
		];
		for (const [filter, message] of bad) {
			const error = await ledger.search(filter).catch((e: unknown) => e);
			expect(error, JSON.stringify(Object.keys(filter))).toBeInstanceOf(LedgerInputError);
			expect((error as Error).message).toMatch(message);
			expect((error as Error).message).not.toMatch(/erin|tuesday|Erasure Done/);
		}
		// Good values still work; Dates are accepted; a limit above 10 000 is capped, not refused.
		expect(await ledger.search({ since: new Date('2025-12-31T00:00:00Z') as unknown as string, limit: 50_000 })).toHaveLength(1);
		await ledger.close();
	});
});

describe.each(env.backends.map((b) => [b.name, b] as const))('who acted, and contact ids at rest, on %s', (_name, b) => {
	it('every entry carries the actor the ledger was opened with (or the one given per entry); checkpoints name none', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 2 });
		const actor = { workflowId: 'wf7Hq2', executionId: '1234', userId: '5f1b7e0c-2b7a-4c8e-9b1a-0d2c3e4f5a6b', mode: 'manual' };
		const ledger = await b.open({ ...cfg, actor });
		const [e] = await ledger.appendMany([{ type: 'erasure.done', requestId: 'r1' }, { type: 'erasure.done', requestId: 'r2', actor: { workflowId: 'wfOther', executionId: '99' } }]);
		expect(e.actor).toEqual(actor);
		const found = await ledger.search({});
		expect(found.map((x) => [x.type, x.actor])).toEqual([
			['erasure.done', actor],
			['erasure.done', { workflowId: 'wfOther', executionId: '99' }],
			['ledger.checkpoint', undefined],
		]);
		expect((await ledger.verify()).ok).toBe(true);
		// The actor is in the hashed body: editing it is caught.
		const raw = await b.raw(cfg);
		await raw.query("UPDATE {t}ledger_entries SET body = replace(body, '\"executionId\":\"1234\"', '\"executionId\":\"1235\"') WHERE seq = 1");
		await raw.close();
		expect((await ledger.verify()).firstBroken).toMatchObject({ seq: 1, reason: 'hash_mismatch' });
		await ledger.close();
	});

	it('refuses an actor that is not made of ids, without echoing it', async () => {
		await expect(b.open({ ...b.freshConfig(), actor: { userId: 'erin@example.com' } })).rejects.toThrow(/^Ledger config\.actor\.userId is not an id/);
		const ledger = await b.open(b.freshConfig());
		const error = await ledger.append({ type: 'x.t', requestId: 'r', actor: { name: 'Erin' } as never }).catch((e: Error) => e);
		expect((error as Error).message).toMatch(/^Ledger actor\.name is not a known actor field/);
		expect((error as Error).message).not.toContain('Erin');
		await ledger.close();
	});

	it('contact ids are sealed in the database (no id in bodies or index), found and returned in clear with the key', async () => {
		const cfg = b.freshConfig();
		const ledger = await b.open(cfg);
		const id = '6745f0a1b2c3d4e5f6a7b8c9';
		await ledger.append({ type: 'retention.archived', requestId: 'run-1', contactIds: [id] });
		await ledger.append({ type: 'erasure.done', requestId: 'run-2', contactIds: [id] });
		const raw = await b.raw(cfg);
		const dump = JSON.stringify([...(await raw.query('SELECT * FROM {t}ledger_entries')), ...(await raw.query('SELECT * FROM {t}ledger_refs'))]);
		const bodies = (await raw.query('SELECT body FROM {t}ledger_entries ORDER BY seq')).map((r) => (JSON.parse(String(r.body)) as { contactIds: string[] }).contactIds[0]);
		await raw.close();
		expect(dump).not.toContain(id);
		// Random nonces: the same id seals differently in each entry (no linking entries by the stored value).
		expect(bodies[0]).not.toBe(bodies[1]);
		const found = await ledger.search({ contactId: id });
		expect(found.map((e) => [e.requestId, e.contactIds])).toEqual([
			['run-1', [id]],
			['run-2', [id]],
		]);
		await ledger.close();
	});
});
