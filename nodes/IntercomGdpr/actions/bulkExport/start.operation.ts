import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { startContentExport } from '../../../../src/bulk-export';
import type { IntercomGateway } from '../../../../src/intercom';
import { perItem } from '../itemLoop';
import { getIntercomGateway } from '../../../shared/transport';
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
export const execute = perItem({
	begin: (): { gw?: IntercomGateway } => ({}),
	run: async (ctx, i, _input, state) => {
		const range = readRange(ctx, i);
		state.gw ??= await getIntercomGateway.call(ctx);
		return [{ json: jobJson(await startContentExport(state.gw, range)) }];
	},
});
