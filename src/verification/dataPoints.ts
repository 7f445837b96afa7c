/**
 * What Intercom holds that a requester can be asked for: the address a challenge goes to, and the
 * further data points of the stricter level (CCPA §7062(c): "reasonably high degree of certainty"
 * by matching further pieces of information). Only counts leave this module, never the values.
 */
import type { Intercom } from 'intercom-client';
import { normaliseIdentifier } from '../ledger';
import { fold } from '../redact/subject';

export type DataPointKind = 'externalId' | 'phoneLastDigits' | 'name' | 'signedUpDay';
export const DATA_POINT_KINDS: DataPointKind[] = ['externalId', 'phoneLastDigits', 'name', 'signedUpDay'];

export interface DataPointResult {
	/** How many of the given answers match the record (each kind counts once). */
	matched: number;
	/** How many answers were given. */
	given: number;
	/** Kinds that were given and did not match (kinds only: never the values). */
	mismatched: DataPointKind[];
}

// Case and accents do not count (José = Jose, as a person types it on a keyboard without them): the redaction engine's fold.
const foldName = (s: string) => fold(s.normalize('NFKC')).replace(/\s+/g, ' ').trim();
const digits = (s: string) => s.replace(/\D/g, '');

function dayOfUnix(seconds: unknown): string | undefined {
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
	return new Date(seconds * 1000).toISOString().slice(0, 10);
}

function matches(kind: DataPointKind, answer: string, c: Intercom.Contact): boolean {
	switch (kind) {
		case 'externalId':
			return typeof c.external_id === 'string' && c.external_id.trim() !== '' && c.external_id.trim() === answer.trim();
		case 'phoneLastDigits': {
			const a = digits(answer);
			const p = typeof c.phone === 'string' ? digits(c.phone) : '';
			// At least 4 digits, so "the last digit" is not a data point.
			return a.length >= 4 && p.length >= a.length && p.endsWith(a);
		}
		case 'name':
			return typeof c.name === 'string' && foldName(c.name) !== '' && foldName(c.name) === foldName(answer);
		case 'signedUpDay':
			return answer.trim() !== '' && (dayOfUnix(c.signed_up_at) === answer.trim() || (c.signed_up_at == null && dayOfUnix(c.created_at) === answer.trim()));
		default:
			return false;
	}
}

/** Compares the requester's answers with the person's contacts (a kind matches when any contact matches). */
export function matchDataPoints(contacts: Intercom.Contact[], answers: Partial<Record<DataPointKind, string>>): DataPointResult {
	let matched = 0;
	let given = 0;
	const mismatched: DataPointKind[] = [];
	for (const kind of DATA_POINT_KINDS) {
		const answer = answers[kind];
		if (typeof answer !== 'string' || answer.trim() === '') continue;
		given++;
		if (contacts.some((c) => matches(kind, answer, c))) matched++;
		else mismatched.push(kind);
	}
	return { matched, given, mismatched };
}

export interface DeliveryAddress {
	/** The address to send the challenge to: the one Intercom holds (a user's before a lead's). */
	email: string | undefined;
	/** How many different addresses the person's contacts hold. */
	distinctAddresses: number;
	/** The typed address (when given) is not the one the challenge goes to. */
	differsFromTyped: boolean;
	/** Only leads hold an address: whatever someone typed into the messenger, unconfirmed. */
	leadOnly: boolean;
}

/**
 * The address a challenge must go to: the one Intercom holds for the person — an identified user's
 * address before a lead's (a lead's email is whatever was typed into the messenger) — never simply
 * the address the requester typed into a form.
 */
export function deliveryAddress(contacts: Intercom.Contact[], typedEmail?: string): DeliveryAddress {
	const withEmail = contacts.filter((c) => typeof c.email === 'string' && c.email.includes('@'));
	const users = withEmail.filter((c) => c.role === 'user');
	const chosen = (users[0] ?? withEmail[0])?.email ?? undefined;
	const distinct = new Set(withEmail.map((c) => normaliseIdentifier('email', c.email as string)));
	const typed = typedEmail && typedEmail.trim() !== '' ? normaliseIdentifier('email', typedEmail) : undefined;
	return {
		email: chosen,
		distinctAddresses: distinct.size,
		differsFromTyped: typed !== undefined && (chosen === undefined || normaliseIdentifier('email', chosen) !== typed),
		leadOnly: withEmail.length > 0 && users.length === 0,
	};
}
