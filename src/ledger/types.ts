/** Public types of the audit ledger. Nothing here may ever hold a name, email, phone or message text. */

/** JSON values an entry's `data` may hold (numbers, flags, ids, status codes, hashes). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Entry types written by this package. Other types are allowed (`x.*` for your own workflows). */
export type LedgerEntryType =
	| 'erasure.intent'
	| 'erasure.done'
	| 'erasure.failed'
	| 'erasure.not_found'
	| 'dsar.export'
	| 'ledger.checkpoint'
	| 'ledger.pruned'
	| 'retention.run'
	| 'retention.archived'
	| 'retention.deleted'
	| (string & {});

/** What a caller appends. The ledger adds `seq`, `at` (unless given), `prevHash` and `hash`. */
export interface LedgerEntryInput {
	type: LedgerEntryType;
	/** One request (erasure, DSAR export) = one id; every entry of that request carries it. */
	requestId: string;
	/** HMAC-SHA256 hex of the person's normalised identifiers (see `hashIdentifier`); never the identifiers. */
	subjects?: string[];
	/**
	 * Intercom contact ids the entry is about. Sealed at rest (AES-256-GCM under the ledger key) and
	 * indexed by an HMAC; `search` and `append` return them in clear to the key holder.
	 */
	contactIds?: string[];
	/** Counts, statuses, Intercom error codes, hashes: checked to hold no email-like text. */
	data?: { [key: string]: JsonValue };
	/** ISO-8601 time; default now. */
	at?: string;
	/** Who acted, for this entry only (default: the actor the ledger was opened with). */
	actor?: LedgerActor;
}

/**
 * Who acted (Art. 5(2), Art. 30): the n8n workflow and execution, and the n8n user when there is
 * one (a manual run). Opaque ids only: never a name or an email.
 */
export interface LedgerActor {
	workflowId?: string;
	executionId?: string;
	/** n8n's user id (a UUID) of whoever started a manual execution. */
	userId?: string;
	/** n8n's execution mode: manual, trigger, webhook, … */
	mode?: string;
}

/** An entry as stored. `hash = sha256(prevHash || canonicalJson(body))`, body = everything but the two hashes. */
export interface LedgerEntry {
	seq: number;
	at: string;
	type: LedgerEntryType;
	requestId: string;
	subjects: string[];
	contactIds: string[];
	data: { [key: string]: JsonValue };
	/** Who acted, when the entry was written with an actor. */
	actor?: LedgerActor;
	prevHash: string;
	hash: string;
}

export interface LedgerSearch {
	/** HMAC of an identifier (from `ledger.hashIdentifier`); matches entries listing it in `subjects`. */
	subject?: string;
	contactId?: string;
	requestId?: string;
	type?: string;
	/** ISO-8601 bounds on `at` (inclusive). */
	since?: string;
	until?: string;
	/** Newest first when true (default false: oldest first). */
	newestFirst?: boolean;
	/** Default 100, at most 10 000. */
	limit?: number;
}

/** Where the chain first stops being trustworthy. */
export interface BrokenLink {
	seq: number;
	reason:
		| 'hash_mismatch' // the entry's stored hash is not sha256(prev || body): edited
		| 'prev_hash_mismatch' // the entry does not point at the previous entry's hash: deleted or reordered
		| 'sequence_gap' // a sequence number is missing or repeated
		| 'bad_checkpoint' // a checkpoint's HMAC does not match (wrong key, or the chain was rewritten)
		| 'bad_prune' // a `ledger.pruned` record is not signed with the ledger key (forged)
		| 'index_mismatch' // a searchable column disagrees with the hashed body
		| 'head_mismatch' // the signed head does not match the last entry: truncated or extended without the key
		| 'head_signature' // the signed head's HMAC does not match
		| 'head_missing' // the signed head is gone (entries deleted with it, or not)
		| 'genesis_missing' // the signed genesis record is gone: the ledger was emptied or its identity removed
		| 'bad_genesis' // the genesis record's HMAC does not match (forged, from another ledger, or the key is wrong)
		| 'bad_anchor'; // the outside anchor is not signed by this key, or was issued by another ledger
	message: string;
}

export interface VerifyResult {
	ok: boolean;
	entries: number;
	/** Last sequence number read, and its hash (what an outside copy should remember). */
	lastSeq: number;
	lastHash: string;
	checkpoints: number;
	/**
	 * 0 when the chain starts at the genesis hash; otherwise the entries up to this seq were deleted
	 * by ledger retention and the chain verifies from the signed `ledger.pruned` record of that cut.
	 */
	cutAfterSeq: number;
	/** The first broken link; later damage is not reported (everything after it is untrusted anyway). */
	firstBroken?: BrokenLink;
	/** A signed statement of the head, to keep outside the database (e.g. mail it to the DPO). */
	anchor?: LedgerAnchor;
	/** The ledger's random id and creation time, from its signed genesis record ('' when it is missing). */
	ledgerId: string;
	createdAt: string;
	/**
	 * Entries up to this seq were written by schema version 1 (before domain-separated MACs) and are
	 * checked with that version's rules; 0 for a ledger created by this version.
	 */
	legacyUpto: number;
	/**
	 * When an outside anchor was given: whether the ledger still contains it. False without a
	 * failure when the anchor points before a signed cut (those entries were pruned on purpose).
	 */
	anchorChecked?: boolean;
	durationMs: number;
}

