/**
 * The input rules of request steps (src/requests/step.ts): the codes a step may carry, free-text
 * notes checked for personal data, downstream system names, the received day and the subject's
 * identifiers (hashed here, so an email crosses from a caller into the core once, raw, and the
 * ledger only ever sees its HMAC). Every refusal is a RequestStepError naming the field.
 */
import type { IdentifierKind, Ledger } from '../ledger';
import { redactText } from '../redact';
import { normaliseSubjectRef } from '../subject/validate';
import { GdprError } from '../util/errors';
import { dayOf, formatDay, parseDay } from './compute';
import type { RequestStep } from './step';
import type { TrackedRequest } from './track';

/** How a request arrived (recorded at intake). */
export const REQUEST_CHANNELS = ['web_form', 'email', 'intercom', 'phone', 'mail', 'in_person', 'other'] as const;
/** How an answer reached the person. */
export const DELIVERY_CHANNELS = ['download_link', 'email', 'mail', 'in_person', 'intercom', 'other'] as const;
/** Why a request is refused (GDPR Art. 12(5), 15(4), 17(3); CCPA §§7060–7062, §1798.105(d)). */
export const REFUSAL_CODES = [
	'identity_not_verified', // could not verify the requester (GDPR Art. 12(6), CCPA §7060)
	'manifestly_unfounded', // GDPR Art. 12(5)
	'excessive', // GDPR Art. 12(5), e.g. repetitive; CCPA §1798.145(h)(3)
	'legal_obligation', // GDPR Art. 17(3)(b), CCPA §1798.105(d)(8)
	'legal_claims', // GDPR Art. 17(3)(e) — a legal hold
	'rights_of_others', // GDPR Art. 15(4)
	'other_exemption',
] as const;
/** Outcomes of `closed`. A refusal is the `refused` step, not an outcome. */
export const CLOSE_OUTCOMES = ['answered', 'erased', 'no_data', 'withdrawn'] as const;
/** Methods a `verified` step may name. */
export const VERIFICATION_METHODS = ['email_code', 'email_link', 'account_login', 'document_check', 'other'] as const;
/** Reasons to let work proceed without a `verified` step (recorded). */
export const WAIVER_REASONS = ['verified_outside_ledger', 'authorised_agent', 'own_initiative', 'legal_obligation', 'other'] as const;

export type RequestStepProblem =
	| 'not_received'
	| 'closed'
	| 'first_period_over'
	| 'unreadable'
	| 'not_delivered'
	| 'no_erasure_receipt'
	| 'bad_input'
	| 'personal_data'
	| 'not_erasure'
	| 'not_a_recipient';

/** A step the request's state (or the input) does not allow; the message names the request id, never a person. */
export class RequestStepError extends GdprError {
	constructor(
		readonly problem: RequestStepProblem,
		message: string,
		fix: string,
		/** The input field at fault, when there is one. */
		field?: string,
	) {
		super(message, { code: problem, field, fix });
		this.name = 'RequestStepError';
	}
}

const NOTE_MAX = 200;

/**
 * A downstream system's name: "Stripe", "Data warehouse", "crm.eu-1". No addresses, no personal
 * data. One rule for the erasure's recipients and for Track Request's `recipient_notified`.
 */
export function isSystemName(name: string): boolean {
	return /^[A-Za-z0-9][A-Za-z0-9 _.:()/-]{0,63}$/.test(name) && !name.includes('@') && redactText(name).findings.length === 0;
}

export function oneOf(field: string, value: unknown, allowed: readonly string[]): string {
	if (typeof value !== 'string' || !allowed.includes(value)) {
		throw new RequestStepError('bad_input', `${field} must be one of the listed codes`, `Use one of: ${allowed.join(', ')}.`, field);
	}
	return value;
}

/**
 * A short free-text note for the ledger (a refusal's or waiver's explanation). Kept forever in a
 * ledger that must hold no personal data: refused when the redaction engine finds anything in it
 * (email, phone, card, IBAN, IP, …); the message names the kinds found, never the text.
 */
