/**
 * Verify of a large ledger: the content hashes (the costly part: one sha256 per entry) are checked
 * in a worker thread while the main thread reads the next rows and checks the links, columns and
 * checkpoints. The worker is inline source (no file to locate after bundling or in tests).
 */
import { Worker } from 'node:worker_threads';
import type { LedgerKeys } from './keys';
import { ChainVerifier } from './verify';
import type { VerifierOptions } from './verify';

/** Below this many entries a worker costs more than it saves. */
export const PARALLEL_VERIFY_FROM = 20_000;
const MAX_IN_FLIGHT = 4;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const h = typeof crypto.hash === 'function'
  ? (s) => crypto.hash('sha256', s)
  : (s) => crypto.createHash('sha256').update(s).digest('hex');
parentPort.on('message', (m) => {
  let bad = -1;
  for (let i = 0; i < m.bodies.length; i++) {
    if (h(m.prev[i] + m.bodies[i]) !== m.hashes[i]) { bad = i; break; }
  }
  parentPort.postMessage({ id: m.id, bad });
});
`;

/** One row as both backends read it: seq, at, type, request_id, body, prev_hash, hash. */
export type RowTuple = [number, string, string, string, string, string, string];

/** One search index row: seq, ref. */
export type RefTuple = [number, string];

/** Rows read together with the index rows of their seq range, both ordered by seq. */
export interface RowChunk {
	rows: RowTuple[];
	refs: RefTuple[];
}

interface Pending {
	seqs: number[];
	prev: string[];
	done: Promise<number>;
}

/** Feeds chunks of rows to a ChainVerifier, with the hash checks in a worker when `parallel`. */
export class ChunkedVerify {
	readonly verifier: ChainVerifier;
	private readonly worker?: Worker;
	private readonly waiting = new Map<number, (bad: number) => void>();
	private readonly pending: Pending[] = [];
	private nextId = 0;
	private workerError?: Error;

	/** `opts.deferHashes`: check the content hashes in a worker thread. */
	constructor(keys: LedgerKeys, opts: VerifierOptions) {
		this.verifier = new ChainVerifier(keys, opts);
		if (opts.deferHashes) {
			this.worker = new Worker(WORKER_SOURCE, { eval: true });
			this.worker.on('message', (m: { id: number; bad: number }) => {
				this.waiting.get(m.id)?.(m.bad);
				this.waiting.delete(m.id);
			});
			this.worker.on('error', (error: Error) => {
				this.workerError = error;
				for (const resolve of this.waiting.values()) resolve(-2);
				this.waiting.clear();
			});
		}
	}

	/** Returns false when reading can stop (a broken link was found). */
	async push({ rows, refs }: RowChunk): Promise<boolean> {
		const seqs: number[] = [];
		const prev: string[] = [];
		const bodies: string[] = [];
		const hashes: string[] = [];
		const v = this.verifier;
		const checkRefs = v.refsChecked;
		let go = true;
		let k = 0;
		for (const r of rows) {
			let stored: string[] | undefined;
			if (checkRefs) {
				stored = [];
				while (k < refs.length && refs[k][0] === r[0]) stored.push(refs[k++][1]);
			}
			if (!v.pushParts(r[0], r[1], r[2], r[3], r[4], r[5], r[6], stored)) {
				go = false;
				break;
			}
			if (this.worker) {
				seqs.push(r[0]);
				prev.push(r[5]);
				bodies.push(r[4]);
				hashes.push(r[6]);
			}
		}
		if (this.worker && seqs.length > 0) {
			const id = this.nextId++;
			const done = new Promise<number>((resolve) => this.waiting.set(id, resolve));
			this.worker.postMessage({ id, prev, bodies, hashes });
			this.pending.push({ seqs, prev, done });
			// Bound memory: wait for the oldest chunk when too many are in flight; stop early on a bad hash.
			if (this.pending.length >= MAX_IN_FLIGHT && (await this.settleOldest())) go = false;
		}
		return go;
	}

	/** Waits for every hash check and folds the first failure into the verifier. */
	async finish(): Promise<ChainVerifier> {
		while (this.pending.length > 0) if (await this.settleOldest()) break;
		await this.dispose();
		if (this.workerError) throw this.workerError;
		return this.verifier;
	}

	/** Stops the worker (also when the walk never started). Safe to call twice. */
	async dispose(): Promise<void> {
		await this.worker?.terminate();
	}

	/** True when the oldest chunk had a bad hash (the verifier now reports it). */
	private async settleOldest(): Promise<boolean> {
		const chunk = this.pending.shift();
		if (!chunk) return false;
		const bad = await chunk.done;
		if (bad === -2) throw this.workerError ?? new Error('hash worker failed');
		if (bad >= 0) {
			this.verifier.hashFailedAt(chunk.seqs[bad], chunk.prev[bad]);
			this.pending.length = 0;
			return true;
		}
		return false;
	}
}
