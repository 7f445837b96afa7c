/**
 * Input checks for the parts of an erasure request that end up in the ledger as text (downstream
 * system names, a hold override's reason), and the long-term variant of a receipt.
 */
import { GdprError } from '../util/errors';
import { checkNote, isSystemName, RequestStepError } from '../requests/step';
import { LEDGER_MAX_STRING } from '../ledger/entries';
import type { ErasureReceipt } from './types';

export class ErasureOptionError extends GdprError {
	declare readonly field: string;
	constructor(field: string, message: string) {
		super(message, { code: 'bad_input', field });
		this.name = 'ErasureOptionError';
	}
}

/** Checks the downstream systems to notify (names only) and removes duplicates; names the field, never the value. */
export function checkRecipients(list: unknown): string[] {
	if (list === undefined || list === null) return [];
	if (!Array.isArray(list)) throw new ErasureOptionError('notifyRecipients', 'notifyRecipients must be a list of system names, e.g. ["Stripe", "Data warehouse"]');
	const out: string[] = [];
	for (const [i, raw] of list.entries()) {
		const name = typeof raw === 'string' ? raw.trim() : '';
		if (!isSystemName(name)) {
			throw new ErasureOptionError(
				`notifyRecipients[${i}]`,
				`notifyRecipients[${i}] is not a system name: 1–64 letters, digits, spaces and _ . : ( ) / - , no email address or other personal data`,
			);
		}
		if (!out.includes(name)) out.push(name);
	}
	return out;
}

/** The shortest override reason that can explain anything. */
const OVERRIDE_MIN = 10;

/**
 * A hold override needs a reason that the ledger may keep: 10–256 characters (the ledger's cap on a
 * string, so a valid reason never fails at append after the hold lookup), no personal data. The
 * same check as Track Request's notes (checkNote), with the erasure's own error type.
 */
export function checkOverrideReason(override: unknown): string | undefined {
	if (override === undefined || override === null) return undefined;
	const reason = typeof override === 'object' ? (override as { reason?: unknown }).reason : undefined;
	const checked = attempt(() => checkNote('overrideLegalHold.reason', typeof reason === 'string' ? reason : '', { min: OVERRIDE_MIN, max: LEDGER_MAX_STRING }));
	if (checked instanceof RequestStepError) {
		throw new ErasureOptionError(
			'overrideLegalHold.reason',
			checked.problem === 'personal_data'
				? 'overrideLegalHold.reason contains personal data (an email address, phone number or similar): describe the reason without it'
				: `${checked.message}: explain the override in ${OVERRIDE_MIN}–${LEDGER_MAX_STRING} characters (e.g. "Hold released by legal, case 2026-17 closed")`,
		);
	}
	if (checked instanceof Error) throw checked;
	return checked;
}

/** A synchronous check's error as a value (so the caller decides what to throw, outside a catch). */
function attempt<T>(fn: () => T): T | Error {
	try {
		return fn();
	} catch (error: unknown) {
		return error instanceof Error ? error : new Error('check failed');
	}
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
