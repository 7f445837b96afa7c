// `npm run bench ledger`: durable append throughput (single and batched) on SQLite and on a real
// PostgreSQL, and verify time for 100k and 1M entries (LEDGER_BENCH_QUICK=1: 100k only, 1M
// extrapolated; filling 1M takes a minute or two). Baselines in the same run: the same rows
// inserted / read without the chain.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';
import { openLedger } from '../../src/ledger';
import type { Ledger, LedgerConfig, LedgerEntryInput } from '../../src/ledger';
import { startPostgres } from '../ledger/postgres-server';

const KEY = 'bench-ledger-'.padEnd(32, '0'); // a throwaway ledger in a temp dir
const SUBJECT = 'a'.repeat(64);

function entry(i: number): LedgerEntryInput {
	return {
		type: 'erasure.done',
		requestId: `bench-${i}`,
		subjects: [SUBJECT],
		contactIds: [`c${i.toString(16).padStart(24, '0')}`],
		data: { status: 'erased', counts: { contacts: 1, deleted: 1 }, verification: { ok: true } },
	};
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');

async function appendSingles(ledger: Ledger, n: number, offset = 0): Promise<number> {
	const t = performance.now();
	for (let i = 0; i < n; i++) await ledger.append(entry(offset + i));
	return performance.now() - t;
}

async function appendBatches(ledger: Ledger, n: number, batch: number, offset = 0): Promise<number> {
	const t = performance.now();
	for (let i = 0; i < n; i += batch) await ledger.appendMany(Array.from({ length: Math.min(batch, n - i) }, (_, j) => entry(offset + i + j)));
	return performance.now() - t;
}

/** Baseline: the same number of rows, same durability, no hashing/HMAC/checks: plain INSERTs. */
function sqliteBaseline(path: string, n: number, batch: number): number {
	const db = new DatabaseSync(path);
	db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (seq INTEGER PRIMARY KEY, body TEXT)');
	const ins = db.prepare('INSERT INTO t (seq, body) VALUES (?, ?)');
	const body = JSON.stringify(entry(0));
	const t = performance.now();
	for (let i = 0; i < n; i += batch) {
		db.exec('BEGIN IMMEDIATE');
		for (let j = i; j < Math.min(n, i + batch); j++) ins.run(j + 1, body);
		db.exec('COMMIT');
	}
	const ms = performance.now() - t;
	db.close();
	return ms;
}

function sqliteReadBaseline(path: string): number {
	const db = new DatabaseSync(path);
	const t = performance.now();
	let n = 0;
	for (const row of db.prepare('SELECT seq, at, type, request_id, body, prev_hash, hash FROM ledger_entries ORDER BY seq').iterate()) if (row) n++;
	if (n === 0) throw new Error('empty ledger');
	const ms = performance.now() - t;
	db.close();
	return ms;
}

async function fill(ledger: Ledger, n: number): Promise<void> {
	const have = (await ledger.head()).seq;
	for (let i = have; i < n; i += 5000) await ledger.appendMany(Array.from({ length: Math.min(5000, n - i) }, (_, j) => entry(i + j)));
}

export default async function (): Promise<void> {
	console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
	const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
	const pg = await startPostgres();
	try {
		// --- SQLite, durable (WAL + synchronous=FULL) --------------------------------------------
		const sqlite = await openLedger({ kind: 'sqlite', path: join(dir, 'a.sqlite'), key: KEY });
		const singleN = 300;
		const single = await appendSingles(sqlite, singleN);
		const batchN = 20_000;
		const batched = await appendBatches(sqlite, batchN, 100, singleN);
		await sqlite.close();
		const baseSingle = sqliteBaseline(join(dir, 'b1.sqlite'), singleN, 1);
		const baseBatched = sqliteBaseline(join(dir, 'b2.sqlite'), batchN, 100);
		console.log('\nSQLite append, durable (WAL, synchronous=FULL, one commit per call):');
		console.log(`  single append():          ${fmt(rate(singleN, single))}/s   baseline plain INSERT+COMMIT ${fmt(rate(singleN, baseSingle))}/s   ratio ${(single / baseSingle).toFixed(2)}×`);
		console.log(`  appendMany(100 per call): ${fmt(rate(batchN, batched))}/s   baseline plain INSERT ×100+COMMIT ${fmt(rate(batchN, baseBatched))}/s   ratio ${(batched / baseBatched).toFixed(2)}×   (target ≥ 2,000/s)`);

		// --- PostgreSQL (real server, synchronous_commit on) ---------------------------------------
		const pgCfg: LedgerConfig = { kind: 'postgres', connectionString: pg.connectionString, schema: 'bench', key: KEY };
		const pgl = await openLedger(pgCfg);
		const pgSingleN = 300;
		const pgSingle = await appendSingles(pgl, pgSingleN);
		const pgBatchN = 20_000;
		const pgBatched = await appendBatches(pgl, pgBatchN, 100, pgSingleN);
		const c = new Client({ connectionString: pg.connectionString });
		await c.connect();
		await c.query('CREATE TABLE bench_base (seq BIGINT PRIMARY KEY, body TEXT)');
		const body = JSON.stringify(entry(0));
		let t = performance.now();
		for (let i = 0; i < pgSingleN; i++) await c.query('INSERT INTO bench_base VALUES ($1, $2)', [i, body]);
		const pgBase = performance.now() - t;
		await c.end();
		console.log('\nPostgreSQL append (head row locked FOR UPDATE per transaction):');
		console.log(`  single append():          ${fmt(rate(pgSingleN, pgSingle))}/s   baseline plain INSERT (autocommit) ${fmt(rate(pgSingleN, pgBase))}/s   ratio ${(pgSingle / pgBase).toFixed(2)}×`);
		console.log(`  appendMany(100 per call): ${fmt(rate(pgBatchN, pgBatched))}/s`);

		// --- verify ---------------------------------------------------------------------------------
		const sizes = process.env.LEDGER_BENCH_QUICK === '1' ? [100_000] : [100_000, 1_000_000];
		for (const n of sizes) {
			const path = join(dir, `v${n}.sqlite`);
			const l = await openLedger({ kind: 'sqlite', path, key: KEY });
			t = performance.now();
			await fill(l, n);
			const fillMs = performance.now() - t;
			t = performance.now();
			const v = await l.verify();
			const verifyMs = performance.now() - t;
			await l.close();
			const readMs = sqliteReadBaseline(path);
			console.log(`\nSQLite verify ${fmt(v.entries)} entries (ok=${v.ok}, ${v.checkpoints} checkpoints): ${(verifyMs / 1000).toFixed(2)} s   baseline read-only walk ${(readMs / 1000).toFixed(2)} s   ratio ${(verifyMs / readMs).toFixed(2)}×   (filled at ${fmt(rate(n, fillMs))}/s)`);
			if (n === 100_000 && sizes.length === 1) console.log(`  → 1M entries extrapolated: ${((verifyMs * 10) / 1000).toFixed(1)} s (target < 10 s)`);
			if (n === 1_000_000) console.log('  (target: 1M in < 10 s; content hashes are checked in a worker thread from 20k entries on)');
		}
		for (const n of sizes) {
			const pv = await openLedger({ ...pgCfg, schema: `bench_verify_${n}` });
			const pvFill = performance.now();
			await fill(pv, n);
			const pvFillMs = performance.now() - pvFill;
			t = performance.now();
			const pvr = await pv.verify();
			const pvMs = performance.now() - t;
			await pv.close();
			const extrapolated = n === 100_000 && sizes.length === 1 ? `   → 1M extrapolated ${((pvMs * 10) / 1000).toFixed(1)} s` : '';
			console.log(`\nPostgreSQL verify ${fmt(pvr.entries)} entries (ok=${pvr.ok}): ${(pvMs / 1000).toFixed(2)} s${extrapolated}   (filled at ${fmt(rate(n, pvFillMs))}/s)`);
			if (n === 1_000_000) console.log('  (target: 1M in < 10 s; the next chunk is read while the current one is hashed)');
		}
		await pgl.close();
	} finally {
		await pg.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
