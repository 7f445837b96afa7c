// What must never show up in a ledger row, receipt or error: the fake's seeded emails, names and
// phones, and the token. Taken from a fresh workspace (deleting contacts removes them from the map).
import { generateWorkspace } from '../fake-intercom/workspace';
import type { RawDb } from '../ledger/backends';

export function seededPii(seed = 1, token = 'fake-intercom-token'): string[] {
	const ws = generateWorkspace(seed);
	const out = new Set<string>([token]);
	for (const c of ws.contacts.values()) {
		out.add(c.email.toLowerCase());
		out.add(c.name.toLowerCase());
		if (c.phone) out.add(c.phone.toLowerCase());
	}
	return [...out].filter((s) => s.length >= 5);
}

/** Every row of every ledger table, as one lower-case string. */
export async function dumpLedger(raw: RawDb): Promise<string> {
	const parts: unknown[] = [];
	for (const table of ['ledger_entries', 'ledger_refs', 'ledger_meta', 'ledger_head']) {
		parts.push(await raw.query(`SELECT * FROM {t}${table}`));
	}
	await raw.close();
	return JSON.stringify(parts).toLowerCase();
}

export function findPii(haystack: string, pii: string[]): string[] {
	const lower = haystack.toLowerCase();
	return pii.filter((p) => lower.includes(p));
}

/** The fake users' external ids (your own system's ids): receipts may carry them, the ledger never. */
export function seededExternalIds(seed = 1): string[] {
	return [...generateWorkspace(seed).contacts.values()].map((c) => c.externalId).filter((x): x is string => !!x && x.length >= 5);
}
