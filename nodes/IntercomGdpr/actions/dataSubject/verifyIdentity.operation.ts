import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { recordRequestStep, requireOpenRequest } from '../../../../src/requests';
import type { VerificationLevel } from '../../../../src/requests';
import type { IntercomGateway } from '../../../../src/intercom';
import type { Ledger } from '../../../../src/ledger';
import { normaliseSubjectRef, resolveSubject } from '../../../../src/subject';
import { ChallengeError, checkChallenge, deliveryAddress, issueChallenge, matchDataPoints } from '../../../../src/verification';
import type { DataPointKind, VerificationStore } from '../../../../src/verification';
import { subjectLocator } from '../../descriptions/subject.description';
import { fail, toNodeError } from '../../../shared/errors';
import { perItem } from '../itemLoop';
import { readRequestId, requestIdField } from '../../helpers/requestId';
import { readSubjectRef } from '../../helpers/subject';
import { getIntercomGateway } from '../../../shared/transport';
import { getLedger } from '../../../shared/transport/ledger';
import { getVerificationStore } from '../../../shared/transport/requestStores';

const properties: INodeProperties[] = [
	{
		displayName: 'Step',
		name: 'verificationStep',
		type: 'options',
		options: [
			{ name: 'Issue Code or Link', value: 'issue', description: 'Create a one-time code or link for the request, to send to the address Intercom holds' },
			{ name: 'Check Answer', value: 'check', description: 'Check what the requester sent back; records "verified" in the ledger when it matches' },
		],
		default: 'issue',
	},
	requestIdField(
		'The request as recorded by Ledger → Track Request (Received). The code only works for this request.',
	),
	{ ...subjectLocator, displayOptions: { show: { verificationStep: ['issue'] } } },
	{
		displayName: 'Email Typed by the Requester',
		name: 'typedEmail',
		type: 'string',
		placeholder: 'name@email.com',
		displayOptions: { show: { verificationStep: ['issue'] } },
		default: '',
		description:
			'Optional: the address from the request form. The code always goes to the address Intercom holds; the output says when the two differ.',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		displayOptions: { show: { verificationStep: ['issue'] } },
		options: [
			{ name: 'Code', value: 'code', description: 'Digits the person types back (or sends through a link holding them)' },
			{ name: 'Link', value: 'link', description: 'A 256-bit token for a link the person opens' },
		],
		default: 'code',
	},
	{
		displayName: 'Link Base URL',
		name: 'linkBaseUrl',
		type: 'string',
		displayOptions: { show: { verificationStep: ['issue'] } },
		default: '',
		placeholder: 'e.g. {{ $execution.resumeUrl }}',
		description: 'Optional: the output gets a "link" = this URL + ?code=… (e.g. the resume URL of a Wait node)',
	},
	{
		displayName: 'Expires After (Minutes)',
		name: 'ttlMinutes',
		type: 'number',
		typeOptions: { minValue: 5, maxValue: 10080 },
		displayOptions: { show: { verificationStep: ['issue'] } },
		default: 60,
	},
	{
		displayName: 'Attempts Allowed',
		name: 'maxAttempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10 },
		displayOptions: { show: { verificationStep: ['issue'] } },
		default: 5,
		description: 'Wrong answers before the code stops working',
	},
	{
		displayName: 'Answer',
		name: 'answer',
		type: 'string',
		typeOptions: { password: true },
		displayOptions: { show: { verificationStep: ['check'] } },
		default: '',
		placeholder: 'e.g. {{ $json.query.code }}',
		description: 'The code or link token the requester sent back',
	},
	{
		displayName: 'Required Data Points',
		name: 'requiredDataPoints',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 4 },
		displayOptions: { show: { verificationStep: ['check'] } },
		default: 0,
		description: '0: the code alone (level "standard"). 1–4: that many further data points must match Intercom\'s record, and none may mismatch (level "high", CCPA §7062(c)).',
	},
	{
		displayName: 'Data Points From the Requester',
		name: 'dataPoints',
		type: 'collection',
		placeholder: 'Add Data Point',
		displayOptions: { show: { verificationStep: ['check'] } },
		default: {},
		description: 'Compared with Intercom\'s record; only the count of matches is kept, never the values',
		options: [
			{ displayName: 'External ID', name: 'externalId', type: 'string', default: '', description: 'The user ID your own system gave the person' },
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Phone Last Digits', name: 'phoneLastDigits', type: 'string', default: '', description: 'At least the last 4 digits of the phone number' },
			{ displayName: 'Signed Up Day', name: 'signedUpDay', type: 'string', default: '', placeholder: 'YYYY-MM-DD' },
		],
	},
];

