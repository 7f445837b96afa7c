/**
 * SQLite storage on `node:sqlite` (built into Node ≥ 22.5; no native add-on to install).
 * Durable: WAL + synchronous=FULL, so a committed append survives power loss. Several processes
 * may append to one file: each write takes SQLite's write lock (BEGIN IMMEDIATE) before reading
 * the head, so they form one chain. The chain logic itself is in ledger.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync as DatabaseSyncType, StatementSync } from 'node:sqlite';
import { DEFAULT_CHECKPOINT_EVERY } from './entries';
import type { NewRow, StoredRow } from './entries';
import { LedgerInputError, LedgerKeyMismatchError, LedgerStorageError } from './errors';
import { deriveKeys } from './keys';
import type { LedgerKeys } from './keys';
import { ChainLedger, checkedActor, settleGenesis } from './ledger';
import type { RefTuple, RowTuple } from './parallel';
import { CLOSES_INTENT, ERASURE_INTENT, LEDGER_PRUNED } from './prune';
import { toStored } from './storage';
import type { HeadRow, MigrationTx, RawRow, SearchQuery, Storage, WriteTx } from './storage';
import type { Ledger, LedgerActor } from './types';
import type { SnapshotReader } from './walk';

/**
 * Versioned schema: index = version - 1. Never edit a shipped step; add a new one.
 * 2: no new tables; the signed genesis record (ledger_meta 'genesis'), domain-separated MACs, sealed
 *    contact ids and HMAC-indexed contact ids (data steps in ledger.ts `settleGenesis`).
 * 3: an index on ledger_refs(seq): Verify reads the search index chunk by chunk alongside the entries
 *    (and retention deletes it by seq) without scanning the whole table each time.
 */
const MIGRATIONS: string[] = [
	`CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	 CREATE TABLE ledger_entries (
	   seq INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, request_id TEXT NOT NULL,
	   body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
	 CREATE INDEX ledger_entries_request ON ledger_entries (request_id);
	 CREATE INDEX ledger_entries_type ON ledger_entries (type, seq);
	 CREATE TABLE ledger_refs (ref TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (ref, seq)) WITHOUT ROWID;
	 CREATE TABLE ledger_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL);`,
	`SELECT 1;`,
	`CREATE INDEX ledger_refs_seq ON ledger_refs (seq);`,
];

export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

const READ_CHUNK = 10_000;

function loadSqlite(): typeof import('node:sqlite') {
	let mod: typeof import('node:sqlite') | undefined;
	try {
		// Loaded lazily: only SQLite users need Node ≥ 22.5.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		mod = require('node:sqlite') as typeof import('node:sqlite');
	} catch {
		mod = undefined;
	}
	if (!mod) {
		throw new LedgerStorageError(
			'The SQLite ledger needs Node.js 22.5 or newer (node:sqlite). Run n8n on Node 24, or use the PostgreSQL backend.',
			'sqlite_unavailable',
		);
	}
	return mod;
}

