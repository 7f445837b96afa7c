/**
 * PostgreSQL backend on `pg`, for n8n in queue mode (several workers, one shared ledger).
 * Every append locks the head row (`SELECT … FOR UPDATE`) in its transaction, so appends from
 * any number of processes queue up and form ONE chain. Commits are durable with Postgres'
 * default synchronous_commit. Migrations are versioned and serialised by an advisory lock.
 */
import { Pool } from 'pg';
import type { PoolClient, PoolConfig } from 'pg';
import { buildRows, cutPosition, DEFAULT_CHECKPOINT_EVERY, deriveKeys, entryOf, GENESIS_HASH, LEDGER_PRUNED, prunedInput, pruneBefore, refsOf, signedCuts, signPoint, trustedStart } from './chain';
import type { ChainVerifier, LedgerKeys, StoredRow } from './chain';
import { LedgerInputError, LedgerKeyMismatchError, LedgerStorageError } from './errors';
import { ChunkedVerify, PARALLEL_VERIFY_FROM } from './parallel';
import type { RowTuple } from './parallel';
import { hashIdentifier } from './identifiers';
import { searchLimit } from './search';
import { resultOf } from './sqlite';
import type { IdentifierKind, Ledger, LedgerConfig, LedgerEntry, LedgerEntryInput, LedgerPruneResult, LedgerSearch, PruneOptions, VerifyOptions, VerifyResult } from './types';

