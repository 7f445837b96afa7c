/**
 * SQLite backend on `node:sqlite` (built into Node ≥ 22.5; no native add-on to install).
 * Durable: WAL + synchronous=FULL, so a committed append survives power loss. Several processes
 * may append to one file: each append takes SQLite's write lock (BEGIN IMMEDIATE) before reading
 * the head, so they form one chain.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync as DatabaseSyncType, StatementSync } from 'node:sqlite';
import { anchorOf, buildRows, cutPosition, DEFAULT_CHECKPOINT_EVERY, deriveKeys, entryOf, GENESIS_HASH, LEDGER_PRUNED, prunedInput, pruneBefore, refsOf, signedCuts, signPoint, trustedStart } from './chain';
import type { ChainVerifier, LedgerKeys, StoredRow } from './chain';
import { LedgerInputError, LedgerKeyMismatchError, LedgerStorageError } from './errors';
import { ChunkedVerify, PARALLEL_VERIFY_FROM } from './parallel';
import type { RowTuple } from './parallel';
import { hashIdentifier } from './identifiers';
import { searchLimit } from './search';
import type { IdentifierKind, Ledger, LedgerEntry, LedgerEntryInput, LedgerPruneResult, LedgerSearch, PruneOptions, VerifyOptions, VerifyResult } from './types';

/** Versioned schema: index = version - 1. Never edit a shipped step; add a new one. */
const MIGRATIONS: string[] = [
	`CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	 CREATE TABLE ledger_entries (
	   seq INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, request_id TEXT NOT NULL,
	   body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
	 CREATE INDEX ledger_entries_request ON ledger_entries (request_id);
	 CREATE INDEX ledger_entries_type ON ledger_entries (type, seq);
	 CREATE TABLE ledger_refs (ref TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (ref, seq)) WITHOUT ROWID;
	 CREATE TABLE ledger_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL);`,
];

export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

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

export async function openSqliteLedger(cfg: { path: string; key: string; checkpointEvery?: number; busyTimeoutMs?: number }): Promise<Ledger> {
	const keys = deriveKeys(cfg.key);
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
	let migrated = false;
	try {
		migrate(db, keys);
		migrated = true;
	} finally {
		if (!migrated) db.close();
	}
	return new SqliteLedger(db, keys, cfg.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY);
}

function migrate(db: DatabaseSyncType, keys: LedgerKeys): void {
	db.exec('BEGIN IMMEDIATE');
	let committed = false;
	try {
		const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
		if (version > MIGRATIONS.length) {
			throw new LedgerStorageError(`The ledger file has schema version ${version}, newer than this package knows (${MIGRATIONS.length}): update the package.`, 'schema_newer');
		}
		for (let v = version; v < MIGRATIONS.length; v++) {
			db.exec(MIGRATIONS[v]);
			if (v === 0) {
				db.prepare('INSERT INTO ledger_head (id, seq, hash, mac) VALUES (1, 0, ?, ?)').run(GENESIS_HASH, signPoint(keys, 0, GENESIS_HASH));
			}
			db.exec(`PRAGMA user_version = ${v + 1}`);
		}
		const check = db.prepare("SELECT value FROM ledger_meta WHERE key = 'key_check'").get() as { value: string } | undefined;
		if (!check) db.prepare("INSERT INTO ledger_meta (key, value) VALUES ('key_check', ?)").run(keys.check);
		else if (check.value !== keys.check) throw new LedgerKeyMismatchError();
		db.exec('COMMIT');
		committed = true;
	} finally {
		if (!committed) db.exec('ROLLBACK');
	}
}

interface RawRow {
	seq: number;
	at: string;
	type: string;
	request_id: string;
	body: string;
	prev_hash: string;
	hash: string;
}

const tupleOf = (r: RawRow): RowTuple => [Number(r.seq), r.at, r.type, r.request_id, r.body, r.prev_hash, r.hash];

const toStored = (r: RawRow): StoredRow => ({ seq: Number(r.seq), at: r.at, type: r.type, requestId: r.request_id, body: r.body, prevHash: r.prev_hash, hash: r.hash });

class SqliteLedger implements Ledger {
	readonly backend = 'sqlite' as const;
	private closed = false;
	private readonly headStmt: StatementSync;
	private readonly insertStmt: StatementSync;
	private readonly refStmt: StatementSync;
	private readonly updateHeadStmt: StatementSync;