export function checkNote(field: string, note: unknown, limits: { min?: number; max?: number } = {}): string | undefined {
	const min = limits.min ?? 0;
	const max = limits.max ?? NOTE_MAX;
	if (note !== undefined && note !== null && typeof note !== 'string') throw new RequestStepError('bad_input', `${field} is not text`, 'Enter a short explanation, or leave it empty.', field);
	const text = typeof note === 'string' ? note.trim() : '';
	if (text === '' && min === 0) return undefined;
	if (text.length > max) {
		throw new RequestStepError('bad_input', `${field} is longer than ${max} characters`, 'Keep it to a sentence; the details belong in your ticket system, not in the audit ledger.', field);
	}
	if (text.length < min) {
		throw new RequestStepError('bad_input', `${field} is shorter than ${min} characters`, 'Say why in a sentence (e.g. "Hold released by legal, case 2026-17 closed").', field);
	}
	const { findings } = redactText(text);
	if (findings.length > 0) {
		const kinds = [...new Set(findings.map((f) => f.type))].join(', ');
		throw new RequestStepError(
			'personal_data',
			`${field} seems to hold personal data (${kinds})`,
			'The ledger is kept for years and must not hold personal data: describe the reason without names, addresses, numbers or identifiers.',
			field,
		);
	}
	return text;
}

export function checkRecipient(value: unknown): string {
	const name = typeof value === 'string' ? value.trim() : '';
	if (!/^[A-Za-z0-9][A-Za-z0-9 _.:()/-]{0,63}$/.test(name)) {
		throw new RequestStepError('bad_input', 'Recipient must be a system name of 1–64 letters, digits, spaces and _ . : ( ) / -', 'Name the downstream system (e.g. "Mailchimp"), not a person or an address.', 'recipient');
	}
	if (!isSystemName(name)) {
		throw new RequestStepError('personal_data', 'Recipient seems to hold personal data', 'Name the downstream system (e.g. "Mailchimp"), not a person or an address.', 'recipient');
	}
	return name;
}

export const notReceived = (requestId: string) =>
	new RequestStepError('not_received', `Request ${requestId} was never recorded as received`, 'Record it as received first (Ledger → Track Request → Received, with the day it arrived), then record the next steps.');
export const alreadyEnded = (r: TrackedRequest) =>
	new RequestStepError(
		'closed',
		`Request ${r.requestId} is already ${r.refusal ? 'refused' : 'closed'}`,
		r.refusal ? 'A refused request is over. A new request from the person gets a new Request ID.' : 'A closed request cannot take further steps. A new request gets a new Request ID.',
	);

/** The input's codes and notes, checked before the ledger is read: bad input is named whatever the request's state. */
/** A reason code and its note; the catch-all code (`other`, `other_exemption`) needs the note. */
function codeWithNote(field: string, code: unknown, note: unknown, allowed: readonly string[], catchAll: string, missing: { message: string; fix: string }): { code: string; note?: string } {
	const checked = oneOf(field, code, allowed);
	const text = checkNote('note', note);
	if (checked === catchAll && !text) throw new RequestStepError('bad_input', missing.message, missing.fix, 'note');
	return text ? { code: checked, note: text } : { code: checked };
}

/** A waiver's reason and note. */
export function waiverInput(reason: unknown, note: unknown): { code: string; note?: string } {
	return codeWithNote('reason', reason, note, WAIVER_REASONS, 'other', {
		message: 'A waiver with reason "other" needs a note',
		fix: 'Say in a sentence why the work may proceed without verifying the requester (no personal data).',
	});
}

/** A refusal's code and note. */
export function refusalInput(code: unknown, note: unknown): { code: string; note?: string } {
	return codeWithNote('code', code, note, REFUSAL_CODES, 'other_exemption', {
		message: 'A refusal under "other exemption" needs a note',
		fix: 'Name the exemption in a sentence (no personal data), e.g. the article relied on.',
	});
}

