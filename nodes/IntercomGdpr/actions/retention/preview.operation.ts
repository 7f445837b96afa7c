import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { openRetentionPlan, previewItemRetention } from '../../../../src/retention';
import type { ItemResult } from '../../../../src/retention';
import { once } from '../itemLoop';
import { getIntercomGateway } from '../../../shared/transport';
import { candidateJson, policyProperties, readPolicy } from '../../../shared/retention/policy';

const properties: INodeProperties[] = [
	...policyProperties,
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Candidates', value: 'candidates', description: 'One item per contact that would be deleted or archived' },
			{ name: 'Summary', value: 'summary', description: 'One item: counts per rule over every candidate, cutoff days, time zone' },
		],
		default: 'candidates',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: { output: ['candidates'] } },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { output: ['candidates'], returnAll: [false] } },
	},
];

const displayOptions = { show: { resource: ['retention'], operation: ['preview'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** A conversation, ticket or contact's attributes a rule below the contact selects (ids, counts, attribute names). */
export function itemJson(x: ItemResult): IDataObject {
	return { ...x } as unknown as IDataObject;
}

/**
 * Retention → Preview: the contacts a policy selects, changing nothing. Runs once per execution
 * (with the first item's parameters): a retention policy is about the workspace, not about an item.
 */
export const execute = once(previewOnce);

async function previewOnce(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const policy = readPolicy(ctx, 0);
	const output = ctx.getNodeParameter('output', 0, 'candidates') as string;
	const returnAll = ctx.getNodeParameter('returnAll', 0, false) as boolean;
	const limit = output === 'summary' || returnAll ? Infinity : Math.max(1, Number(ctx.getNodeParameter('limit', 0, 50)));
	const gateway = await getIntercomGateway.call(ctx);
	const signal = typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;
	const counts: Record<string, number> = Object.fromEntries(policy.rules.map((r) => [r.name, 0]));
	const held = { company: 0, contactId: 0 };
	const out: INodeExecutionData[] = [];
	let total = 0;
	const plan = await openRetentionPlan(gateway, policy, { signal, onHeld: ({ reason }) => held[reason]++ });
	for await (const c of plan.candidates) {
		total++;
		counts[c.rule]++;
		if (output === 'candidates') out.push({ json: candidateJson(c), pairedItem: { item: 0 } });
		if (out.length >= limit) break;
	}
	// Rules for conversations, tickets and attributes: what Enforce would do (reads only).
	const items = policy.itemRules?.length && out.length < limit ? await previewItemRetention(gateway, policy, { timeZone: plan.timeZone, signal }) : undefined;
	if (items && output === 'candidates') for (const x of items.results.slice(0, limit - out.length)) out.push({ json: itemJson(x), pairedItem: { item: 0 } });
	const truncated = output === 'candidates' && out.length >= limit;
	// Contact rules: a policy may hold only rules for conversations, tickets and attributes.
	if (policy.rules.length > 0) {
		ctx.addExecutionHints({
			message: `Retention preview (${plan.timeZone}): ${total}${truncated ? '+' : ''} candidate(s) — ${Object.entries(counts)
				.map(([rule, n]) => `${rule}: ${n}`)
				.join(', ')}; selects contacts last active before ${plan.cutoffs
				.map((c) => (plan.cutoffs.length > 1 ? `${c.cutoffDay} (${c.rule})` : c.cutoffDay))
				.join(', ')}: that day itself still counts as recent. Nothing was changed.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	if (items) {
		const i = items.counts;
		ctx.addExecutionHints({
			message: `Conversations, tickets, attributes: ${i.candidates} candidate(s), ${items.results.filter((x) => x.outcome.startsWith('would_')).length} would be changed, ${i.held} held, ${i.alreadyHandled} already handled${items.stoppedBy === 'cap' ? ` (stopped at Max Items per Run ${items.maxItemsPerRun})` : ''}. Nothing was changed.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	if (output === 'summary') {
		return [
			{
				json: {
					timeZone: plan.timeZone,
					cutoffs: plan.cutoffs.map((c) => ({ rule: c.rule, cutoffDay: c.cutoffDay })),
					candidates: total,
					perRule: counts,
					heldBackOnClient: held,
					maxContactsPerRun: policy.maxContactsPerRun,
					...(items ? { items: { stoppedBy: items.stoppedBy, maxItemsPerRun: items.maxItemsPerRun, cutoffs: items.cutoffs.map((c) => ({ ...c })), counts: { ...items.counts }, perRule: items.perRule as unknown as IDataObject } } : {}),
					cancelled: signal?.aborted === true,
				},
				pairedItem: { item: 0 },
			},
		];
	}
	return out;
}