/** A signed pointer to one entry: proves later that the ledger once reached `seq` with `hash`. */
export interface LedgerAnchor {
	seq: number;
	hash: string;
	mac: string;
	/** The ledger that issued it (absent in anchors from version 1: those are checked with its MAC). */
	ledgerId?: string;
}

export interface VerifyOptions {
	/** An anchor kept outside the database: verify fails if the ledger no longer holds that entry. */
	anchor?: LedgerAnchor;
	/** Check the content hashes in a worker thread; default: from 20 000 entries on. */
	parallel?: boolean;
}

export interface PruneOptions {
	/** Entries older than this go (only the oldest run of them: see `Ledger.prune`). */
	before: Date | string;
	/** Extra data for the signed `ledger.pruned` record (e.g. the retention policy: keepYears, cutoff). */
	record?: { [key: string]: JsonValue };
}

export interface LedgerPruneResult {
	/** Entries deleted by this call (0 when nothing was old enough). */
	deleted: number;
	/** The chain now starts after this seq (0 = never cut). */
	cutAfterSeq: number;
	/** The signed `ledger.pruned` record this call appended (absent when nothing new was cut). */
	entry?: Pick<LedgerEntry, 'seq' | 'hash'>;
	/**
	 * `retention.archived` entries in the cut part that were re-recorded after it (same request id,
	 * subject HMACs and contact ids; `data.carriedFromSeq`), so Erase and Export still find the
	 * contacts this package archived. 0 when nothing new was cut.
	 */
	carriedForward: number;
	/**
	 * Present when the cut stopped earlier than `before` asked: entries from `seq` on were kept because
	 * an erasure is still open there (an `erasure.intent` with no done/failed/incomplete after it;
	 * Erase resumes it). `openIntents` counts the open intents older than `before`. Run Erase again
	 * for that request (or let it fail) and the next prune goes further.
	 */
	keptFrom?: { seq: number; reason: 'open_erasure_intent'; openIntents: number };
}

export type IdentifierKind = 'email' | 'externalId' | 'contactId';

export interface Ledger {
	readonly backend: 'sqlite' | 'postgres';
	/** Appends one entry durably (committed and synced) and returns it with its hash. */
	append(entry: LedgerEntryInput): Promise<LedgerEntry>;
	/** Appends several entries in ONE transaction (one sync): the fast path for many entries per run. */
	appendMany(entries: LedgerEntryInput[]): Promise<LedgerEntry[]>;
	verify(opts?: VerifyOptions): Promise<VerifyResult>;
	/**
	 * Ledger retention: deletes the oldest entries written before `before`, in ONE transaction with
	 * a signed `ledger.pruned` record naming the cut, so `verify()` still accepts the chain (from the
	 * cut). Never deletes the newest entry, nor an entry after one that is not old enough. Completes a
	 * signed cut recorded earlier and not yet carried out. Callers choose `before` (keep ≥ 2 years).
	 */
	prune(opts: PruneOptions): Promise<LedgerPruneResult>;
	/** Every filter field is checked: a bad one is refused (LedgerInputError naming it), never ignored. */
	search(filter: LedgerSearch): Promise<LedgerEntry[]>;
	/** HMAC-SHA256(key, kind + ':' + normalised value): what `subjects` and `search({subject})` hold. */
	hashIdentifier(kind: IdentifierKind, value: string): string;
	/** The last entry's seq and hash (0 and the genesis hash when empty). */
	head(): Promise<{ seq: number; hash: string }>;
	close(): Promise<void>;
}

export type LedgerConfig =
	| {
			kind: 'sqlite';
			/** File path; created with its folder when missing. */
			path: string;
			/** Secret key (from the GdprLedger credential): identifier HMACs and signed checkpoints. */
			key: string;
			/** Who acts through this ledger object: written into every entry it appends. */
			actor?: LedgerActor;
			checkpointEvery?: number;
			/** How long to wait for another process's write lock (ms); default 10 000. */
			busyTimeoutMs?: number;
	  }
	| {
			kind: 'postgres';
			connectionString?: string;
			/** pg connection options instead of / on top of the connection string. */
			connection?: { host?: string; port?: number; database?: string; user?: string; password?: string; ssl?: boolean | { rejectUnauthorized: boolean } };
			/** Schema holding the ledger's tables; default `gdpr_ledger`. */
			schema?: string;
			key: string;
			actor?: LedgerActor;
			checkpointEvery?: number;
	  };
