import { LedgerInputError } from './errors';
import type { IdentifierKind, Ledger, LedgerEntry } from './types';

/** What a DSAR export puts on the record. No personal data: hashes, ids and counts. */
export interface DsarExportRecord {
	requestId: string;
	/** The identifier the request named (hashed here, never stored). */
	subject?: { kind: IdentifierKind; value: string };
	contactIds: string[];
	/** e.g. { contacts: 2, conversations: 14, tickets: 1, events: 75 }. */
	counts: Record<string, number>;
	/** sha256 (hex) of the package delivered to the person (e.g. the zip). */
	packageSha256: string;
	at?: string;
}

/** Appends a `dsar.export` entry, so one ledger answers "what did we do for this person, and when". */
export async function recordDsarExport(ledger: Ledger, rec: DsarExportRecord): Promise<LedgerEntry> {
	if (typeof rec.packageSha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(rec.packageSha256)) {
		throw new LedgerInputError('packageSha256', 'is not a 64-character hex sha256', 'Pass the sha256 of the package file.');
	}
	const counts: Record<string, number> = {};
	for (const [k, v] of Object.entries(rec.counts ?? {})) {
		if (typeof v !== 'number' || !Number.isFinite(v)) {
			// The key is the caller's: name it only when it is a plain counter name (never echo data).
			throw new LedgerInputError(/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(k) ? `counts.${k}` : 'counts.…', 'is not a number', 'Pass counts as numbers.');
		}
		counts[k] = v;
	}
	return await ledger.append({
		type: 'dsar.export',
		requestId: rec.requestId,
		subjects: rec.subject ? [ledger.hashIdentifier(rec.subject.kind, rec.subject.value)] : [],
		contactIds: rec.contactIds,
		data: { counts, packageSha256: rec.packageSha256.toLowerCase() },
		at: rec.at,
	});
}
