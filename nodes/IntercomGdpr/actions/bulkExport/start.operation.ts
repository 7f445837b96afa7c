import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { startContentExport } from '../../../../src/export';
import { getIntercomGateway } from '../../../shared/transport';
import { errorItem, toNodeError } from '../../../shared/errors';
import { dateFields, jobJson, readRange, RESOURCE } from './common';

const properties: INodeProperties[] = [
	{
		displayName:
			'Intercom exports delivery and engagement statistics of outbound messages (emails, posts, series…) sent in the date range, not conversation text. Only one content export can run per workspace.',
		name: 'contentExportNotice',
		type: 'notice',
		default: '',
	},
	...dateFields,
];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['start'] } }, properties);

/** Bulk Export → Start: one content export job per input item (the range is checked first). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	let gw;
	for (let i = 0; i < items.length; i++) {
		try {
			const range = readRange(this, i);
			gw ??= await getIntercomGateway.call(this);
			const job = await startContentExport(gw, range);
			out.push({ json: jobJson(job), pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!this.continueOnFail()) throw nodeError;
			out.push(errorItem(nodeError, i));
		}
	}
	return out;
}
