/**
 * The signed genesis record: created with the ledger, kept in `ledger_meta` (never pruned), it
 * names the ledger's random id (bound into every MAC) and its creation time. Verify fails without
 * it, so a ledger whose entries and head were all deleted is reported, not "ok with 0 entries".
 * For a ledger upgraded from schema version 1 it also names the last entry written by that version
 * (`legacyUpto`, `legacyHash`): entries up to there are checked with version 1's MAC.
 */
import { randomBytes } from 'node:crypto';
import { macOf, sameHex } from './keys';
import type { LedgerKeys } from './keys';

export interface Genesis {
	ledgerId: string;
	createdAt: string;
	legacyUpto: number;
	legacyHash: string;
	mac: string;
}

export const GENESIS_META_KEY = 'genesis';

/** A new genesis (and sets `keys.ledgerId`). `legacy`: the head of a version 1 ledger being upgraded. */
export function newGenesis(keys: LedgerKeys, legacy: { seq: number; hash: string } = { seq: 0, hash: '' }, now = new Date()): Genesis {
	keys.ledgerId = randomBytes(16).toString('hex');
	const g = { ledgerId: keys.ledgerId, createdAt: now.toISOString(), legacyUpto: legacy.seq, legacyHash: legacy.hash };
	return { ...g, mac: macOf(keys, 'genesis', g.createdAt, g.legacyUpto, g.legacyHash) };
}

/** The genesis stored as text, or undefined when it is missing or not well-formed. */
export function parseGenesis(text: string | undefined | null): Genesis | undefined {
	if (typeof text !== 'string') return undefined;
	try {
		const g = JSON.parse(text) as Partial<Genesis>;
		if (typeof g.ledgerId === 'string' && /^[0-9a-f]{32}$/.test(g.ledgerId) && typeof g.createdAt === 'string' && Number.isInteger(g.legacyUpto) && typeof g.legacyHash === 'string' && typeof g.mac === 'string') {
			return g as Genesis;
		}
	} catch {
		// not JSON: treated as missing
	}
	return undefined;
}

/** Keys bound to this genesis' ledger id, when its MAC is valid under the key. */
export function keysFor(keys: LedgerKeys, g: Genesis): LedgerKeys | undefined {
	const bound = { ...keys, ledgerId: g.ledgerId };
	return sameHex(g.mac, macOf(bound, 'genesis', g.createdAt, g.legacyUpto, g.legacyHash)) ? bound : undefined;
}
