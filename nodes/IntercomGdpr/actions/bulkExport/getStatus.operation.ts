import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { getExportStatus } from '../../../../src/export';
import { errorItem, toNodeError } from '../../../shared/errors';
import { getIntercomGateway } from '../../../shared/transport';
import { exportTypeField, jobIdentifierField, jobJson, readJobIdentifier, readKind, RESOURCE } from './common';

const properties: INodeProperties[] = [exportTypeField, jobIdentifierField];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['getStatus'] } }, properties);

/**
 * Bulk Export → Get Status: status (pending, in_progress, completed, no_data, failed, canceled),
 * download URL and expiry. The step of the Wait-node loop: Wait → Get Status → IF completed.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	let gw;
	for (let i = 0; i < items.length; i++) {
		try {
			const ref = { kind: readKind(this, i), jobIdentifier: readJobIdentifier(this, i) };
			gw ??= await getIntercomGateway.call(this);
			out.push({ json: jobJson(await getExportStatus(gw, ref)), pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!this.continueOnFail()) throw nodeError;
			out.push(errorItem(nodeError, i));
		}
	}
	return out;
}
