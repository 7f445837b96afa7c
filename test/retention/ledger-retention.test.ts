// Ledger retention: keep N years (default 7, minimum 2), delete older entries, and the chain still
// verifies from the signed cut; a hand-made cut (rows deleted without the key) does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneLedger, verifyLedgerWithRetention, ledgerRetentionCutoff, LedgerRetentionError } from '../../src/retention';
import { bothBackends } from '../ledger/backends';
import type { TestBackend } from '../ledger/backends';

const env = bothBackends();
beforeAll(async () => env.start(), 60_000);
afterAll(async () => env.stop(), 60_000);

const NOW = new Date('2033-06-15T12:00:00Z');

async function seededLedger(backend: TestBackend) {
	const cfg = backend.freshConfig({ checkpointEvery: 4 });
	const ledger = await backend.open(cfg);
	// Two entries a year from 2024 to 2033: the first ones are older than 7 years on NOW.
	for (let y = 2024; y <= 2033; y++) {
		for (const m of ['01', '07']) {
			const at = `${y}-${m}-01T00:00:00Z`;
			if (Date.parse(at) > NOW.getTime()) continue;
			await ledger.append({ type: 'erasure.done', requestId: `r-${y}-${m}`, contactIds: [`c${y}${m}`], data: { n: 1 }, at });
		}
	}
	await ledger.close();
	return cfg;
}

describe('ledger retention cutoff', () => {
	it('the cutoff is N calendar years back; less than 2 years is refused', () => {
		expect(ledgerRetentionCutoff(NOW).toISOString()).toBe('2026-06-15T12:00:00.000Z');
		expect(ledgerRetentionCutoff(new Date('2028-02-29T00:00:00Z'), 2).toISOString()).toBe('2026-02-28T00:00:00.000Z');
		expect(() => ledgerRetentionCutoff(NOW, 1)).toThrow(LedgerRetentionError);
		expect(() => ledgerRetentionCutoff(NOW, 2.5)).toThrow(/at least 2 whole years/);
	});
});

describe.each(env.backends.map((b) => [b.name, b] as const))('ledger retention on %s', (_name, backend) => {

	it('deletes entries older than 7 years and the chain still verifies from the signed cut', async () => {
		const cfg = await seededLedger(backend);
		const before = await verifyLedgerWithRetention(cfg);
		expect(before).toMatchObject({ ok: true, cutAfterSeq: 0 });
		const result = await pruneLedger(cfg, { now: NOW });
		expect(result.cutoff).toBe('2026-06-15T12:00:00.000Z');
		expect(result.deleted).toBeGreaterThan(0);
		expect(result.entry).toBeDefined();
		const ledger = await backend.open(cfg);
		const left = await ledger.search({ limit: 1000 });
		expect(left.filter((e) => e.type === 'erasure.done').every((e) => e.at >= '2026-06-15')).toBe(true);
		expect(left.some((e) => e.requestId === 'r-2026-07')).toBe(true);
		expect(left.some((e) => e.requestId === 'r-2026-01')).toBe(false);
		const pruned = left.find((e) => e.type === 'ledger.pruned');
		expect(pruned?.data).toMatchObject({ uptoSeq: result.cutAfterSeq, keepYears: 7 });
		// Appending after the cut keeps the chain going.
		await ledger.append({ type: 'x.after_prune', requestId: 'after' });
		await ledger.close();
		const after = await verifyLedgerWithRetention(cfg);
		expect(after).toMatchObject({ ok: true, cutAfterSeq: result.cutAfterSeq });
		expect(after.entries).toBe(left.length + 1);
		// A second run with nothing older deletes nothing more.
		expect((await pruneLedger(cfg, { now: NOW })).deleted).toBe(0);
	});

	it('rows deleted by hand (no signed cut) fail verification', async () => {
		const cfg = await seededLedger(backend);
		const raw = await backend.raw(cfg);
		await raw.query('DELETE FROM {t}ledger_entries WHERE seq <= 3');
		await raw.close();
		const result = await verifyLedgerWithRetention(cfg);
		expect(result.ok).toBe(false);
		expect(result.firstBroken?.reason).toBe('sequence_gap');
	});

	it('a cut moved further than the signed entry says fails verification', async () => {
		const cfg = await seededLedger(backend);
		const { cutAfterSeq } = await pruneLedger(cfg, { now: NOW });
		const raw = await backend.raw(cfg);
		await raw.query('DELETE FROM {t}ledger_entries WHERE seq = ?', [cutAfterSeq + 1]);
		await raw.close();
		expect((await verifyLedgerWithRetention(cfg)).ok).toBe(false);
	});

	it('keepYears 2 keeps only the last two years', async () => {
		const cfg = await seededLedger(backend);
		await pruneLedger(cfg, { now: NOW, keepYears: 2 });
		const ledger = await backend.open(cfg);
		const left = (await ledger.search({ type: 'erasure.done', limit: 100 })).map((e) => e.requestId);
		await ledger.close();
		expect(left).toEqual(['r-2031-07', 'r-2032-01', 'r-2032-07', 'r-2033-01']);
		expect((await verifyLedgerWithRetention(cfg)).ok).toBe(true);
	});
});
