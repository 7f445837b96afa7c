import { randomUUID } from 'node:crypto';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { requireVerified } from '../../../src/requests';
import type { VerificationGateResult } from '../../../src/requests';
import { settle } from '../../../src/util/settle';
import type { Ledger } from '../../../src/ledger';
import { toNodeError } from '../../shared/errors';

/**
 * Identity Verification parameters for Export and Erase (spread into their properties). Default:
 * the request id must have a `verified` step in the ledger (GDPR Art. 12(6), CCPA §7060).
 */
export const identityGateProperties: INodeProperties[] = [
	{
		displayName: 'Identity Verification',
		name: 'identityVerification',
		type: 'options',
		options: [
			{
				name: 'Require Verified Requester',
				value: 'required',
				description: 'Refuse unless the Request ID has a "verified" step in the ledger (Data Subject → Verify Identity, or Ledger → Track Request)',
			},
			{ name: 'Proceed Unverified (Reason Recorded)', value: 'waived', description: 'Go ahead without a verified step; the reason is recorded in the ledger' },
		],
		default: 'required',
	},
	{
		displayName: 'Unverified Reason',
		name: 'unverifiedReason',
		type: 'options',
		displayOptions: { show: { identityVerification: ['waived'] } },
		options: [
			{ name: 'Authorised Agent (Mandate Checked)', value: 'authorised_agent' },
			{ name: 'Legal Obligation', value: 'legal_obligation' },
			{ name: 'Other (Note Required)', value: 'other' },
			{ name: 'Our Own Initiative (No Requester)', value: 'own_initiative' },
			{ name: 'Verified Outside the Ledger', value: 'verified_outside_ledger' },
		],
		default: 'verified_outside_ledger',
	},
	{
		displayName: 'Unverified Reason Note',
		name: 'unverifiedNote',
		type: 'string',
		displayOptions: { show: { identityVerification: ['waived'] } },
		default: '',
		description: 'Optional sentence kept in the ledger (required for Other). Checked for personal data: a note with an email, phone or similar is refused.',
	},
];

/**
 * Checks item `i`'s request against the identity gate before any call to Intercom (and records a
 * waiver). Throws a NodeOperationError naming what is missing. Dry runs are not gated: they change
 * nothing and show the operator, not the requester, what exists.
 */
export async function checkIdentityGate(ctx: IExecuteFunctions, ledger: Ledger, target: { requestId?: string }, i: number, opts: { dryRun?: boolean } = {}): Promise<VerificationGateResult | undefined> {
	if (opts.dryRun) return undefined;
	const mode = ctx.getNodeParameter('identityVerification', i, 'required') as string;
	if (mode !== 'required' && mode !== 'waived') {
		throw new NodeOperationError(ctx.getNode(), `Identity Verification must be "Require Verified Requester" or "Proceed Unverified" [item ${i}]`, { itemIndex: i });
	}
	// The reason code (and the note) are checked by the core's gate, before anything is recorded.
	const reason = String(ctx.getNodeParameter('unverifiedReason', i, '') ?? '');
	// Proceeding unverified without a Request ID: the work gets a new one, and the waiver is recorded under it.
	const requestId = target.requestId || (mode === 'waived' ? randomUUID() : undefined);
	const settled = await settle(requireVerified(ledger, requestId, mode === 'waived' ? { waive: { reason, note: String(ctx.getNodeParameter('unverifiedNote', i, '') ?? '') } } : {}));
	if (!settled.ok) throw toNodeError(ctx, settled.error, i); // VerificationRequiredError: its message and fix
	target.requestId = requestId;
	return settled.value;
}
