/**
 * One step of a tracked request, with the rules that make the lifecycle a proof and a workflow
 * safe to re-run:
 *
 * - every step but `received` needs the request to have been received; nothing but a recipient
 *   notification (and the requester's confirmation of an erasure) follows the end of a request;
 * - repeating a step records nothing and returns the request as it is (a webhook delivered twice
 *   must not open two requests); the first `received` stands as evidence;
 * - an extension only while the first period runs;
 * - `closed` with outcome `answered` / `no_data` only after `delivered` (for an erasure: after its
 *   `erasure.done` receipt or a `delivered` confirmation); `erased` only after the receipt; a refusal
 *   is its own step with a reason code (and an optional note checked for personal data);
 * - `recipient_notified` only for an erasure that was carried out, one entry per downstream system.
 *
 * The node (Ledger → Track Request) and library callers share these rules.
 */
import { GdprError } from '../util/errors';
import { settle } from '../util/settle';
import type { JsonValue, Ledger } from '../ledger';
import { redactText } from '../redact';
import type { Regime } from './compute';
import {
	closeRequest,
	extendRequest,
	getRequest,
	REQUEST_ACKNOWLEDGED,
	REQUEST_DELIVERED,
	REQUEST_RECIPIENT_NOTIFIED,
	REQUEST_REFUSED,
	REQUEST_VERIFICATION_WAIVED,
	REQUEST_VERIFIED,
	trackRequest,
} from './track';
import type { RequestKind, TrackedRequest, VerificationLevel } from './track';

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

export type RequestStep =
	| { step: 'received'; requestId: string; kind: RequestKind; regime: Regime; receivedDay: string; subjects?: string[]; channel?: string }
	| { step: 'acknowledged'; requestId: string; channel?: string }
	| { step: 'verified'; requestId: string; method: string; level: VerificationLevel; dataPoints?: number }
	| { step: 'verification_waived'; requestId: string; reason: string; note?: string }
	| { step: 'extended'; requestId: string; reason?: string }
	| { step: 'delivered'; requestId: string; channel: string; packageSha256?: string }
	| { step: 'refused'; requestId: string; code: string; note?: string }
	| { step: 'recipient_notified'; requestId: string; recipient: string }
	| { step: 'closed'; requestId: string; outcome?: string };

export interface RequestStepResult {
	/** False when the step was already recorded (the ledger is unchanged). */
	recorded: boolean;
	request: TrackedRequest;
	/** For a repeated `received` that disagrees with the first record: which fields differ. */
	differsFromRecorded?: Array<'kind' | 'regime' | 'receivedDay'>;
}

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

