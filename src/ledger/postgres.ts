/**
 * PostgreSQL storage on `pg`, for n8n in queue mode (several workers, one shared ledger).
 * Every write locks the head row (`SELECT … FOR UPDATE`) in its transaction, so appends from
 * any number of processes queue up and form ONE chain. Commits are durable with Postgres'
 * default synchronous_commit. Migrations are versioned and serialised by an advisory lock.
 * The chain logic itself is in ledger.ts.
 */
import { Pool } from 'pg';
import type { PoolClient, PoolConfig } from 'pg';
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
import type { Ledger, LedgerConfig } from './types';
import type { SnapshotReader } from './walk';
import { MIGRATIONS } from './postgres-schema';

export { POSTGRES_SCHEMA_VERSION } from './postgres-schema';

type PgConfig = Extract<LedgerConfig, { kind: 'postgres' }>;

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** Rows per INSERT statement (7 parameters each, well under Postgres' 65 535). */
const INSERT_CHUNK = 1000;

/** Rows per read while verifying (keyset pagination on seq). */
const VERIFY_CHUNK = 10_000;

export async function openPostgresLedger(cfg: PgConfig): Promise<Ledger> {
	const keys = deriveKeys(cfg.key);
	const actor = checkedActor(cfg.actor);
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
	const storage = new PostgresStorage(pool, `"${schema}"`);
	let legacyUpto = 0;
	const failure = await migrate(pool, storage, schema, keys).then(
		(upto) => {
			legacyUpto = upto;
			return undefined;
		},
		(error: unknown) => error,
	);
	if (failure !== undefined) {
		await pool.end().catch(() => undefined);
		if (failure instanceof LedgerKeyMismatchError || failure instanceof LedgerStorageError) throw failure;
		throw new LedgerStorageError(`Could not open the PostgreSQL ledger: ${pgReason(failure)}`, 'postgres_open');
	}
	return new ChainLedger(storage, keys, cfg.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY, legacyUpto, actor);
}

/** pg's messages name the host, database and user at most; never the password. Keep code + message. */
function pgReason(error: unknown): string {
	const e = error as { code?: string; message?: string };
	return `${e.message ?? String(error)}${e.code ? ` [${e.code}]` : ''}`;
}

/**
 * Runs `fn` in one transaction on its own pooled connection: COMMIT when it returns, ROLLBACK (whose
 * own failure is ignored: the first error is the one to report) when it throws; the connection goes
 * back to the pool either way.
 */
async function inTx<T>(pool: Pool, begin: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
	const client = await pool.connect();
	let committed = false;
	try {
		await client.query(begin);
		const result = await fn(client);
		await client.query('COMMIT');
		committed = true;
		return result;
	} finally {
		if (!committed) await client.query('ROLLBACK').catch(() => undefined);
		client.release();
	}
}

async function migrate(pool: Pool, storage: PostgresStorage, schema: string, keys: LedgerKeys): Promise<number> {
	const q = `"${schema}"`;
	return await inTx(pool, 'BEGIN', async (client) => {
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
			await client.query(`INSERT INTO ${q}.ledger_migrations (version) VALUES ($1)`, [v + 1]);
		}
		const check = await client.query<{ value: string }>(`SELECT value FROM ${q}.ledger_meta WHERE key = 'key_check'`);
		if (check.rows.length === 0) await client.query(`INSERT INTO ${q}.ledger_meta (key, value) VALUES ('key_check', $1)`, [keys.check]);
		else if (check.rows[0].value !== keys.check) throw new LedgerKeyMismatchError();
		return await settleGenesis(storage.tx(client), keys, version);
	});
}

const num = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));

const COLUMNS = 'seq, at, type, request_id, body, prev_hash, hash';

class PostgresStorage implements Storage {
	readonly backend = 'postgres' as const;

	constructor(
		private readonly pool: Pool,
		private readonly q: string,
	) {}

