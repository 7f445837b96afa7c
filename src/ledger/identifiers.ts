import { createHmac } from 'node:crypto';
import type { LedgerKeys } from './keys';
import { LedgerInputError } from './errors';
import type { IdentifierKind } from './types';

const KINDS: IdentifierKind[] = ['email', 'externalId', 'contactId'];

/**
 * The same person must always give the same hash: emails and contact ids are trimmed and
 * lower-cased (Intercom matches emails case-insensitively), external ids only trimmed (your
 * system's ids may be case-sensitive).
 */
export function normaliseIdentifier(kind: IdentifierKind, value: string): string {
	if (!KINDS.includes(kind)) throw new LedgerInputError('identifier kind', 'is not email, externalId or contactId', 'Pick one of those.');
	if (typeof value !== 'string' || value.trim() === '') {
		throw new LedgerInputError(kind, 'is empty', 'Pass the identifier to hash.');
	}
	const trimmed = value.trim();
	return kind === 'externalId' ? trimmed : trimmed.toLowerCase();
}

/**
 * HMAC-SHA256(identifier key, kind + ':' + normalised value), hex. The kind is part of the input,
 * so an external id that happens to equal an email hashes differently. Without the key nobody can
 * test guesses (a plain sha256 of an email is reversible by trying addresses).
 */
export function hashIdentifier(keys: LedgerKeys, kind: IdentifierKind, value: string): string {
	return createHmac('sha256', keys.identifiers).update(`${kind}:${normaliseIdentifier(kind, value)}`).digest('hex');
}
