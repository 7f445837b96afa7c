import type { INodeProperties } from 'n8n-workflow';
import type { IntercomGateway } from '../../../../src/intercom';
import { perItem } from '../itemLoop';
import { updateDisplayOptions } from 'n8n-workflow';
import { getIntercomGateway } from '../../../shared/transport';
import { downloadItems, exportTypeField, jobIdentifierField, outputFields, readJobIdentifier, readKind, readOutput, RESOURCE } from './common';

const properties: INodeProperties[] = [exportTypeField, jobIdentifierField, ...outputFields];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['download'] } }, properties);

/**
 * Bulk Export → Download: streams a completed export into n8n binary data (never whole in memory)
 * or reads its CSV rows as items. Expired downloads and damaged archives end in a clear error.
 */
export const execute = perItem({
	begin: (): { gw?: IntercomGateway; restarts: number; limitedAt?: number } => ({ restarts: 0 }),
	run: async (ctx, i, _input, state) => {
		const ref = { kind: readKind(ctx, i), jobIdentifier: readJobIdentifier(ctx, i) };
		const params = readOutput(ctx, i);
		state.gw ??= await getIntercomGateway.call(ctx);
		const result = await downloadItems(ctx, state.gw, ref, i, params);
		state.restarts += result.restarts;
		if (result.limitReached) state.limitedAt = params.limit;
		return result.items;
	},
	// Once per run, not once per item.
	finish: (ctx, state) => {
		if (state.limitedAt !== undefined) {
			ctx.addExecutionHints({ message: `Stopped at the limit of ${state.limitedAt} rows; turn on "Return All" for every row.`, type: 'info', location: 'outputPane' });
		}
		if (state.restarts > 0) {
			ctx.addExecutionHints({ message: `The download broke off ${state.restarts} time(s) and was restarted from the beginning; the output is complete.`, type: 'info', location: 'outputPane' });
		}
	},
});
