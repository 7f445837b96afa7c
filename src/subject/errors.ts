import { GdprError } from '../util/errors';
import type { SubjectField } from './types';

export type SubjectRefProblem = 'missing' | 'ambiguous' | 'empty' | 'malformed';

/**
 * The subject reference is unusable. Thrown before any request is sent.
 * The message names the field and the problem, never the value (it may be an email address).
 */
export class SubjectRefError extends GdprError {
	declare readonly field: SubjectField | 'ref';
	readonly problem: SubjectRefProblem;

	constructor(field: SubjectField | 'ref', problem: SubjectRefProblem, message: string) {
		super(message, { code: problem, field });
		this.name = 'SubjectRefError';
		this.problem = problem;
	}
}

/**
 * A merge chain (410 + Link) went on for longer than we follow. Intercom itself resolves at most
 * 3 hops, so a longer chain (or a loop) means something is wrong on Intercom's side: stop rather
 * than act on a contact we cannot be sure belongs to the person.
 */
export class MergeChainTooLongError extends GdprError {
	/** Contact ids visited, oldest first (ids are Intercom's opaque keys, not personal data). */
	readonly chain: string[];

	constructor(maxHops: number, chain: string[]) {
		super(
			`Contact merge chain is longer than ${maxHops} hops (or loops); stopped following it. ` +
				'Look the contact up in Intercom and use the id of the surviving contact.',
			// The contact ids visited (Intercom's opaque keys, not personal data) help find the survivor.
			{ code: 'merge_chain_too_long', fix: `Contacts visited: ${chain.join(' → ')}` },
		);
		this.name = 'MergeChainTooLongError';
		this.chain = chain;
	}
}

/**
 * Intercom answered a direct lookup with something other than the contact asked for (another
 * contact, a list): refused, so no export or erasure ever acts on someone else.
 */
export class SubjectLookupMismatchError extends GdprError {
	declare readonly field: 'contactId' | 'externalId';
	constructor(field: 'contactId' | 'externalId') {
		super(`Intercom answered the lookup by ${field} with a different object than the contact asked for; nothing was done. Check the ${field} and try again.`, { code: 'lookup_mismatch', field });
		this.name = 'SubjectLookupMismatchError';
	}
}
