/**
 * The ledger, written once over a backend's storage (storage.ts): append, prune, verify, search,
 * the signed head, contact-id sealing and the per-object queue. Backends only run SQL.
 */
import { buildRows, checkActor, entryOf, GENESIS_HASH } from './entries';
import { LedgerStorageError } from './errors';
import { GENESIS_META_KEY, keysFor, newGenesis, parseGenesis } from './genesis';
import { hashIdentifier } from './identifiers';
import { contactRef, macOf } from './keys';
import type { LedgerKeys } from './keys';
import { capAtOpenIntents, carriedArchive, cutPosition, LEDGER_PRUNED, prunedInput, pruneBefore, RETENTION_ARCHIVED, signedCuts } from './prune';
import { searchQuery } from './search';
import { Serial } from './serial';
import type { MigrationTx, Storage, WriteTx } from './storage';
import type { IdentifierKind, Ledger, LedgerActor, LedgerEntry, LedgerEntryInput, LedgerPruneResult, LedgerSearch, PruneOptions, VerifyOptions, VerifyResult } from './types';
import { runVerify } from './walk';

export class ChainLedger implements Ledger {
	readonly backend: 'sqlite' | 'postgres';
	private closed = false;
	private readonly serial = new Serial();
	private readonly actor?: LedgerActor;

	constructor(
		private readonly storage: Storage,
		private readonly keys: LedgerKeys,
		private readonly checkpointEvery: number,
		private readonly legacyUpto: number,
		actor?: LedgerActor,
	) {
		this.backend = storage.backend;
		this.actor = actor;
	}

	async append(entry: LedgerEntryInput): Promise<LedgerEntry> {
		return (await this.appendMany([entry]))[0];
	}

	appendMany(entries: LedgerEntryInput[]): Promise<LedgerEntry[]> {
		return this.queued(async () => {
			if (entries.length === 0) return [];
			this.requireGenesis();
			return await this.storage.write(async (tx) => await this.write(tx, await this.lockedHead(tx), entries));
		});
	}

	prune(opts: PruneOptions): Promise<LedgerPruneResult> {
		return this.queued(async () => {
			const before = pruneBefore(opts?.before);
			this.requireGenesis();
			return await this.storage.write(async (tx) => {
				const head = await this.lockedHead(tx);
				const oldest = await tx.oldestSeq();
				const byTime = cutPosition(oldest, await tx.firstSeqFrom(before), head.seq);
				// Never past an open erasure intent: Erase resumes it by looking it up (see prune.ts).
				const open = byTime > 0 ? await tx.openIntentsUpTo(byTime) : [];
				const cut = capAtOpenIntents(byTime, oldest, open);
				const recorded = async () => signedCuts(this.keys, await tx.pruned(), this.legacyUpto);
				let entry: LedgerEntry | undefined;
				let carried = 0;
				const cutHash = cut > 0 ? await tx.hashAt(cut) : undefined;
				if (cutHash !== undefined && !(await recorded()).some((c) => c.seq === cut && c.hash === cutHash)) {
					// Archived contacts stay findable: their records are re-recorded after the cut, then the cut is signed.
					const archives = (await tx.rowsOfTypeUpTo(RETENTION_ARCHIVED, cut)).map((r) => carriedArchive(entryOf(this.keys, r)));
					carried = archives.length;
					const written = await this.write(tx, head, [...archives, prunedInput(this.keys, cut, cutHash, opts.record)]);
					entry = written[written.length - 1];
				}
				// Carry out every signed cut that still matches the chain (this one, or one recorded earlier).
				let upto = 0;
				for (const c of await recorded()) if (c.seq > upto && ((await tx.hashAt(c.seq)) ?? c.hash) === c.hash) upto = c.seq;
				const deleted = await tx.countUpTo(upto);
				if (deleted > 0) await tx.deleteUpTo(upto);
				return {
					deleted,
					cutAfterSeq: upto,
					carriedForward: carried,
					...(cut < byTime ? { keptFrom: { seq: open[0], reason: 'open_erasure_intent' as const, openIntents: open.length } } : {}),
					...(entry ? { entry: { seq: entry.seq, hash: entry.hash } } : {}),
				};
			});
		});
	}

	verify(opts: VerifyOptions = {}): Promise<VerifyResult> {
		return this.queued(() => this.storage.snapshot((read) => runVerify(this.keys, read, opts ?? {})));
	}

	search(filter: LedgerSearch): Promise<LedgerEntry[]> {
		return this.queued(async () => {
			const q = searchQuery(this.keys, filter);
			return (await this.storage.search(q)).map((r) => entryOf(this.keys, r));
		});
	}

