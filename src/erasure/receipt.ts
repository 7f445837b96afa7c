/**
 * Input checks for the parts of an erasure request that end up in the ledger as text (downstream
 * system names, a hold override's reason), and the long-term variant of a receipt.
 */
import { redactText } from '../redact';
import type { ErasureReceipt } from './types';

export class ErasureOptionError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'ErasureOptionError';
	}
}

/** A system's name: "Stripe", "Data warehouse", "crm.eu-1". No addresses, no personal data. */
const RECIPIENT = /^[A-Za-z0-9][A-Za-z0-9 _.:()/-]{0,63}$/;

/** Checks the downstream systems to notify (names only) and removes duplicates; names the field, never the value. */
export function checkRecipients(list: unknown): string[] {
	if (list === undefined || list === null) return [];
	if (!Array.isArray(list)) throw new ErasureOptionError('notifyRecipients', 'notifyRecipients must be a list of system names, e.g. ["Stripe", "Data warehouse"]');
	const out: string[] = [];
	for (const [i, raw] of list.entries()) {
		const name = typeof raw === 'string' ? raw.trim() : '';
		if (!RECIPIENT.test(name) || name.includes('@') || redactText(name).findings.length > 0) {
			throw new ErasureOptionError(
				`notifyRecipients[${i}]`,
				`notifyRecipients[${i}] is not a system name: 1–64 letters, digits, spaces and _ . : ( ) / - , no email address or other personal data`,
			);
		}
		if (!out.includes(name)) out.push(name);
	}
	return out;
}

/** A hold override needs a reason that the ledger may keep: 10–500 characters, no personal data. */
export function checkOverrideReason(override: unknown): string | undefined {
	if (override === undefined || override === null) return undefined;
	const reason = typeof override === 'object' ? (override as { reason?: unknown }).reason : undefined;
	const text = typeof reason === 'string' ? reason.trim() : '';
	if (text.length < 10 || text.length > 500) {
		throw new ErasureOptionError('overrideLegalHold.reason', 'overrideLegalHold.reason must explain the override in 10–500 characters (e.g. "Hold released by legal, case 2026-17 closed")');
	}
	if (redactText(text).findings.length > 0) {
		throw new ErasureOptionError('overrideLegalHold.reason', 'overrideLegalHold.reason contains personal data (an email address, phone number or similar): describe the reason without it');
	}
	return text;
}

/**
 * The receipt to keep for the long term (Art. 5(2) accountability, CCPA §7101's 24 months): the
 * same proof without the person's external ids (your own system's user ids, sometimes an email),
 * once the downstream purges they were needed for are done. Subject HMACs stay: they let you answer
 * "did we erase this person?" later, given the identifier and the ledger key.
 */
export function archivalReceipt(r: ErasureReceipt): ErasureReceipt {
	const copy = structuredClone(r);
	copy.externalIds = [];
	copy.variant = 'archival';
	return copy;
}