	async write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
		return await inTx(this.pool, 'BEGIN', async (client) => await fn(this.tx(client)));
	}

	async snapshot<T>(fn: (read: SnapshotReader) => Promise<T>): Promise<T> {
		// One snapshot for the whole walk while other workers keep appending.
		return await inTx(this.pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => await fn(this.reader(client)));
	}

	private async readHead(c: PoolClient, lock: boolean): Promise<HeadRow | undefined> {
		const { rows } = await c.query<{ seq: string; hash: string; mac: string }>(`SELECT seq, hash, mac FROM ${this.q}.ledger_head WHERE id = 1${lock ? ' FOR UPDATE' : ''}`);
		return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash, mac: rows[0].mac } : undefined;
	}

	private async prunedRows(c: PoolClient): Promise<Array<{ seq: number; body: string }>> {
		const { rows } = await c.query<{ seq: string; body: string }>(`SELECT seq, body FROM ${this.q}.ledger_entries WHERE type = $1 ORDER BY seq`, [LEDGER_PRUNED]);
		return rows.map((r) => ({ seq: Number(r.seq), body: r.body }));
	}

	reader(c: PoolClient): SnapshotReader {
		const E = `${this.q}.ledger_entries`;
		const R = `${this.q}.ledger_refs`;
		return {
			genesis: async () => (await c.query<{ value: string }>(`SELECT value FROM ${this.q}.ledger_meta WHERE key = 'genesis'`)).rows[0]?.value,
			head: () => this.readHead(c, false),
			first: async () => {
				const r = (await c.query<{ seq: string; prev_hash: string }>(`SELECT seq, prev_hash FROM ${E} ORDER BY seq LIMIT 1`)).rows[0];
				return r ? { seq: Number(r.seq), prevHash: r.prev_hash } : undefined;
			},
			pruned: () => this.prunedRows(c),
			async *chunks(after: number) {
				const chunkAfter = (from: number) => c.query<RowTuple>({ text: `SELECT ${COLUMNS} FROM ${E} WHERE seq > $1 ORDER BY seq LIMIT ${VERIFY_CHUNK}`, values: [from], rowMode: 'array' });
				const refsIn = (from: number, upto: number) => c.query<RefTuple>({ text: `SELECT seq, ref FROM ${R} WHERE seq > $1 AND seq <= $2 ORDER BY seq`, values: [from, upto], rowMode: 'array' });
				// The next chunk is requested before this one is checked, so the database reads while we hash.
				let next: ReturnType<typeof chunkAfter> | undefined = chunkAfter(after);
				let refs: ReturnType<typeof refsIn> | undefined;
				try {
					while (next) {
						const { rows } = await next;
						next = undefined;
						for (const r of rows) r[0] = Number(r[0]);
						if (rows.length === 0) return;
						const last = rows[rows.length - 1][0];
						refs = refsIn(after, last);
						if (rows.length === VERIFY_CHUNK) next = chunkAfter(last);
						const refRows = (await refs).rows;
						refs = undefined;
						for (const r of refRows) r[0] = Number(r[0]);
						after = last;
						yield { rows, refs: refRows };
					}
				} finally {
					// Stopped early (a broken link): let the prefetch finish unread before the snapshot ends.
					await refs?.catch(() => undefined);
					await next?.catch(() => undefined);
				}
			},
			strayRef: async (after, upto) => num((await c.query<{ s: string | null }>(`SELECT MIN(seq) AS s FROM ${R} WHERE seq <= $1 OR seq > $2`, [after, upto])).rows[0]?.s) ?? undefined,
		};
	}

	/** The write transaction's operations on client `c` (also used by migrations, inside their transaction). */
	tx(c: PoolClient): MigrationTx {
		const E = `${this.q}.ledger_entries`;
		const R = `${this.q}.ledger_refs`;
		return {
			// The lock that keeps one chain across processes: whoever holds the head row appends (or prunes) next.
			lockHead: () => this.readHead(c, true),
			insert: async (rows: NewRow[]) => {
				for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
					const chunk = rows.slice(i, i + INSERT_CHUNK);
					const params: Array<string | number> = [];
					const values = chunk.map((r, j) => {
						params.push(r.seq, r.at, r.type, r.requestId, r.body, r.prevHash, r.hash);
						const b = j * 7;
						return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
					});
					await c.query(`INSERT INTO ${E} (${COLUMNS}) VALUES ${values.join(', ')}`, params);
				}
				const refs: string[] = [];
				const seqs: number[] = [];
				for (const row of rows) {
					for (const ref of row.refs) {
						refs.push(ref);
						seqs.push(row.seq);
					}
				}
				if (refs.length > 0) await c.query(`INSERT INTO ${R} (ref, seq) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING`, [refs, seqs]);
			},
			setHead: async (h) => {
				await c.query(`INSERT INTO ${this.q}.ledger_head (id, seq, hash, mac) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, mac = EXCLUDED.mac`, [h.seq, h.hash, h.mac]);
			},
			oldestSeq: async () => num((await c.query<{ s: string | null }>(`SELECT MIN(seq) AS s FROM ${E}`)).rows[0]?.s),
			firstSeqFrom: async (at) => num((await c.query<{ s: string | null }>(`SELECT MIN(seq) AS s FROM ${E} WHERE at >= $1`, [at])).rows[0]?.s),
			hashAt: async (seq) => (await c.query<{ hash: string }>(`SELECT hash FROM ${E} WHERE seq = $1`, [seq])).rows[0]?.hash,
			pruned: () => this.prunedRows(c),
			countUpTo: async (seq) => Number((await c.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${E} WHERE seq <= $1`, [seq])).rows[0]?.n ?? 0),
			// Open erasure intents at or before a seq (see prune.ts): no closing entry of the same request after them.
			openIntentsUpTo: async (seq) =>
				(
					await c.query<{ seq: string }>(
						`SELECT i.seq FROM ${E} i WHERE i.type = $1 AND i.seq <= $2 AND NOT EXISTS (SELECT 1 FROM ${E} d WHERE d.request_id = i.request_id AND d.seq > i.seq AND d.type = ANY($3::text[])) ORDER BY i.seq`,
						[ERASURE_INTENT, seq, [...CLOSES_INTENT]],
					)
				).rows.map((r) => Number(r.seq)),
			rowsOfTypeUpTo: async (type, seq) => (await c.query<RawRow>(`SELECT ${COLUMNS} FROM ${E} WHERE type = $1 AND seq <= $2 ORDER BY seq`, [type, seq])).rows.map(toStored),
			deleteUpTo: async (seq) => {
				await c.query(`DELETE FROM ${R} WHERE seq <= $1`, [seq]);
				await c.query(`DELETE FROM ${E} WHERE seq <= $1`, [seq]);
			},
			getMeta: async (key) => (await c.query<{ value: string }>(`SELECT value FROM ${this.q}.ledger_meta WHERE key = $1`, [key])).rows[0]?.value,
			setMeta: async (key, value) => {
				await c.query(`INSERT INTO ${this.q}.ledger_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [key, value]);
			},
			contactRefs: async () => (await c.query<{ ref: string; seq: string }>(`SELECT ref, seq FROM ${R} WHERE ref LIKE 'c:%'`)).rows.map((r) => ({ ref: r.ref, seq: Number(r.seq) })),
			replaceContactRefs: async (rows) => {
				await c.query(`DELETE FROM ${R} WHERE ref LIKE 'c:%'`);
				if (rows.length > 0) await c.query(`INSERT INTO ${R} (ref, seq) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING`, [rows.map((r) => r.ref), rows.map((r) => r.seq)]);
			},
			reader: () => this.reader(c),
		};
	}

	async search(q: SearchQuery): Promise<StoredRow[]> {
		const where: string[] = [];
		const params: string[] = [];
		const add = (sql: string, value: string) => {
			params.push(value);
			where.push(sql.replace('?', `$${params.length}`));
		};
		for (const ref of q.refs) add(`seq IN (SELECT seq FROM ${this.q}.ledger_refs WHERE ref = ?)`, ref);
		if (q.requestId !== undefined) add('request_id = ?', q.requestId);
		if (q.type !== undefined) add('type = ?', q.type);
		if (q.since !== undefined) add('at >= ?', q.since);
		if (q.until !== undefined) add('at <= ?', q.until);
		const sql =
			`SELECT ${COLUMNS} FROM ${this.q}.ledger_entries` +
			(where.length ? ` WHERE ${where.join(' AND ')}` : '') +
			` ORDER BY seq ${q.newestFirst ? 'DESC' : 'ASC'} LIMIT ${q.limit}`;
		const { rows } = await this.pool.query<RawRow>(sql, params);
		return rows.map(toStored);
	}

	async head(): Promise<{ seq: number; hash: string } | undefined> {
		const { rows } = await this.pool.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${this.q}.ledger_head WHERE id = 1`);
		return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined;
	}

	async close(): Promise<void> {
		await this.pool.end();
	}
}
