// ledger.verify() on a pruned ledger, on SQLite and a real PostgreSQL: the chain may start after
// entry 1 ONLY where a `ledger.pruned` record signed with the ledger key says it was cut.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorOf, deriveKeys, prunedInput } from '../../src/ledger/chain';
import type { Ledger, LedgerAnchor, LedgerConfig } from '../../src/ledger';
import { bothBackends, keysOf, testKey } from './backends';
import type { TestBackend } from './backends';

const env = bothBackends();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop(), 60_000);

/** Sequential and worker-thread verify must agree (the worker path is what large ledgers take). */
async function verifyBoth(ledger: Ledger, opts: { anchor?: LedgerAnchor } = {}) {
	const seq = await ledger.verify({ ...opts, parallel: false });
	const par = await ledger.verify({ ...opts, parallel: true });
	expect({ ...par, durationMs: 0 }).toEqual({ ...seq, durationMs: 0 });
	return seq;
}

/** 10 entries with a checkpoint every 4: seq 5, 9 and 13 are checkpoints (13 rows; seq 7 holds i = 6). */
async function filled(b: TestBackend): Promise<{ cfg: LedgerConfig; ledger: Ledger }> {
	const cfg = b.freshConfig({ checkpointEvery: 4 });
	const ledger = await b.open(cfg);
	for (let i = 1; i <= 10; i++) await ledger.append({ type: 'x.test', requestId: `req-${i}`, data: { i } });
	return { cfg, ledger };
}

async function hashAt(b: TestBackend, cfg: LedgerConfig, seq: number): Promise<string> {
	const raw = await b.raw(cfg);
	const [row] = await raw.query('SELECT hash FROM {t}ledger_entries WHERE seq = ?', [seq]);
	await raw.close();
	return String(row.hash);
}

async function deleteUpTo(b: TestBackend, cfg: LedgerConfig, seq: number): Promise<void> {
	const raw = await b.raw(cfg);
	await raw.query('DELETE FROM {t}ledger_refs WHERE seq <= ?', [seq]);
	await raw.query('DELETE FROM {t}ledger_entries WHERE seq <= ?', [seq]);
	await raw.close();
}

/** What ledger retention does: record the signed cut, then delete up to it. */
async function prune(b: TestBackend, cfg: LedgerConfig, ledger: Ledger, cut: number): Promise<void> {
	await ledger.append(prunedInput(await keysOf(b, cfg), cut, await hashAt(b, cfg, cut), { keepYears: 7 }));
	await deleteUpTo(b, cfg, cut);
}

