/**
 * Keys and signatures of the ledger. Everything is derived from the one secret in the GdprLedger
 * credential, under its own label, so no key does two jobs:
 *
 * - `identifiers`: HMAC of emails / external ids (searchable, not reversible without the key);
 * - `signing`: the MACs of the signed points. Each MAC input starts with its DOMAIN (genesis, head,
 *   checkpoint, pruned, anchor) and the ledger's random id, so a MAC stored for one purpose can
 *   never stand in for another (a checkpoint copied into the head row fails), nor a MAC from
 *   another ledger opened with the same key;
 * - `contactSeal` / `contactRef`: contact ids are sealed at rest (AES-256-GCM) and indexed by an
 *   HMAC, so a copy of the database alone does not tell which Intercom contacts were erased.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomFillSync, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { LedgerInputError, LedgerStorageError } from './errors';

/**
 * Keys are KeyObjects: Node 24 (OpenSSL 3) imports a raw Buffer key on every createHmac /
 * createCipheriv call, ~20× the cost of the HMAC itself; appendMany makes several per entry.
 */
export interface LedgerKeys {
	identifiers: KeyObject;
	signing: KeyObject;
	contactSeal: KeyObject;
	contactRef: KeyObject;
	/** Stored in the database: opening it with another key is refused instead of writing unsearchable hashes. */
	check: string;
	/** The ledger's random id from its signed genesis record; bound into every MAC. '' until known. */
	ledgerId: string;
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
	return {
		identifiers: createSecretKey(sub('identifiers')),
		signing: createSecretKey(sub('signing')),
		contactSeal: createSecretKey(sub('contact-ids/seal')),
		contactRef: createSecretKey(sub('contact-ids/ref')),
		check: sub('key-check').toString('hex'),
		ledgerId: '',
	};
}

/** What a MAC vouches for. One label per purpose: the MAC inputs of two purposes never coincide. */
export type MacDomain = 'genesis' | 'head' | 'checkpoint' | 'pruned' | 'anchor';

/** HMAC-SHA256(signing key, "gdpr-ledger/v2/<domain>|<ledger id>|<parts joined by |>"), hex. */
export function macOf(keys: LedgerKeys, domain: MacDomain, ...parts: Array<string | number>): string {
	if (!keys.ledgerId) throw new LedgerStorageError('The ledger has no signed genesis record: it was tampered with. Run Ledger → Verify and restore the ledger from a backup.', 'genesis_missing');
	return createHmac('sha256', keys.signing).update(`gdpr-ledger/v2/${domain}|${keys.ledgerId}|${parts.join('|')}`).digest('hex');
}

/** The one MAC of schema version 1 (head, checkpoints, prune records and anchors alike): only to read old ledgers. */
export function legacyPointMac(keys: LedgerKeys, seq: number, hash: string): string {
	return createHmac('sha256', keys.signing).update(`point|${seq}|${hash}`).digest('hex');
}

export function sameHex(a: unknown, b: string): boolean {
	if (typeof a !== 'string' || typeof b !== 'string' || a.length !== b.length) return false;
	return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

// ------------------------------------------------------------------------------------------
// Contact ids at rest
// ------------------------------------------------------------------------------------------

/** Prefix of a sealed contact id in an entry body. Plain ids (schema 1 entries) never contain a dot. */
export const SEALED_PREFIX = 'ce1.';
const AAD = Buffer.from('gdpr-ledger/contact-id');

/** Random nonces drawn from a pool refilled from the CSPRNG (one small randomBytes call per id costs more than the encryption). */
const NONCE = 12;
const pool = Buffer.alloc(NONCE * 512);
let poolAt = pool.length;

function nonce(): Buffer {
	if (poolAt + NONCE > pool.length) {
		randomFillSync(pool);
		poolAt = 0;
	}
	// A copy: the pool is overwritten when refilled.
	const iv = Buffer.from(pool.subarray(poolAt, poolAt + NONCE));
	poolAt += NONCE;
	return iv;
}

/** AES-256-GCM with a random 96-bit nonce: the same id seals differently every time (no linking by value). */
export function sealContactId(keys: LedgerKeys, id: string): string {
	const iv = nonce();
	const cipher = createCipheriv('aes-256-gcm', keys.contactSeal, iv);
	cipher.setAAD(AAD);
	const ct = Buffer.concat([cipher.update(id, 'utf8'), cipher.final()]);
	return SEALED_PREFIX + Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url');
}

/** The contact id of a sealed value; a plain value (written before sealing) is returned as it is. */
export function unsealContactId(keys: LedgerKeys, stored: string): string {
	if (!stored.startsWith(SEALED_PREFIX)) return stored;
	const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url');
	let id: string | undefined;
	try {
		const decipher = createDecipheriv('aes-256-gcm', keys.contactSeal, raw.subarray(0, 12));
		decipher.setAAD(AAD);
		decipher.setAuthTag(raw.subarray(raw.length - 16));
		id = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
	} catch {
		id = undefined;
	}
	if (id === undefined) throw new LedgerStorageError('A sealed contact id in the ledger cannot be opened with this key: the entry was altered. Run Ledger → Verify.', 'unseal_failed');
	return id;
}

/** The search index value of a contact id (the ref table never holds the id itself). */
export function contactRef(keys: LedgerKeys, id: string): string {
	return `c:${createHmac('sha256', keys.contactRef).update(id).digest('hex')}`;
}
