import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { cancelExport } from '../../../../src/export';
import { errorItem, toNodeError } from '../../../shared/errors';
import { getIntercomGateway } from '../../../shared/transport';
import { jobIdentifierField, jobJson, readJobIdentifier, RESOURCE } from './common';

const properties: INodeProperties[] = [jobIdentifierField];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['cancel'] } }, properties);

/** Bulk Export → Cancel: stops a running content export (frees the workspace's one export slot). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	let gw;
	for (let i = 0; i < items.length; i++) {
		try {
			const jobIdentifier = readJobIdentifier(this, i);
			gw ??= await getIntercomGateway.call(this);
			out.push({ json: jobJson(await cancelExport(gw, { kind: 'content', jobIdentifier })), pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!this.continueOnFail()) throw nodeError;
			out.push(errorItem(nodeError, i));
		}
	}
	return out;
}
