// The same suites run on both backends: a fresh SQLite file, or a fresh schema on a real
// PostgreSQL server this file starts (postgres-server.ts). `raw` runs SQL behind the ledger's
// back, the way an attacker with database access would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';
import { openLedger } from '../../src/ledger';
import type { Ledger, LedgerConfig } from '../../src/ledger';
import { deriveKeys } from '../../src/ledger/chain';
import type { LedgerKeys } from '../../src/ledger/chain';
import { startPostgres } from './postgres-server';
import type { PostgresServer } from './postgres-server';

/** Test keys are made, not written out: they protect nothing (a ledger in a temp dir). */
export function testKey(label: string): string {
	return `${label}-`.padEnd(32, '0');
}

export const TEST_KEY = testKey('test-ledger');

export interface RawDb {
	/** `{t}` is replaced by the table prefix (the schema on Postgres). Returns rows. */
	query(sql: string, params?: Array<string | number>): Promise<Array<Record<string, unknown>>>;
	close(): Promise<void>;
}

export interface TestBackend {
	name: 'sqlite' | 'postgres';
	/** A config for a brand-new, empty ledger. */
	freshConfig(extra?: { checkpointEvery?: number; key?: string }): LedgerConfig;
	open(cfg: LedgerConfig): Promise<Ledger>;
	raw(cfg: LedgerConfig): Promise<RawDb>;
}

let counter = 0;

export function sqliteBackend(): TestBackend & { cleanup(): void } {
	const dir = mkdtempSync(join(tmpdir(), 'gdpr-ledger-sqlite-'));
	return {
		name: 'sqlite',
		freshConfig: (extra = {}) => ({ kind: 'sqlite', path: join(dir, `l${++counter}`, 'ledger.sqlite'), key: extra.key ?? TEST_KEY, checkpointEvery: extra.checkpointEvery }),
		open: (cfg) => openLedger(cfg),
		async raw(cfg) {
			if (cfg.kind !== 'sqlite') throw new Error('not sqlite');
			const db = new DatabaseSync(cfg.path);
			db.exec('PRAGMA busy_timeout = 5000');
			return {
				async query(sql, params = []) {
					const text = sql.replace(/\{t\}/g, '');
					return /^\s*(select|pragma)/i.test(text) ? (db.prepare(text).all(...params) as Array<Record<string, unknown>>) : (db.prepare(text).run(...params), []);
				},
				async close() {
					db.close();
				},
			};
		},
		cleanup: () => rmSync(dir, { recursive: true, force: true }),
	};
}

export function postgresBackend(server: () => PostgresServer): TestBackend {
	return {
		name: 'postgres',
		freshConfig: (extra = {}) => ({ kind: 'postgres', connectionString: server().connectionString, schema: `ledger_t${process.pid}_${++counter}`, key: extra.key ?? TEST_KEY, checkpointEvery: extra.checkpointEvery }),
		open: (cfg) => openLedger(cfg),
		async raw(cfg) {
			if (cfg.kind !== 'postgres') throw new Error('not postgres');
			const client = new Client({ connectionString: cfg.connectionString });
			await client.connect();
			return {
				async query(sql, params = []) {
					const text = sql.replace(/\{t\}/g, `"${cfg.schema}".`).replace(/\?/g, (() => { let i = 0; return () => `$${++i}`; })());
					return (await client.query(text, params)).rows as Array<Record<string, unknown>>;
				},
				async close() {
					await client.end();
				},
			};
		},
	};
}

/** Both backends for one test file: call in the file's top level, then use `backends` inside describe.each. */
export function bothBackends(): { backends: TestBackend[]; start(): Promise<void>; stop(): Promise<void> } {
	let pg: PostgresServer | undefined;
	const sqlite = sqliteBackend();
	const backends = [sqlite, postgresBackend(() => {
		if (!pg) throw new Error('PostgreSQL not started');
		return pg;
	})];
	return {
		backends,
		async start() {
			pg = await startPostgres();
		},
		async stop() {
			await pg?.stop();
			sqlite.cleanup();
		},
	};
}

/**
 * The ledger's keys bound to its id, as the key holder has them: to sign test records (a prune
 * record as `ledger.prune` writes it, an anchor). The id is read from the genesis record.
 */
export async function keysOf(b: TestBackend, cfg: LedgerConfig): Promise<LedgerKeys> {
	const raw = await b.raw(cfg);
	const [row] = await raw.query("SELECT value FROM {t}ledger_meta WHERE key = 'genesis'");
	await raw.close();
	const keys = deriveKeys(cfg.key);
	keys.ledgerId = (JSON.parse(String(row.value)) as { ledgerId: string }).ledgerId;
	return keys;
}