describe.each(env.backends.map((b) => [b.name, b] as const))('verify of a pruned ledger on %s', (_name, b) => {
	it('a ledger cut at a signed ledger.pruned record verifies, and says where it starts', async () => {
		const { cfg, ledger } = await filled(b);
		expect((await verifyBoth(ledger)).cutAfterSeq).toBe(0);
		await prune(b, cfg, ledger, 6);
		const v = await verifyBoth(ledger);
		// Kept: 7..13 and the pruned record (14).
		expect(v).toMatchObject({ ok: true, cutAfterSeq: 6, entries: 8, lastSeq: 14, checkpoints: 2 });
		expect(v.firstBroken).toBeUndefined();
		expect(v.anchor).toBeDefined();
		// Appending after the cut (through the next checkpoint) keeps it verifiable.
		for (let i = 0; i < 4; i++) await ledger.append({ type: 'x.after', requestId: `after-${i}` });
		expect(await verifyBoth(ledger)).toMatchObject({ ok: true, cutAfterSeq: 6, entries: 13, lastSeq: 19, checkpoints: 3 });
		await ledger.close();
	});

	it('a second, later cut verifies from the newest record', async () => {
		const { cfg, ledger } = await filled(b);
		await prune(b, cfg, ledger, 3);
		await prune(b, cfg, ledger, 9);
		expect(await verifyBoth(ledger)).toMatchObject({ ok: true, cutAfterSeq: 9, entries: 6, lastSeq: 15 });
		await ledger.close();
	});

	it('rows deleted by hand (no signed record) fail: sequence gap', async () => {
		const { cfg, ledger } = await filled(b);
		await deleteUpTo(b, cfg, 4);
		const v = await verifyBoth(ledger);
		expect(v).toMatchObject({ ok: false, cutAfterSeq: 0, firstBroken: { seq: 5, reason: 'sequence_gap' } });
		await ledger.close();
	});

	it('a cut moved past the signed one (one more row deleted) fails', async () => {
		const { cfg, ledger } = await filled(b);
		await prune(b, cfg, ledger, 6);
		await deleteUpTo(b, cfg, 7);
		const v = await verifyBoth(ledger);
		expect(v).toMatchObject({ ok: false, firstBroken: { seq: 8, reason: 'sequence_gap' } });
		await ledger.close();
	});

	it('a row deleted inside the kept part after a signed cut fails', async () => {
		const { cfg, ledger } = await filled(b);
		await prune(b, cfg, ledger, 6);
		const raw = await b.raw(cfg);
		await raw.query('DELETE FROM {t}ledger_entries WHERE seq = 9');
		await raw.close();
		expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ seq: 10, reason: 'sequence_gap' });
		await ledger.close();
	});

	it('an unsigned or forged ledger.pruned record does not justify the cut', async () => {
		const { cfg, ledger } = await filled(b);
		const hash = await hashAt(b, cfg, 6);
		// Another key, even with this ledger's id, does not sign for it.
		const otherKey = { ...deriveKeys(testKey('someone-else')), ledgerId: (await keysOf(b, cfg)).ledgerId };
		const badMac = createHmac('sha256', 'guess').update(`point|6|${hash}`).digest('hex');
		// Appended through the API (so its own hash chains fine): only the signature is wrong.
		await ledger.append({ type: 'ledger.pruned', requestId: 'pruned-6', data: { uptoSeq: 6, uptoHash: hash } });
		await ledger.append({ ...prunedInput(otherKey, 6, hash), requestId: 'pruned-6b' });
		await ledger.append({ type: 'ledger.pruned', requestId: 'pruned-6c', data: { uptoSeq: 6, uptoHash: hash, mac: badMac } });
		await deleteUpTo(b, cfg, 6);
		const v = await verifyBoth(ledger);
		expect(v).toMatchObject({ ok: false, cutAfterSeq: 0, firstBroken: { seq: 7, reason: 'sequence_gap' } });
		await ledger.close();
	});

	it('a forged ledger.pruned record is reported even before anything is deleted', async () => {
		const { cfg, ledger } = await filled(b);
		const hash = await hashAt(b, cfg, 6);
		await ledger.append({ type: 'ledger.pruned', requestId: 'pruned-6', data: { uptoSeq: 6, uptoHash: hash, mac: '0'.repeat(64) } });
		expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ seq: 14, reason: 'bad_prune' });
		await ledger.close();
	});

	it('a signed record naming a cut that does not match the first kept row fails', async () => {
		const { cfg, ledger } = await filled(b);
		// Signed for position 6 with a wrong hash: the row after the cut does not point at it.
		await ledger.append(prunedInput(await keysOf(b, cfg), 6, 'f'.repeat(64)));
		await deleteUpTo(b, cfg, 6);
		expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ seq: 7, reason: 'sequence_gap' });
		await ledger.close();
	});

	it('an edit of the first kept row is still caught (the cut trusts only the position)', async () => {
		const { cfg, ledger } = await filled(b);
		await prune(b, cfg, ledger, 6);
		const raw = await b.raw(cfg);
		await raw.query("UPDATE {t}ledger_entries SET body = replace(body, '\"i\":6', '\"i\":1') WHERE seq = 7");
		await raw.close();
		expect(await verifyBoth(ledger)).toMatchObject({ ok: false, entries: 0, lastSeq: 6, firstBroken: { seq: 7, reason: 'hash_mismatch' } });
		await ledger.close();
	});

	it('an outside anchor inside the pruned part cannot be checked (not a failure); one at the cut or later is checked', async () => {
		const { cfg, ledger } = await filled(b);
		const keys = await keysOf(b, cfg);
		const beforePrune = (await ledger.verify()).anchor; // seq 12: stays in the kept part
		const atCutHash = await hashAt(b, cfg, 6);
		await prune(b, cfg, ledger, 6);
		expect(await verifyBoth(ledger, { anchor: beforePrune })).toMatchObject({ ok: true, anchorChecked: true });
		// An anchor at the cut itself is checked against the signed record.
		expect(await verifyBoth(ledger, { anchor: anchorOf(keys, 6, atCutHash) })).toMatchObject({ ok: true, anchorChecked: true });
		expect(await verifyBoth(ledger, { anchor: anchorOf(keys, 6, 'e'.repeat(64)) })).toMatchObject({ ok: false, firstBroken: { seq: 6, reason: 'hash_mismatch' } });
		// An anchor before the cut: those entries were pruned on purpose, so it cannot be checked.
		expect(await verifyBoth(ledger, { anchor: anchorOf(keys, 2, 'd'.repeat(64)) })).toMatchObject({ ok: true, anchorChecked: false });
		// Still: an anchor not signed by the key fails.
		expect((await verifyBoth(ledger, { anchor: { seq: 2, hash: 'd'.repeat(64), mac: '0'.repeat(64) } })).ok).toBe(false);
		await ledger.close();
	});
});

