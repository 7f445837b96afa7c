/**
 * The hash chain, by part (kept as one import path for callers and docs):
 * keys.ts (derived keys, domain-separated MACs, contact-id sealing), entries.ts (input checks,
 * bodies, hashes, checkpoints), genesis.ts (the signed genesis record), prune.ts (signed cuts),
 * verify.ts (the verifier and the walk). Storage is in sqlite.ts / postgres.ts, the operations
 * written once in ledger.ts.
 */
export { deriveKeys, macOf, legacyPointMac, sameHex, sealContactId, unsealContactId, contactRef, SEALED_PREFIX } from './keys';
export type { LedgerKeys, MacDomain } from './keys';
export { GENESIS_HASH, DEFAULT_CHECKPOINT_EVERY, LEDGER_CHECKPOINT, chainHash, bodyFor, rowFor, entryOf, buildRows, checkpointInput, checkActor } from './entries';
export type { EntryBody, StoredRow, NewRow } from './entries';
export { LEDGER_PRUNED, prunedInput, trustedStart, signedCuts, pruneBefore, cutPosition } from './prune';
export { newGenesis, parseGenesis, keysFor, GENESIS_META_KEY } from './genesis';
export type { Genesis } from './genesis';
export { ChainVerifier, anchorOf } from './verify';
export { runVerify } from './walk';