function oneOf(field: string, value: unknown, allowed: readonly string[]): string {
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

function checkRecipient(value: unknown): string {
	const name = typeof value === 'string' ? value.trim() : '';
	if (!/^[A-Za-z0-9][A-Za-z0-9 _.:()/-]{0,63}$/.test(name)) {
		throw new RequestStepError('bad_input', 'Recipient must be a system name of 1–64 letters, digits, spaces and _ . : ( ) / -', 'Name the downstream system (e.g. "Mailchimp"), not a person or an address.', 'recipient');
	}
	if (!isSystemName(name)) {
		throw new RequestStepError('personal_data', 'Recipient seems to hold personal data', 'Name the downstream system (e.g. "Mailchimp"), not a person or an address.', 'recipient');
	}
	return name;
}

const notReceived = (requestId: string) =>
	new RequestStepError('not_received', `Request ${requestId} was never recorded as received`, 'Record it as received first (Ledger → Track Request → Received, with the day it arrived), then record the next steps.');
const alreadyEnded = (r: TrackedRequest) =>
	new RequestStepError(
		'closed',
		`Request ${r.requestId} is already ${r.refusal ? 'refused' : 'closed'}`,
		r.refusal ? 'A refused request is over. A new request from the person gets a new Request ID.' : 'A closed request cannot take further steps. A new request gets a new Request ID.',
	);

/**
 * The request as it stands, when it was received and has not ended (closed or refused); otherwise a
 * RequestStepError (`not_received` / `closed`). For work that only makes sense for an open request:
 * a challenge or a package for an unknown, closed or refused request verifies or answers nothing.
 */
export async function requireOpenRequest(ledger: Ledger, requestId: string, opts: { timeZone?: string; now?: Date } = {}): Promise<TrackedRequest> {
	const r = await getRequest(ledger, requestId, opts);
	if (!r) throw notReceived(requestId);
	if (r.closed || r.refusal) throw alreadyEnded(r);
	return r;
}

/**
 * Records that a package has left (a download was handed out): the `delivered` step. The download
 * happened whatever the request's state, so when the request was never tracked or has ended
 * meanwhile, the fact is still recorded (`outsideLifecycle` names why it is outside the lifecycle);
 * bad input is refused as by recordRequestStep.
 */
export async function recordDelivery(
	ledger: Ledger,
	input: { requestId: string; channel: string; packageSha256?: string },
	opts: { timeZone?: string; now?: Date } = {},
): Promise<{ recorded: boolean; outsideLifecycle?: 'not_received' | 'closed' }> {
	const settled = await settle(recordRequestStep(ledger, { step: 'delivered', ...input }, opts));
	if (settled.ok) return { recorded: settled.value.recorded };
	const error = settled.error;
	if (!(error instanceof RequestStepError) || (error.problem !== 'not_received' && error.problem !== 'closed')) throw error;
	const data: { [k: string]: JsonValue } = { channel: input.channel, ...(input.packageSha256 ? { packageSha256: input.packageSha256.toLowerCase() } : {}), outsideLifecycle: error.problem };
	await ledger.append({ type: REQUEST_DELIVERED, requestId: input.requestId, data });
	return { recorded: true, outsideLifecycle: error.problem };
}

/** The input's codes and notes, checked before the ledger is read: bad input is named whatever the request's state. */
function checkInput(input: RequestStep): void {
	switch (input.step) {
		case 'verified':
			oneOf('method', input.method, VERIFICATION_METHODS);
			oneOf('level', input.level, ['standard', 'high']);
			return;
		case 'verification_waived':
			oneOf('reason', input.reason, WAIVER_REASONS);
			checkNote('note', input.note);
			return;
		case 'delivered':
			oneOf('channel', input.channel, DELIVERY_CHANNELS);
			return;
		case 'refused':
			oneOf('code', input.code, REFUSAL_CODES);
			checkNote('note', input.note);
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

export async function recordRequestStep(ledger: Ledger, input: RequestStep, opts: { timeZone?: string; now?: Date } = {}): Promise<RequestStepResult> {
	const { requestId } = input;
	checkInput(input);
	const existing = await getRequest(ledger, requestId, opts);
	let recorded = true;
	let differsFromRecorded: RequestStepResult['differsFromRecorded'];
	const append = async (type: string, data: { [k: string]: JsonValue }) => {
		await ledger.append({ type, requestId, data });
	};

	if (input.step === 'received') {
		const channel = input.channel === undefined || input.channel === '' ? undefined : oneOf('channel', input.channel, REQUEST_CHANNELS);
		if (existing) {
			recorded = false;
			const differs = (['kind', 'regime', 'receivedDay'] as const).filter((k) => existing[k] !== input[k]);
			if (differs.length) differsFromRecorded = differs;
		} else {
			await trackRequest(ledger, { requestId, kind: input.kind, regime: input.regime, received: input.receivedDay, subjects: input.subjects, channel });
		}
	} else {
		if (!existing) throw notReceived(requestId);
		const r = existing;
		// After the end, only what legitimately follows it: notifying recipients of an erasure, and
		// the confirmation to the requester of an erasure its receipt already closed.
		const ended = r.closed || r.refusal !== null;
		switch (input.step) {
			case 'acknowledged': {
				const channel = input.channel === undefined || input.channel === '' ? undefined : oneOf('channel', input.channel, DELIVERY_CHANNELS);
				if (r.acknowledgedAt) recorded = false;
				else if (ended) throw alreadyEnded(r);
				else await append(REQUEST_ACKNOWLEDGED, channel ? { channel } : {});
				break;
			}
			case 'verified': {
				const method = oneOf('method', input.method, VERIFICATION_METHODS);
				const level = oneOf('level', input.level, ['standard', 'high']) as VerificationLevel;
				const dataPoints = input.dataPoints ?? 0;
				if (!Number.isInteger(dataPoints) || dataPoints < 0 || dataPoints > 20) {
					throw new RequestStepError('bad_input', 'dataPoints must be a whole number from 0 to 20', 'Pass how many further data points matched.', 'dataPoints');
				}
				// A repeat records nothing; a stricter level than the one recorded is recorded.
				if (r.verification && (r.verification.level === 'high' || level === 'standard')) recorded = false;
				else if (ended) throw alreadyEnded(r);
				else await append(REQUEST_VERIFIED, { method, level, dataPoints });
				break;
			}
			case 'verification_waived': {
				const reason = oneOf('reason', input.reason, WAIVER_REASONS);
				const note = checkNote('note', input.note);
				if (reason === 'other' && !note) {
					throw new RequestStepError('bad_input', 'A waiver with reason "other" needs a note', 'Say in a sentence why the work may proceed without verifying the requester (no personal data).', 'note');
				}
				if (ended) throw alreadyEnded(r);
				// Every waiver is recorded: each one is a separate decision to act unverified.
				await append(REQUEST_VERIFICATION_WAIVED, note ? { reason, note } : { reason });
				break;
			}
			case 'extended': {
				if (ended) throw alreadyEnded(r);
				if (r.extended) recorded = false;
				else if (r.daysLeft < 0) {
					throw new RequestStepError(
						'first_period_over',
						`Request ${requestId} cannot be extended: its first period ended on ${r.dueDay}`,
						'The extension must be taken, and the person told, within the first period. The request stays overdue until it is closed.',
					);
				} else await extendRequest(ledger, requestId, input.reason);
				break;
			}
			case 'delivered': {
				const channel = oneOf('channel', input.channel, DELIVERY_CHANNELS);
				if (input.packageSha256 !== undefined && !/^[0-9a-f]{64}$/i.test(input.packageSha256)) {
					throw new RequestStepError('bad_input', 'packageSha256 is not a 64-character hex sha256', 'Pass the sha256 of the delivered file, or leave it out.', 'packageSha256');
				}
				const erasureConfirmation = r.kind === 'erasure' && r.closedBy === 'erasure.done';
				if (r.deliveredAt) recorded = false;
				else if (ended && !erasureConfirmation) throw alreadyEnded(r);
				else await append(REQUEST_DELIVERED, { channel, ...(input.packageSha256 ? { packageSha256: input.packageSha256.toLowerCase() } : {}) });
				break;
			}
			case 'refused': {
				const code = oneOf('code', input.code, REFUSAL_CODES);
				const note = checkNote('note', input.note);
				if (code === 'other_exemption' && !note) {
					throw new RequestStepError('bad_input', 'A refusal under "other exemption" needs a note', 'Name the exemption in a sentence (no personal data), e.g. the article relied on.', 'note');
				}
				if (r.refusal) recorded = false;
				else if (ended) throw alreadyEnded(r);
				else await append(REQUEST_REFUSED, note ? { code, note } : { code });
				break;
			}
			case 'recipient_notified': {
				const recipient = checkRecipient(input.recipient);
				if (r.kind !== 'erasure') {
					throw new RequestStepError('not_erasure', `Request ${requestId} is an access request`, 'Recipients are notified of an erasure (GDPR Art. 19): record it under the erasure request.');
				}
				const receipts = (await ledger.search({ requestId, type: 'erasure.done', limit: 100 })).filter((e) => !['failed', 'dry_run'].includes(String(e.data.status ?? '')));
				if (receipts.length === 0) {
					throw new RequestStepError('no_erasure_receipt', `Request ${requestId} has no erasure receipt yet`, 'Notify downstream systems after Data Subject → Erase has run for this request.');
				}
				// When the erasure named its recipients, only those can be recorded as notified.
				const named = receipts.flatMap((e) => (Array.isArray(e.data.recipients) ? e.data.recipients.map(String) : []));
				if (named.length > 0 && !named.some((n) => n.toLowerCase() === recipient.toLowerCase())) {
					throw new RequestStepError('not_a_recipient', `Recipient is not in the erasure's list of recipients for request ${requestId}`, `Use one of the names the erasure recorded: ${named.join(', ')}.`, 'recipient');
				}
				if (r.recipientsNotified.some((n) => n.toLowerCase() === recipient.toLowerCase())) recorded = false;
				else await append(REQUEST_RECIPIENT_NOTIFIED, { recipient });
				break;
			}
			case 'closed': {
				const outcome = input.outcome ?? 'answered';
				if ((outcome as string) === 'refused' || (outcome as string) === 'identity_not_verified') {
					throw new RequestStepError('bad_input', 'A refusal is recorded with the Refused step, not as a Closed outcome', 'Record the step "refused" with its reason code (e.g. identity_not_verified); it ends the request.', 'outcome');
				}
				oneOf('outcome', outcome, CLOSE_OUTCOMES);
				if (r.closed || r.refusal) {
					recorded = false;
					break;
				}
				const receipt = r.kind === 'erasure' && (await ledger.search({ requestId, type: 'erasure.done', limit: 100 })).some((e) => !['incomplete', 'held', 'failed', 'dry_run'].includes(String(e.data.status ?? '')));
				if (outcome === 'erased' && !receipt) {
					throw new RequestStepError('no_erasure_receipt', `Request ${requestId} cannot be closed as erased: there is no complete erasure receipt for it`, 'Run Data Subject → Erase with this Request ID; close the request when its receipt says erased.');
				}
				if ((outcome === 'answered' || outcome === 'no_data') && !r.deliveredAt && !receipt) {
					throw new RequestStepError(
						'not_delivered',
						`Request ${requestId} cannot be closed as ${outcome}: nothing was delivered to the person`,
						r.kind === 'erasure'
							? 'Run Data Subject → Erase with this Request ID, or record the step "delivered" once the person has the answer.'
							: 'Record the step "delivered" once the person has the package (Data Subject → Publish Package records it at download), then close.',
					);
				}
				await closeRequest(ledger, requestId, outcome);
				break;
			}
			default:
				throw new RequestStepError('bad_input', 'step is not a known request step', 'Use received, acknowledged, verified, verification_waived, extended, delivered, refused, recipient_notified or closed.', 'step');
		}
	}
	const request = recorded ? await getRequest(ledger, requestId, opts) : existing;
	if (!request) throw new RequestStepError('unreadable', `Request ${requestId} could not be read back from the ledger`, 'Run Ledger → Verify.');
	return { recorded, request, ...(differsFromRecorded ? { differsFromRecorded } : {}) };
}
