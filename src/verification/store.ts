/**
 * Where pending identity challenges live between "issue" and "check" (minutes to hours): one row
 * per request id, holding only a keyed hash of the code or link token, its expiry and counters.
 * Someone who copies the file without the key learns nothing usable: the hash is
 * HMAC-SHA256(key, request id + secret), and a 6-digit code cannot be tried offline without the key.
 *
 * The default store is a small SQLite file (node:sqlite) beside the ledger, in the n8n user folder.
 * Each change is one `BEGIN IMMEDIATE` transaction, so two executions (or two n8n processes on the
 * same disk) checking the same code at once cannot both use it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';

export interface ChallengeRecord {
	requestId: string;
	/** `code`: digits the person types; `link`: a token carried in a URL. */
	method: 'code' | 'link';
	/** HMAC-SHA256 hex of the secret (see challenge.ts); never the secret. */
	secretHash: string;
	issuedAt: number;
	expiresAt: number;
	attempts: number;
	maxAttempts: number;
	/** How many challenges were issued for this request in all (re-issuing is capped). */
	issueCount: number;
	usedAt: number | null;
	/** Intercom contact ids the challenge was sent for (opaque ids, used for the data-point check). */
	contactIds: string[];
}

export interface VerificationStore {
	/**
	 * Runs `change` on the request's record atomically: it returns the record to keep (null: delete
	 * it, undefined: leave it) and a result passed through.
	 */
	update<T>(requestId: string, change: (current: ChallengeRecord | undefined) => { next?: ChallengeRecord | null; result: T }): Promise<T>;
	/** Deletes records whose expiry is before `before` (ms); returns how many. */
	purge(before: number): Promise<number>;
	close(): Promise<void>;
}

/** The default file name, beside the ledger in the n8n user folder. */
export const VERIFICATION_STORE_FILE = 'intercom-gdpr-verification.sqlite';

interface Row {
	request_id: string;
	method: string;
	secret_hash: string;
	issued_at: number;
	expires_at: number;
	attempts: number;
	max_attempts: number;
	issue_count: number;
	used_at: number | null;
	contact_ids: string;
}

const fromRow = (r: Row): ChallengeRecord => ({
	requestId: r.request_id,
	method: r.method === 'link' ? 'link' : 'code',
	secretHash: r.secret_hash,
	issuedAt: Number(r.issued_at),
	expiresAt: Number(r.expires_at),
	attempts: Number(r.attempts),
	maxAttempts: Number(r.max_attempts),
	issueCount: Number(r.issue_count),
	usedAt: r.used_at === null ? null : Number(r.used_at),
	contactIds: JSON.parse(r.contact_ids) as string[],
});

/** Opens (creating when needed) the SQLite challenge store at `path`. */
export function openVerificationStore(path: string): VerificationStore {
	mkdirSync(dirname(path), { recursive: true });
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { DatabaseSync: Db } = require('node:sqlite') as typeof import('node:sqlite');
	const db: DatabaseSync = new Db(path);
	db.exec('PRAGMA busy_timeout = 10000');
	db.exec('PRAGMA journal_mode = WAL');
	db.exec(`CREATE TABLE IF NOT EXISTS challenges (
		request_id TEXT PRIMARY KEY,
		method TEXT NOT NULL,
		secret_hash TEXT NOT NULL,
		issued_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		attempts INTEGER NOT NULL,
		max_attempts INTEGER NOT NULL,
		issue_count INTEGER NOT NULL,
		used_at INTEGER,
		contact_ids TEXT NOT NULL
	)`);
	const select = db.prepare('SELECT * FROM challenges WHERE request_id = ?');
	const del = db.prepare('DELETE FROM challenges WHERE request_id = ?');
	const upsert = db.prepare(`INSERT INTO challenges (request_id, method, secret_hash, issued_at, expires_at, attempts, max_attempts, issue_count, used_at, contact_ids)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(request_id) DO UPDATE SET method = excluded.method, secret_hash = excluded.secret_hash, issued_at = excluded.issued_at,
		expires_at = excluded.expires_at, attempts = excluded.attempts, max_attempts = excluded.max_attempts, issue_count = excluded.issue_count,
		used_at = excluded.used_at, contact_ids = excluded.contact_ids`);
	const purge = db.prepare('DELETE FROM challenges WHERE expires_at < ?');
	let open = true;
	return {
		async update(requestId, change) {
			db.exec('BEGIN IMMEDIATE');
			let committed = false;
			try {
				const row = select.get(requestId) as Row | undefined;
				const { next, result } = change(row ? fromRow(row) : undefined);
				if (next === null) del.run(requestId);
				else if (next) {
					upsert.run(next.requestId, next.method, next.secretHash, next.issuedAt, next.expiresAt, next.attempts, next.maxAttempts, next.issueCount, next.usedAt, JSON.stringify(next.contactIds));
				}
				db.exec('COMMIT');
				committed = true;
				return result;
			} finally {
				// `change` refused (e.g. too many challenges): nothing of this transaction stays.
				if (!committed) db.exec('ROLLBACK');
			}
		},
		async purge(before) {
			return Number(purge.run(before).changes);
		},
		async close() {
			if (open) db.close();
			open = false;
		},
	};
}
