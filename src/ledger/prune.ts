/**
 * Ledger retention: the signed `ledger.pruned` record that says where old entries were cut, and
 * where a verify may therefore start a chain that no longer begins at entry 1.
 */
import { LedgerInputError } from './errors';
import { legacyPointMac, macOf, sameHex } from './keys';
import type { LedgerKeys } from './keys';
import type { JsonValue, LedgerEntry, LedgerEntryInput } from './types';

/** Type of the signed entry that records where old entries were deleted (ledger retention). */
export const LEDGER_PRUNED = 'ledger.pruned';

/**
 * Entries later lookups still need, whatever their age:
 * - an open `erasure.intent` (no `erasure.done` / `erasure.failed` / `erasure.incomplete` of the same
 *   request after it): Erase finds it by the subject's HMAC to resume the crashed or failed erasure
 *   with the same request id and plan. Ledger retention never cuts at or past the oldest one.
 * - a `retention.archived` entry: Intercom's search never returns archived contacts, so Erase and
 *   Export find them only through these entries. Ledger retention carries each one in the cut part
 *   forward, in the same transaction and before the signed `ledger.pruned` record: a new entry with
 *   the same request id, subject HMACs and (re-sealed) contact ids, and `carriedFromSeq`/`carriedFromAt`.
 */
export const ERASURE_INTENT = 'erasure.intent';
export const CLOSES_INTENT = ['erasure.done', 'erasure.failed', 'erasure.incomplete'] as const;
export const RETENTION_ARCHIVED = 'retention.archived';

/**
 * The signed `ledger.pruned` entry recording that entries up to (seq, hash) are about to be deleted.
 * Appended BEFORE the delete, so the cut is itself inside the chain that survives it.
 */
export function prunedInput(keys: LedgerKeys, seq: number, hash: string, extra: { [key: string]: JsonValue } = {}): LedgerEntryInput {
	return {
		type: LEDGER_PRUNED,
		requestId: `pruned-${seq}`,
		data: { ...extra, uptoSeq: seq, uptoHash: hash, mac: macOf(keys, 'pruned', seq, hash) },
	};
}

export interface CutData {
	uptoSeq?: unknown;
	uptoHash?: unknown;
	mac?: unknown;
}

export function cutOf(body: string): CutData {
	try {
		const data = (JSON.parse(body) as { data?: CutData }).data;
		return data && typeof data === 'object' ? data : {};
	} catch {
		return {};
	}
}

/**
 * Whether a `ledger.pruned` record at `recordSeq` is signed by this ledger's key. Records written
 * by schema version 1 (at or before `legacyUpto`) carry that version's MAC.
 */
export function signedCut(keys: LedgerKeys, d: CutData, recordSeq: number, legacyUpto: number): d is { uptoSeq: number; uptoHash: string; mac: string } {
	if (typeof d.uptoSeq !== 'number' || !Number.isInteger(d.uptoSeq) || d.uptoSeq <= 0 || typeof d.uptoHash !== 'string' || typeof d.mac !== 'string') return false;
	const expected = recordSeq <= legacyUpto ? legacyPointMac(keys, d.uptoSeq, d.uptoHash) : macOf(keys, 'pruned', d.uptoSeq, d.uptoHash);
	return sameHex(d.mac, expected);
}

/** A `ledger.pruned` row as read for `trustedStart` / `signedCuts`. */
export interface PrunedRow {
	seq: number;
	body: string;
}

/**
 * Where a pruned chain may start: the position (seq - 1, prevHash) just before the first kept row,
 * but ONLY when a `ledger.pruned` entry signed with the ledger key names exactly that position AND
 * lies in the kept part (so the walk verifies the record itself: a row planted outside the chain
 * proves nothing). Rows deleted by hand, a cut moved past the signed one, or an unsigned/forged
 * record: undefined, and the walk then reports the gap.
 */
export function trustedStart(keys: LedgerKeys, firstKept: { seq: number; prevHash: string }, pruned: PrunedRow[], legacyUpto = 0): { seq: number; hash: string } | undefined {
	if (firstKept.seq <= 1) return undefined;
	for (const r of pruned) {
		if (r.seq < firstKept.seq) continue;
		const d = cutOf(r.body);
		if (signedCut(keys, d, r.seq, legacyUpto) && d.uptoSeq === firstKept.seq - 1 && d.uptoHash === firstKept.prevHash) return { seq: d.uptoSeq, hash: d.uptoHash };
	}
	return undefined;
}

/** The signed cut points recorded in these `ledger.pruned` rows (unsigned ones are ignored). */
export function signedCuts(keys: LedgerKeys, pruned: PrunedRow[], legacyUpto = 0): Array<{ seq: number; hash: string }> {
	const out: Array<{ seq: number; hash: string }> = [];
	for (const r of pruned) {
		const d = cutOf(r.body);
		if (signedCut(keys, d, r.seq, legacyUpto)) out.push({ seq: d.uptoSeq, hash: d.uptoHash });
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

/** The cut lowered to just before the oldest open erasure intent at or before it (0 = nothing to cut). */
export function capAtOpenIntents(cut: number, oldestSeq: number | null, openIntents: number[]): number {
	if (cut <= 0 || openIntents.length === 0) return cut;
	const capped = Math.min(cut, openIntents[0] - 1);
	return oldestSeq !== null && capped >= oldestSeq ? capped : 0;
}

/** A `retention.archived` entry about to be cut, re-recorded after the cut (contact ids re-sealed by append). */
export function carriedArchive(e: LedgerEntry): LedgerEntryInput {
	return {
		type: RETENTION_ARCHIVED,
		requestId: e.requestId,
		subjects: e.subjects,
		contactIds: e.contactIds,
		data: { ...e.data, carriedFromSeq: e.seq, carriedFromAt: e.at },
	};
}
