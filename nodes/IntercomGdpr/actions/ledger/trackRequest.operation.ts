import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { dayOf, formatDay, recordRequestStep, RequestStepError } from '../../../../src/deadlines';
import type { Regime, RequestKind, RequestStep, TrackedRequest, VerificationLevel } from '../../../../src/deadlines';
import type { IdentifierKind, Ledger } from '../../../../src/ledger';
import { fail, toNodeError } from '../../../shared/errors';
import { perItem } from '../itemLoop';
import { readRequestId } from '../../helpers/requestId';
import { getLedger } from '../../../shared/transport/ledger';

const properties: INodeProperties[] = [
	{
		// Not named "action": n8n reserves that parameter name for operation-like lists.
		displayName: 'Action',
		name: 'step',
		type: 'options',
		options: [
			{ name: 'Acknowledged', value: 'acknowledged', description: 'Receipt was confirmed to the person (CCPA §7021: within 10 business days)' },
			{ name: 'Closed', value: 'closed', description: 'The request is answered or withdrawn: stop the clock. Needs Delivered (or the erasure receipt) first.' },
			{ name: 'Delivered', value: 'delivered', description: 'The answer reached the person (package downloaded, erasure confirmed)' },
			{ name: 'Extended', value: 'extended', description: 'Take the statutory extension (GDPR: two more months; CCPA: 45 more days)' },
			{ name: 'Received', value: 'received', description: 'A new access or erasure request arrived: start the clock' },
			{ name: 'Recipient Notified', value: 'recipient_notified', description: 'A downstream system was told about the erasure (GDPR Art. 19, CCPA §7022(b)).' },
			{ name: 'Refused', value: 'refused', description: 'The request is refused, with a reason code: ends the request' },
			{ name: 'Verified', value: 'verified', description: "The requester's identity was verified outside this node (e.g. a logged-in account)" },
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
			'Your reference for the request (ticket number or UUID): letters, digits and _ . : - only, never an email address. Use the same ID in Data Subject → Verify Identity, Erase, Export and Publish Package.',
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
			{ name: 'CCPA', value: 'ccpa', description: '45 calendar days, extendable once by 45; acknowledge within 10 business days' },
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
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		displayOptions: { show: { step: ['received'] } },
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'In Person', value: 'in_person' },
			{ name: 'Intercom', value: 'intercom' },
			{ name: 'Mail', value: 'mail' },
			{ name: 'Not Recorded', value: '' },
			{ name: 'Other', value: 'other' },
			{ name: 'Phone', value: 'phone' },
			{ name: 'Web Form', value: 'web_form' },
		],
		default: '',
		description: 'How the request arrived (recorded as a code)',
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
		displayName: 'Channel',
		name: 'deliveryChannel',
		type: 'options',
		displayOptions: { show: { step: ['acknowledged', 'delivered'] } },
		options: [
			{ name: 'Download Link', value: 'download_link' },
			{ name: 'Email', value: 'email' },
			{ name: 'In Person', value: 'in_person' },
			{ name: 'Intercom', value: 'intercom' },
			{ name: 'Mail', value: 'mail' },
			{ name: 'Other', value: 'other' },
		],
		default: 'email',
		description: 'How the message or the answer reached the person (recorded as a code)',
	},
	{
		displayName: 'Package SHA-256',
		name: 'packageSha256',
		type: 'string',
		displayOptions: { show: { step: ['delivered'] } },
		default: '',
		description: 'Optional: the sha256 of the file delivered (Export and Publish Package output it)',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		displayOptions: { show: { step: ['verified'] } },
		options: [
			{ name: 'Account Login', value: 'account_login', description: 'The person asked from inside their logged-in account' },
			{ name: 'Document Check', value: 'document_check' },
			{ name: 'Email Code', value: 'email_code' },
			{ name: 'Email Link', value: 'email_link' },
			{ name: 'Other', value: 'other' },
		],
		default: 'account_login',
	},
	{
		displayName: 'Level',
		name: 'level',
		type: 'options',
		displayOptions: { show: { step: ['verified'] } },
		options: [
			{ name: 'Standard', value: 'standard', description: 'Reasonable degree of certainty (CCPA §7062(b))' },
			{ name: 'High', value: 'high', description: 'Reasonably high degree of certainty (CCPA §7062(c)): further data points matched' },
		],
		default: 'standard',
	},
	{
		displayName: 'Data Points Matched',
		name: 'dataPoints',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20 },
		displayOptions: { show: { step: ['verified'] } },
		default: 0,
		description: 'How many further pieces of information matched your records (the count only is recorded)',
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
		displayName: 'Refusal Reason',
		name: 'refusalCode',
		type: 'options',
		displayOptions: { show: { step: ['refused'] } },
		options: [
			{ name: 'Excessive (Art. 12(5))', value: 'excessive' },
			{ name: 'Identity Not Verified', value: 'identity_not_verified', description: 'GDPR Art. 12(6), CCPA §7060.' },
			{ name: 'Legal Claims / Legal Hold (Art. 17(3)(e))', value: 'legal_claims' },
			{ name: 'Legal Obligation (Art. 17(3)(b))', value: 'legal_obligation' },
			{ name: 'Manifestly Unfounded (Art. 12(5))', value: 'manifestly_unfounded' },
			{ name: 'Other Exemption (Note Required)', value: 'other_exemption' },
			{ name: 'Rights of Others (Art. 15(4))', value: 'rights_of_others' },
		],
		default: 'identity_not_verified',
	},
	{
		displayName: 'Refusal Note',
		name: 'refusalNote',
		type: 'string',
		displayOptions: { show: { step: ['refused'] } },
		default: '',
		description:
			'Optional sentence (up to 200 characters) kept in the ledger. Checked for personal data with the redaction engine: a note with an email, phone, card, IBAN, IP or similar is refused.',
	},
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		displayOptions: { show: { step: ['recipient_notified'] } },
		default: '',
		placeholder: 'e.g. Mailchimp',
		description: 'The downstream system that was told to erase the person (a system name, as in the erasure\'s recipient list)',
	},
	{
		displayName: 'Outcome',
		name: 'outcome',
		type: 'options',
		displayOptions: { show: { step: ['closed'] } },
		options: [
			{ name: 'Answered', value: 'answered', description: 'The data was provided or the request fulfilled (needs Delivered or the erasure receipt)' },
			{ name: 'Erased', value: 'erased', description: 'Needs a complete erasure receipt under this Request ID' },
			{ name: 'No Data Held', value: 'no_data', description: 'The person was told nothing is held (needs Delivered)' },
			{ name: 'Withdrawn', value: 'withdrawn' },
		],
		default: 'answered',
		description: 'Recorded as a code. A refusal is the Refused action, with its reason.',
	},
];

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

