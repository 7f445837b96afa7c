import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { dayOf, formatDay, parseDay, recordRequestStep, RequestStepError } from '../../../../src/deadlines';
import type { Regime, RequestKind, TrackedRequest } from '../../../../src/deadlines';
import type { IdentifierKind, Ledger } from '../../../../src/ledger';
import { errorItem, toNodeError } from '../../helpers/errors';
import { readRequestId } from '../../helpers/requestId';
import { getLedger } from '../../transport/ledger';

const properties: INodeProperties[] = [
	{
		// Not named "action": n8n reserves that parameter name for operation-like lists.
		displayName: 'Action',
		name: 'step',
		type: 'options',
		options: [
			{ name: 'Closed', value: 'closed', description: 'The request was answered, refused or withdrawn: stop the clock' },
			{ name: 'Extended', value: 'extended', description: 'Take the statutory extension (GDPR: two more months; CCPA: 45 more days)' },
			{ name: 'Received', value: 'received', description: 'A new access or erasure request arrived: start the clock' },
		],
		default: 'received',
	},
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. DSR-2026-0042',
		description:
			'Your reference for the request (ticket number or UUID): letters, digits and _ . : - only, never an email address. Use the same ID in Data Subject → Erase or Export: their ledger entries close the request.',
	},
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		displayOptions: { show: { step: ['received'] } },
		options: [
			{ name: 'Access', value: 'access', description: 'GDPR Art. 15 / CCPA right to know.' },
			{ name: 'Erasure', value: 'erasure', description: 'GDPR Art. 17 / CCPA right to delete.' },
		],
		default: 'access',
	},
	{
		displayName: 'Regime',
		name: 'regime',
		type: 'options',
		displayOptions: { show: { step: ['received'] } },
		options: [
			{ name: 'CCPA', value: 'ccpa', description: '45 calendar days, extendable once by 45' },
			{ name: 'GDPR', value: 'gdpr', description: 'One month, extendable by two months' },
		],
		default: 'gdpr',
	},
	{
		displayName: 'Received Date',
		name: 'receivedDate',
		type: 'dateTime',
		displayOptions: { show: { step: ['received'] } },
		default: '',
		description:
			"When the request reached you. Empty: today. Read as a calendar day in the workflow's time zone; the deadline counts from that day.",
	},
	{
		displayName: 'Subject Identifiers',
		name: 'subject',
		type: 'collection',
		placeholder: 'Add Identifier',
		displayOptions: { show: { step: ['received'] } },
		default: {},
		description: 'Who the request is about, so Ledger → Search finds it. The ledger stores only an HMAC of each identifier, never the value.',
		options: [
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
			{ displayName: 'External ID', name: 'externalId', type: 'string', default: '', description: 'The user ID your own system gave the person' },
			{ displayName: 'Intercom Contact ID', name: 'contactId', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'options',
		displayOptions: { show: { step: ['extended'] } },
		options: [
			{ name: 'Complexity', value: 'complexity', description: 'The request is complex (GDPR Art. 12(3)).' },
			{ name: 'Number of Requests', value: 'number_of_requests', description: 'Many requests at once (GDPR Art. 12(3)).' },
			{ name: 'Other (Reasonably Necessary)', value: 'other', description: 'Another reason (CCPA: when reasonably necessary)' },
		],
		default: 'complexity',
		description: 'Recorded as a code. Tell the person about the extension, with the reasons, within the first period.',
	},
	{
		displayName: 'Outcome',
		name: 'outcome',
		type: 'options',
		displayOptions: { show: { step: ['closed'] } },
		options: [
			{ name: 'Answered', value: 'answered', description: 'The data was provided or the request fulfilled' },
			{ name: 'Erased', value: 'erased' },
			{ name: 'Identity Not Verified', value: 'identity_not_verified' },
			{ name: 'No Data Held', value: 'no_data' },
			{ name: 'Refused (Exemption Applies)', value: 'refused' },
			{ name: 'Withdrawn', value: 'withdrawn' },
		],
		default: 'answered',
		description: 'Recorded as a code (no free text: the ledger never holds personal data)',
	},
];

const displayOptions = {
	show: {
		resource: ['ledger'],
		operation: ['trackRequest'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

const ACTIONS = ['received', 'extended', 'closed'] as const;
const KINDS: RequestKind[] = ['access', 'erasure'];
const REGIMES: Regime[] = ['gdpr', 'ccpa'];
const REASONS = ['complexity', 'number_of_requests', 'other'];
const OUTCOMES = ['answered', 'erased', 'identity_not_verified', 'no_data', 'refused', 'withdrawn'];
const IDENTIFIERS: Array<{ kind: IdentifierKind; label: string }> = [
	{ kind: 'email', label: 'Subject Email' },
	{ kind: 'externalId', label: 'Subject External ID' },
	{ kind: 'contactId', label: 'Subject Intercom Contact ID' },
];

type Action = (typeof ACTIONS)[number];

interface TrackInput {
	action: Action;
	requestId: string;
	kind: RequestKind;
	regime: Regime;
	receivedDay: string;
	identifiers: Array<{ kind: IdentifierKind; value: string }>;
	reason: string;
	outcome: string;
}

/** The workflow's time zone (calendar days and "today" are read in it), UTC when n8n gives none. */
export function workflowTimeZone(ctx: IExecuteFunctions): string {
	const tz = ctx.getTimezone();
	return typeof tz === 'string' && tz !== '' ? tz : 'UTC';
}

/**
 * A request as an output item: dates and state, no identifiers (not even their HMACs).
 * `daysLeft` / `overdue` only mean something while the request is open; for a closed one,
 * `closedOnTime` says whether it was closed by its due day.
 */
export function requestJson(r: TrackedRequest, timeZone: string): IDataObject {
	const closedDay = r.closedAt ? formatDay(dayOf(r.closedAt, timeZone)) : null;
	return {
		requestId: r.requestId,
		kind: r.kind,
		regime: r.regime,
		receivedDay: r.receivedDay,
		dueDay: r.dueDay,
		extendedDueDay: r.extendedDueDay,
		effectiveDueDay: r.effectiveDueDay,
		extended: r.extended,
		daysLeft: r.closed ? null : r.daysLeft,
		overdue: !r.closed && r.overdue,
		closed: r.closed,
		closedAt: r.closedAt,
		closedBy: r.closedBy,
		closedOnTime: closedDay === null ? null : closedDay <= r.effectiveDueDay,
	};
}

function fail(ctx: IExecuteFunctions, i: number, message: string, description: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${message} [item ${i}]`, { description, itemIndex: i });
}

/** Reads the Received Date as a calendar day. Values without an offset (n8n's date picker) are wall time in the workflow's zone. */
function receivedDayOf(ctx: IExecuteFunctions, raw: unknown, timeZone: string, i: number): string {
	const bad = () => fail(ctx, i, 'Received Date is not a date', 'Pick a date, or pass an ISO date such as 2026-01-31 or 2026-01-31T09:30:00Z. Leave it empty for today.');
	let value = raw;
	if (value !== null && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		value = (value as { toISO: () => string }).toISO(); // a Luxon DateTime from an expression such as {{ $now }}
	}
	if (value === undefined || value === null || value === '') return formatDay(dayOf(new Date(), timeZone));
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

/** Every parameter of item `i`, checked. Throws before anything is written. */
function readInput(ctx: IExecuteFunctions, i: number, timeZone: string): TrackInput {
	const action = ctx.getNodeParameter('step', i) as Action;
	if (!ACTIONS.includes(action)) throw fail(ctx, i, 'Action must be Received, Extended or Closed', 'Pick one of the three.');
	const requestId = readRequestId(ctx, 'requestId', i);
	if (requestId === '') throw fail(ctx, i, 'Request ID is empty', 'Enter your reference for the request (e.g. the ticket number), or map it from the incoming data.');
	const input: TrackInput = { action, requestId, kind: 'access', regime: 'gdpr', receivedDay: '', identifiers: [], reason: 'complexity', outcome: 'answered' };
	if (action === 'received') {
		input.kind = ctx.getNodeParameter('kind', i, 'access') as RequestKind;
		if (!KINDS.includes(input.kind)) throw fail(ctx, i, 'Kind must be Access or Erasure', 'Pick one of the two (an expression must give "access" or "erasure").');
		input.regime = ctx.getNodeParameter('regime', i, 'gdpr') as Regime;
		if (!REGIMES.includes(input.regime)) throw fail(ctx, i, 'Regime must be GDPR or CCPA', 'Pick one of the two (an expression must give "gdpr" or "ccpa").');
		input.receivedDay = receivedDayOf(ctx, ctx.getNodeParameter('receivedDate', i, ''), timeZone, i);
		if (input.receivedDay > formatDay(dayOf(new Date(), timeZone))) {
			throw fail(ctx, i, 'Received Date is in the future', "A request can only be recorded once it has arrived. Check the date and the workflow's time zone.");
		}
		const subject = ctx.getNodeParameter('subject', i, {}) as Partial<Record<IdentifierKind, unknown>>;
		for (const { kind, label } of IDENTIFIERS) {
			const v = subject[kind];
			if (v === undefined || v === null || v === '') continue;
			const value = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
			if (value === undefined) throw fail(ctx, i, `${label} is not text`, 'Map a single value, not an object or a list.');
			if (value === '') continue;
			if (kind === 'email' && !/^[^\s@]+@[^\s@]+$/.test(value)) {
				throw fail(ctx, i, `${label} is not an email address`, 'Check the mapping: an ID in the email field would be hashed as an email and never match.');
			}
			input.identifiers.push({ kind, value });
		}
	} else if (action === 'extended') {
		input.reason = ctx.getNodeParameter('reason', i, 'complexity') as string;
		if (!REASONS.includes(input.reason)) throw fail(ctx, i, 'Reason must be one of the listed codes', `Use one of: ${REASONS.join(', ')}.`);
	} else {
		input.outcome = ctx.getNodeParameter('outcome', i, 'answered') as string;
		if (!OUTCOMES.includes(input.outcome)) throw fail(ctx, i, 'Outcome must be one of the listed codes', `Use one of: ${OUTCOMES.join(', ')}.`);
	}
	return input;
}

/**
 * Records one step of the request through the core's rules (src/deadlines/step.ts): repeating a
 * step is a no-op that returns the request as it is (`recorded: false`).
 */
async function track(ctx: IExecuteFunctions, ledger: Ledger, input: TrackInput, i: number, timeZone: string): Promise<IDataObject> {
	const { requestId } = input;
	let result;
	try {
		result = await recordRequestStep(
			ledger,
			input.action === 'received'
				? {
						step: 'received',
						requestId,
						kind: input.kind,
						regime: input.regime,
						receivedDay: input.receivedDay,
						// Hashing checks each identifier too: all of it happens before the one append.
						subjects: input.identifiers.map((s) => ledger.hashIdentifier(s.kind, s.value)),
					}
				: input.action === 'extended'
					? { step: 'extended', requestId, reason: input.reason }
					: { step: 'closed', requestId, outcome: input.outcome },
			{ timeZone },
		);
	} catch (error) {
		if (error instanceof RequestStepError) throw fail(ctx, i, error.message, error.fix);
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
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const timeZone = workflowTimeZone(this);
	const ledger = await getLedger.call(this);
	const out: INodeExecutionData[] = [];
	let recorded = 0;
	let unchanged = 0;
	let refused = 0;
	try {
		for (let i = 0; i < items.length; i++) {
			const settled = await Promise.resolve()
				.then(async () => await track(this, ledger, readInput(this, i, timeZone), i, timeZone))
				.then(
					(value) => ({ value, error: undefined }),
					(error: unknown) => ({ value: undefined, error }),
				);
			if (settled.value) {
				if (settled.value.recorded) recorded++;
				else unchanged++;
				out.push({ json: settled.value, pairedItem: { item: i } });
			} else {
				refused++;
				const nodeError = toNodeError(this, settled.error, i);
				if (!continueOnFail) throw nodeError;
				out.push(errorItem(nodeError, i));
			}
		}
	} finally {
		await ledger.close();
	}
	const parts = [`${recorded} recorded`];
	if (unchanged > 0) parts.push(`${unchanged} already recorded (ledger unchanged)`);
	if (refused > 0) parts.push(`${refused} not recorded (see the error items)`);
	this.addExecutionHints({ message: `Track Request: ${parts.join(', ')}`, type: refused > 0 ? 'warning' : 'info', location: 'outputPane' });
	return out;
}