export function checkInput(input: RequestStep): void {
	switch (input.step) {
		case 'verified':
			oneOf('method', input.method, VERIFICATION_METHODS);
			oneOf('level', input.level, ['standard', 'high']);
			return;
		case 'verification_waived':
			waiverInput(input.reason, input.note);
			return;
		case 'delivered':
			oneOf('channel', input.channel, DELIVERY_CHANNELS);
			return;
		case 'refused':
			refusalInput(input.code, input.note);
			return;
		case 'recipient_notified':
			checkRecipient(input.recipient);
			return;
		case 'closed': {
			const outcome = input.outcome ?? 'answered';
			if (outcome === 'refused' || outcome === 'identity_not_verified') {
				throw new RequestStepError('bad_input', 'A refusal is recorded with the Refused step, not as a Closed outcome', 'Record the step "refused" with its reason code (e.g. identity_not_verified); it ends the request.', 'outcome');
			}
			oneOf('outcome', outcome, CLOSE_OUTCOMES);
			return;
		}
		default:
	}
}

/**
 * The day a request was received, from a raw value: a Date, an ISO date or date-time (a value
 * without an offset, as n8n's date picker gives, is wall time in `timeZone`), anything with
 * `toISO()` (a Luxon DateTime from an expression such as {{ $now }}); empty means today.
 * A day after today is refused: a request is recorded once it has arrived.
 */
export function receivedDayOf(raw: unknown, timeZone: string, now: Date = new Date()): string {
	const today = formatDay(dayOf(now, timeZone));
	const day = parseReceived(raw, timeZone, today);
	if (day > today) {
		throw new RequestStepError('bad_input', 'receivedDay is in the future', "A request can only be recorded once it has arrived. Check the date and the workflow's time zone.", 'receivedDay');
	}
	return day;
}

function parseReceived(raw: unknown, timeZone: string, today: string): string {
	const bad = () =>
		new RequestStepError('bad_input', 'receivedDay is not a date', 'Pick a date, or pass an ISO date such as 2026-01-31 or 2026-01-31T09:30:00Z. Leave it empty for today.', 'receivedDay');
	let value = raw;
	if (value !== null && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') value = (value as { toISO: () => string }).toISO();
	if (value === undefined || value === null || value === '') return today;
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw bad();
		return formatDay(dayOf(value, timeZone));
	}
	if (typeof value !== 'string') throw bad();
	const text = value.trim();
	const local = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(text);
	if (local) {
		if (!parseDay(local[1])) throw bad();
		return local[1];
	}
	const ms = Date.parse(text);
	if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || !Number.isFinite(ms)) throw bad();
	return formatDay(dayOf(ms, timeZone));
}

/** A subject identifier as the caller has it (the core hashes it; blank values are left out). */
export interface RawIdentifier {
	kind: IdentifierKind;
	value: string;
}

/**
 * The HMACs of the request's subject identifiers. An email is checked with the same rule as a
 * subject reference (src/subject/validate.ts): an id mapped into the email field would be hashed as
 * an email and never match. Messages name the kind, never the value.
 */
export function hashSubjects(ledger: Ledger, identifiers: readonly RawIdentifier[]): string[] {
	const hashes: string[] = [];
	for (const { kind, value } of identifiers) {
		if (typeof value !== 'string') throw new RequestStepError('bad_input', `${kind} is not text`, 'Map a single value, not an object or a list.', kind);
		if (value.trim() === '') continue;
		if (kind === 'email' && !isEmail(value)) {
			throw new RequestStepError('bad_input', 'email is not an email address', 'Check the mapping: an ID in the email field would be hashed as an email and never match.', 'email');
		}
		hashes.push(ledger.hashIdentifier(kind, value.trim()));
	}
	return hashes;
}

/** The subject reference's email rule (one address, name@domain), as a yes/no. */
function isEmail(value: string): boolean {
	try {
		normaliseSubjectRef({ email: value });
		return true;
	} catch {
		return false;
	}
}
