// The PostgreSQL ledger's versioned schema (postgres.ts applies it under an advisory lock).

/**
 * Versioned schema: index = version - 1; `S` is replaced by the quoted schema. Never edit a shipped step.
 * 2: no new tables; the signed genesis record (ledger_meta 'genesis'), domain-separated MACs, sealed
 *    contact ids and HMAC-indexed contact ids (data steps in ledger.ts `settleGenesis`).
 * 3: an index on ledger_refs(seq): Verify reads the search index chunk by chunk alongside the entries
 *    (and retention deletes it by seq) without scanning the whole table each time.
 */
export const MIGRATIONS: string[] = [
	`CREATE TABLE S.ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	 CREATE TABLE S.ledger_entries (
	   seq BIGINT PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, request_id TEXT NOT NULL,
	   body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
	 CREATE INDEX ledger_entries_request ON S.ledger_entries (request_id);
	 CREATE INDEX ledger_entries_type ON S.ledger_entries (type, seq);
	 CREATE TABLE S.ledger_refs (ref TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (ref, seq));
	 CREATE TABLE S.ledger_head (id INT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL);`,
	`SELECT 1;`,
	`CREATE INDEX ledger_refs_seq ON S.ledger_refs (seq);`,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;
