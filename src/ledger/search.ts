/** Checks of a search filter: every field is checked, a bad one is refused by name (never ignored, never echoed). */
import { isContactId, isHex64, isRequestId, isType } from './entries';
import { LedgerInputError } from './errors';
import { contactRef } from './keys';
import type { LedgerKeys } from './keys';
import type { SearchQuery } from './storage';
import type { LedgerSearch } from './types';

export const DEFAULT_SEARCH_LIMIT = 100;
export const MAX_SEARCH_LIMIT = 10_000;

const FIELDS = ['subject', 'contactId', 'requestId', 'type', 'since', 'until', 'newestFirst', 'limit'];

function time(field: 'since' | 'until', value: unknown): string | undefined {
	if (value === undefined) return undefined;
	const t = value instanceof Date ? value.getTime() : typeof value === 'string' && value.trim() !== '' ? Date.parse(value) : NaN;
	if (!Number.isFinite(t)) {
		throw new LedgerInputError(`search ${field}`, 'is not a date', `Pass an ISO-8601 time such as "2026-01-31T00:00:00Z" (or a Date), or leave ${field} out.`);
	}
	return new Date(t).toISOString();
}

/** The filter as a storage query (identifiers as their index values). */
export function searchQuery(keys: LedgerKeys, filter: LedgerSearch | undefined): SearchQuery {
	const f = (filter ?? {}) as Record<string, unknown>;
	if (typeof f !== 'object' || Array.isArray(f)) throw new LedgerInputError('search filter', 'is not an object', 'Pass e.g. { requestId: "…" } or {} for the oldest entries.');
	for (const k of Object.keys(f)) {
		if (!FIELDS.includes(k) && f[k] !== undefined) {
			// A misspelt field must not silently widen the search to every entry. The key is named only when it is a plain name.
			throw new LedgerInputError(/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(k) ? `search ${k}` : 'search field', 'is not a search field', `Use ${FIELDS.join(', ')}.`);
		}
	}
	const refs: string[] = [];
	if (f.subject !== undefined) {
		if (!isHex64(f.subject)) throw new LedgerInputError('search subject', 'is not a 64-character hex HMAC', 'Pass ledger.hashIdentifier(kind, value), never the identifier itself.');
		refs.push(`s:${f.subject}`);
	}
	if (f.contactId !== undefined) {
		if (!isContactId(f.contactId)) throw new LedgerInputError('search contactId', 'is not an Intercom contact id', 'Pass the id Intercom gave the contact (letters, digits, _ and -).');
		refs.push(contactRef(keys, f.contactId));
	}
	if (f.requestId !== undefined && !isRequestId(f.requestId)) {
		throw new LedgerInputError('search requestId', 'is not 1–128 characters of letters, digits, _ . : -', 'Pass the request id the entries were written with.');
	}
	if (f.type !== undefined && !isType(f.type)) throw new LedgerInputError('search type', 'is not a dotted lower-case entry type', 'Use e.g. "erasure.done".');
	if (f.newestFirst !== undefined && typeof f.newestFirst !== 'boolean') throw new LedgerInputError('search newestFirst', 'is not true or false', 'Pass a boolean.');
	let limit = DEFAULT_SEARCH_LIMIT;
	if (f.limit !== undefined) {
		if (typeof f.limit !== 'number' || !Number.isInteger(f.limit) || f.limit < 1) {
			throw new LedgerInputError('search limit', 'is not a whole number of at least 1', `Pass 1–${MAX_SEARCH_LIMIT} (default ${DEFAULT_SEARCH_LIMIT}).`);
		}
		limit = Math.min(MAX_SEARCH_LIMIT, f.limit);
	}
	return {
		refs,
		requestId: f.requestId as string | undefined,
		type: f.type as string | undefined,
		since: time('since', f.since),
		until: time('until', f.until),
		newestFirst: f.newestFirst === true,
		limit,
	};
}
