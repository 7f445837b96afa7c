// Issue 10 point 6: a ledger that cannot be cut short. The attacker holds the database (SQLite file
// or PostgreSQL schema) but NOT the key; each test is one thing they can do with SQL, on both
// backends. Verify must fail at a named reason, or — where no database-only check can tell (a
// rollback to an older consistent copy) — the outside anchor must.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger, LedgerConfig } from '../../src/ledger';
import { prunedInput } from '../../src/ledger/chain';
import { bothBackends, keysOf } from './backends';
import type { RawDb, TestBackend } from './backends';

const env = bothBackends();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop(), 60_000);

async function verifyBoth(ledger: Ledger, opts: { anchor?: Parameters<Ledger['verify']>[0] extends infer O ? (O extends { anchor?: infer A } ? A : never) : never } = {}) {
	const seq = await ledger.verify({ ...opts, parallel: false });
	const par = await ledger.verify({ ...opts, parallel: true });
	expect({ ...par, durationMs: 0 }).toEqual({ ...seq, durationMs: 0 });
	return seq;
}

/** n entries with a checkpoint every 4: seq 1-4, checkpoint 5, 6-8, checkpoint 9, 10-12, checkpoint 13, … */
async function filled(b: TestBackend, n: number): Promise<{ cfg: LedgerConfig; ledger: Ledger }> {
	const cfg = b.freshConfig({ checkpointEvery: 4 });
	const ledger = await b.open(cfg);
	for (let i = 1; i <= n; i++) await ledger.append({ type: 'erasure.done', requestId: `req-${i}`, contactIds: [`c${i}`], data: { i } });
	return { cfg, ledger };
}

async function withRaw<T>(b: TestBackend, cfg: LedgerConfig, fn: (raw: RawDb) => Promise<T>): Promise<T> {
	const raw = await b.raw(cfg);
	try {
		return await fn(raw);
	} finally {
		await raw.close();
	}
}

const dataOf = (body: unknown) => (JSON.parse(String(body)) as { data: { uptoSeq: number; uptoHash: string; mac: string } }).data;