	hashIdentifier(kind: IdentifierKind, value: string): string {
		return hashIdentifier(this.keys, kind, value);
	}

	head(): Promise<{ seq: number; hash: string }> {
		return this.queued(async () => (await this.storage.head()) ?? { seq: 0, hash: GENESIS_HASH });
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		// Waits for what is already queued; anything after this is refused.
		await this.serial.run(() => this.storage.close());
	}

	private queued<T>(fn: () => Promise<T>): Promise<T> {
		if (this.closed) return Promise.reject(new LedgerStorageError('The ledger is closed', 'closed'));
		return this.serial.run(fn);
	}

	/** Nothing is written to a ledger that lost its identity: it would sign a chain nobody can trust. */
	private requireGenesis(): void {
		if (!this.keys.ledgerId) {
			throw new LedgerStorageError('The ledger\'s signed genesis record is missing or not signed by this key: the database was tampered with. Nothing was written. Run Ledger → Verify and restore the ledger from a backup.', 'genesis_missing');
		}
	}

	private async lockedHead(tx: WriteTx): Promise<{ seq: number; hash: string }> {
		const head = await tx.lockHead();
		if (!head) throw new LedgerStorageError('The ledger\'s signed head record is missing: run Verify; the ledger was tampered with.', 'head_missing');
		return head;
	}

	/** Inserts entries after `head` (inside the caller's transaction, head locked) and moves the signed head. */
	private async write(tx: WriteTx, head: { seq: number; hash: string }, entries: LedgerEntryInput[]): Promise<LedgerEntry[]> {
		const { rows, written } = buildRows(this.keys, head, entries, this.checkpointEvery, this.actor);
		await tx.insert(rows);
		const last = rows[rows.length - 1];
		await tx.setHead({ seq: last.seq, hash: last.hash, mac: macOf(this.keys, 'head', last.seq, last.hash) });
		return written;
	}
}

/**
 * After the schema steps, inside the migration transaction: creates the signed genesis of a new
 * ledger, or upgrades a schema-1 ledger (checks its chain with version 1's rules first — a broken
 * old chain is refused, not blessed), or loads the genesis of a current one. Sets `keys.ledgerId`
 * and returns the legacy boundary. A current ledger whose genesis was deleted is NOT given a new
 * one: Verify reports it and appends are refused.
 */
export async function settleGenesis(tx: MigrationTx, keys: LedgerKeys, fromVersion: number): Promise<number> {
	if (fromVersion === 0) {
		const g = newGenesis(keys);
		await tx.setMeta(GENESIS_META_KEY, JSON.stringify(g));
		await tx.setHead({ seq: 0, hash: GENESIS_HASH, mac: macOf(keys, 'head', 0, GENESIS_HASH) });
		return 0;
	}
	if (fromVersion === 1) {
		const old = await runVerify(keys, tx.reader(), {}, true);
		if (!old.ok) {
			const b = old.firstBroken!;
			throw new LedgerStorageError(
				`This ledger was written by an earlier version of the package (schema 1) and its chain is broken at entry ${b.seq} (${b.reason}): it cannot be upgraded. ` +
					'Restore the ledger file or schema from a backup that verifies and open it again; or keep the broken one as evidence (rename the file or schema) and let the package start a new ledger.',
				'legacy_broken',
			);
		}
		const head = (await tx.lockHead())!;
		const g = newGenesis(keys, head.seq > 0 ? head : { seq: 0, hash: '' });
		// Contact ids were indexed in clear by schema 1: re-index them by HMAC. (Their entry bodies keep them in clear: rewriting a hashed body would break the proof.)
		const refs = await tx.contactRefs();
		await tx.replaceContactRefs(refs.map((r) => ({ ref: contactRef(keys, r.ref.slice(2)), seq: r.seq })));
		await tx.setMeta(GENESIS_META_KEY, JSON.stringify(g));
		await tx.setHead({ seq: head.seq, hash: head.hash, mac: macOf(keys, 'head', head.seq, head.hash) });
		return g.legacyUpto;
	}
	const g = parseGenesis(await tx.getMeta(GENESIS_META_KEY));
	const bound = g ? keysFor(keys, g) : undefined;
	if (g && bound) {
		keys.ledgerId = g.ledgerId;
		return g.legacyUpto;
	}
	return 0;
}

export function checkedActor(actor: unknown): LedgerActor | undefined {
	return checkActor(actor, 'config.actor');
}

export { LEDGER_PRUNED };
