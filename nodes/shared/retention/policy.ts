import type { IDataObject, IExecuteFunctions, INodeProperties, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { RetentionPolicyError, validatePolicy } from '../../../src/retention';
import type { NormalisedPolicy, RetentionCandidate, RetentionPolicy } from '../../../src/retention';
import { holdsFromCollection, legalHoldFields } from './holds';

/** The policy fields shared by Preview, Enforce and the trigger: a form for the common case, or JSON. */
export const policyProperties: INodeProperties[] = [
	{
		displayName: 'Policy Source',
		name: 'policySource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Form (One Rule)', value: 'form', description: 'One rule with legal holds: the common case' },
			{ name: 'JSON Policy', value: 'json', description: 'Several rules, extra search filters: the full policy (JSON Schema published in the package)' },
		],
		default: 'form',
	},
	{
		displayName: 'Contacts',
		name: 'role',
		type: 'options',
		options: [
			{ name: 'Users and Leads', value: 'both' },
			{ name: 'Users Only', value: 'user' },
			{ name: 'Leads Only', value: 'lead' },
		],
		default: 'lead',
		displayOptions: { show: { policySource: ['form'] } },
	},
	{
		displayName: 'Inactive for (Days)',
		name: 'inactiveDays',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 730,
		description: 'Whole calendar days without activity (last seen), counted in the workspace time zone like Intercom does. Contacts never seen count from their creation date.',
		displayOptions: { show: { policySource: ['form'] } },
	},
	{
		displayName: 'Include Never-Seen Contacts',
		name: 'includeNeverSeen',
		type: 'boolean',
		default: true,
		description: 'Whether contacts that were never seen are judged by their creation date',
		displayOptions: { show: { policySource: ['form'] } },
	},
	{
		displayName: 'What to Do',
		name: 'ruleAction',
		type: 'options',
		options: [
			{ name: 'Delete (Erasure)', value: 'delete', description: 'Permanent delete through the erasure flow, recorded in the ledger' },
			{
				name: 'Archive (Not Erasure)',
				value: 'archive',
				description: 'Hides the contact; Intercom restores it, conversations included, when the person comes back. Not GDPR erasure.',
			},
		],
		default: 'delete',
		displayOptions: { show: { policySource: ['form'] } },
	},
	{
		displayName: 'Legal Holds',
		name: 'holds',
		type: 'collection',
		placeholder: 'Add Legal Hold',
		default: {},
		description: 'Contacts under a legal hold are never selected',
		displayOptions: { show: { policySource: ['form'] } },
		options: legalHoldFields,
	},
	{
		displayName: 'Max Contacts per Run',
		name: 'maxContactsPerRun',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 500,
		description: 'Max number of contacts Enforce deletes or archives in one run',
		displayOptions: { show: { policySource: ['form'] } },
	},
	{
		displayName: 'Policy (JSON)',
		name: 'policyJson',
		type: 'json',
		default: '{\n  "rules": [\n    { "name": "stale-leads", "role": "lead", "inactiveDays": 365, "action": "delete" }\n  ],\n  "exclusions": { "tagIds": [] },\n  "maxContactsPerRun": 500\n}',
		description:
			'The full retention policy, checked against the JSON Schema shipped in the package (src/retention/retention-policy.schema). Besides contact rules: {"target": "conversations", "closedMoreThanDays": N, "action": "delete" | "redact"}, {"target": "tickets", "closedMoreThanDays": N, "action": "delete"}, {"target": "attributes", "names": [...], "olderThanDays": N, "action": "clear"}; "maxItemsPerRun" caps them.',
		displayOptions: { show: { policySource: ['json'] } },
	},
];

/** The form's fields → a policy object (validated by the caller). */
export function policyFromForm(get: (name: string, fallback: unknown) => unknown): RetentionPolicy {
	const holds = (get('holds', {}) ?? {}) as IDataObject;
	return {
		rules: [
			{
				name: 'form-rule',
				role: get('role', 'lead') as 'user' | 'lead' | 'both',
				inactiveDays: Number(get('inactiveDays', 730)),
				neverSeen: get('includeNeverSeen', true) === false ? 'skip' : 'byCreatedAt',
				action: get('ruleAction', 'delete') as 'delete' | 'archive',
			},
		],
		exclusions: holdsFromCollection(holds),
		maxContactsPerRun: Number(get('maxContactsPerRun', 500)),
	};
}

/** Reads and validates the policy of item `i` (node) or of the trigger; errors name the policy path. */
export function readPolicy(ctx: IExecuteFunctions | ITriggerFunctions, itemIndex?: number): NormalisedPolicy {
	const get = (name: string, fallback: unknown): unknown =>
		itemIndex === undefined ? (ctx as ITriggerFunctions).getNodeParameter(name, fallback) : (ctx as IExecuteFunctions).getNodeParameter(name, itemIndex, fallback);
	const source = get('policySource', 'form');
	const raw: unknown = source === 'json' ? get('policyJson', '{}') : policyFromForm(get);
	try {
		return validatePolicy(raw);
	} catch (error) {
		if (error instanceof RetentionPolicyError) {
			const where = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
			throw new NodeOperationError(ctx.getNode(), `${error.message}${where}`, {
				description:
					source === 'json'
						? 'Correct the Policy (JSON) field at the path(s) named above; the JSON Schema is retention-policy.schema.json in the package.'
						: 'Correct the form field named above (e.g. rules[0].inactiveDays is "Inactive for (Days)").',
				...(itemIndex === undefined ? {} : { itemIndex }),
			});
		}
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

/** One retention candidate as an item (Preview's output and the trigger's event): ids and dates, no personal data. */
export function candidateJson(c: RetentionCandidate): IDataObject {
	return { id: c.id, role: c.role, lastSeenAt: c.lastSeenAt, createdAt: c.createdAt, rule: c.rule, action: c.action, matchedBy: c.matchedBy };
}
