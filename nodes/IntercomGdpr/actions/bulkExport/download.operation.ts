import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { errorItem, toNodeError } from '../../../shared/errors';
import { getIntercomGateway } from '../../../shared/transport';
import { downloadItems, exportTypeField, jobIdentifierField, outputFields, readJobIdentifier, readKind, readOutput, RESOURCE } from './common';

const properties: INodeProperties[] = [exportTypeField, jobIdentifierField, ...outputFields];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['download'] } }, properties);

/**
 * Bulk Export → Download: streams a completed export into n8n binary data (never whole in memory)
 * or reads its CSV rows as items. Expired downloads and damaged archives end in a clear error.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	let gw;
	let restarts = 0;
	let limitedAt: number | undefined;
	for (let i = 0; i < items.length; i++) {
		try {
			const ref = { kind: readKind(this, i), jobIdentifier: readJobIdentifier(this, i) };
			const params = readOutput(this, i);
			gw ??= await getIntercomGateway.call(this);
			const result = await downloadItems(this, gw, ref, i, params);
			restarts += result.restarts;
			out.push(...result.items);
			if (result.limitReached) limitedAt = params.limit;
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!this.continueOnFail()) throw nodeError;
			out.push(errorItem(nodeError, i));
		}
	}
	// Once per run, not once per item.
	if (limitedAt !== undefined) {
		this.addExecutionHints({ message: `Stopped at the limit of ${limitedAt} rows; turn on "Return All" for every row.`, type: 'info', location: 'outputPane' });
	}
	if (restarts > 0) {
		this.addExecutionHints({ message: `The download broke off ${restarts} time(s) and was restarted from the beginning; the output is complete.`, type: 'info', location: 'outputPane' });
	}
	return out;
}