const displayOptions = {
	show: {
		resource: ['dataSubject'],
		operation: ['verifyIdentity'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

const CHALLENGE_FIELDS: Record<string, string> = { ttlMinutes: 'Expires After (Minutes)', maxAttempts: 'Attempts Allowed', requestId: 'Request ID', key: 'GDPR Ledger secret key' };

async function issue(ctx: IExecuteFunctions, i: number, requestId: string, ledger: Ledger, store: VerificationStore, key: string, gateway: () => Promise<IntercomGateway>): Promise<IDataObject> {
	const ref = readSubjectRef(ctx, i);
	const typedEmail = String(ctx.getNodeParameter('typedEmail', i, '') ?? '').trim();
	if (typedEmail !== '') {
		try {
			normaliseSubjectRef({ email: typedEmail });
		} catch {
			throw fail(ctx, i, 'Email Typed by the Requester is not an email address', 'Map the address from the request form, or leave it empty.');
		}
	}
	const method = ctx.getNodeParameter('method', i, 'code') as 'code' | 'link';
	if (method !== 'code' && method !== 'link') throw fail(ctx, i, 'Method must be Code or Link', 'Pick one of the two.');
	const linkBaseUrl = String(ctx.getNodeParameter('linkBaseUrl', i, '') ?? '').trim();
	if (linkBaseUrl !== '' && !/^https?:\/\/\S+$/i.test(linkBaseUrl)) throw fail(ctx, i, 'Link Base URL is not an http(s) URL', 'Enter e.g. {{ $execution.resumeUrl }} or leave it empty.');
	await requireOpenRequest(ledger, requestId);
	const subject = await resolveSubject(await gateway(), ref);
	const address = deliveryAddress(subject.contacts, typedEmail || undefined);
	if (!subject.found || !address.email) {
		// Not an error: the workflow answers the requester. The item (which a workflow may forward to
		// the requester) says only "not issued": whether Intercom knows the address would tell anyone
		// who types an address in the form. The operator sees why in the execution hint.
		ctx.addExecutionHints({
			message: `Request ${requestId}: no code issued, ${subject.found ? 'the Intercom contact has no email address' : 'no Intercom contact matches'}. Verify the requester another way, or answer that there is no data.`,
			type: 'warning',
			location: 'outputPane',
		});
		return { requestId, issued: false, reason: 'not_issued' };
	}
	const challenge = await issueChallenge(store, {
		requestId,
		key,
		method,
		ttlMinutes: Number(ctx.getNodeParameter('ttlMinutes', i, 60)),
		maxAttempts: Number(ctx.getNodeParameter('maxAttempts', i, 5)),
		contactIds: subject.contacts.map((c) => c.id),
	});
	const param = method === 'code' ? 'code' : 'token';
	const link = linkBaseUrl === '' ? undefined : `${linkBaseUrl}${linkBaseUrl.includes('?') ? '&' : '?'}${param}=${encodeURIComponent(challenge.secret)}`;
	if (address.differsFromTyped) {
		ctx.addExecutionHints({
			message: `Request ${requestId}: the address the requester typed is not the one Intercom holds; the code goes to Intercom's address only (see "sendTo").`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return {
		requestId,
		issued: true,
		method,
		// The chained email node sends to this address: the one Intercom holds, never only the typed one.
		sendTo: address.email,
		addressDiffersFromTyped: address.differsFromTyped,
		leadOnly: address.leadOnly,
		distinctAddresses: address.distinctAddresses,
		[param]: challenge.secret,
		...(link ? { link } : {}),
		expiresAt: challenge.expiresAt,
		attemptsAllowed: challenge.maxAttempts,
		issueCount: challenge.issueCount,
	};
}

async function check(ctx: IExecuteFunctions, i: number, requestId: string, ledger: Ledger, store: VerificationStore, key: string, gateway: () => Promise<IntercomGateway>): Promise<IDataObject> {
	const answer = ctx.getNodeParameter('answer', i, '') as unknown;
	const required = Number(ctx.getNodeParameter('requiredDataPoints', i, 0));
	if (!Number.isInteger(required) || required < 0 || required > 4) throw fail(ctx, i, 'Required Data Points must be a whole number from 0 to 4', 'Enter 0 for the code alone, or 2–3 for the stricter level.');
	const points = ctx.getNodeParameter('dataPoints', i, {}) as Partial<Record<DataPointKind, unknown>>;
	const answers: Partial<Record<DataPointKind, string>> = {};
	for (const [k, v] of Object.entries(points)) if (typeof v === 'string' || typeof v === 'number') answers[k as DataPointKind] = String(v);
	await requireOpenRequest(ledger, requestId);
	const outcome = await checkChallenge(store, { requestId, key, answer: typeof answer === 'string' ? answer : typeof answer === 'number' ? String(answer) : '' });
	if (!outcome.ok) return { requestId, verified: false, reason: outcome.reason, attemptsLeft: outcome.attemptsLeft };
	const method = outcome.method === 'code' ? 'email_code' : 'email_link';
	let level: VerificationLevel = 'standard';
	let matched = 0;
	if (required > 0) {
		// The person's record as Intercom holds it now (by the contact ids the code was sent for).
		const gw = await gateway();
		const contacts = [];
		for (const id of outcome.contactIds) {
			const s = await resolveSubject(gw, { contactId: id });
			contacts.push(...s.contacts);
		}
		const result = matchDataPoints(contacts, answers);
		matched = result.matched;
		if (result.matched < required || result.mismatched.length > 0) {
			// The code is spent: a new attempt needs a new code (re-issuing is capped), so data points cannot be guessed at leisure.
			return { requestId, verified: false, reason: 'data_points_mismatch', dataPointsMatched: result.matched, dataPointsRequired: required, mismatchedKinds: result.mismatched, attemptsLeft: 0 };
		}
		level = 'high';
	}
	const step = await recordRequestStep(ledger, { step: 'verified', requestId, method, level, dataPoints: matched });
	return { requestId, verified: true, method, level, dataPointsMatched: matched, dataPointsRequired: required, status: step.request.status };
}

interface VerifyState {
	ledger?: Ledger;
	stores?: { store: VerificationStore; key: string };
	gw?: IntercomGateway;
	issued: number;
	verified: number;
	refused: number;
}

/**
 * Data Subject → Verify Identity: issues a one-time code/link for a request (to send, by a chained
 * email node, to the address Intercom holds), or checks the answer and records `verified` (method
 * and level; never the code or the answers). A wrong answer is an item with `verified: false`, not
 * an error, so the workflow can reply to the requester.
 */
export const execute = perItem({
	begin: (): VerifyState => ({ issued: 0, verified: 0, refused: 0 }),
	open: async (ctx, state) => {
		state.ledger = await getLedger.call(ctx);
		state.stores = await getVerificationStore.call(ctx);
	},
	run: async (ctx, i, _input, state) => {
		const { ledger, stores } = state as Required<VerifyState>;
		const gateway = async () => (state.gw ??= await getIntercomGateway.call(ctx));
		const stepName = ctx.getNodeParameter('verificationStep', i, 'issue') as string;
		if (stepName !== 'issue' && stepName !== 'check') throw fail(ctx, i, 'Step must be Issue Code or Link, or Check Answer', 'Pick one of the two.');
		const requestId = readRequestId(ctx, 'requestId', i);
		if (requestId === '') throw fail(ctx, i, 'Request ID is empty', 'Enter the ID the request was recorded under (Ledger → Track Request).');
		const json = stepName === 'issue' ? await issue(ctx, i, requestId, ledger, stores.store, stores.key, gateway) : await check(ctx, i, requestId, ledger, stores.store, stores.key, gateway);
		if (json.issued === true) state.issued++;
		if (json.verified === true) state.verified++;
		if (json.verified === false || json.issued === false) state.refused++;
		return [{ json }];
	},
	toError: (ctx, error, i) =>
		error instanceof ChallengeError ? fail(ctx, i, error.message.replace(/^(\w+)/, (f) => CHALLENGE_FIELDS[f] ?? f), error.fix) : toNodeError(ctx, error, i),
	close: async (state) => {
		// The store first, then the ledger, whatever failed.
		try {
			await state.stores?.store.close();
		} finally {
			await state.ledger?.close();
		}
	},
	finish: (ctx, { issued, verified, refused }) => {
		if (issued > 0) {
			ctx.addExecutionHints({
				message: `${issued} one-time code(s)/link(s) issued. They are in this node's output for the email node: keep "Save Successful Executions" off for this workflow. While a Wait node waits for the answer, n8n keeps the waiting execution, code included, in its database: once the request is verified (or abandoned), delete it with Intercom GDPR → n8n Execution → Purge by this Request ID.`,
				type: 'info',
				location: 'outputPane',
			});
		}
		if (verified + refused > 0 && issued === 0) {
			ctx.addExecutionHints({ message: `Verify Identity: ${verified} verified, ${refused} not verified`, type: refused > 0 ? 'warning' : 'info', location: 'outputPane' });
		}
	},
});
