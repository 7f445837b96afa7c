import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { listReportingDatasets } from '../../../../src/bulk-export';
import type { IntercomGateway } from '../../../../src/intercom';
import { perItem } from '../itemLoop';
import { getIntercomGateway } from '../../../shared/transport';
import { RESOURCE } from './common';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['listDatasets'] } }, properties);

/** Bulk Export → List Datasets: the reporting datasets and their attribute IDs (one item per dataset). */
export const execute = perItem({
	begin: (): { gw?: IntercomGateway } => ({}),
	run: async (ctx, _i, _input, state) => {
		state.gw ??= await getIntercomGateway.call(ctx);
		return (await listReportingDatasets(state.gw)).map((ds) => ({
			json: {
				datasetId: ds.id,
				name: ds.name,
				description: ds.description ?? null,
				defaultTimeAttributeId: ds.defaultTimeAttributeId ?? null,
				attributeIds: ds.attributes.map((a) => a.id),
				attributes: ds.attributes.map((a) => ({ id: a.id, name: a.name })),
			},
		}));
	},
});
