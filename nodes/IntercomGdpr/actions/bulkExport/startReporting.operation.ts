import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { startReportingExport } from '../../../../src/bulk-export';
import type { IntercomGateway } from '../../../../src/intercom';
import { perItem } from '../itemLoop';
import { getIntercomGateway } from '../../../shared/transport';
import { dateFields, jobJson, readRange, readReporting, reportingFields, RESOURCE } from './common';

const properties: INodeProperties[] = [...reportingFields, ...dateFields];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['startReporting'] } }, properties);

/** Bulk Export → Start Reporting Export: enqueue a reporting dataset export (API 2.14+). */
export const execute = perItem({
	begin: (): { gw?: IntercomGateway } => ({}),
	run: async (ctx, i, _input, state) => {
		const input = { ...readReporting(ctx, i), ...readRange(ctx, i) };
		state.gw ??= await getIntercomGateway.call(ctx);
		return [{ json: jobJson(await startReportingExport(state.gw, input)) }];
	},
});
