// Append-only, hash-chained audit ledger: one interface, SQLite (node:sqlite) and PostgreSQL (pg).
import { LedgerInputError } from './errors';
import { openPostgresLedger } from './postgres';
import { openSqliteLedger } from './sqlite';
import type { Ledger, LedgerConfig } from './types';

/**
 * Opens (creating and migrating when needed) a ledger. The secret `key` must be the same every
 * time: a ledger opened with another key is refused (LedgerKeyMismatchError).
 */
export async function openLedger(cfg: LedgerConfig): Promise<Ledger> {
	if (cfg === null || typeof cfg !== 'object') throw new LedgerInputError('config', 'is missing', 'Pass { kind: "sqlite", path, key } or { kind: "postgres", connectionString, key }.');
	switch (cfg.kind) {
		case 'sqlite':
			return await openSqliteLedger(cfg);
		case 'postgres':
			return await openPostgresLedger(cfg);
		default:
			throw new LedgerInputError('kind', 'is not "sqlite" or "postgres"', 'Pick one of the two backends.');
	}
}

export { defaultLedgerPath } from './paths';
export { recordDsarExport } from './dsar';
export type { DsarExportRecord } from './dsar';
export { canonicalJson } from '../util/canonical';
export { GENESIS_HASH, DEFAULT_CHECKPOINT_EVERY, LEDGER_PRUNED, chainHash } from './chain';
export { normaliseIdentifier } from './identifiers';
export { isActorValue, isRequestId } from './entries';
export { LedgerInputError, LedgerStorageError, LedgerKeyMismatchError } from './errors';
export { SQLITE_SCHEMA_VERSION } from './sqlite';
export { POSTGRES_SCHEMA_VERSION } from './postgres';
export type {
	Ledger,
	LedgerConfig,
	LedgerEntry,
	LedgerEntryInput,
	LedgerEntryType,
	LedgerSearch,
	LedgerAnchor,
	LedgerActor,
	VerifyOptions,
	VerifyResult,
	PruneOptions,
	LedgerPruneResult,
	BrokenLink,
	IdentifierKind,
	JsonValue,
} from './types';
