/**
 * The whole verify walk, written once for both backends: a backend supplies reads from one consistent
 * snapshot (`SnapshotReader`); the rows go through `ChainVerifier` (verify.ts), in a worker for large ledgers.
 */
import { keysFor, parseGenesis } from './genesis';
import type { LedgerKeys } from './keys';
import { ChunkedVerify, PARALLEL_VERIFY_FROM } from './parallel';
import type { RefTuple, RowChunk } from './parallel';
import { trustedStart } from './prune';
import type { PrunedRow } from './prune';
import type { VerifyOptions, VerifyResult } from './types';
import { anchorOf } from './verify';

/** What a backend reads for one verify, all from ONE consistent snapshot. */
export interface SnapshotReader {
	genesis(): Promise<string | undefined>;
	head(): Promise<{ seq: number; hash: string; mac: string } | undefined>;
	first(): Promise<{ seq: number; prevHash: string } | undefined>;
	pruned(): Promise<PrunedRow[]>;
	/**
	 * The rows after `after`, in chunks, oldest first, each with the search index rows of the same
	 * seq range (the backend may read ahead).
	 */
	chunks(after: number): AsyncGenerator<RowChunk, void, undefined>;
	/** The lowest seq of an index row outside (after, upto] — an index row with no kept entry — or undefined. */
	strayRef(after: number, upto: number): Promise<number | undefined>;
}

export type { RefTuple };

/**
 * The whole verify, written once: genesis → where the chain starts (entry 1, or a signed cut) →
 * every row → the signed head → the outside anchor.
 */
export async function runVerify(baseKeys: LedgerKeys, read: SnapshotReader, opts: VerifyOptions, legacyCheck = false): Promise<VerifyResult> {
	const started = performance.now();
	const genesis = legacyCheck ? undefined : parseGenesis(await read.genesis());
	const keys = genesis ? keysFor(baseKeys, genesis) : legacyCheck ? baseKeys : undefined;
	const head = await read.head();
	const run = new ChunkedVerify(keys ?? baseKeys, {
		anchor: opts.anchor,
		deferHashes: opts.parallel ?? Number(head?.seq ?? 0) >= PARALLEL_VERIFY_FROM,
		legacyUpto: legacyCheck ? Number.MAX_SAFE_INTEGER : (genesis?.legacyUpto ?? 0),
		legacyHash: genesis && genesis.legacyUpto > 0 ? genesis.legacyHash : undefined,
		legacyHead: legacyCheck,
		checkRefs: !legacyCheck,
	});
	let v = run.verifier;
	if (!genesis && !legacyCheck) {
		v.fail(0, 'genesis_missing', 'The ledger\'s signed genesis record is missing: the ledger was emptied or its identity deleted');
	} else if (!keys) {
		v.fail(0, 'bad_genesis', 'The ledger\'s genesis record is not signed by this key: it was forged or copied from another ledger');
	} else {
		// A chain whose first row is not entry 1 was pruned: it may start at the signed cut, nowhere else.
		const first = await read.first();
		if (first && first.seq > 1) {
			const start = trustedStart(keys, first, await read.pruned(), legacyCheck ? Number.MAX_SAFE_INTEGER : (genesis?.legacyUpto ?? 0));
			if (start) v.startAt(start.seq, start.hash);
		}
		// A broken link stops the reading: everything after it is untrusted anyway.
		for await (const chunk of read.chunks(v.startSeq)) if (!(await run.push(chunk))) break;
		v = await run.finish();
		v.finish(head);
		v.checkAnchor();
		if (!legacyCheck && !v.broken) {
			// Last (a cut tail or a rollback explains leftover index rows better). Index rows of no walked entry: pointing into the pruned part or past the head (search ignores them today; a later entry at that seq would inherit them).
			const stray = await read.strayRef(v.startSeq, v.lastSeq);
			if (stray !== undefined) v.fail(stray, 'index_mismatch', `The search index has rows for entry ${stray}, which is not in the chain: they were added by hand`);
		}
	}
	await run.dispose();
	return {
		ok: v.broken === undefined,
		entries: v.entries,
		lastSeq: v.lastSeq,
		lastHash: v.lastHash,
		checkpoints: v.checkpoints,
		cutAfterSeq: v.startSeq,
		ledgerId: genesis?.ledgerId ?? '',
		createdAt: genesis?.createdAt ?? '',
		legacyUpto: genesis?.legacyUpto ?? 0,
		...(v.broken ? { firstBroken: v.broken } : keys && !legacyCheck ? { anchor: anchorOf(keys, v.lastSeq, v.lastHash) } : {}),
		...(opts.anchor ? { anchorChecked: v.anchorSeen && v.broken === undefined } : {}),
		durationMs: Math.round(performance.now() - started),
	};
}
