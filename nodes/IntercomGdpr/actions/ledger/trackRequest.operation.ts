import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { recordRequestStep, RequestStepError } from '../../../../src/requests';
import type { Regime, RequestKind, RequestStep, VerificationLevel } from '../../../../src/requests';
import type { IdentifierKind, Ledger } from '../../../../src/ledger';
import { fail, toNodeError } from '../../../shared/errors';
import { perItem } from '../itemLoop';
import { readRequestId } from '../../helpers/requestId';
import { getLedger } from '../../../shared/transport/ledger';
import { properties } from './trackRequest/description';
import { requestJson, workflowTimeZone } from './trackRequest/requestJson';


const displayOptions = {
	show: {
		resource: ['ledger'],
		operation: ['trackRequest'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

const ACTIONS = ['received', 'acknowledged', 'verified', 'extended', 'delivered', 'refused', 'recipient_notified', 'closed'] as const;
const KINDS: RequestKind[] = ['access', 'erasure'];
const REGIMES: Regime[] = ['gdpr', 'ccpa'];
const REASONS = ['complexity', 'number_of_requests', 'other'];
const IDENTIFIERS: Array<{ kind: IdentifierKind; label: string }> = [
	{ kind: 'email', label: 'Subject Email' },
	{ kind: 'externalId', label: 'Subject External ID' },
	{ kind: 'contactId', label: 'Subject Intercom Contact ID' },
];
/** The core's field names (RequestStepError.field) in the words of the node's panel. */
const FIELD_LABELS: Record<string, string> = {
	receivedDay: 'Received Date',
	...Object.fromEntries(IDENTIFIERS.map((f) => [f.kind, f.label])),
	channel: 'Channel',
	method: 'Method',
	level: 'Level',
	dataPoints: 'Data Points Matched',
	packageSha256: 'Package SHA-256',
	code: 'Refusal Reason',
	note: 'Refusal Note',
	recipient: 'Recipient',
	outcome: 'Outcome',
};

type Action = (typeof ACTIONS)[number];

interface TrackInput {
	action: Action;
	requestId: string;
	/** The step for the core, with the raw received date and identifiers (the core reads, checks and hashes them). */
	step: RequestStep;
}

const text = (ctx: IExecuteFunctions, name: string, i: number): string => {
	const v = ctx.getNodeParameter(name, i, '') as unknown;
	return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
};

/** Every parameter of item `i`, checked (the core checks codes and notes again). Throws before anything is written. */
function readInput(ctx: IExecuteFunctions, i: number): TrackInput {
	const action = ctx.getNodeParameter('step', i) as Action;
	if (!ACTIONS.includes(action)) throw fail(ctx, i, 'Action must be one of the listed steps', `Use one of: ${ACTIONS.join(', ')}.`);
	const requestId = readRequestId(ctx, 'requestId', i);
	if (requestId === '') throw fail(ctx, i, 'Request ID is empty', 'Enter your reference for the request (e.g. the ticket number), or map it from the incoming data.');
	let step: RequestStep;
	switch (action) {
		case 'received': {
			const kind = ctx.getNodeParameter('kind', i, 'access') as RequestKind;
			if (!KINDS.includes(kind)) throw fail(ctx, i, 'Kind must be Access or Erasure', 'Pick one of the two (an expression must give "access" or "erasure").');
			const regime = ctx.getNodeParameter('regime', i, 'gdpr') as Regime;
			if (!REGIMES.includes(regime)) throw fail(ctx, i, 'Regime must be GDPR or CCPA', 'Pick one of the two (an expression must give "gdpr" or "ccpa").');
			// Raw: the core reads the day (and refuses a future one), checks the email and hashes the identifiers.
			const subject = ctx.getNodeParameter('subject', i, {}) as Partial<Record<IdentifierKind, unknown>>;
			const identifiers = IDENTIFIERS.flatMap(({ kind: idKind }) => {
				const v = subject[idKind];
				if (v === undefined || v === null || v === '') return [];
				return [{ kind: idKind, value: (typeof v === 'number' ? String(v) : v) as string }];
			});
			const received = ctx.getNodeParameter('receivedDate', i, '');
			step = { step: 'received', requestId, kind, regime, received, identifiers, channel: text(ctx, 'channel', i) || undefined };
			break;
		}
		case 'acknowledged':
			step = { step: 'acknowledged', requestId, channel: text(ctx, 'deliveryChannel', i) || undefined };
			break;
		case 'verified':
			step = {
				step: 'verified',
				requestId,
				method: text(ctx, 'method', i),
				level: text(ctx, 'level', i) as VerificationLevel,
				dataPoints: Number(ctx.getNodeParameter('dataPoints', i, 0)),
			};
			break;
		case 'extended': {
			const reason = ctx.getNodeParameter('reason', i, 'complexity') as string;
			if (!REASONS.includes(reason)) throw fail(ctx, i, 'Reason must be one of the listed codes', `Use one of: ${REASONS.join(', ')}.`);
			step = { step: 'extended', requestId, reason };
			break;
		}
		case 'delivered':
			step = { step: 'delivered', requestId, channel: text(ctx, 'deliveryChannel', i), packageSha256: text(ctx, 'packageSha256', i) || undefined };
			break;
		case 'refused':
			step = { step: 'refused', requestId, code: text(ctx, 'refusalCode', i), note: text(ctx, 'refusalNote', i) || undefined };
			break;
		case 'recipient_notified':
			step = { step: 'recipient_notified', requestId, recipient: text(ctx, 'recipient', i) };
			break;
		default:
			step = { step: 'closed', requestId, outcome: ctx.getNodeParameter('outcome', i, 'answered') as string };
	}
	return { action, requestId, step };
}

/**
 * Records one step of the request through the core's rules (src/requests/step.ts): repeating a
 * step is a no-op that returns the request as it is (`recorded: false`).
 */
async function track(ctx: IExecuteFunctions, ledger: Ledger, input: TrackInput, i: number, timeZone: string): Promise<IDataObject> {
	const { requestId } = input;
	let result;
	try {
		result = await recordRequestStep(ledger, input.step, { timeZone });
	} catch (error) {
		if (error instanceof RequestStepError) {
			const label = error.field ? FIELD_LABELS[error.field] : undefined;
			const message = label && error.message.startsWith(`${error.field} `) ? `${label}${error.message.slice(error.field!.length)}` : error.message;
			throw fail(ctx, i, message, error.fix);
		}
		throw toNodeError(ctx, error, i);
	}
	const extra: IDataObject = {};
	if (result.differsFromRecorded) {
		// The first record stands (it is the evidence); say so when this one disagrees with it.
		extra.differsFromRecorded = result.differsFromRecorded;
		ctx.addExecutionHints({
			message: `Request ${requestId} was already received with another ${result.differsFromRecorded.join(', ')}; the first record stands. Use a new Request ID for a new request.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	const state = result.request;
	return { action: input.action, recorded: result.recorded, ...requestJson(state, timeZone), subjectCount: state.subjects.length, ...extra };
}

/** Ledger → Track Request: records a request as received, extended or closed; one output item per input item. */
export const execute = perItem({
	begin: (ctx): { timeZone: string; ledger?: Ledger; recorded: number; unchanged: number } => ({ timeZone: workflowTimeZone(ctx), recorded: 0, unchanged: 0 }),
	open: async (ctx, state) => {
		state.ledger = await getLedger.call(ctx);
	},
	run: async (ctx, i, _input, state) => {
		const json = await track(ctx, state.ledger!, readInput(ctx, i), i, state.timeZone);
		if (json.recorded) state.recorded++;
		else state.unchanged++;
		return [{ json }];
	},
	close: async (state) => await state.ledger?.close(),
	finish: (ctx, { recorded, unchanged }, { failed: refused }) => {
		const parts = [`${recorded} recorded`];
		if (unchanged > 0) parts.push(`${unchanged} already recorded (ledger unchanged)`);
		if (refused > 0) parts.push(`${refused} not recorded (see the error items)`);
		ctx.addExecutionHints({ message: `Track Request: ${parts.join(', ')}`, type: refused > 0 ? 'warning' : 'info', location: 'outputPane' });
	},
});
