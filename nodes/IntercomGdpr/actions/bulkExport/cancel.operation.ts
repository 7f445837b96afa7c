import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { cancelExport } from '../../../../src/bulk-export';
import type { IntercomGateway } from '../../../../src/intercom';
import { perItem } from '../itemLoop';
import { getIntercomGateway } from '../../../shared/transport';
import { jobIdentifierField, jobJson, readJobIdentifier, RESOURCE } from './common';

const properties: INodeProperties[] = [jobIdentifierField];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['cancel'] } }, properties);

/** Bulk Export → Cancel: stops a running content export (frees the workspace's one export slot). */
export const execute = perItem({
	begin: (): { gw?: IntercomGateway } => ({}),
	run: async (ctx, i, _input, state) => {
		const jobIdentifier = readJobIdentifier(ctx, i);
		state.gw ??= await getIntercomGateway.call(ctx);
		return [{ json: jobJson(await cancelExport(state.gw, { kind: 'content', jobIdentifier })) }];
	},
});
