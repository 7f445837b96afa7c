/**
 * The verifier, shared by both backends: fed rows in sequence order, it stops at the first broken
 * link. `runVerify` is the whole walk; a backend only supplies reads from one consistent snapshot.
 */
import { chainHash, GENESIS_HASH, LEDGER_CHECKPOINT } from './entries';
import type { EntryBody } from './entries';
import { contactRef, legacyPointMac, macOf, sameHex, unsealContactId } from './keys';
import type { LedgerKeys } from './keys';
import type { RowTuple } from './parallel';
import { cutOf, LEDGER_PRUNED, signedCut } from './prune';
import type { BrokenLink, LedgerAnchor } from './types';

/**
 * The index values a body implies, as `buildRows` wrote them. Canonical JSON sorts the keys: the
 * first `"contactIds":[` is the top-level one (only `at` and `by`, both without quotes or brackets
 * inside, come before it), and the last `"subjects":[` is (only `type` comes after it). Neither
 * array can hold a `]`. Bodies without either (most system entries) cost two string searches.
 */
export function expectedRefs(keys: LedgerKeys, body: string): string[] {
	const out: string[] = [];
	const ci = body.indexOf('"contactIds":[');
	if (ci >= 0 && body.charCodeAt(ci + 14) !== 93) {
		const end = body.indexOf(']', ci);
		for (const c of JSON.parse(body.slice(ci + 13, end + 1)) as string[]) out.push(contactRef(keys, unsealContactId(keys, c)));
	}
	const si = body.lastIndexOf('"subjects":[');
	if (si >= 0 && body.charCodeAt(si + 12) !== 93) {
		const end = body.indexOf(']', si);
		for (const s of JSON.parse(body.slice(si + 11, end + 1)) as string[]) out.push(`s:${s}`);
	}
	return out;
}

export function anchorOf(keys: LedgerKeys, seq: number, hash: string): LedgerAnchor {
	return { seq, hash, mac: macOf(keys, 'anchor', seq, hash), ledgerId: keys.ledgerId };
}

