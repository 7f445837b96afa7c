/**
 * What a backend provides: storage only (lock the head, write rows, read rows, search). The chain
 * logic — append, prune, verify, sealing, checks — is written once in ledger.ts on top of it.
 */
import type { NewRow, StoredRow } from './entries';
import type { PrunedRow } from './prune';
import type { SnapshotReader } from './walk';

export interface HeadRow {
	seq: number;
	hash: string;
	mac: string;
}

/** Reads and writes inside ONE write transaction that holds the head lock. */
export interface WriteTx {
	/** The head, locked until the transaction ends (other processes' appends wait). Undefined when the row is gone. */
	lockHead(): Promise<HeadRow | undefined>;
	insert(rows: NewRow[]): Promise<void>;
	setHead(head: HeadRow): Promise<void>;
	oldestSeq(): Promise<number | null>;
	/** The first seq whose `at` is at or after `at` (ISO text). */
	firstSeqFrom(at: string): Promise<number | null>;
	hashAt(seq: number): Promise<string | undefined>;
	pruned(): Promise<PrunedRow[]>;
	countUpTo(seq: number): Promise<number>;
	/**
	 * Seqs (ascending) of the `erasure.intent` entries at or before `seq` that no later
	 * `erasure.done` / `erasure.failed` / `erasure.incomplete` of the same request closes.
	 */
	openIntentsUpTo(seq: number): Promise<number[]>;
	/** The rows of one type at or before `seq`, oldest first. */
	rowsOfTypeUpTo(type: string, seq: number): Promise<StoredRow[]>;
	deleteUpTo(seq: number): Promise<void>;
}

/** The extra reads and writes a schema migration needs (inside the migration's transaction). */
export interface MigrationTx extends WriteTx {
	getMeta(key: string): Promise<string | undefined>;
	setMeta(key: string, value: string): Promise<void>;
	/** The contact-id index rows (`c:` refs). */
	contactRefs(): Promise<Array<{ ref: string; seq: number }>>;
	replaceContactRefs(rows: Array<{ ref: string; seq: number }>): Promise<void>;
	/** Reads of the data as this transaction sees it (to check an old chain before upgrading it). */
	reader(): SnapshotReader;
}

export interface SearchQuery {
	/** Index values every result must have (subject HMAC `s:…`, contact-id HMAC `c:…`). */
	refs: string[];
	requestId?: string;
	type?: string;
	since?: string;
	until?: string;
	newestFirst: boolean;
	limit: number;
}

export interface Storage {
	readonly backend: 'sqlite' | 'postgres';
	/** Runs `fn` in one write transaction: committed when it resolves, rolled back when it throws. */
	write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
	/** Runs `fn` on one consistent read snapshot while others may keep appending. */
	snapshot<T>(fn: (read: SnapshotReader) => Promise<T>): Promise<T>;
	search(q: SearchQuery): Promise<StoredRow[]>;
	head(): Promise<{ seq: number; hash: string } | undefined>;
	close(): Promise<void>;
}

/** An entry row as both databases return it (PostgreSQL's BIGINT arrives as a string). */
export interface RawRow {
	seq: number | string;
	at: string;
	type: string;
	request_id: string;
	body: string;
	prev_hash: string;
	hash: string;
}

export const toStored = (r: RawRow): StoredRow => ({ seq: Number(r.seq), at: r.at, type: r.type, requestId: r.request_id, body: r.body, prevHash: r.prev_hash, hash: r.hash });
