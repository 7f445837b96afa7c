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
 * The node (Ledger → Track Request) and library callers share these rules (the input rules are in
 * rules.ts): the node passes raw values (the received date, the subject's email) and the core reads,
 * checks and hashes them.
 */
import type { JsonValue, Ledger } from '../ledger';
import { settle } from '../util/settle';
import type { Regime } from './compute';
import { alreadyEnded, checkInput, refusalInput, waiverInput, checkNote, checkRecipient, CLOSE_OUTCOMES, DELIVERY_CHANNELS, hashSubjects, notReceived, oneOf, receivedDayOf, REFUSAL_CODES, REQUEST_CHANNELS, RequestStepError, VERIFICATION_METHODS, WAIVER_REASONS, type RawIdentifier } from './rules';
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

export { CLOSE_OUTCOMES, DELIVERY_CHANNELS, REFUSAL_CODES, REQUEST_CHANNELS, VERIFICATION_METHODS, WAIVER_REASONS, RequestStepError, checkNote };
export { isSystemName } from './rules';
export type { RawIdentifier, RequestStepProblem } from './rules';

export type RequestStep =
	| {
			step: 'received';
			requestId: string;
			kind: RequestKind;
			regime: Regime;
			/** YYYY-MM-DD; or give `received` (raw: Date, ISO text, Luxon, '' = today) and the core reads the day. */
			receivedDay?: string;
			received?: unknown;
			/** The subject as the caller has it ({ kind, value }): the core checks and hashes it. */
			identifiers?: RawIdentifier[];
			/** Identifier HMACs (ledger.hashIdentifier), for callers that hashed already. */
			subjects?: string[];
			channel?: string;
	  }
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

type StepOpts = { timeZone?: string; now?: Date };
type Step<K extends RequestStep['step']> = Extract<RequestStep, { step: K }>;
/** Appends one entry under the request; false when the step was a repeat that records nothing. */
type Append = (type: string, data: { [k: string]: JsonValue }) => Promise<void>;

/**
 * Records one step of a request under the rules above; a repeat records nothing and returns the
 * request as it is (`recorded: false`). Throws RequestStepError naming the field or the state.
 */
export async function recordRequestStep(ledger: Ledger, input: RequestStep, opts: StepOpts = {}): Promise<RequestStepResult> {
	const { requestId } = input;
	checkInput(input);
	if (input.step === 'received') return await recordReceived(ledger, input, opts);
	const existing = await getRequest(ledger, requestId, opts);
	if (!existing) throw notReceived(requestId);
	const append: Append = async (type, data) => {
		await ledger.append({ type, requestId, data });
	};
	const recorded = await followUp(ledger, existing, input, append);
	return await readBack(ledger, requestId, recorded, existing, opts);
}

async function readBack(ledger: Ledger, requestId: string, recorded: boolean, existing: TrackedRequest | undefined, opts: StepOpts, differsFromRecorded?: RequestStepResult['differsFromRecorded']): Promise<RequestStepResult> {
	const request = recorded ? await getRequest(ledger, requestId, opts) : existing;
	if (!request) throw new RequestStepError('unreadable', `Request ${requestId} could not be read back from the ledger`, 'Run Ledger → Verify.');
	return { recorded, request, ...(differsFromRecorded ? { differsFromRecorded } : {}) };
}

/** `received`: the day and the subject's identifiers are read, checked and hashed before the ledger is read. */
async function recordReceived(ledger: Ledger, input: Step<'received'>, opts: StepOpts): Promise<RequestStepResult> {
	const { requestId } = input;
	const channel = input.channel === undefined || input.channel === '' ? undefined : oneOf('channel', input.channel, REQUEST_CHANNELS);
	const receivedDay = receivedDayOf(input.receivedDay ?? input.received, opts.timeZone ?? 'UTC', opts.now);
	const hashed = hashSubjects(ledger, input.identifiers ?? []);
	const subjects = input.subjects || hashed.length ? [...(input.subjects ?? []), ...hashed] : undefined;
	const existing = await getRequest(ledger, requestId, opts);
	if (existing) {
		// The first record stands (it is the evidence); say which fields this one disagrees on.
		const given = { kind: input.kind, regime: input.regime, receivedDay };
		const differs = (['kind', 'regime', 'receivedDay'] as const).filter((k) => existing[k] !== given[k]);
		return await readBack(ledger, requestId, false, existing, opts, differs.length ? differs : undefined);
	}
	await trackRequest(ledger, { requestId, kind: input.kind, regime: input.regime, received: receivedDay, subjects, channel });
	return await readBack(ledger, requestId, true, undefined, opts);
}

/** What a step after `received` works on: the request as it stands and how to append under it. */
interface FollowUp {
	ledger: Ledger;
	r: TrackedRequest;
	/** Closed or refused. After the end, only what legitimately follows it (recipients, an erasure's confirmation). */
	ended: boolean;
	append: Append;
}
type FollowUpSteps = Exclude<RequestStep['step'], 'received'>;

/** One handler per step after `received`: true when it appended, false for a repeat. */
const FOLLOW_UPS: { [K in FollowUpSteps]: (f: FollowUp, input: Step<K>) => Promise<boolean> } = {
	acknowledged,
	verified,
	verification_waived: waived,
	extended,
	delivered,
	refused,
	recipient_notified: recipientNotified,
	closed,
};

async function followUp(ledger: Ledger, r: TrackedRequest, input: Exclude<RequestStep, Step<'received'>>, append: Append): Promise<boolean> {
	const handler = Object.hasOwn(FOLLOW_UPS, input.step) ? (FOLLOW_UPS[input.step] as (f: FollowUp, i: typeof input) => Promise<boolean>) : undefined;
	if (!handler) {
		throw new RequestStepError('bad_input', 'step is not a known request step', 'Use received, acknowledged, verified, verification_waived, extended, delivered, refused, recipient_notified or closed.', 'step');
	}
	return await handler({ ledger, r, ended: r.closed || r.refusal !== null, append }, input);
}

async function acknowledged({ r, ended, append }: FollowUp, input: Step<'acknowledged'>): Promise<boolean> {
	const channel = input.channel === undefined || input.channel === '' ? undefined : oneOf('channel', input.channel, DELIVERY_CHANNELS);
	if (r.acknowledgedAt) return false;
	if (ended) throw alreadyEnded(r);
	await append(REQUEST_ACKNOWLEDGED, channel ? { channel } : {});
	return true;
}

async function verified({ r, ended, append }: FollowUp, input: Step<'verified'>): Promise<boolean> {
	const method = oneOf('method', input.method, VERIFICATION_METHODS);
	const level = oneOf('level', input.level, ['standard', 'high']) as VerificationLevel;
	const dataPoints = input.dataPoints ?? 0;
	if (!Number.isInteger(dataPoints) || dataPoints < 0 || dataPoints > 20) {
		throw new RequestStepError('bad_input', 'dataPoints must be a whole number from 0 to 20', 'Pass how many further data points matched.', 'dataPoints');
	}
	// A repeat records nothing; a stricter level than the one recorded is recorded.
	if (r.verification && (r.verification.level === 'high' || level === 'standard')) return false;
	if (ended) throw alreadyEnded(r);
	await append(REQUEST_VERIFIED, { method, level, dataPoints });
	return true;
}

async function waived({ r, ended, append }: FollowUp, input: Step<'verification_waived'>): Promise<boolean> {
	const { code: reason, note } = waiverInput(input.reason, input.note);
	if (ended) throw alreadyEnded(r);
	// Every waiver is recorded: each one is a separate decision to act unverified.
	await append(REQUEST_VERIFICATION_WAIVED, note ? { reason, note } : { reason });
	return true;
}

async function extended({ ledger, r, ended }: FollowUp, input: Step<'extended'>): Promise<boolean> {
	if (ended) throw alreadyEnded(r);
	if (r.extended) return false;
	if (r.daysLeft < 0) {
		throw new RequestStepError(
			'first_period_over',
			`Request ${r.requestId} cannot be extended: its first period ended on ${r.dueDay}`,
			'The extension must be taken, and the person told, within the first period. The request stays overdue until it is closed.',
		);
	}
	await extendRequest(ledger, r.requestId, input.reason);
	return true;
}

async function delivered({ r, ended, append }: FollowUp, input: Step<'delivered'>): Promise<boolean> {
	const channel = oneOf('channel', input.channel, DELIVERY_CHANNELS);
	if (input.packageSha256 !== undefined && !/^[0-9a-f]{64}$/i.test(input.packageSha256)) {
		throw new RequestStepError('bad_input', 'packageSha256 is not a 64-character hex sha256', 'Pass the sha256 of the delivered file, or leave it out.', 'packageSha256');
	}
	const erasureConfirmation = r.kind === 'erasure' && r.closedBy === 'erasure.done';
	if (r.deliveredAt) return false;
	if (ended && !erasureConfirmation) throw alreadyEnded(r);
	await append(REQUEST_DELIVERED, { channel, ...(input.packageSha256 ? { packageSha256: input.packageSha256.toLowerCase() } : {}) });
	return true;
}

async function refused({ r, ended, append }: FollowUp, input: Step<'refused'>): Promise<boolean> {
	const { code, note } = refusalInput(input.code, input.note);
	if (r.refusal) return false;
	if (ended) throw alreadyEnded(r);
	await append(REQUEST_REFUSED, note ? { code, note } : { code });
	return true;
}

/** The erasure's receipts for the request, without those whose status is in `excluded`. */
async function erasureReceipts(ledger: Ledger, requestId: string, excluded: string[]) {
	return (await ledger.search({ requestId, type: 'erasure.done', limit: 100 })).filter((e) => !excluded.includes(String(e.data.status ?? '')));
}

async function recipientNotified({ ledger, r, append }: FollowUp, input: Step<'recipient_notified'>): Promise<boolean> {
	const recipient = checkRecipient(input.recipient);
	const { requestId } = r;
	if (r.kind !== 'erasure') {
		throw new RequestStepError('not_erasure', `Request ${requestId} is an access request`, 'Recipients are notified of an erasure (GDPR Art. 19): record it under the erasure request.');
	}
	const receipts = await erasureReceipts(ledger, requestId, ['failed', 'dry_run']);
	if (receipts.length === 0) {
		throw new RequestStepError('no_erasure_receipt', `Request ${requestId} has no erasure receipt yet`, 'Notify downstream systems after Data Subject → Erase has run for this request.');
	}
	// When the erasure named its recipients, only those can be recorded as notified.
	const named = receipts.flatMap((e) => (Array.isArray(e.data.recipients) ? e.data.recipients.map(String) : []));
	if (named.length > 0 && !named.some((n) => n.toLowerCase() === recipient.toLowerCase())) {
		throw new RequestStepError('not_a_recipient', `Recipient is not in the erasure's list of recipients for request ${requestId}`, `Use one of the names the erasure recorded: ${named.join(', ')}.`, 'recipient');
	}
	if (r.recipientsNotified.some((n) => n.toLowerCase() === recipient.toLowerCase())) return false;
	await append(REQUEST_RECIPIENT_NOTIFIED, { recipient });
	return true;
}

async function closed({ ledger, r }: FollowUp, input: Step<'closed'>): Promise<boolean> {
	const outcome = oneOf('outcome', input.outcome ?? 'answered', CLOSE_OUTCOMES);
	const { requestId } = r;
	if (r.closed || r.refusal) return false;
	const receipt = r.kind === 'erasure' && (await erasureReceipts(ledger, requestId, ['incomplete', 'held', 'failed', 'dry_run'])).length > 0;
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
	return true;
}
