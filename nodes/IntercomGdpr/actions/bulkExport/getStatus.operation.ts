import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { getExportStatus } from '../../../../src/bulk-export';
import type { IntercomGateway } from '../../../../src/intercom';
import { perItem } from '../itemLoop';
import { getIntercomGateway } from '../../../shared/transport';
import { exportTypeField, jobIdentifierField, jobJson, readJobIdentifier, readKind, RESOURCE } from './common';

const properties: INodeProperties[] = [exportTypeField, jobIdentifierField];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['getStatus'] } }, properties);

/**
 * Bulk Export → Get Status: status (pending, in_progress, completed, no_data, failed, canceled),
 * download URL and expiry. The step of the Wait-node loop: Wait → Get Status → IF completed.
 */
export const execute = perItem({
	begin: (): { gw?: IntercomGateway } => ({}),
	run: async (ctx, i, _input, state) => {
		const ref = { kind: readKind(ctx, i), jobIdentifier: readJobIdentifier(ctx, i) };
		state.gw ??= await getIntercomGateway.call(ctx);
		return [{ json: jobJson(await getExportStatus(state.gw, ref)) }];
	},
});