/** The workflow's time zone (calendar days and "today" are read in it), UTC when n8n gives none. */
export function workflowTimeZone(ctx: IExecuteFunctions): string {
	const tz = ctx.getTimezone();
	return typeof tz === 'string' && tz !== '' ? tz : 'UTC';
}

/**
 * A request as an output item: dates, steps and state, no identifiers (not even their HMACs) and
 * no free text. `daysLeft` / `overdue` only mean something while the request is open; for a closed
 * one, `closedOnTime` says whether it was closed by its due day.
 */
export function requestJson(r: TrackedRequest, timeZone: string): IDataObject {
	const closedDay = r.closedAt ? formatDay(dayOf(r.closedAt, timeZone)) : null;
	return {
		requestId: r.requestId,
		kind: r.kind,
		regime: r.regime,
		status: r.status,
		channel: r.channel,
		receivedDay: r.receivedDay,
		acknowledgementDueDay: r.acknowledgementDueDay,
		dueDay: r.dueDay,
		extendedDueDay: r.extendedDueDay,
		effectiveDueDay: r.effectiveDueDay,
		extended: r.extended,
		daysLeft: r.closed ? null : r.daysLeft,
		overdue: !r.closed && r.overdue,
		nextDeadline: r.closed || !r.nextDeadline ? null : { ...r.nextDeadline },
		deadlines: r.deadlines.map((d) => ({ ...d })),
		acknowledgedAt: r.acknowledgedAt,
		verification: r.verification ? { ...r.verification } : null,
		verificationWaived: r.verificationWaived ? { ...r.verificationWaived } : null,
		deliveredAt: r.deliveredAt,
		deliveryChannel: r.deliveryChannel,
		refusal: r.refusal ? { ...r.refusal } : null,
		recipientsNotified: [...r.recipientsNotified],
		closed: r.closed,
		closedAt: r.closedAt,
		closedBy: r.closedBy,
		closedOnTime: closedDay === null ? null : closedDay <= r.effectiveDueDay,
	};
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
 * Records one step of the request through the core's rules (src/deadlines/step.ts): repeating a
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