	constructor(
		private readonly db: DatabaseSyncType,
		private readonly keys: LedgerKeys,
		private readonly checkpointEvery: number,
	) {
		this.headStmt = db.prepare('SELECT seq, hash, mac FROM ledger_head WHERE id = 1');
		this.insertStmt = db.prepare('INSERT INTO ledger_entries (seq, at, type, request_id, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
		this.refStmt = db.prepare('INSERT OR IGNORE INTO ledger_refs (ref, seq) VALUES (?, ?)');
		this.updateHeadStmt = db.prepare('UPDATE ledger_head SET seq = ?, hash = ?, mac = ? WHERE id = 1');
	}

	async append(entry: LedgerEntryInput): Promise<LedgerEntry> {
		return (await this.appendMany([entry]))[0];
	}

	async appendMany(entries: LedgerEntryInput[]): Promise<LedgerEntry[]> {
		this.assertOpen();
		if (entries.length === 0) return [];
		const db = this.db;
		db.exec('BEGIN IMMEDIATE');
		let committed = false;
		try {
			const written = this.write(this.lockedHead(), entries);
			db.exec('COMMIT');
			committed = true;
			return written;
		} finally {
			if (!committed && db.isTransaction) db.exec('ROLLBACK');
		}
	}

	async prune(opts: PruneOptions): Promise<LedgerPruneResult> {
		this.assertOpen();
		const before = pruneBefore(opts?.before);
		const db = this.db;
		db.exec('BEGIN IMMEDIATE');
		let committed = false;
		try {
			const head = this.lockedHead();
			const oldest = db.prepare('SELECT MIN(seq) AS s FROM ledger_entries').get() as { s: number | null };
			const firstNew = db.prepare('SELECT MIN(seq) AS s FROM ledger_entries WHERE at >= ?').get(before) as { s: number | null };
			const cut = cutPosition(oldest.s === null ? null : Number(oldest.s), firstNew.s === null ? null : Number(firstNew.s), head.seq);
			const hashAt = (seq: number) => (db.prepare('SELECT hash FROM ledger_entries WHERE seq = ?').get(seq) as { hash: string } | undefined)?.hash;
			const recorded = () => signedCuts(this.keys, (db.prepare('SELECT body FROM ledger_entries WHERE type = ? ORDER BY seq').all(LEDGER_PRUNED) as Array<{ body: string }>).map((r) => r.body));
			let entry: LedgerEntry | undefined;
			const cutHash = cut > 0 ? hashAt(cut) : undefined;
			if (cutHash !== undefined && !recorded().some((c) => c.seq === cut && c.hash === cutHash)) {
				[entry] = this.write(head, [prunedInput(this.keys, cut, cutHash, opts.record)]);
			}
			// Carry out every signed cut that still matches the chain (this one, or one recorded earlier).
			const upto = Math.max(0, ...recorded().filter((c) => (hashAt(c.seq) ?? c.hash) === c.hash).map((c) => c.seq));
			const { n } = db.prepare('SELECT COUNT(*) AS n FROM ledger_entries WHERE seq <= ?').get(upto) as { n: number };
			if (Number(n) > 0) {
				db.prepare('DELETE FROM ledger_refs WHERE seq <= ?').run(upto);
				db.prepare('DELETE FROM ledger_entries WHERE seq <= ?').run(upto);
			}
			db.exec('COMMIT');
			committed = true;
			return { deleted: Number(n), cutAfterSeq: upto, ...(entry ? { entry: { seq: entry.seq, hash: entry.hash } } : {}) };
		} finally {
			if (!committed && db.isTransaction) db.exec('ROLLBACK');
		}
	}

	/** The head, read inside a write transaction (BEGIN IMMEDIATE holds the lock). */
	private lockedHead(): { seq: number; hash: string } {
		const head = this.headStmt.get() as { seq: number; hash: string; mac: string } | undefined;
		if (!head) throw new LedgerStorageError('The ledger\'s signed head record is missing: run Verify; the ledger was tampered with.', 'head_missing');
		return { seq: Number(head.seq), hash: head.hash };
	}

	/** Inserts entries after `head` (inside the caller's transaction) and moves the signed head. */
	private write(head: { seq: number; hash: string }, entries: LedgerEntryInput[]): LedgerEntry[] {
		const { rows, bodies, userRows } = buildRows(this.keys, head, entries, this.checkpointEvery);
		rows.forEach((row, i) => {
			this.insertStmt.run(row.seq, row.at, row.type, row.requestId, row.body, row.prevHash, row.hash);
			for (const ref of refsOf(bodies[i])) this.refStmt.run(ref, row.seq);
		});
		const last = rows[rows.length - 1];
		this.updateHeadStmt.run(last.seq, last.hash, signPoint(this.keys, last.seq, last.hash));
		return userRows.map(entryOf);
	}

	async head(): Promise<{ seq: number; hash: string }> {
		this.assertOpen();
		const head = this.headStmt.get() as { seq: number; hash: string } | undefined;
		return head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
	}

	async verify(opts: VerifyOptions = {}): Promise<VerifyResult> {
		this.assertOpen();
		const started = performance.now();
		let verifier: ChainVerifier;
		// One read transaction: a consistent snapshot while other processes keep appending (WAL).
		// Read in chunks of positional rows: far fewer allocations than one object per row.
		this.db.exec('BEGIN');
		try {
			const head = this.headStmt.get() as { seq: number; hash: string; mac: string } | undefined;
			const run = new ChunkedVerify(this.keys, opts.anchor, opts.parallel ?? Number(head?.seq ?? 0) >= PARALLEL_VERIFY_FROM);
			// A chain whose first row is not entry 1 was pruned: it may start at the signed cut, nowhere else.
			const first = this.db.prepare('SELECT seq, prev_hash FROM ledger_entries ORDER BY seq LIMIT 1').get() as { seq: number; prev_hash: string } | undefined;
			if (first && Number(first.seq) > 1) {
				const bodies = (this.db.prepare('SELECT body FROM ledger_entries WHERE type = ? ORDER BY seq').all(LEDGER_PRUNED) as Array<{ body: string }>).map((r) => r.body);
				const start = trustedStart(this.keys, { seq: Number(first.seq), prevHash: first.prev_hash }, bodies);
				if (start) run.verifier.startAt(start.seq, start.hash);
			}
			const stmt = this.db.prepare('SELECT seq, at, type, request_id, body, prev_hash, hash FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT 10000');
			const arrays = typeof (stmt as { setReturnArrays?: unknown }).setReturnArrays === 'function';
			if (arrays) (stmt as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(true);
			let after = run.verifier.startSeq;
			for (let reading = true; reading; ) {
				const raw = stmt.all(after) as unknown[];
				const rows = arrays ? (raw as RowTuple[]) : (raw as RawRow[]).map(tupleOf);
				for (const r of rows) r[0] = Number(r[0]);
				if (!(await run.push(rows)) || rows.length < 10000) reading = false;
				else after = rows[rows.length - 1][0];
			}
			verifier = await run.finish();
			verifier.finish(head ? { seq: Number(head.seq), hash: head.hash, mac: head.mac } : undefined);
			verifier.checkAnchor();
		} finally {
			this.db.exec('COMMIT');
		}
		return resultOf(this.keys, verifier, opts, started);
	}

	async search(filter: LedgerSearch): Promise<LedgerEntry[]> {
		this.assertOpen();
		const where: string[] = [];
		const params: Array<string | number> = [];
		if (filter.subject !== undefined) {
			where.push('seq IN (SELECT seq FROM ledger_refs WHERE ref = ?)');
			params.push(`s:${filter.subject}`);
		}
		if (filter.contactId !== undefined) {
			where.push('seq IN (SELECT seq FROM ledger_refs WHERE ref = ?)');
			params.push(`c:${filter.contactId}`);
		}
		const add = (sql: string, value: string) => {
			where.push(sql);
			params.push(value);
		};
		if (filter.requestId !== undefined) add('request_id = ?', filter.requestId);
		if (filter.type !== undefined) add('type = ?', filter.type);
		if (filter.since !== undefined) add('at >= ?', new Date(filter.since).toISOString());
		if (filter.until !== undefined) add('at <= ?', new Date(filter.until).toISOString());
		const sql =
			'SELECT seq, at, type, request_id, body, prev_hash, hash FROM ledger_entries' +
			(where.length ? ` WHERE ${where.join(' AND ')}` : '') +
			` ORDER BY seq ${filter.newestFirst ? 'DESC' : 'ASC'} LIMIT ${searchLimit(filter.limit)}`;
		return (this.db.prepare(sql).all(...params) as unknown as RawRow[]).map((r) => entryOf(toStored(r)));
	}

	hashIdentifier(kind: IdentifierKind, value: string): string {
		return hashIdentifier(this.keys, kind, value);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.db.close();
	}

	private assertOpen(): void {
		if (this.closed) throw new LedgerStorageError('The ledger is closed', 'closed');
	}
}

export function resultOf(keys: LedgerKeys, v: ChainVerifier, opts: VerifyOptions, started: number): VerifyResult {
	return {
		ok: v.broken === undefined,
		entries: v.entries,
		lastSeq: v.lastSeq,
		lastHash: v.lastHash,
		checkpoints: v.checkpoints,
		cutAfterSeq: v.startSeq,
		...(v.broken ? { firstBroken: v.broken } : { anchor: anchorOf(keys, v.lastSeq, v.lastHash) }),
		...(opts.anchor ? { anchorChecked: v.anchorSeen && v.broken === undefined } : {}),
		durationMs: Math.round(performance.now() - started),
	};
}
