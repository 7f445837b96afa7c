/**
 * The hash chain, shared by both backends: entry bodies, hashes, signed points, input checks and
 * the verifier. `hash = sha256(prevHash || canonicalJson(body))`, where body is the entry without
 * its two hashes (so seq, time, type, request id, subjects, contact ids and data are all covered).
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical';
import { LedgerInputError } from './errors';
import type { BrokenLink, JsonValue, LedgerAnchor, LedgerEntry, LedgerEntryInput } from './types';

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export const DEFAULT_CHECKPOINT_EVERY = 1000;

/** What the hash covers. Stored as text, so verify hashes exactly the bytes that were hashed at append. */
export interface EntryBody {
	seq: number;
	at: string;
	type: string;
	requestId: string;
	subjects: string[];
	contactIds: string[];
	data: { [key: string]: JsonValue };
}

/** One row as the backends store it. */
export interface StoredRow {
	seq: number;
	at: string;
	type: string;
	requestId: string;
	body: string;
	prevHash: string;
	hash: string;
}

/** One-shot `crypto.hash` (Node ≥ 21.7) is markedly faster than createHash for short inputs: verify walks millions. */
const oneShot = (crypto as { hash?: (alg: string, data: string) => string }).hash;

export function chainHash(prevHash: string, body: string): string {
	return oneShot ? oneShot('sha256', prevHash + body) : createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** Sub-keys, so the identifier HMACs and the signatures never share a key. */
export interface LedgerKeys {
	identifiers: Buffer;
	signing: Buffer;
	/** Stored in the database: opening it with another key is refused instead of writing unsearchable hashes. */
	check: string;
}

export function deriveKeys(secret: string): LedgerKeys {
	if (typeof secret !== 'string' || secret.trim().length < 16) {
		throw new LedgerInputError(
			'secret key',
			'is missing or shorter than 16 characters',
			'Set a long random secret key in the GDPR Ledger credential (e.g. the output of `openssl rand -hex 32`), and keep it: identifier hashes and signatures depend on it.',
		);
	}
	const sub = (label: string) => createHmac('sha256', secret).update(`gdpr-ledger/${label}`).digest();
	return { identifiers: sub('identifiers'), signing: sub('signing'), check: sub('key-check').toString('hex') };
}

/** Signature of one chain position (signed head, checkpoints, anchors). */
export function signPoint(keys: LedgerKeys, seq: number, hash: string): string {
	return createHmac('sha256', keys.signing).update(`point|${seq}|${hash}`).digest('hex');
}

export function anchorOf(keys: LedgerKeys, seq: number, hash: string): LedgerAnchor {
	return { seq, hash, mac: signPoint(keys, seq, hash) };
}

export function sameHex(a: string, b: string): boolean {
	if (typeof a !== 'string' || typeof b !== 'string' || a.length !== b.length) return false;
	return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

// ------------------------------------------------------------------------------------------
// Input checks: the ledger refuses anything that looks like personal data.
// ------------------------------------------------------------------------------------------

const TYPE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const CONTACT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DATA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Anything with an @ between non-space characters; long digit runs written with spaces, + or ( (not ISO dates). */
const EMAILISH = /[^\s@]@[^\s@]/;
const PHONEISH = /\+?\d[\d\s().-]{7,}\d/;
const MAX_STRING = 256;

function checkData(value: JsonValue, path: string, depth: number): void {
	if (depth > 6) throw new LedgerInputError(path, 'nests too deeply', 'Keep ledger data flat: counts, statuses and ids.');
	if (typeof value === 'string') {
		if (value.length > MAX_STRING) {
			throw new LedgerInputError(path, `is longer than ${MAX_STRING} characters`, 'Ledger data holds codes, ids and hashes, never free text.');
		}
		if (EMAILISH.test(value) || (PHONEISH.test(value) && /[\s(+]/.test(value))) {
			throw new LedgerInputError(path, 'looks like an email address or a phone number', 'Store the identifier HMAC (ledger.hashIdentifier) instead of the identifier.');
		}
		return;
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new LedgerInputError(path, 'is not a finite number', 'Store finite numbers only.');
		return;
	}
	if (value === null || typeof value === 'boolean') return;
	if (Array.isArray(value)) {
		value.forEach((v, i) => checkData(v, `${path}[${i}]`, depth + 1));
		return;
	}
	if (typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			if (!DATA_KEY.test(k)) throw new LedgerInputError(`${path}.…`, 'has a key that is not a simple name', 'Use keys like "deletedCount".');
			if (v !== undefined) checkData(v, `${path}.${k}`, depth + 1);
		}
		return;
	}
	throw new LedgerInputError(path, `holds a ${typeof value}`, 'Store JSON values only.');
}

/** Checks one input and returns the body to hash at position `seq`. Never echoes values in errors. */
export function bodyFor(entry: LedgerEntryInput, seq: number, now: () => Date = () => new Date()): EntryBody {
	if (entry === null || typeof entry !== 'object') throw new LedgerInputError('entry', 'is not an object', 'Pass { type, requestId, … }.');
	if (typeof entry.type !== 'string' || entry.type.length > 64 || !TYPE.test(entry.type)) {
		throw new LedgerInputError('type', 'is not a dotted lower-case name', 'Use e.g. "erasure.done" or "x.my_event".');
	}
	if (typeof entry.requestId !== 'string' || !REQUEST_ID.test(entry.requestId)) {
		throw new LedgerInputError('requestId', 'is not 1–128 characters of letters, digits, _ . : -', 'Use a UUID or your ticket number (no email addresses).');
	}
	const subjects = entry.subjects ?? [];
	if (!Array.isArray(subjects) || subjects.some((s) => typeof s !== 'string' || !HEX64.test(s))) {
		throw new LedgerInputError('subjects', 'must hold 64-character hex HMACs only', 'Pass ledger.hashIdentifier(kind, value), never the identifier itself.');
	}
	const contactIds = entry.contactIds ?? [];
	if (!Array.isArray(contactIds) || contactIds.some((s) => typeof s !== 'string' || !CONTACT_ID.test(s))) {
		throw new LedgerInputError('contactIds', 'must hold Intercom contact ids only', 'Pass the ids Intercom gave the contacts.');
	}
	const data = entry.data ?? {};
	if (typeof data !== 'object' || Array.isArray(data)) throw new LedgerInputError('data', 'is not an object', 'Pass { key: value }.');
	checkData(data, 'data', 0);
	let at = entry.at ?? now().toISOString();
	if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
		throw new LedgerInputError('at', 'is not an ISO-8601 time', 'Leave it out to use the current time.');
	}
	at = new Date(at).toISOString();
	return { seq, at, type: entry.type, requestId: entry.requestId, subjects: [...new Set(subjects)], contactIds: [...new Set(contactIds)], data };
}

export function rowFor(body: EntryBody, prevHash: string): StoredRow {
	const text = canonicalJson(body);
	return { seq: body.seq, at: body.at, type: body.type, requestId: body.requestId, body: text, prevHash, hash: chainHash(prevHash, text) };
}

export function entryOf(row: StoredRow): LedgerEntry {
	const body = JSON.parse(row.body) as EntryBody;
	return {
		seq: row.seq,
		at: body.at,
		type: body.type,
		requestId: body.requestId,
		subjects: body.subjects,
		contactIds: body.contactIds,
		data: body.data,
		prevHash: row.prevHash,
		hash: row.hash,
	};
}

/** The checkpoint entry that follows position (seq, hash): signed, so a rewritten chain is caught there. */
export function checkpointInput(keys: LedgerKeys, seq: number, hash: string, at: string): LedgerEntryInput {
	return {
		type: 'ledger.checkpoint',
		requestId: `checkpoint-${seq}`,
		at,
		data: { uptoSeq: seq, uptoHash: hash, mac: signPoint(keys, seq, hash) },
	};
}

/**
 * Builds the rows for a batch appended after `head`, inserting a signed checkpoint whenever the
 * sequence reaches a multiple of `every`.
 */
export function buildRows(
	keys: LedgerKeys,
	head: { seq: number; hash: string },
	entries: LedgerEntryInput[],
	every: number,
): { rows: StoredRow[]; bodies: EntryBody[]; userRows: StoredRow[] } {
	const rows: StoredRow[] = [];
	const bodies: EntryBody[] = [];
	const userRows: StoredRow[] = [];
	let { seq, hash } = head;
	const push = (input: LedgerEntryInput): StoredRow => {
		const body = bodyFor(input, seq + 1);
		const row = rowFor(body, hash);
		rows.push(row);
		bodies.push(body);
		seq = row.seq;
		hash = row.hash;
		return row;
	};
	for (const entry of entries) {
		userRows.push(push(entry));
		if (every > 0 && seq % every === 0) push(checkpointInput(keys, seq, hash, rows[rows.length - 1].at));
	}
	return { rows, bodies, userRows };
}

/** Type of the signed entry that records where old entries were deleted (ledger retention). */
export const LEDGER_PRUNED = 'ledger.pruned';

/**
 * The signed `ledger.pruned` entry recording that entries up to (seq, hash) are about to be deleted.
 * Appended BEFORE the delete, so the cut is itself inside the chain that survives it.
 */
export function prunedInput(keys: LedgerKeys, seq: number, hash: string, extra: { [key: string]: JsonValue } = {}): LedgerEntryInput {
	return {
		type: LEDGER_PRUNED,
		requestId: `pruned-${seq}`,
		data: { ...extra, uptoSeq: seq, uptoHash: hash, mac: signPoint(keys, seq, hash) },
	};
}

interface CutData {
	uptoSeq?: unknown;
	uptoHash?: unknown;
	mac?: unknown;
}

function cutOf(body: string): CutData {
	try {
		const data = (JSON.parse(body) as { data?: CutData }).data;
		return data && typeof data === 'object' ? data : {};
	} catch {
		return {};
	}
}

function signedCut(keys: LedgerKeys, d: CutData): d is { uptoSeq: number; uptoHash: string; mac: string } {
	return (
		typeof d.uptoSeq === 'number' &&
		Number.isInteger(d.uptoSeq) &&
		d.uptoSeq > 0 &&
		typeof d.uptoHash === 'string' &&
		typeof d.mac === 'string' &&
		sameHex(d.mac, signPoint(keys, d.uptoSeq, d.uptoHash))
	);
}

/**
 * Where a pruned chain may start: the position (seq - 1, prevHash) just before the first kept row,
 * but ONLY when a `ledger.pruned` entry signed with the ledger key names exactly that position.
 * Rows deleted by hand, a cut moved past the signed one, or an unsigned/forged entry: undefined,
 * and the walk then reports the gap. (The pruned entry itself is verified by the walk: it lies
 * after the cut.)
 */
export function trustedStart(keys: LedgerKeys, firstKept: { seq: number; prevHash: string }, prunedBodies: string[]): { seq: number; hash: string } | undefined {
	if (firstKept.seq <= 1) return undefined;
	for (const body of prunedBodies) {
		const d = cutOf(body);
		if (signedCut(keys, d) && d.uptoSeq === firstKept.seq - 1 && d.uptoHash === firstKept.prevHash) return { seq: d.uptoSeq, hash: d.uptoHash };
	}
	return undefined;
}

/** The signed cut points recorded in these `ledger.pruned` bodies (unsigned ones are ignored). */
export function signedCuts(keys: LedgerKeys, prunedBodies: string[]): Array<{ seq: number; hash: string }> {
	const out: Array<{ seq: number; hash: string }> = [];
	for (const body of prunedBodies) {
		const d = cutOf(body);
		if (signedCut(keys, d)) out.push({ seq: d.uptoSeq, hash: d.uptoHash });
	}
	return out;
}

/** `before` as the ISO text stored in `at` (both backends compare it as text). */
export function pruneBefore(before: Date | string): string {
	const t = before instanceof Date ? before.getTime() : typeof before === 'string' ? Date.parse(before) : NaN;
	if (!Number.isFinite(t)) throw new LedgerInputError('before', 'is not a date', 'Pass a Date or an ISO-8601 time.');
	return new Date(t).toISOString();
}

/**
 * Where to cut: after the longest run of oldest entries that are ALL older than `before` (an entry
 * written with an old `at` later in the chain never pulls newer ones with it), and never the newest
 * entry. 0 = nothing to cut.
 */
export function cutPosition(oldestSeq: number | null, firstNotOldSeq: number | null, headSeq: number): number {
	if (oldestSeq === null) return 0;
	const cut = Math.min(firstNotOldSeq ?? headSeq, headSeq) - 1;
	return cut >= oldestSeq ? cut : 0;
}

/** The searchable references of an entry: subjects (HMACs) and contact ids. */
export function refsOf(body: EntryBody): string[] {
	return [...body.subjects.map((s) => `s:${s}`), ...body.contactIds.map((c) => `c:${c}`)];
}

// ------------------------------------------------------------------------------------------
// Verifier: fed rows in sequence order, stops at the first broken link.
// ------------------------------------------------------------------------------------------

export class ChainVerifier {
	entries = 0;
	checkpoints = 0;
	lastSeq = 0;
	lastHash = GENESIS_HASH;
	broken?: BrokenLink;
	anchorSeen = false;
	/** The chain starts after this seq (0 = at the genesis hash; > 0 after a signed prune). */
	startSeq = 0;
	/** The outside anchor points into the pruned part: it can no longer be checked (not a failure). */
	anchorPruned = false;
	/** Sequence numbers of the checkpoints seen (to recount them if a later hash check fails). */
	readonly checkpointSeqs: number[] = [];

	/**
	 * @param deferHashes the content hashes are checked elsewhere (a worker thread, see parallel.ts);
	 *   this verifier then checks the links between the STORED hashes, the columns and checkpoints.
	 */
	constructor(
		private readonly keys: LedgerKeys,
		private readonly anchor?: LedgerAnchor,
		private readonly deferHashes = false,
	) {}

	/**
	 * Starts the walk after a signed cut (see `trustedStart`) instead of at the genesis hash. Call
	 * before the first row.
	 */
	startAt(seq: number, hash: string): void {
		if (this.entries > 0 || this.lastSeq !== 0) throw new Error('ChainVerifier.startAt must be called before the first row');
		this.startSeq = seq;
		this.lastSeq = seq;
		this.lastHash = hash;
		if (this.anchor && this.anchor.seq < seq) this.anchorPruned = true;
		if (this.anchor && this.anchor.seq === seq) {
			if (this.anchor.hash !== hash) this.fail(seq, 'hash_mismatch', `The signed cut at entry ${seq} differs from the outside anchor: the ledger was rewritten since the anchor was taken`);
			else this.anchorSeen = true;
		}
	}

	/** Returns false once the chain is broken (the caller may stop reading). */
	push(row: StoredRow): boolean {
		return this.pushParts(row.seq, row.at, row.type, row.requestId, row.body, row.prevHash, row.hash);
	}

	/**
	 * The hot loop of verify (millions of rows): no JSON.parse except for checkpoints. The searchable
	 * columns are checked against the canonical body by position: canonical JSON sorts the keys, so
	 * the body starts with `{"at":…,` and ends with `,"type":…}`, and the last `"requestId":` is the
	 * top-level one (seq, subjects and type after it cannot contain that text).
	 */
	pushParts(seq: number, at: string, type: string, requestId: string, body: string, prevHash: string, hash: string): boolean {
		if (this.broken) return false;
		const expectedSeq = this.lastSeq + 1;
		if (seq !== expectedSeq) {
			return this.fail(seq, 'sequence_gap', `Entry ${expectedSeq} is missing (next entry found: ${seq}): entries were deleted or reordered`);
		}
		if (prevHash !== this.lastHash) {
			return this.fail(seq, 'prev_hash_mismatch', `Entry ${seq} does not point at entry ${this.lastSeq}: entries were deleted, inserted or reordered`);
		}
		if (!this.deferHashes && chainHash(prevHash, body) !== hash) {
			return this.fail(seq, 'hash_mismatch', `Entry ${seq} was changed after it was written (its hash does not match its content)`);
		}
		const rid = body.lastIndexOf('"requestId":');
		if (
			!body.startsWith(`{"at":${JSON.stringify(at)},`) ||
			!body.endsWith(`,"type":${JSON.stringify(type)}}`) ||
			rid < 0 ||
			!body.startsWith(`"requestId":${JSON.stringify(requestId)},"seq":${seq},"subjects":`, rid)
		) {
			return this.fail(seq, 'index_mismatch', `Entry ${seq}: a searchable column was changed (it no longer matches the hashed content)`);
		}
		if (type === 'ledger.checkpoint') {
			let d: { uptoSeq?: number; uptoHash?: string; mac?: string } = {};
			try {
				d = (JSON.parse(body) as EntryBody).data as typeof d;
			} catch {
				d = {};
			}
			if (d.uptoSeq !== this.lastSeq || d.uptoHash !== this.lastHash || typeof d.mac !== 'string' || !sameHex(d.mac, signPoint(this.keys, this.lastSeq, this.lastHash))) {
				return this.fail(seq, 'bad_checkpoint', `Checkpoint entry ${seq} is not signed by this ledger's key for the chain before it: the chain was rewritten, or the key is wrong`);
			}
			this.checkpoints++;
			this.checkpointSeqs.push(seq);
		} else if (type === LEDGER_PRUNED) {
			// Only a key holder can record a cut; one that is unsigned, or names a later point, is forged.
			const d = cutOf(body);
			if (!signedCut(this.keys, d) || d.uptoSeq >= seq) {
				return this.fail(seq, 'bad_prune', `Pruned-entries record ${seq} is not signed by this ledger's key: it was forged, or the key is wrong`);
			}
		}
		if (this.anchor && this.anchor.seq === seq) {
			if (this.anchor.hash !== hash) {
				return this.fail(seq, 'hash_mismatch', `Entry ${seq} differs from the outside anchor: the ledger was rewritten since the anchor was taken`);
			}
			this.anchorSeen = true;
		}
		this.entries++;
		this.lastSeq = seq;
		this.lastHash = hash;
		return true;
	}

	/** Checks the signed head against the last entry read. `head` undefined = the head row is gone. */
	finish(head: { seq: number; hash: string; mac: string } | undefined): void {
		if (this.broken) return;
		if (!head) {
			if (this.entries > 0) this.fail(this.lastSeq, 'head_missing', 'The signed head record is missing: the ledger was tampered with');
			return;
		}
		if (!sameHex(head.mac, signPoint(this.keys, head.seq, head.hash))) {
			this.fail(head.seq, 'head_signature', 'The signed head record does not carry a valid signature: it was changed without the key, or the key is wrong');
			return;
		}
		if (head.seq !== this.lastSeq || head.hash !== this.lastHash) {
			const what = head.seq > this.lastSeq ? `entries after ${this.lastSeq} were removed (the signed head is at ${head.seq})` : `entries after ${head.seq} were added without the key`;
			this.fail(Math.min(head.seq, this.lastSeq) + 1, 'head_mismatch', `The chain does not end where the signed head says: ${what}`);
		}
	}

	checkAnchor(): void {
		if (this.broken || !this.anchor) return;
		if (!sameHex(this.anchor.mac, signPoint(this.keys, this.anchor.seq, this.anchor.hash))) {
			this.fail(this.anchor.seq, 'bad_checkpoint', 'The outside anchor is not signed by this ledger\'s key');
		} else if (!this.anchorSeen && !this.anchorPruned) {
			this.fail(this.anchor.seq, 'head_mismatch', `The ledger no longer reaches entry ${this.anchor.seq} named by the outside anchor: it was truncated or replaced`);
		}
	}

	/**
	 * A deferred hash check found entry `seq` altered. It wins over a failure found by the link
	 * checks when it comes first in the order a sequential walk checks things.
	 */
	hashFailedAt(seq: number, prevHashOfSeq: string): void {
		const b = this.broken;
		const linkFirst = b && b.seq === seq && (b.reason === 'sequence_gap' || b.reason === 'prev_hash_mismatch');
		if (b && (b.seq < seq || linkFirst)) return;
		this.broken = { seq, reason: 'hash_mismatch', message: `Entry ${seq} was changed after it was written (its hash does not match its content)` };
		this.entries = seq - 1 - this.startSeq;
		this.lastSeq = seq - 1;
		this.lastHash = prevHashOfSeq;
		this.checkpoints = this.checkpointSeqs.filter((c) => c < seq).length;
		if (this.anchor && this.anchor.seq >= seq) this.anchorSeen = false;
	}

	private fail(seq: number, reason: BrokenLink['reason'], message: string): false {
		this.broken = { seq, reason, message };
		return false;
	}
}
