/**
 * Ledger retention. Ledger entries are the evidence, so nothing is ever deleted unless asked: this
 * keeps N years (default 7, at least 2 — CCPA wants 24 months of request records) and deletes the
 * older entries while keeping the chain verifiable. Before deleting, it appends a signed
 * `ledger.pruned` entry naming where the chain was cut (the last deleted seq and its hash, HMAC'd
 * with the ledger's signing key). A verifier then starts at that point instead of the genesis hash:
 * a cut without such a signed entry (someone deleting rows by hand) still fails verification.
 *
 * The work is `ledger.prune()` (one transaction: signed record + delete); `ledger.verify()` accepts
 * the chain from the signed cut (src/ledger/chain.ts `trustedStart`) and nowhere else.
 */
import { GdprError } from '../util/errors';
import { LEDGER_PRUNED, openLedger } from '../ledger';
import type { LedgerConfig, LedgerEntry, VerifyResult } from '../ledger';

export { LEDGER_PRUNED };
export const DEFAULT_KEEP_YEARS = 7;
export const MIN_KEEP_YEARS = 2;

export class LedgerRetentionError extends GdprError {
	declare readonly field: string;
	constructor(field: string, message: string) {
		super(message, { code: 'bad_input', field });
		this.name = 'LedgerRetentionError';
	}
}

/** The instant before which entries may go: `now` minus `keepYears` calendar years (29 Feb → 28 Feb). */
export function ledgerRetentionCutoff(now: Date, keepYears: number = DEFAULT_KEEP_YEARS): Date {
	if (!Number.isInteger(keepYears) || keepYears < MIN_KEEP_YEARS) {
		throw new LedgerRetentionError('keepYears', `Keep ledger entries for at least ${MIN_KEEP_YEARS} whole years (CCPA requires 24 months of request records); got a smaller or fractional number.`);
	}
	const y = now.getUTCFullYear() - keepYears;
	const m = now.getUTCMonth();
	const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
	return new Date(Date.UTC(y, m, Math.min(now.getUTCDate(), lastDay), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds()));
}

export interface PruneResult {
	/** Entries deleted by this call (0 when nothing was old enough). */
	deleted: number;
	/** The chain now starts after this seq (0 = never cut). */
	cutAfterSeq: number;
	cutoff: string;
	/** The signed `ledger.pruned` entry this call appended (absent when nothing new was cut). */
	entry?: Pick<LedgerEntry, 'seq' | 'hash'>;
}

/**
 * Deletes ledger entries older than `keepYears` (default 7, minimum 2) with `ledger.prune()`: the
 * signed `ledger.pruned` record and the delete are one transaction. Safe to re-run (nothing more is
 * deleted until more entries are old enough). Never deletes the newest entry, nor an entry that
 * follows one that is not old enough.
 */
export async function pruneLedger(cfg: LedgerConfig, opts: { keepYears?: number; now?: Date } = {}): Promise<PruneResult> {
	const keepYears = opts.keepYears ?? DEFAULT_KEEP_YEARS;
	const cutoff = ledgerRetentionCutoff(opts.now ?? new Date(), keepYears);
	const ledger = await openLedger(cfg); // migrations and the key check
	try {
		const result = await ledger.prune({ before: cutoff, record: { cutoff: cutoff.toISOString(), keepYears } });
		return { ...result, cutoff: cutoff.toISOString() };
	} finally {
		await ledger.close();
	}
}

/**
 * Verifies a ledger that may have been pruned. `ledger.verify()` itself accepts a chain that starts
 * exactly where a signed `ledger.pruned` entry says it was cut (and nowhere else); this is kept as
 * a config-based shortcut for callers of the retention API.
 */
export async function verifyLedgerWithRetention(cfg: LedgerConfig): Promise<VerifyResult> {
	const ledger = await openLedger(cfg);
	try {
		return await ledger.verify();
	} finally {
		await ledger.close();
	}
}