describe.each(env.backends.map((b) => [b.name, b] as const))('ledger.prune on %s', (_name, b) => {
	async function dated(years: number[]): Promise<{ cfg: LedgerConfig; ledger: Ledger }> {
		const cfg = b.freshConfig({ checkpointEvery: 1000 });
		const ledger = await b.open(cfg);
		for (const [i, y] of years.entries()) await ledger.append({ type: 'x.test', requestId: `r${i + 1}-${y}`, at: `${y}-03-01T00:00:00Z` });
		return { cfg, ledger };
	}
	const kept = async (ledger: Ledger) => (await ledger.search({ type: 'x.test', limit: 100 })).map((e) => e.requestId);

	it('deletes the old entries and records the signed cut in the same step; verify() stays ok; re-running deletes nothing more', async () => {
		const { ledger } = await dated([2018, 2019, 2020, 2025, 2026]);
		const result = await ledger.prune({ before: new Date('2024-01-01T00:00:00Z'), record: { keepYears: 2 } });
		expect(result).toMatchObject({ deleted: 3, cutAfterSeq: 3, entry: { seq: 6 } });
		expect(await kept(ledger)).toEqual(['r4-2025', 'r5-2026']);
		const [record] = await ledger.search({ type: 'ledger.pruned' });
		expect(record.data).toMatchObject({ uptoSeq: 3, keepYears: 2 });
		expect(await verifyBoth(ledger)).toMatchObject({ ok: true, cutAfterSeq: 3, entries: 3, lastSeq: 6 });
		expect(await ledger.prune({ before: '2024-01-01T00:00:00Z' })).toEqual({ deleted: 0, cutAfterSeq: 3, carriedForward: 0 });
		expect((await ledger.head()).seq).toBe(6);
		await ledger.close();
	});

	it('a back-dated entry later in the chain does not pull newer entries with it; the newest entry is never deleted', async () => {
		const { ledger } = await dated([2018, 2026, 2017]);
		expect(await ledger.prune({ before: '2024-01-01' })).toMatchObject({ deleted: 1, cutAfterSeq: 1 });
		expect(await kept(ledger)).toEqual(['r2-2026', 'r3-2017']);
		const all = await dated([2018, 2019]);
		expect(await all.ledger.prune({ before: '2030-01-01' })).toMatchObject({ deleted: 1, cutAfterSeq: 1 });
		expect(await kept(all.ledger)).toEqual(['r2-2019']);
		expect((await verifyBoth(all.ledger)).ok).toBe(true);
		await all.ledger.close();
		await ledger.close();
	});

	it('nothing old enough: no record, nothing deleted; a bad date is refused', async () => {
		const { ledger } = await dated([2025, 2026]);
		expect(await ledger.prune({ before: '2020-01-01' })).toEqual({ deleted: 0, cutAfterSeq: 0, carriedForward: 0 });
		expect((await ledger.head()).seq).toBe(2);
		await expect(ledger.prune({ before: 'last tuesday' })).rejects.toThrow(/before is not a date/);
		await ledger.close();
	});

	it('completes a signed cut recorded earlier but not carried out; an unsigned record is never carried out', async () => {
		const { cfg, ledger } = await dated([2018, 2019, 2020, 2025]);
		await ledger.append({ type: 'ledger.pruned', requestId: 'forged', data: { uptoSeq: 3, uptoHash: await hashAt(b, cfg, 3), mac: '0'.repeat(64) } });
		expect(await ledger.prune({ before: '2000-01-01' })).toEqual({ deleted: 0, cutAfterSeq: 0, carriedForward: 0 });
		expect(await kept(ledger)).toHaveLength(4);
		const fresh = await dated([2018, 2019, 2020, 2025]);
		await fresh.ledger.append(prunedInput(await keysOf(b, fresh.cfg), 2, await hashAt(b, fresh.cfg, 2))); // as if the delete had crashed
		expect(await fresh.ledger.prune({ before: '2000-01-01' })).toEqual({ deleted: 2, cutAfterSeq: 2, carriedForward: 0 });
		expect(await verifyBoth(fresh.ledger)).toMatchObject({ ok: true, cutAfterSeq: 2 });
		await fresh.ledger.close();
		await ledger.close();
	});
	it('never cuts at or past an open erasure intent (Erase resumes it); says where and why it stopped; goes on once the erasure is closed', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 1000 });
		const ledger = await b.open(cfg);
		const subject = ledger.hashIdentifier('email', 'ada@example.org');
		const at = (y: number) => `${y}-03-01T00:00:00Z`;
		await ledger.append({ type: 'x.test', requestId: 'r1', at: at(2017) });
		await ledger.append({ type: 'erasure.intent', requestId: 'er-closed', subjects: [subject], at: at(2017) });
		await ledger.append({ type: 'erasure.failed', requestId: 'er-closed', subjects: [subject], at: at(2017) });
		await ledger.append({ type: 'x.test', requestId: 'r4', at: at(2018) });
		await ledger.append({ type: 'erasure.intent', requestId: 'er-open', subjects: [subject], contactIds: ['c-ada'], at: at(2018) }); // seq 5: crashed, never closed
		await ledger.append({ type: 'x.test', requestId: 'r6', at: at(2019) });
		await ledger.append({ type: 'x.test', requestId: 'r7', at: at(2026) });
		const r = await ledger.prune({ before: '2024-01-01' });
		expect(r).toMatchObject({ deleted: 4, cutAfterSeq: 4, carriedForward: 0, keptFrom: { seq: 5, reason: 'open_erasure_intent', openIntents: 1 } });
		// What Erase reads to resume: the open intent is still found by the subject's HMAC.
		expect((await ledger.search({ subject })).map((e) => [e.type, e.requestId])).toEqual([['erasure.intent', 'er-open']]);
		expect(await verifyBoth(ledger)).toMatchObject({ ok: true, cutAfterSeq: 4 });
		// Nothing more to cut while it is open.
		expect(await ledger.prune({ before: '2024-01-01' })).toMatchObject({ deleted: 0, cutAfterSeq: 4, keptFrom: { seq: 5 } });
		// The erasure is resumed and finishes: the next prune goes past it.
		await ledger.append({ type: 'erasure.done', requestId: 'er-open', subjects: [subject], at: at(2026) });
		const next = await ledger.prune({ before: '2024-01-01' });
		expect(next).toMatchObject({ deleted: 2, cutAfterSeq: 6 });
		expect(next.keptFrom).toBeUndefined();
		expect(await verifyBoth(ledger)).toMatchObject({ ok: true, cutAfterSeq: 6 });
		// An open intent as the oldest entry: nothing is cut at all.
		const other = await b.open(b.freshConfig());
		await other.append({ type: 'erasure.intent', requestId: 'er-x', at: at(2017) });
		await other.append({ type: 'x.test', requestId: 'late', at: at(2018) });
		await other.append({ type: 'x.test', requestId: 'new', at: at(2026) });
		expect(await other.prune({ before: '2024-01-01' })).toEqual({ deleted: 0, cutAfterSeq: 0, carriedForward: 0, keptFrom: { seq: 1, reason: 'open_erasure_intent', openIntents: 1 } });
		await other.close();
		await ledger.close();
	});

	it('carries retention.archived entries in the cut part forward (signed, before the cut): archived contacts stay findable by identifier and contact id', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 3 });
		const ledger = await b.open(cfg);
		const ada = ledger.hashIdentifier('email', 'ada@example.org');
		const at = (y: number) => `${y}-03-01T00:00:00Z`;
		await ledger.append({ type: 'x.test', requestId: 'r1', at: at(2017) });
		await ledger.append({ type: 'retention.archived', requestId: 'ret-2017', subjects: [ada], contactIds: ['c-ada', 'c-ada-lead'], data: { archived: 2 }, at: at(2017) });
		await ledger.append({ type: 'x.test', requestId: 'r3', at: at(2018) });
		await ledger.append({ type: 'x.test', requestId: 'r4', at: at(2026) });
		const before = await ledger.search({ type: 'retention.archived' });
		const r = await ledger.prune({ before: '2024-01-01' });
		expect(r).toMatchObject({ deleted: 4, cutAfterSeq: 4, carriedForward: 1 }); // seqs 1-4 (4 is a checkpoint)
		const after = await ledger.search({ subject: ada, type: 'retention.archived' });
		expect(after).toHaveLength(1);
		expect(after[0].seq).toBeGreaterThan(4);
		expect(after[0]).toMatchObject({ requestId: 'ret-2017', subjects: [ada], contactIds: ['c-ada', 'c-ada-lead'], data: { archived: 2, carriedFromSeq: before[0].seq, carriedFromAt: before[0].at } });
		expect((await ledger.search({ contactId: 'c-ada-lead' })).map((e) => e.type)).toEqual(['retention.archived']);
		// The carried entry comes before the signed cut record, in the chain that survives it.
		const [record] = await ledger.search({ type: 'ledger.pruned' });
		expect(record.seq).toBeGreaterThan(after[0].seq);
		expect(await verifyBoth(ledger)).toMatchObject({ ok: true, cutAfterSeq: 4 });
		await ledger.close();
	});
});
