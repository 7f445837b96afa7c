import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { listReportingDatasets } from '../../../../src/export';
import { errorItem, toNodeError } from '../../../shared/errors';
import { getIntercomGateway } from '../../../shared/transport';
import { RESOURCE } from './common';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['listDatasets'] } }, properties);

/** Bulk Export → List Datasets: the reporting datasets and their attribute IDs (one item per dataset). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	let gw;
	for (let i = 0; i < items.length; i++) {
		try {
			gw ??= await getIntercomGateway.call(this);
			for (const ds of await listReportingDatasets(gw)) {
				out.push({
					json: {
						datasetId: ds.id,
						name: ds.name,
						description: ds.description ?? null,
						defaultTimeAttributeId: ds.defaultTimeAttributeId ?? null,
						attributeIds: ds.attributes.map((a) => a.id),
						attributes: ds.attributes.map((a) => ({ id: a.id, name: a.name })),
					},
					pairedItem: { item: i },
				});
			}
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!this.continueOnFail()) throw nodeError;
			out.push(errorItem(nodeError, i));
		}
	}
	return out;
}
