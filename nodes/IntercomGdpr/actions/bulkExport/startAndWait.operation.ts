import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { startContentExport, startReportingExport, waitForExport, type ExportJob } from '../../../../src/bulk-export';
import type { IntercomGateway } from '../../../../src/intercom';
import { perItem } from '../itemLoop';
import { getIntercomGateway } from '../../../shared/transport';
import {
	dateFields,
	downloadItems,
	exportTypeField,
	outputFields,
	readKind,
	readOutput,
	readRange,
	readReporting,
	reportingFields,
	RESOURCE,
} from './common';
import { optionsCollection } from '../../../shared/fields';

const properties: INodeProperties[] = [
	{
		displayName:
			'This node waits while Intercom prepares the export (minutes to hours). For long exports use Start → Wait → Get Status → IF → Download instead: a Wait node does not keep the execution in memory.',
		name: 'startAndWaitNotice',
		type: 'notice',
		default: '',
	},
	exportTypeField,
	...reportingFields.map((f) => ({ ...f, displayOptions: { show: { exportType: ['reporting'] } } })),
	...dateFields,
	...outputFields,
	optionsCollection([
		{
			displayName: 'First Poll Interval (Seconds)',
			name: 'initialIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 5,
			description: 'Pause before the second status check; the pause then doubles up to the max interval',
		},
		{
			displayName: 'Max Poll Interval (Seconds)',
			name: 'maxIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 30,
			description: 'Longest pause between two status checks',
		},
		{
			displayName: 'Max Wait (Minutes)',
			name: 'maxWaitMinutes',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 60,
			description: 'Give up after this long (the job keeps running in Intercom)',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['startAndWait'] } }, properties);

interface WaitOptions {
	initialIntervalSeconds?: number;
	maxIntervalSeconds?: number;
	maxWaitMinutes?: number;
}

async function start(ctx: IExecuteFunctions, gw: IntercomGateway, i: number): Promise<ExportJob> {
	const range = readRange(ctx, i);
	return readKind(ctx, i) === 'reporting' ? startReportingExport(gw, { ...readReporting(ctx, i), ...range }) : startContentExport(gw, range);
}

/**
 * Bulk Export → Start and Wait: start, poll with growing pauses until the job ends (or the max
 * wait passes, or the execution is cancelled), then download. no_data → no items and a hint.
 */
export const execute = perItem({
	begin: (): { gw?: IntercomGateway } => ({}),
	run: async (ctx, i, _input, state) => {
		const params = readOutput(ctx, i);
		const opts = ctx.getNodeParameter('options', i, {}) as WaitOptions;
		const gw = (state.gw ??= await getIntercomGateway.call(ctx));
		const job = await start(ctx, gw, i);
		const final = await waitForExport(gw, job, {
			initialIntervalMs: (opts.initialIntervalSeconds ?? 5) * 1000,
			maxIntervalMs: (opts.maxIntervalSeconds ?? 30) * 1000,
			maxWaitMs: (opts.maxWaitMinutes ?? 60) * 60_000,
			signal: ctx.getExecutionCancelSignal?.(),
		});
		if (final.status === 'no_data') {
			ctx.addExecutionHints({
				message: `Export ${final.jobIdentifier} finished without data: nothing was sent in that date range, so there is no output for item ${i}. Turn on the node setting "Always Output Data" if the workflow must go on.`,
				type: 'warning',
				location: 'outputPane',
			});
			return [];
		}
		if (final.status === 'failed' || final.status === 'canceled') {
			throw new NodeOperationError(ctx.getNode(), `The export job ${final.status === 'failed' ? 'failed in Intercom' : 'was canceled'} [item ${i}]`, {
				description:
					final.status === 'failed'
						? 'Start the export again; if it fails again, try a shorter date range or contact Intercom support.'
						: 'Someone canceled it (Bulk Export → Cancel or another workflow). Start it again.',
				itemIndex: i,
			});
		}
		const result = await downloadItems(ctx, gw, final, i, params);
		if (result.limitReached) {
			ctx.addExecutionHints({ message: `Stopped at the limit of ${params.limit} rows; turn on "Return All" for every row.`, type: 'info', location: 'outputPane' });
		}
		return result.items;
	},
});