type PgConfig = Extract<LedgerConfig, { kind: 'postgres' }>;

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** Versioned schema: index = version - 1; `S` is replaced by the quoted schema. Never edit a shipped step. */
const MIGRATIONS: string[] = [
	`CREATE TABLE S.ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	 CREATE TABLE S.ledger_entries (
	   seq BIGINT PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, request_id TEXT NOT NULL,
	   body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
	 CREATE INDEX ledger_entries_request ON S.ledger_entries (request_id);
	 CREATE INDEX ledger_entries_type ON S.ledger_entries (type, seq);
	 CREATE TABLE S.ledger_refs (ref TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (ref, seq));
	 CREATE TABLE S.ledger_head (id INT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL);`,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** Rows per INSERT statement (7 parameters each, well under Postgres' 65 535). */
const INSERT_CHUNK = 1000;

/** Rows per read while verifying (keyset pagination on seq). */
const VERIFY_CHUNK = 10_000;

export async function openPostgresLedger(cfg: PgConfig): Promise<Ledger> {
	const keys = deriveKeys(cfg.key);
	const schema = cfg.schema ?? 'gdpr_ledger';
	if (!SCHEMA.test(schema)) {
		throw new LedgerInputError('schema', 'is not a plain lower-case identifier', 'Use letters, digits and _ (e.g. gdpr_ledger).');
	}
	if (!cfg.connectionString && !cfg.connection) {
		throw new LedgerInputError('connection', 'is missing', 'Give a connection string or host, port, database and user.');
	}
	const poolConfig: PoolConfig = { ...(cfg.connection ?? {}), max: 4, connectionTimeoutMillis: 15_000 };
	if (cfg.connectionString) poolConfig.connectionString = cfg.connectionString;
	const pool = new Pool(poolConfig);
	// An idle client losing its connection must not crash n8n; the next query reports it.
	pool.on('error', () => undefined);
	const q = `"${schema}"`;
	const failure = await migrate(pool, q, schema, keys).then(
		() => undefined,
		(error: unknown) => error,
	);
	if (failure !== undefined) {
		await pool.end().catch(() => undefined);
		if (failure instanceof LedgerKeyMismatchError || failure instanceof LedgerStorageError) throw failure;
		throw new LedgerStorageError(`Could not open the PostgreSQL ledger: ${pgReason(failure)}`, 'postgres_open');
	}
	return new PostgresLedger(pool, q, keys, cfg.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY);
}

/** pg's messages name the host, database and user at most; never the password. Keep code + message. */
function pgReason(error: unknown): string {
	const e = error as { code?: string; message?: string };
	return `${e.message ?? String(error)}${e.code ? ` [${e.code}]` : ''}`;
}

async function migrate(pool: Pool, q: string, schema: string, keys: LedgerKeys): Promise<void> {
	const client = await pool.connect();
	let committed = false;
	try {
		await client.query('BEGIN');
		// Several workers may start at once: one migrates, the others wait and then see the result.
		await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gdpr_ledger_migrate:${schema}`]);
		await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
		await client.query(`CREATE TABLE IF NOT EXISTS ${q}.ledger_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
		const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${q}.ledger_migrations`);
		const version = rows[0]?.v ?? 0;
		if (version > MIGRATIONS.length) {
			throw new LedgerStorageError(`The ledger schema has version ${version}, newer than this package knows (${MIGRATIONS.length}): update the package.`, 'schema_newer');
		}
		for (let v = version; v < MIGRATIONS.length; v++) {
			await client.query(MIGRATIONS[v].replace(/\bS\./g, `${q}.`));
			if (v === 0) {
				await client.query(`INSERT INTO ${q}.ledger_head (id, seq, hash, mac) VALUES (1, 0, $1, $2)`, [GENESIS_HASH, signPoint(keys, 0, GENESIS_HASH)]);
			}
			await client.query(`INSERT INTO ${q}.ledger_migrations (version) VALUES ($1)`, [v + 1]);
		}
		const check = await client.query<{ value: string }>(`SELECT value FROM ${q}.ledger_meta WHERE key = 'key_check'`);
		if (check.rows.length === 0) await client.query(`INSERT INTO ${q}.ledger_meta (key, value) VALUES ('key_check', $1)`, [keys.check]);
		else if (check.rows[0].value !== keys.check) throw new LedgerKeyMismatchError();
		await client.query('COMMIT');
		committed = true;
	} finally {
		if (!committed) await client.query('ROLLBACK').catch(() => undefined);
		client.release();
	}
}

interface RawRow {
	seq: string;
	at: string;
	type: string;
	request_id: string;
	body: string;
	prev_hash: string;
	hash: string;
}

const toStored = (r: RawRow): StoredRow => ({ seq: Number(r.seq), at: r.at, type: r.type, requestId: r.request_id, body: r.body, prevHash: r.prev_hash, hash: r.hash });

const COLUMNS = 'seq, at, type, request_id, body, prev_hash, hash';

class PostgresLedger implements Ledger {
	readonly backend = 'postgres' as const;
	private closed = false;

	constructor(
		private readonly pool: Pool,
		private readonly q: string,
		private readonly keys: LedgerKeys,
		private readonly checkpointEvery: number,
	) {}

	async append(entry: LedgerEntryInput): Promise<LedgerEntry> {
		return (await this.appendMany([entry]))[0];
	}

	async appendMany(entries: LedgerEntryInput[]): Promise<LedgerEntry[]> {
		this.assertOpen();
		if (entries.length === 0) return [];
		return await this.transaction(async (c) => await this.write(c, await this.lockHead(c), entries));
	}

	async prune(opts: PruneOptions): Promise<LedgerPruneResult> {
		this.assertOpen();
		const before = pruneBefore(opts?.before);
		const E = `${this.q}.ledger_entries`;
		return await this.transaction(async (c) => {
			const head = await this.lockHead(c);
			const num = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));
			const oldest = (await c.query<{ s: string | null }>(`SELECT MIN(seq) AS s FROM ${E}`)).rows[0]?.s;
			const firstNew = (await c.query<{ s: string | null }>(`SELECT MIN(seq) AS s FROM ${E} WHERE at >= $1`, [before])).rows[0]?.s;
			const cut = cutPosition(num(oldest), num(firstNew), head.seq);
			const hashAt = async (seq: number) => (await c.query<{ hash: string }>(`SELECT hash FROM ${E} WHERE seq = $1`, [seq])).rows[0]?.hash;
			const recorded = async () => signedCuts(this.keys, (await c.query<{ body: string }>(`SELECT body FROM ${E} WHERE type = $1 ORDER BY seq`, [LEDGER_PRUNED])).rows.map((r) => r.body));
			let entry: LedgerEntry | undefined;
			const cutHash = cut > 0 ? await hashAt(cut) : undefined;
			if (cutHash !== undefined && !(await recorded()).some((x) => x.seq === cut && x.hash === cutHash)) {
				[entry] = await this.write(c, head, [prunedInput(this.keys, cut, cutHash, opts.record)]);
			}
			// Carry out every signed cut that still matches the chain (this one, or one recorded earlier).
			let upto = 0;
			for (const x of await recorded()) if (x.seq > upto && ((await hashAt(x.seq)) ?? x.hash) === x.hash) upto = x.seq;
			const deleted = Number((await c.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${E} WHERE seq <= $1`, [upto])).rows[0]?.n ?? 0);
			if (deleted > 0) {
				await c.query(`DELETE FROM ${this.q}.ledger_refs WHERE seq <= $1`, [upto]);
				await c.query(`DELETE FROM ${E} WHERE seq <= $1`, [upto]);
			}
			return { deleted, cutAfterSeq: upto, ...(entry ? { entry: { seq: entry.seq, hash: entry.hash } } : {}) };
		});
	}

	/** The lock that keeps one chain across processes: whoever holds the head row appends (or prunes) next. */
	private async lockHead(c: PoolClient): Promise<{ seq: number; hash: string }> {
		const head = await c.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${this.q}.ledger_head WHERE id = 1 FOR UPDATE`);
		if (head.rows.length === 0) throw new LedgerStorageError('The ledger\'s signed head record is missing: run Verify; the ledger was tampered with.', 'head_missing');
		return { seq: Number(head.rows[0].seq), hash: head.rows[0].hash };
	}

	/** Inserts entries after `head` (inside the caller's transaction, head locked) and moves the signed head. */
	private async write(c: PoolClient, head: { seq: number; hash: string }, entries: LedgerEntryInput[]): Promise<LedgerEntry[]> {
		const { rows, bodies, userRows } = buildRows(this.keys, head, entries, this.checkpointEvery);
		for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
			const chunk = rows.slice(i, i + INSERT_CHUNK);
			const params: Array<string | number> = [];
			const values = chunk.map((r, j) => {
				params.push(r.seq, r.at, r.type, r.requestId, r.body, r.prevHash, r.hash);
				const b = j * 7;
				return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
			});
			await c.query(`INSERT INTO ${this.q}.ledger_entries (${COLUMNS}) VALUES ${values.join(', ')}`, params);
		}
		const refs: string[] = [];
		const refSeqs: number[] = [];
		rows.forEach((row, i) => refsOf(bodies[i]).forEach((ref) => (refs.push(ref), refSeqs.push(row.seq))));
		if (refs.length > 0) {
			await c.query(`INSERT INTO ${this.q}.ledger_refs (ref, seq) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING`, [refs, refSeqs]);
		}
		const last = rows[rows.length - 1];
		await c.query(`UPDATE ${this.q}.ledger_head SET seq = $1, hash = $2, mac = $3 WHERE id = 1`, [last.seq, last.hash, signPoint(this.keys, last.seq, last.hash)]);
		return userRows.map(entryOf);
	}

	async head(): Promise<{ seq: number; hash: string }> {
		this.assertOpen();
		const { rows } = await this.pool.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${this.q}.ledger_head WHERE id = 1`);
		return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : { seq: 0, hash: GENESIS_HASH };
	}

	async verify(opts: VerifyOptions = {}): Promise<VerifyResult> {
		this.assertOpen();
		const started = performance.now();
		const client = await this.pool.connect();
		let committed = false;
		let verifier: ChainVerifier;
		try {
			// One snapshot for the whole walk while other workers keep appending.
			await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
			const head = await client.query<{ seq: string; hash: string; mac: string }>(`SELECT seq, hash, mac FROM ${this.q}.ledger_head WHERE id = 1`);
			const h = head.rows[0];
			const run = new ChunkedVerify(this.keys, opts.anchor, opts.parallel ?? Number(h?.seq ?? 0) >= PARALLEL_VERIFY_FROM);
			// A chain whose first row is not entry 1 was pruned: it may start at the signed cut, nowhere else.
			const first = (await client.query<{ seq: string; prev_hash: string }>(`SELECT seq, prev_hash FROM ${this.q}.ledger_entries ORDER BY seq LIMIT 1`)).rows[0];
			if (first && Number(first.seq) > 1) {
				const pruned = await client.query<{ body: string }>(`SELECT body FROM ${this.q}.ledger_entries WHERE type = $1 ORDER BY seq`, [LEDGER_PRUNED]);
				const start = trustedStart(this.keys, { seq: Number(first.seq), prevHash: first.prev_hash }, pruned.rows.map((r) => r.body));
				if (start) run.verifier.startAt(start.seq, start.hash);
			}
			const chunkAfter = (after: number) =>
				client.query<RowTuple>({
					text: `SELECT ${COLUMNS} FROM ${this.q}.ledger_entries WHERE seq > $1 ORDER BY seq LIMIT ${VERIFY_CHUNK}`,
					values: [after],
					rowMode: 'array',
				});
			// The next chunk is requested before this one is checked, so the database reads while we hash.
			let next: ReturnType<typeof chunkAfter> | undefined = chunkAfter(run.verifier.startSeq);
			while (next) {
				const { rows } = await next;
				next = undefined;
				for (const r of rows) r[0] = Number(r[0]);
				if (rows.length === VERIFY_CHUNK) next = chunkAfter(rows[rows.length - 1][0]);
				if (!(await run.push(rows))) {
					// A broken link: everything after it is untrusted; let the prefetch finish unread.
					await next?.catch(() => undefined);
					next = undefined;
				}
			}
			verifier = await run.finish();
			verifier.finish(h ? { seq: Number(h.seq), hash: h.hash, mac: h.mac } : undefined);
			verifier.checkAnchor();
			await client.query('COMMIT');
			committed = true;
		} finally {
			if (!committed) await client.query('ROLLBACK').catch(() => undefined);
			client.release();
		}
		return resultOf(this.keys, verifier, opts, started);
	}

	async search(filter: LedgerSearch): Promise<LedgerEntry[]> {
		this.assertOpen();
		const where: string[] = [];
		const params: string[] = [];
		const add = (sql: string, value: string) => {
			params.push(value);
			where.push(sql.replace('?', `$${params.length}`));
		};
		if (filter.subject !== undefined) add(`seq IN (SELECT seq FROM ${this.q}.ledger_refs WHERE ref = ?)`, `s:${filter.subject}`);
		if (filter.contactId !== undefined) add(`seq IN (SELECT seq FROM ${this.q}.ledger_refs WHERE ref = ?)`, `c:${filter.contactId}`);
		if (filter.requestId !== undefined) add('request_id = ?', filter.requestId);
		if (filter.type !== undefined) add('type = ?', filter.type);
		if (filter.since !== undefined) add('at >= ?', new Date(filter.since).toISOString());
		if (filter.until !== undefined) add('at <= ?', new Date(filter.until).toISOString());
		const sql =
			`SELECT ${COLUMNS} FROM ${this.q}.ledger_entries` +
			(where.length ? ` WHERE ${where.join(' AND ')}` : '') +
			` ORDER BY seq ${filter.newestFirst ? 'DESC' : 'ASC'} LIMIT ${searchLimit(filter.limit)}`;
		const { rows } = await this.pool.query<RawRow>(sql, params);
		return rows.map((r) => entryOf(toStored(r)));
	}

	hashIdentifier(kind: IdentifierKind, value: string): string {
		return hashIdentifier(this.keys, kind, value);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await this.pool.end();
	}

	private async transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
		const client = await this.pool.connect();
		let committed = false;
		try {
			await client.query('BEGIN');
			const result = await fn(client);
			await client.query('COMMIT');
			committed = true;
			return result;
		} finally {
			if (!committed) await client.query('ROLLBACK').catch(() => undefined);
			client.release();
		}
	}

	private assertOpen(): void {
		if (this.closed) throw new LedgerStorageError('The ledger is closed', 'closed');
	}
}
