/**
 * One step of a tracked request — received, extended or closed — with the rules that make a
 * workflow safe to re-run: repeating a step records nothing and returns the request as it is (a
 * webhook delivered twice must not open two requests), the first `received` stands as evidence,
 * and an extension is only possible while the first period runs and the request is open.
 * The node (Ledger → Track Request) and library callers share these rules.
 */
import type { Ledger } from '../ledger';
import type { Regime } from './compute';
import { closeRequest, extendRequest, getRequest, trackRequest } from './track';
import type { RequestKind, TrackedRequest } from './track';

export type RequestStep =
	| { step: 'received'; requestId: string; kind: RequestKind; regime: Regime; receivedDay: string; subjects?: string[] }
	| { step: 'extended'; requestId: string; reason?: string }
	| { step: 'closed'; requestId: string; outcome?: string };

export interface RequestStepResult {
	/** False when the step was already recorded (the ledger is unchanged). */
	recorded: boolean;
	request: TrackedRequest;
	/** For a repeated `received` that disagrees with the first record: which fields differ. */
	differsFromRecorded?: Array<'kind' | 'regime' | 'receivedDay'>;
}

/** A step the request's state does not allow; the message names the request id, never a person. */
export class RequestStepError extends Error {
	constructor(
		readonly problem: 'not_received' | 'closed' | 'first_period_over' | 'unreadable',
		message: string,
		readonly fix: string,
	) {
		super(message);
		this.name = 'RequestStepError';
	}
}

export async function recordRequestStep(ledger: Ledger, input: RequestStep, opts: { timeZone?: string; now?: Date } = {}): Promise<RequestStepResult> {
	const { requestId } = input;
	const existing = await getRequest(ledger, requestId, opts);
	let recorded = true;
	let differsFromRecorded: RequestStepResult['differsFromRecorded'];
	if (input.step === 'received') {
		if (existing) {
			recorded = false;
			const differs = (['kind', 'regime', 'receivedDay'] as const).filter((k) => existing[k] !== input[k]);
			if (differs.length) differsFromRecorded = differs;
		} else {
			await trackRequest(ledger, { requestId, kind: input.kind, regime: input.regime, received: input.receivedDay, subjects: input.subjects });
		}
	} else {
		if (!existing) {
			throw new RequestStepError('not_received', `Request ${requestId} was never recorded as received`, 'Record it as received first (with the day it arrived), then extend or close it.');
		}
		if (input.step === 'extended') {
			if (existing.closed) throw new RequestStepError('closed', `Request ${requestId} is already closed`, 'A closed request cannot be extended.');
			if (existing.extended) recorded = false;
			else if (existing.daysLeft < 0) {
				throw new RequestStepError(
					'first_period_over',
					`Request ${requestId} cannot be extended: its first period ended on ${existing.dueDay}`,
					'The extension must be taken, and the person told, within the first period. The request stays overdue until it is closed.',
				);
			} else await extendRequest(ledger, requestId, input.reason);
		} else if (existing.closed) recorded = false;
		else await closeRequest(ledger, requestId, input.outcome);
	}
	const request = recorded ? await getRequest(ledger, requestId, opts) : existing;
	if (!request) throw new RequestStepError('unreadable', `Request ${requestId} could not be read back from the ledger`, 'Run Ledger → Verify.');
	return { recorded, request, ...(differsFromRecorded ? { differsFromRecorded } : {}) };
}