export interface VerifierOptions {
	anchor?: LedgerAnchor;
	/**
	 * The content hashes are checked elsewhere (a worker thread, see parallel.ts); this verifier
	 * then checks the links between the STORED hashes, the columns and checkpoints.
	 */
	deferHashes?: boolean;
	/** Entries up to this seq were written by schema version 1 (its MAC for checkpoints and prune records). */
	legacyUpto?: number;
	/** The hash of entry `legacyUpto`, as the signed genesis of the upgrade recorded it. */
	legacyHash?: string;
	/** Check the head with version 1's MAC (only to check a version 1 ledger before upgrading it). */
	legacyHead?: boolean;
	/**
	 * Compare the search index (`ledger_refs`) with the refs each body implies. Off only for the
	 * version 1 check before an upgrade (that version indexed contact ids in clear; the upgrade
	 * re-indexes them and the next verify checks the result).
	 */
	checkRefs?: boolean;
}

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
	private readonly anchor?: LedgerAnchor;
	private readonly deferHashes: boolean;
	private readonly legacyUpto: number;
	/** Whether rows must come with their index rows (see `checkRefs`). */
	readonly refsChecked: boolean;

	constructor(
		private readonly keys: LedgerKeys,
		private readonly opts: VerifierOptions = {},
	) {
		this.anchor = opts.anchor;
		this.deferHashes = opts.deferHashes ?? false;
		this.legacyUpto = opts.legacyUpto ?? 0;
		this.refsChecked = opts.checkRefs ?? false;
	}

	/** Starts the walk after a signed cut (see `trustedStart`) instead of at the genesis hash. Call before the first row. */
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
	push(r: RowTuple): boolean {
		return this.pushParts(r[0], r[1], r[2], r[3], r[4], r[5], r[6]);
	}

	/**
	 * The hot loop of verify (millions of rows): no JSON.parse except for signed entries. The
	 * searchable columns are checked against the canonical body by position: canonical JSON sorts
	 * the keys, so the body starts with `{"at":…,` and ends with `,"type":…}`, and the last
	 * `"requestId":` is the top-level one (seq, subjects and type after it cannot contain that text).
	 */
	pushParts(seq: number, at: string, type: string, requestId: string, body: string, prevHash: string, hash: string, refs?: string[]): boolean {
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
		if (refs !== undefined && !this.checkRefs(seq, body, refs)) return false;
		const legacy = seq <= this.legacyUpto;
		if (type === LEDGER_CHECKPOINT) {
			let d: { uptoSeq?: number; uptoHash?: string; mac?: string } = {};
			try {
				d = (JSON.parse(body) as EntryBody).data as typeof d;
			} catch {
				d = {};
			}
			const expected = legacy ? legacyPointMac(this.keys, this.lastSeq, this.lastHash) : macOf(this.keys, 'checkpoint', this.lastSeq, this.lastHash);
			if (d.uptoSeq !== this.lastSeq || d.uptoHash !== this.lastHash || !sameHex(d.mac, expected)) {
				return this.fail(seq, 'bad_checkpoint', `Checkpoint entry ${seq} is not signed by this ledger's key for the chain before it: the chain was rewritten, or the key is wrong`);
			}
			this.checkpoints++;
			this.checkpointSeqs.push(seq);
		} else if (type === LEDGER_PRUNED) {
			// Only a key holder can record a cut; one that is unsigned, or names a later point, is forged.
			const d = cutOf(body);
			if (!signedCut(this.keys, d, seq, this.legacyUpto) || d.uptoSeq >= seq) {
				return this.fail(seq, 'bad_prune', `Pruned-entries record ${seq} is not signed by this ledger's key: it was forged, or the key is wrong`);
			}
		}
		if (seq === this.legacyUpto && this.opts.legacyHash !== undefined && hash !== this.opts.legacyHash) {
			return this.fail(seq, 'bad_genesis', `Entry ${seq} is not the last entry the upgrade to schema version 2 signed: the old entries were rewritten`);
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

	/**
	 * The search index rows of entry `seq` (`stored`, any order) must be exactly the refs its body
	 * implies: `s:` + each subject HMAC, and the contact-id HMAC of each contact id (sealed ids are
	 * opened with the key). Search reads only the index, so a deleted ref hides the entry from
	 * Erase/Export lookups (an open erasure intent, an archived contact) and an added one shows it
	 * for someone else.
	 */
	private checkRefs(seq: number, body: string, stored: string[]): boolean {
		let expected: string[];
		try {
			expected = expectedRefs(this.keys, body);
		} catch {
			return this.fail(seq, 'index_mismatch', `Entry ${seq}: a sealed contact id cannot be opened with this key, so its search index cannot be checked`);
		}
		if (expected.length !== stored.length || (expected.length > 0 && expected.sort().join() !== [...stored].sort().join())) {
			const what = stored.length < expected.length ? 'refs were deleted' : stored.length > expected.length ? 'refs were added' : 'refs were changed';
			return this.fail(seq, 'index_mismatch', `Entry ${seq}: its search index does not match its hashed content (${what}): searches by identifier or contact id would miss or misattribute it`);
		}
		return true;
	}

	/** Checks the signed head against the last entry read. `head` undefined = the head row is gone. */
	finish(head: { seq: number; hash: string; mac: string } | undefined): void {
		if (this.broken) return;
		if (!head) {
			this.fail(this.lastSeq, 'head_missing', 'The signed head record is missing: the ledger was tampered with');
			return;
		}
		const expected = this.opts.legacyHead ? legacyPointMac(this.keys, head.seq, head.hash) : macOf(this.keys, 'head', head.seq, head.hash);
		if (!sameHex(head.mac, expected)) {
			this.fail(head.seq, 'head_signature', 'The signed head record does not carry a valid head signature: it was changed or copied from another record without the key, or the key is wrong');
			return;
		}
		if (head.seq !== this.lastSeq || head.hash !== this.lastHash) {
			const what = head.seq > this.lastSeq ? `entries after ${this.lastSeq} were removed (the signed head is at ${head.seq})` : `entries after ${head.seq} were added without the key`;
			this.fail(Math.min(head.seq, this.lastSeq) + 1, 'head_mismatch', `The chain does not end where the signed head says: ${what}`);
		}
	}

	checkAnchor(): void {
		if (this.broken || !this.anchor) return;
		const a = this.anchor;
		if (a.ledgerId !== undefined && a.ledgerId !== this.keys.ledgerId) {
			this.fail(a.seq, 'bad_anchor', 'The outside anchor was issued by another ledger: this database was replaced (or the anchor belongs to another ledger)');
			return;
		}
		const expected = a.ledgerId === undefined ? legacyPointMac(this.keys, a.seq, a.hash) : macOf(this.keys, 'anchor', a.seq, a.hash);
		if (!sameHex(a.mac, expected)) {
			this.fail(a.seq, 'bad_anchor', 'The outside anchor is not signed by this ledger\'s key');
		} else if (!this.anchorSeen && !this.anchorPruned) {
			this.fail(a.seq, 'head_mismatch', `The ledger no longer reaches entry ${a.seq} named by the outside anchor: it was truncated, rolled back or replaced`);
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

	fail(seq: number, reason: BrokenLink['reason'], message: string): false {
		this.broken = { seq, reason, message };
		return false;
	}
}
