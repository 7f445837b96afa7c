/**
 * The identity gate in front of Export and Erase (GDPR Art. 12(6), CCPA §§7060–7062): personal
 * data leaves, or is destroyed, only for a request whose requester was verified — a `verified`
 * step in the ledger under the same request id — unless the operator decides otherwise, with a
 * reason that is recorded (`request.verification_waived`).
 */
import { GdprError } from '../util/errors';
import type { Ledger } from '../ledger';
import { checkNote, RequestStepError, WAIVER_REASONS } from './step';
import { getRequest, REQUEST_VERIFICATION_WAIVED } from './track';
import type { VerificationLevel } from './track';

export interface VerificationGateOptions {
	/** Proceed without a `verified` step: the reason code (and optional note) are recorded. */
	waive?: { reason: string; note?: string };
	/** Refuse a `standard` verification when `high` is needed (CCPA §7062: specific pieces of information). */
	minimumLevel?: VerificationLevel;
}

export type VerificationGateResult =
	| { verified: true; method: string; level: VerificationLevel; at: string }
	| { verified: false; waived: string };

export class VerificationRequiredError extends GdprError {
	constructor(
		readonly problem: 'no_request_id' | 'not_verified' | 'level_too_low' | 'refused' | 'bad_waiver',
		message: string,
		fix: string,
	) {
		super(message, { code: problem, fix });
		this.name = 'VerificationRequiredError';
	}
}

const HOW =
	'Verify the requester first (Data Subject → Verify Identity, or Ledger → Track Request → Verified for a check done elsewhere), ' +
	'or set Identity Verification to "Proceed Unverified" with a reason, which is recorded in the ledger.';

/** Checks (and with `waive`, records) that work may proceed for `requestId`. Throws VerificationRequiredError. */
export async function requireVerified(ledger: Ledger, requestId: string | undefined, opts: VerificationGateOptions = {}): Promise<VerificationGateResult> {
	if (!requestId) {
		throw new VerificationRequiredError('no_request_id', 'No Request ID: the requester\'s identity is checked per request', `Set Request ID to the ID under which the request was received and verified. ${HOW}`);
	}
	const request = await getRequest(ledger, requestId);
	if (request?.refusal) {
		throw new VerificationRequiredError('refused', `Request ${requestId} was refused (${request.refusal.code})`, 'A refused request is over; a new request from the person gets a new Request ID.');
	}
	const v = request?.verification;
	if (opts.waive) {
		if (!(WAIVER_REASONS as readonly string[]).includes(opts.waive.reason)) {
			throw new VerificationRequiredError('bad_waiver', 'Unverified Reason must be one of the listed codes', `Use one of: ${WAIVER_REASONS.join(', ')}.`);
		}
		let note: string | undefined;
		let refused: RequestStepError | undefined;
		try {
			note = checkNote('Unverified Reason Note', opts.waive.note);
		} catch (error) {
			refused = error as RequestStepError;
		}
		if (refused) throw new VerificationRequiredError('bad_waiver', refused.message, refused.fix);
		if (opts.waive.reason === 'other' && !note) {
			throw new VerificationRequiredError('bad_waiver', 'Proceeding unverified for reason "other" needs a note', 'Say in a sentence why (no personal data).');
		}
		// Recorded even when the request was never tracked: the decision itself is the evidence.
		await ledger.append({ type: REQUEST_VERIFICATION_WAIVED, requestId, data: note ? { reason: opts.waive.reason, note } : { reason: opts.waive.reason } });
		return { verified: false, waived: opts.waive.reason };
	}
	if (!v) {
		throw new VerificationRequiredError(
			'not_verified',
			request ? `Request ${requestId} has no "verified" step in the ledger` : `Request ${requestId} has no "verified" step in the ledger (it was never recorded as received either)`,
			HOW,
		);
	}
	if (opts.minimumLevel === 'high' && v.level !== 'high') {
		throw new VerificationRequiredError('level_too_low', `Request ${requestId} was verified at level "standard"; "high" is required`, 'Verify with further data points (Data Subject → Verify Identity, Required Data Points ≥ 2).');
	}
	return { verified: true, method: v.method, level: v.level, at: v.at };
}
