import { SubjectRefError } from './errors';
import type { NormalisedSubjectRef, SubjectField, SubjectRef } from './types';

const FIELDS: SubjectField[] = ['contactId', 'email', 'externalId'];

/** Intercom contact ids are 24 hexadecimal characters (a Mongo-style object id). */
const CONTACT_ID = /^[0-9a-f]{24}$/i;

/**
 * Deliberately loose: one @, something on both sides, no whitespace and no list separators.
 * Catches typos and pasted lists without rejecting unusual but valid addresses.
 */
const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+$/;

/** RFC 5321 limit on a forward path. */
const MAX_EMAIL_LENGTH = 254;

/**
 * Checks that exactly one identifier is given and that it is well-formed, and normalises it:
 * trimmed; contact ids and emails lower-cased (Intercom ids are lower-case hex; emails are matched
 * case-insensitively). Throws SubjectRefError naming the field; never echoes the value.
 */
export function normaliseSubjectRef(ref: SubjectRef): NormalisedSubjectRef {
	if (ref === null || typeof ref !== 'object') {
		throw new SubjectRefError('ref', 'missing', 'Subject reference must be an object with contactId, email or externalId');
	}
	const given = FIELDS.filter((f) => ref[f] !== undefined && ref[f] !== null);
	if (given.length === 0) {
		throw new SubjectRefError('ref', 'missing', 'Subject reference is empty: give exactly one of contactId, email or externalId');
	}
	if (given.length > 1) {
		throw new SubjectRefError(
			'ref',
			'ambiguous',
			`Subject reference has ${given.join(' and ')}: give exactly one of contactId, email or externalId`,
		);
	}
	const field = given[0];
	const raw = ref[field];
	if (typeof raw !== 'string') {
		throw new SubjectRefError(field, 'malformed', `${field} must be a string`);
	}
	const value = raw.trim();
	if (value === '') {
		throw new SubjectRefError(field, 'empty', `${field} is empty`);
	}
	switch (field) {
		case 'contactId':
			if (!CONTACT_ID.test(value)) {
				throw new SubjectRefError(field, 'malformed', 'contactId is not an Intercom contact id (24 hexadecimal characters)');
			}
			return { field, value: value.toLowerCase(), asGiven: value };
		case 'email':
			if (value.length > MAX_EMAIL_LENGTH || !EMAIL.test(value)) {
				throw new SubjectRefError(field, 'malformed', 'email is not a single email address (expected name@domain)');
			}
			return { field, value: value.toLowerCase(), asGiven: value };
		case 'externalId':
			// `.` and `..` are dot segments: URL parsing drops them from /contacts/find_by_external_id/{id},
			// which then asks for another resource (the contact list) instead of this person.
			if (value === '.' || value === '..') {
				throw new SubjectRefError(field, 'malformed', 'externalId must not be "." or ".." (a URL would drop it and look up something else)');
			}
			return { field, value, asGiven: value };
	}
}
