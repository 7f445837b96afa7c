import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { listRequests, openRequestsByUrgency } from '../../../../src/requests';
import type { TrackedRequest } from '../../../../src/requests';
import { fail } from '../../../shared/errors';
import { once } from '../itemLoop';
import { getLedger } from '../../../shared/transport/ledger';
import { requestJson, workflowTimeZone } from './trackRequest/requestJson';

const properties: INodeProperties[] = [
	{
		displayName: 'Show',
		name: 'filter',
		type: 'options',
		options: [
			{ name: 'All Requests', value: 'all', description: 'Open and closed, oldest received first' },
			{ name: 'Due Within N Days', value: 'dueWithin', description: 'Open requests with an acknowledgement or delivery deadline within N days or overdue, most urgent first' },
			{ name: 'Open Only', value: 'open', description: 'Every open request, most urgent first' },
		],
		default: 'open',
	},
	{
		displayName: 'Within Days',
		name: 'withinDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		displayOptions: { show: { filter: ['dueWithin'] } },
		default: 7,
		description: 'Open requests whose due day is at most this many days away (0: due today), plus every overdue one',
	},
];

const displayOptions = {
	show: {
		resource: ['ledger'],
		operation: ['listRequests'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

type Filter = 'open' | 'dueWithin' | 'all';

function select(ctx: IExecuteFunctions, all: TrackedRequest[]): { shown: TrackedRequest[]; label: string } {
	const filter = ctx.getNodeParameter('filter', 0, 'open') as Filter;
	// Stable sort: requests received the same day stay in the order they were recorded.
	if (filter === 'all') return { shown: [...all].sort((a, b) => a.receivedDay.localeCompare(b.receivedDay)), label: 'all' };
	// The urgency order is the core's (the same as Due Requests and the trigger's request deadlines event).
	if (filter === 'open') return { shown: openRequestsByUrgency(all), label: 'open' };
	if (filter === 'dueWithin') {
		const withinDays = Number(ctx.getNodeParameter('withinDays', 0, 7));
		if (!Number.isInteger(withinDays) || withinDays < 0) {
			throw fail(ctx, 0, 'Within Days must be a whole number ≥ 0', 'Enter e.g. 7 for the coming week, or 0 for today and overdue only.');
		}
		return { shown: openRequestsByUrgency(all, { withinDays }), label: `due within ${withinDays} days` };
	}
	throw fail(ctx, 0, 'Show must be Open Only, Due Within N Days or All Requests', 'Pick one of the three.');
}

/**
 * Ledger → List Requests: reads the ledger once per execution (not per input item) and returns
 * one item per tracked request, no personal data. "Today" is the workflow's time zone's day.
 */
export const execute = once(async (ctx) => {
	const timeZone = workflowTimeZone(ctx);
	const ledger = await getLedger.call(ctx);
	let all: TrackedRequest[];
	try {
		all = await listRequests(ledger, { timeZone });
	} finally {
		await ledger.close();
	}
	const { shown, label } = select(ctx, all);
	const open = all.filter((r) => !r.closed);
	const overdue = open.filter((r) => r.overdue).length;
	ctx.addExecutionHints({
		message: `${open.length} open, ${overdue} overdue${label === 'all' || label === 'open' ? '' : ` (${shown.length} listed: ${label} or overdue)`}`,
		type: overdue > 0 ? 'warning' : 'info',
		location: 'outputPane',
	});
	return shown.map((r) => ({ json: requestJson(r, timeZone), pairedItem: { item: 0 } }));
});
