import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { startReportingExport } from '../../../../src/export';
import { errorItem, toNodeError } from '../../../shared/errors';
import { getIntercomGateway } from '../../../shared/transport';
import { dateFields, jobJson, readRange, readReporting, reportingFields, RESOURCE } from './common';

const properties: INodeProperties[] = [...reportingFields, ...dateFields];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['startReporting'] } }, properties);

/** Bulk Export → Start Reporting Export: enqueue a reporting dataset export (API 2.14+). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	let gw;
	for (let i = 0; i < items.length; i++) {
		try {
			const input = { ...readReporting(this, i), ...readRange(this, i) };
			gw ??= await getIntercomGateway.call(this);
			out.push({ json: jobJson(await startReportingExport(gw, input)), pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!this.continueOnFail()) throw nodeError;
			out.push(errorItem(nodeError, i));
		}
	}
	return out;
}