describe.each(env.backends.map((b) => [b.name, b] as const))('cutting the ledger short on %s (database access, no key)', (_name, b) => {
	it('cut to the last checkpoint, its seq/hash/mac copied into the head row → head_signature', async () => {
		const { cfg, ledger } = await filled(b, 11); // checkpoints at 5, 9, 13; head at 14
		await withRaw(b, cfg, async (raw) => {
			const [cp] = await raw.query("SELECT body FROM {t}ledger_entries WHERE type = 'ledger.checkpoint' ORDER BY seq DESC LIMIT 1");
			const d = dataOf(cp.body); // signs (12, hash of 12)
			await raw.query('DELETE FROM {t}ledger_entries WHERE seq > ?', [d.uptoSeq]);
			await raw.query('UPDATE {t}ledger_head SET seq = ?, hash = ?, mac = ? WHERE id = 1', [d.uptoSeq, d.uptoHash, d.mac]);
		});
		expect(await verifyBoth(ledger)).toMatchObject({ ok: false, firstBroken: { seq: 12, reason: 'head_signature' } });
		await ledger.close();
	});

	it('cut to a signed prune point (recorded, not yet carried out), its mac copied into the head row → head_signature', async () => {
		const { cfg, ledger } = await filled(b, 6);
		const keys = await keysOf(b, cfg);
		const [row] = await withRaw(b, cfg, (raw) => raw.query('SELECT hash FROM {t}ledger_entries WHERE seq = 3'));
		await ledger.append(prunedInput(keys, 3, String(row.hash))); // as ledger.prune writes it, before its delete
		await ledger.append({ type: 'erasure.done', requestId: 'later' });
		await withRaw(b, cfg, async (raw) => {
			const [rec] = await raw.query("SELECT body FROM {t}ledger_entries WHERE type = 'ledger.pruned'");
			const d = dataOf(rec.body);
			await raw.query('DELETE FROM {t}ledger_entries WHERE seq > ?', [d.uptoSeq]);
			await raw.query('UPDATE {t}ledger_head SET seq = ?, hash = ?, mac = ? WHERE id = 1', [d.uptoSeq, d.uptoHash, d.mac]);
		});
		expect(await verifyBoth(ledger)).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'head_signature' } });
		await ledger.close();
	});

	it('the front cut at a checkpoint, "justified" by a prune record planted outside the chain with the checkpoint mac → sequence_gap', async () => {
		const { cfg, ledger } = await filled(b, 6); // checkpoint 5 signs (4, hash 4)
		await withRaw(b, cfg, async (raw) => {
			const [cp] = await raw.query("SELECT body FROM {t}ledger_entries WHERE type = 'ledger.checkpoint' ORDER BY seq LIMIT 1");
			const d = dataOf(cp.body);
			await raw.query('DELETE FROM {t}ledger_entries WHERE seq <= ?', [d.uptoSeq]);
			const body = JSON.stringify({ at: '2020-01-01T00:00:00.000Z', contactIds: [], data: d, requestId: `pruned-${d.uptoSeq}`, seq: 0, subjects: [], type: 'ledger.pruned' });
			await raw.query("INSERT INTO {t}ledger_entries (seq, at, type, request_id, body, prev_hash, hash) VALUES (0, '2020-01-01T00:00:00.000Z', 'ledger.pruned', ?, ?, ?, ?)", [`pruned-${d.uptoSeq}`, body, '0'.repeat(64), '1'.repeat(64)]);
		});
		expect(await verifyBoth(ledger)).toMatchObject({ ok: false, cutAfterSeq: 0, firstBroken: { reason: 'sequence_gap' } });
		await ledger.close();
	});

	it('wiped: every entry and the head deleted → head_missing; the genesis deleted too → genesis_missing; entries only → head_mismatch', async () => {
		const a = await filled(b, 5);
		await withRaw(b, a.cfg, async (raw) => {
			await raw.query('DELETE FROM {t}ledger_refs');
			await raw.query('DELETE FROM {t}ledger_entries');
			await raw.query('DELETE FROM {t}ledger_head');
		});
		expect(await verifyBoth(a.ledger)).toMatchObject({ ok: false, entries: 0, firstBroken: { reason: 'head_missing' } });
		await withRaw(b, a.cfg, (raw) => raw.query("DELETE FROM {t}ledger_meta WHERE key = 'genesis'"));
		expect(await verifyBoth(a.ledger)).toMatchObject({ ok: false, entries: 0, ledgerId: '', firstBroken: { reason: 'genesis_missing' } });
		await a.ledger.close();
		// Opening it again does not quietly give it a new identity: appends are refused, Verify still fails.
		const reopened = await b.open(a.cfg);
		await expect(reopened.append({ type: 'x.t', requestId: 'r' })).rejects.toThrow(/genesis/);
		expect((await reopened.verify()).firstBroken?.reason).toBe('genesis_missing');
		await reopened.close();

		const c = await filled(b, 5);
		await withRaw(b, c.cfg, (raw) => raw.query('DELETE FROM {t}ledger_entries'));
		expect(await verifyBoth(c.ledger)).toMatchObject({ ok: false, firstBroken: { reason: 'head_mismatch' } });
		await c.ledger.close();
	});

	it('the genesis deleted and re-created without the key → bad_genesis; the genesis of another ledger with the same key → the head no longer verifies', async () => {
		const a = await filled(b, 3);
		const other = await filled(b, 3);
		const [g] = await withRaw(b, a.cfg, (raw) => raw.query("SELECT value FROM {t}ledger_meta WHERE key = 'genesis'"));
		const forged = { ...(JSON.parse(String(g.value)) as object), createdAt: '2020-01-01T00:00:00.000Z' };
		await withRaw(b, a.cfg, (raw) => raw.query("UPDATE {t}ledger_meta SET value = ? WHERE key = 'genesis'", [JSON.stringify(forged)]));
		expect(await verifyBoth(a.ledger)).toMatchObject({ ok: false, firstBroken: { reason: 'bad_genesis' } });
		const [og] = await withRaw(b, other.cfg, (raw) => raw.query("SELECT value FROM {t}ledger_meta WHERE key = 'genesis'"));
		await withRaw(b, a.cfg, (raw) => raw.query("UPDATE {t}ledger_meta SET value = ? WHERE key = 'genesis'", [String(og.value)]));
		expect(await verifyBoth(a.ledger)).toMatchObject({ ok: false, firstBroken: { reason: 'head_signature' } });
		await a.ledger.close();
		await other.ledger.close();
	});

	it('the head row and a checkpoint of another ledger with the same key do not stand in for this ledger\'s', async () => {
		const a = await filled(b, 5);
		const other = await filled(b, 5);
		// Another ledger's whole chain and head copied over this one (this ledger's genesis kept).
		const rows = await withRaw(b, other.cfg, (raw) => raw.query('SELECT seq, at, type, request_id, body, prev_hash, hash FROM {t}ledger_entries ORDER BY seq'));
		const [head] = await withRaw(b, other.cfg, (raw) => raw.query('SELECT seq, hash, mac FROM {t}ledger_head'));
		await withRaw(b, a.cfg, async (raw) => {
			await raw.query('DELETE FROM {t}ledger_entries');
			for (const r of rows) {
				await raw.query('INSERT INTO {t}ledger_entries (seq, at, type, request_id, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)', [Number(r.seq), String(r.at), String(r.type), String(r.request_id), String(r.body), String(r.prev_hash), String(r.hash)]);
			}
			await raw.query('UPDATE {t}ledger_head SET seq = ?, hash = ?, mac = ? WHERE id = 1', [Number(head.seq), String(head.hash), String(head.mac)]);
		});
		// Its checkpoint (seq 5) is signed for the other ledger's id: caught there, before the head.
		expect(await verifyBoth(a.ledger)).toMatchObject({ ok: false, firstBroken: { seq: 5, reason: 'bad_checkpoint' } });
		await a.ledger.close();
		await other.ledger.close();
	});

	it('LIMIT: a head replayed from an older copy (tail cut back to it) verifies — the outside anchor catches it', async () => {
		const { cfg, ledger } = await filled(b, 5);
		const [old] = await withRaw(b, cfg, (raw) => raw.query('SELECT seq, hash, mac FROM {t}ledger_head'));
		for (let i = 0; i < 3; i++) await ledger.append({ type: 'erasure.done', requestId: `after-${i}` });
		const anchor = (await ledger.verify()).anchor!;
		await withRaw(b, cfg, async (raw) => {
			await raw.query('DELETE FROM {t}ledger_entries WHERE seq > ?', [Number(old.seq)]);
			await raw.query('UPDATE {t}ledger_head SET seq = ?, hash = ?, mac = ? WHERE id = 1', [Number(old.seq), String(old.hash), String(old.mac)]);
		});
		// The database alone is an older consistent copy: nothing inside it can tell.
		expect(await verifyBoth(ledger)).toMatchObject({ ok: true, lastSeq: Number(old.seq) });
		expect(await verifyBoth(ledger, { anchor })).toMatchObject({ ok: false, anchorChecked: false, firstBroken: { seq: anchor.seq, reason: 'head_mismatch' } });
		await ledger.close();
	});

	it('LIMIT: the ledger dropped and created anew verifies as a new, younger ledger — the anchor names the old one', async () => {
		const { cfg, ledger } = await filled(b, 3);
		const before = await ledger.verify();
		await ledger.close();
		await withRaw(b, cfg, async (raw) => {
			for (const t of ['ledger_refs', 'ledger_entries', 'ledger_head', 'ledger_meta']) await raw.query(`DROP TABLE {t}${t}`);
			if (b.name === 'sqlite') await raw.query('PRAGMA user_version = 0');
			else await raw.query('DROP TABLE {t}ledger_migrations');
		});
		const again = await b.open(cfg);
		const v = await again.verify();
		expect(v).toMatchObject({ ok: true, entries: 0 });
		expect(v.ledgerId).not.toBe(before.ledgerId);
		expect(Date.parse(v.createdAt)).toBeGreaterThanOrEqual(Date.parse(before.createdAt));
		expect(await again.verify({ anchor: before.anchor })).toMatchObject({ ok: false, firstBroken: { reason: 'bad_anchor' } });
		await again.close();
	});
});
