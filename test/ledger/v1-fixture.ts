// Writes a ledger exactly as version 1 of this package (schema 1) stored it, with raw SQL: one MAC
// `HMAC(signing, "point|seq|hash")` for head, checkpoints and prune records, contact ids in clear in
// bodies and in the index, no genesis record. The formulas are version 1's (keys derived the same way).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson, GENESIS_HASH } from '../../src/ledger';
import type { LedgerConfig } from '../../src/ledger';
import { chainHash, deriveKeys, legacyPointMac } from '../../src/ledger/chain';
import type { RawDb, TestBackend } from './backends';

const V1_TABLES = `CREATE TABLE {t}ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE {t}ledger_entries (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, request_id TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE {t}ledger_refs (ref TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (ref, seq));
CREATE TABLE {t}ledger_head (id INT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL)`;

export interface V1Ledger {
	/** seq → hash of every row written (before any prune). */
	hashes: Map<number, string>;
	head: { seq: number; hash: string };
	/** An anchor as version 1's Verify returned it (no ledger id). */
	anchor: { seq: number; hash: string; mac: string };
}

/** `n` entries (contact ids c1…cn), a checkpoint every 4 entries, optionally a prune cut after `pruneAt`. */
export async function writeV1Ledger(b: TestBackend, cfg: LedgerConfig, n: number, opts: { pruneAt?: number } = {}): Promise<V1Ledger> {
	const keys = deriveKeys(cfg.key);
	if (cfg.kind === 'sqlite') mkdirSync(dirname(cfg.path), { recursive: true });
	const raw: RawDb = await b.raw(cfg);
	try {
		if (cfg.kind === 'postgres') {
			await raw.query(`CREATE SCHEMA "${cfg.schema}"`);
			await raw.query('CREATE TABLE {t}ledger_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
			await raw.query('INSERT INTO {t}ledger_migrations (version) VALUES (1)');
		}
		for (const ddl of V1_TABLES.split(';\n')) await raw.query(ddl);
		if (cfg.kind === 'sqlite') await raw.query('PRAGMA user_version = 1');
		await raw.query("INSERT INTO {t}ledger_meta (key, value) VALUES ('key_check', ?)", [keys.check]);
		const hashes = new Map<number, string>();
		let seq = 0;
		let hash = GENESIS_HASH;
		const put = async (type: string, requestId: string, contactIds: string[], data: Record<string, unknown>) => {
			seq++;
			const at = new Date(Date.UTC(2024, 0, 1, 0, 0, seq)).toISOString();
			const body = canonicalJson({ seq, at, type, requestId, subjects: [], contactIds, data });
			const h = chainHash(hash, body);
			await raw.query('INSERT INTO {t}ledger_entries (seq, at, type, request_id, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)', [seq, at, type, requestId, body, hash, h]);
			for (const c of contactIds) await raw.query('INSERT INTO {t}ledger_refs (ref, seq) VALUES (?, ?)', [`c:${c}`, seq]);
			hash = h;
			hashes.set(seq, h);
		};
		for (let i = 1; i <= n; i++) {
			await put('erasure.done', `v1-req-${i}`, [`c${i}`], { i });
			if (seq % 4 === 0) await put('ledger.checkpoint', `checkpoint-${seq}`, [], { uptoSeq: seq, uptoHash: hash, mac: legacyPointMac(keys, seq, hash) });
		}
		if (opts.pruneAt) {
			const cutHash = hashes.get(opts.pruneAt)!;
			await put('ledger.pruned', `pruned-${opts.pruneAt}`, [], { uptoSeq: opts.pruneAt, uptoHash: cutHash, mac: legacyPointMac(keys, opts.pruneAt, cutHash) });
			await raw.query('DELETE FROM {t}ledger_refs WHERE seq <= ?', [opts.pruneAt]);
			await raw.query('DELETE FROM {t}ledger_entries WHERE seq <= ?', [opts.pruneAt]);
		}
		await raw.query('INSERT INTO {t}ledger_head (id, seq, hash, mac) VALUES (1, ?, ?, ?)', [seq, hash, legacyPointMac(keys, seq, hash)]);
		return { hashes, head: { seq, hash }, anchor: { seq, hash, mac: legacyPointMac(keys, seq, hash) } };
	} finally {
		await raw.close();
	}
}