export async function openSqliteLedger(cfg: { path: string; key: string; checkpointEvery?: number; busyTimeoutMs?: number; actor?: LedgerActor }): Promise<Ledger> {
	const keys = deriveKeys(cfg.key);
	const actor = checkedActor(cfg.actor);
	if (typeof cfg.path !== 'string' || cfg.path.trim() === '') {
		throw new LedgerInputError('path', 'is empty', 'Give the SQLite file path, or leave the credential\'s path empty for the default in the n8n user folder.');
	}
	const { DatabaseSync } = loadSqlite();
	let db: DatabaseSyncType | undefined;
	let openError = '';
	try {
		if (cfg.path !== ':memory:') mkdirSync(dirname(cfg.path), { recursive: true });
		db = new DatabaseSync(cfg.path);
		db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(cfg.busyTimeoutMs ?? 10_000))}`);
		db.exec('PRAGMA journal_mode = WAL');
		db.exec('PRAGMA synchronous = FULL');
	} catch (error) {
		openError = (error as Error).message;
		db?.close();
		db = undefined;
	}
	if (!db) throw new LedgerStorageError(`Could not open the SQLite ledger file: ${openError}`, 'sqlite_open');
	let opened: { storage: SqliteStorage; legacyUpto: number } | undefined;
	try {
		opened = await migrate(db, keys);
	} finally {
		if (!opened) db.close();
	}
	return new ChainLedger(opened.storage, keys, cfg.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY, opened.legacyUpto, actor);
}

async function migrate(db: DatabaseSyncType, keys: LedgerKeys): Promise<{ storage: SqliteStorage; legacyUpto: number }> {
	db.exec('BEGIN IMMEDIATE');
	let committed = false;
	try {
		const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
		if (version > MIGRATIONS.length) {
			throw new LedgerStorageError(`The ledger file has schema version ${version}, newer than this package knows (${MIGRATIONS.length}): update the package.`, 'schema_newer');
		}
		for (let v = version; v < MIGRATIONS.length; v++) {
			db.exec(MIGRATIONS[v]);
			db.exec(`PRAGMA user_version = ${v + 1}`);
		}
		const check = db.prepare("SELECT value FROM ledger_meta WHERE key = 'key_check'").get() as { value: string } | undefined;
		if (!check) db.prepare("INSERT INTO ledger_meta (key, value) VALUES ('key_check', ?)").run(keys.check);
		else if (check.value !== keys.check) throw new LedgerKeyMismatchError();
		const storage = new SqliteStorage(db);
		const legacyUpto = await settleGenesis(storage.migrationTx(), keys, version);
		db.exec('COMMIT');
		committed = true;
		return { storage, legacyUpto };
	} finally {
		if (!committed && db.isTransaction) db.exec('ROLLBACK');
	}
}

/** Open erasure intents at or before a seq (see prune.ts): no closing entry of the same request after them. */
const OPEN_INTENTS_SQL = `SELECT i.seq FROM ledger_entries i WHERE i.type = ? AND i.seq <= ? AND NOT EXISTS (
	SELECT 1 FROM ledger_entries d WHERE d.request_id = i.request_id AND d.seq > i.seq AND d.type IN (${CLOSES_INTENT.map(() => '?').join(', ')})) ORDER BY i.seq`;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

class SqliteStorage implements Storage {
	readonly backend = 'sqlite' as const;
	private readonly headStmt: StatementSync;
	private readonly insertStmt: StatementSync;
	private readonly refStmt: StatementSync;
	private readonly setHeadStmt: StatementSync;

	constructor(private readonly db: DatabaseSyncType) {
		this.headStmt = db.prepare('SELECT seq, hash, mac FROM ledger_head WHERE id = 1');
		this.insertStmt = db.prepare('INSERT INTO ledger_entries (seq, at, type, request_id, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
		this.refStmt = db.prepare('INSERT OR IGNORE INTO ledger_refs (ref, seq) VALUES (?, ?)');
		this.setHeadStmt = db.prepare('INSERT INTO ledger_head (id, seq, hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac');
	}

	async write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
		this.db.exec('BEGIN IMMEDIATE');
		let committed = false;
		try {
			const result = await fn(this.migrationTx());
			this.db.exec('COMMIT');
			committed = true;
			return result;
		} finally {
			if (!committed && this.db.isTransaction) this.db.exec('ROLLBACK');
		}
	}

	/** One read transaction: a consistent snapshot while other processes keep appending (WAL). */
	async snapshot<T>(fn: (read: SnapshotReader) => Promise<T>): Promise<T> {
		this.db.exec('BEGIN');
		try {
			return await fn(this.reader());
		} finally {
			if (this.db.isTransaction) this.db.exec('COMMIT');
		}
	}

	private readHead(): HeadRow | undefined {
		const h = this.headStmt.get() as { seq: number; hash: string; mac: string } | undefined;
		return h ? { seq: Number(h.seq), hash: h.hash, mac: h.mac } : undefined;
	}

	private prunedRows(): Array<{ seq: number; body: string }> {
		return (this.db.prepare('SELECT seq, body FROM ledger_entries WHERE type = ? ORDER BY seq').all(LEDGER_PRUNED) as Array<{ seq: number; body: string }>).map((r) => ({ seq: Number(r.seq), body: r.body }));
	}

	reader(): SnapshotReader {
		const db = this.db;
		return {
			genesis: async () => (db.prepare("SELECT value FROM ledger_meta WHERE key = 'genesis'").get() as { value: string } | undefined)?.value,
			head: async () => this.readHead(),
			first: async () => {
				const r = db.prepare('SELECT seq, prev_hash FROM ledger_entries ORDER BY seq LIMIT 1').get() as { seq: number; prev_hash: string } | undefined;
				return r ? { seq: Number(r.seq), prevHash: r.prev_hash } : undefined;
			},
			pruned: async () => this.prunedRows(),
			// Positional rows: far fewer allocations than one object per row.
			async *chunks(after: number) {
				const stmt = db.prepare(`SELECT seq, at, type, request_id, body, prev_hash, hash FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ${READ_CHUNK}`);
				const refStmt = db.prepare('SELECT seq, ref FROM ledger_refs WHERE seq > ? AND seq <= ? ORDER BY seq');
				const arrays = typeof (stmt as { setReturnArrays?: unknown }).setReturnArrays === 'function';
				if (arrays) {
					(stmt as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
					(refStmt as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
				}
				for (;;) {
					const raw = stmt.all(after) as unknown[];
					const rows = arrays ? (raw as RowTuple[]) : (raw as RawRow[]).map((r): RowTuple => [Number(r.seq), r.at, r.type, r.request_id, r.body, r.prev_hash, r.hash]);
					for (const r of rows) r[0] = Number(r[0]);
					if (rows.length === 0) return;
					const last = rows[rows.length - 1][0];
					const rawRefs = refStmt.all(after, last) as unknown[];
					const refs = arrays ? (rawRefs as RefTuple[]) : (rawRefs as Array<{ seq: number; ref: string }>).map((r): RefTuple => [Number(r.seq), r.ref]);
					for (const r of refs) r[0] = Number(r[0]);
					yield { rows, refs };
					if (rows.length < READ_CHUNK) return;
					after = last;
				}
			},
			strayRef: async (after, upto) => num((db.prepare('SELECT MIN(seq) AS s FROM ledger_refs WHERE seq <= ? OR seq > ?').get(after, upto) as { s: number | null }).s) ?? undefined,
		};
	}

	/** The write transaction's operations (also used by migrations, inside their transaction). */
	migrationTx(): MigrationTx {
		const db = this.db;
		return {
			lockHead: async () => this.readHead(),
			insert: async (rows: NewRow[]) => {
				for (const row of rows) {
					this.insertStmt.run(row.seq, row.at, row.type, row.requestId, row.body, row.prevHash, row.hash);
					for (const ref of row.refs) this.refStmt.run(ref, row.seq);
				}
			},
			setHead: async (h) => void this.setHeadStmt.run(h.seq, h.hash, h.mac),
			oldestSeq: async () => num((db.prepare('SELECT MIN(seq) AS s FROM ledger_entries').get() as { s: number | null }).s),
			firstSeqFrom: async (at) => num((db.prepare('SELECT MIN(seq) AS s FROM ledger_entries WHERE at >= ?').get(at) as { s: number | null }).s),
			hashAt: async (seq) => (db.prepare('SELECT hash FROM ledger_entries WHERE seq = ?').get(seq) as { hash: string } | undefined)?.hash,
			pruned: async () => this.prunedRows(),
			countUpTo: async (seq) => Number((db.prepare('SELECT COUNT(*) AS n FROM ledger_entries WHERE seq <= ?').get(seq) as { n: number }).n),
			openIntentsUpTo: async (seq) =>
				(db.prepare(OPEN_INTENTS_SQL).all(ERASURE_INTENT, seq, ...CLOSES_INTENT) as Array<{ seq: number }>).map((r) => Number(r.seq)),
			rowsOfTypeUpTo: async (type, seq) => (db.prepare('SELECT seq, at, type, request_id, body, prev_hash, hash FROM ledger_entries WHERE type = ? AND seq <= ? ORDER BY seq').all(type, seq) as unknown as RawRow[]).map(toStored),
			deleteUpTo: async (seq) => {
				db.prepare('DELETE FROM ledger_refs WHERE seq <= ?').run(seq);
				db.prepare('DELETE FROM ledger_entries WHERE seq <= ?').run(seq);
			},
			getMeta: async (key) => (db.prepare('SELECT value FROM ledger_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value,
			setMeta: async (key, value) => void db.prepare('INSERT INTO ledger_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value),
			contactRefs: async () => (db.prepare("SELECT ref, seq FROM ledger_refs WHERE ref LIKE 'c:%'").all() as Array<{ ref: string; seq: number }>).map((r) => ({ ref: r.ref, seq: Number(r.seq) })),
			replaceContactRefs: async (rows) => {
				db.prepare("DELETE FROM ledger_refs WHERE ref LIKE 'c:%'").run();
				for (const r of rows) this.refStmt.run(r.ref, r.seq);
			},
			reader: () => this.reader(),
		};
	}

	async search(q: SearchQuery): Promise<StoredRow[]> {
		const where: string[] = [];
		const params: Array<string | number> = [];
		const add = (sql: string, value: string) => {
			where.push(sql);
			params.push(value);
		};
		for (const ref of q.refs) add('seq IN (SELECT seq FROM ledger_refs WHERE ref = ?)', ref);
		if (q.requestId !== undefined) add('request_id = ?', q.requestId);
		if (q.type !== undefined) add('type = ?', q.type);
		if (q.since !== undefined) add('at >= ?', q.since);
		if (q.until !== undefined) add('at <= ?', q.until);
		const sql =
			'SELECT seq, at, type, request_id, body, prev_hash, hash FROM ledger_entries' +
			(where.length ? ` WHERE ${where.join(' AND ')}` : '') +
			` ORDER BY seq ${q.newestFirst ? 'DESC' : 'ASC'} LIMIT ${q.limit}`;
		return (this.db.prepare(sql).all(...params) as unknown as RawRow[]).map(toStored);
	}

	async head(): Promise<{ seq: number; hash: string } | undefined> {
		const h = this.readHead();
		return h ? { seq: h.seq, hash: h.hash } : undefined;
	}

	async close(): Promise<void> {
		this.db.close();
	}
}
