// Ledgers written by version 1 (schema 1: one MAC for head, checkpoints and prune records; contact
// ids in clear) are upgraded when opened: their chain is checked with version 1's rules first, then
// they get a signed genesis naming their last entry, a head signed under the head domain, and an
// HMAC contact-id index. A broken old chain is refused with what to do, never blessed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerStorageError } from '../../src/ledger';
import { bothBackends } from './backends';
import type { TestBackend } from './backends';
import { writeV1Ledger } from './v1-fixture';

const env = bothBackends();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop(), 60_000);

async function schemaVersion(b: TestBackend, cfg: Parameters<TestBackend['raw']>[0]): Promise<number> {
	const raw = await b.raw(cfg);
	const v = b.name === 'sqlite' ? (await raw.query('PRAGMA user_version'))[0].user_version : (await raw.query('SELECT max(version) AS v FROM {t}ledger_migrations'))[0].v;
	await raw.close();
	return Number(v);
}

describe.each(env.backends.map((b) => [b.name, b] as const))('a version 1 ledger on %s', (_name, b) => {
	it('is upgraded on open: verifies (old part by version 1 rules), finds old entries by contact id, seals new ones, accepts old anchors', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 4 });
		const v1 = await writeV1Ledger(b, cfg, 10); // 10 entries + checkpoints at 5, 9, 13
		const ledger = await b.open(cfg);
		expect(await schemaVersion(b, cfg)).toBe(3);
		const v = await ledger.verify();
		expect(v).toMatchObject({ ok: true, entries: 13, checkpoints: 3, legacyUpto: v1.head.seq, lastSeq: v1.head.seq });
		expect(v.ledgerId).toMatch(/^[0-9a-f]{32}$/);
		// The index no longer holds contact ids in clear; search still finds the old entries.
		const raw = await b.raw(cfg);
		const refs = (await raw.query('SELECT ref FROM {t}ledger_refs')).map((r) => String(r.ref));
		await raw.close();
		expect(refs).not.toContain('c:c3');
		expect((await ledger.search({ contactId: 'c3' })).map((e) => e.requestId)).toEqual(['v1-req-3']);
		// New entries are sealed and chained on; checkpoints after the upgrade use the new MAC.
		for (let i = 0; i < 4; i++) await ledger.append({ type: 'erasure.done', requestId: `v2-${i}`, contactIds: ['c3'] });
		expect((await ledger.search({ contactId: 'c3' })).map((e) => e.requestId)).toEqual(['v1-req-3', 'v2-0', 'v2-1', 'v2-2', 'v2-3']);
		expect(await ledger.verify()).toMatchObject({ ok: true, checkpoints: 4, legacyUpto: v1.head.seq });
		// An anchor taken by version 1's Verify is still checked.
		expect(await ledger.verify({ anchor: v1.anchor })).toMatchObject({ ok: true, anchorChecked: true });
		await ledger.close();
		// Opened again: no second upgrade.
		const again = await b.open(cfg);
		expect((await again.verify()).ledgerId).toBe(v.ledgerId);
		await again.close();
	});

	it('after the upgrade, the old part cannot be cut to one of its checkpoints (the head mac is no longer interchangeable)', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 4 });
		await writeV1Ledger(b, cfg, 10);
		const ledger = await b.open(cfg);
		const raw = await b.raw(cfg);
		const [cp] = await raw.query("SELECT body FROM {t}ledger_entries WHERE type = 'ledger.checkpoint' AND seq = 9");
		const d = (JSON.parse(String(cp.body)) as { data: { uptoSeq: number; uptoHash: string; mac: string } }).data;
		await raw.query('DELETE FROM {t}ledger_entries WHERE seq > ?', [d.uptoSeq]);
		await raw.query('UPDATE {t}ledger_head SET seq = ?, hash = ?, mac = ? WHERE id = 1', [d.uptoSeq, d.uptoHash, d.mac]);
		await raw.close();
		expect(await ledger.verify()).toMatchObject({ ok: false, firstBroken: { seq: 8, reason: 'head_signature' } });
		await ledger.close();
	});

	it('a pruned version 1 ledger is upgraded and verifies from its signed cut', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 4 });
		const v1 = await writeV1Ledger(b, cfg, 10, { pruneAt: 6 });
		const ledger = await b.open(cfg);
		expect(await ledger.verify()).toMatchObject({ ok: true, cutAfterSeq: 6, lastSeq: v1.head.seq, legacyUpto: v1.head.seq });
		await ledger.close();
	});

	it('a broken version 1 ledger is refused with what to do, and left as it was', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 4 });
		await writeV1Ledger(b, cfg, 10);
		const raw = await b.raw(cfg);
		// An entry edited behind version 1's back: the upgrade's check (version 1's rules) finds it.
		await raw.query("UPDATE {t}ledger_entries SET body = replace(body, '\"i\":3', '\"i\":4') WHERE seq = 3");
		await raw.close();
		const error = await b.open(cfg).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(LedgerStorageError);
		expect(error).toMatchObject({ code: 'legacy_broken' });
		expect((error as Error).message).toMatch(/broken at entry 3 \(hash_mismatch\).*backup/);
		expect(await schemaVersion(b, cfg)).toBe(1);
	});
});
