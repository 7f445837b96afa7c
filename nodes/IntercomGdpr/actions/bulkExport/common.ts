/**
 * Parameters and output shaping shared by the Bulk Export operations. The work (HTTP, polling,
 * unpacking) is the core's (src/bulk-export); this file only maps n8n parameters and items.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import {
	downloadExport,
	readableOf,
	saveExportFiles,
	withDownloadRestarts,
	type ExportJob,
	type ExportKind,
} from '../../../../src/bulk-export';
import type { IntercomGateway } from '../../../../src/intercom';

export const RESOURCE = 'bulkExport';

export const exportTypeField: INodeProperties = {
	displayName: 'Export Type',
	name: 'exportType',
	type: 'options',
	options: [
		{
			name: 'Content (Message Engagement)',
			value: 'content',
			description: 'Who received which outbound message, opens, clicks, replies (no conversation text)',
		},
		{
			name: 'Reporting Dataset',
			value: 'reporting',
			description: 'A reporting dataset such as conversations (API 2.14+)',
		},
	],
	default: 'content',
};

export const jobIdentifierField: INodeProperties = {
	displayName: 'Job Identifier',
	name: 'jobIdentifier',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. {{ $json.jobIdentifier }}',
	description: 'The job identifier returned by Start',
};

export const dateFields: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'dateFrom',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'First day of the export (included). Only the date counts; days are UTC.',
	},
	{
		displayName: 'To',
		name: 'dateTo',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Last day of the export (included), today at the latest',
	},
];

export const reportingFields: INodeProperties[] = [
	{
		displayName: 'Dataset ID',
		name: 'datasetId',
		type: 'string',
		required: true,
		default: 'conversation',
		description: 'The dataset to export; List Datasets shows the available ones',
	},
	{
		displayName: 'Attribute IDs',
		name: 'attributeIds',
		type: 'string',
		required: true,
		default: 'conversation_id,conversation_started_at',
		description: 'Comma-separated attribute IDs of the dataset (List Datasets shows them)',
	},
];

export const outputFields: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Archive as Binary',
				value: 'archive',
				description: 'One item with the downloaded file as it is (gzip, tar.gz or zip)',
			},
			{
				name: 'CSV Rows as Items',
				value: 'rows',
				description: 'One item per CSV row, with the CSV file name in the field "sourceFile"',
			},
			{
				name: 'Files as Binaries',
				value: 'files',
				description: 'One item per file inside the archive',
			},
		],
		default: 'rows',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		displayOptions: { show: { output: ['archive', 'files'] } },
		hint: 'The name of the output binary field to put the file in',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		displayOptions: { show: { output: ['rows'] } },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { output: ['rows'], returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

export function readKind(ctx: IExecuteFunctions, i: number): ExportKind {
	return ctx.getNodeParameter('exportType', i, 'content') === 'reporting' ? 'reporting' : 'content';
}

export function readJobIdentifier(ctx: IExecuteFunctions, i: number): string {
	return String(ctx.getNodeParameter('jobIdentifier', i, '')).trim();
}

export function readRange(ctx: IExecuteFunctions, i: number): { from: string; to: string } {
	return { from: String(ctx.getNodeParameter('dateFrom', i, '')), to: String(ctx.getNodeParameter('dateTo', i, '')) };
}

export function readReporting(ctx: IExecuteFunctions, i: number): { datasetId: string; attributeIds: string[] } {
	const raw = ctx.getNodeParameter('attributeIds', i, '') as string | string[];
	const attributeIds = (Array.isArray(raw) ? raw : String(raw).split(',')).map((a) => String(a).trim()).filter((a) => a !== '');
	return { datasetId: String(ctx.getNodeParameter('datasetId', i, '')).trim(), attributeIds };
}

/** The job as an item: what the Wait-node loop's IF and the next operation read. */
export function jobJson(job: ExportJob): IDataObject {
	return {
		jobIdentifier: job.jobIdentifier,
		exportType: job.kind,
		status: job.status,
		terminal: job.terminal,
		downloadUrl: job.downloadUrl || null,
		downloadExpiresAt: job.downloadExpiresAt ?? null,
		...(job.appId ? { appId: job.appId } : {}),
	};
}

interface OutputParams {
	output: 'archive' | 'files' | 'rows';
	binaryPropertyName: string;
	limit?: number;
}

export function readOutput(ctx: IExecuteFunctions, i: number): OutputParams {
	const output = ctx.getNodeParameter('output', i, 'rows') as OutputParams['output'];
	const returnAll = ctx.getNodeParameter('returnAll', i, true) as boolean;
	return {
		output: output === 'archive' || output === 'files' ? output : 'rows',
		binaryPropertyName: String(ctx.getNodeParameter('binaryPropertyName', i, 'data')).trim() || 'data',
		limit: returnAll ? undefined : Math.max(1, Number(ctx.getNodeParameter('limit', i, 50))),
	};
}

/**
 * Downloads a completed job into items. A broken download is restarted from the first byte
 * (3 attempts); only a complete run produces items, so partial data never leaves the node.
 */
export async function downloadItems(
	ctx: IExecuteFunctions,
	gw: IntercomGateway,
	job: ExportJob | { kind: ExportKind; jobIdentifier: string },
	i: number,
	params: OutputParams,
): Promise<{ items: INodeExecutionData[]; restarts: number; limitReached: boolean }> {
	const signal = ctx.getExecutionCancelSignal?.();
	let restarts = 0;
	let limitReached = false;
	const store = async (chunks: AsyncIterable<Buffer>, fileName: string, mimeType: string): Promise<IBinaryData> => {
		const { stream, failure } = readableOf(chunks);
		const stored = await ctx.helpers.prepareBinaryData(stream, fileName, mimeType).then(
			(value) => ({ value, error: undefined }),
			(error: unknown) => ({ value: undefined, error }),
		);
		if (stored.value !== undefined) return stored.value;
		// n8n wraps stream errors in its own; surface ours (e.g. download_interrupted) instead.
		stream.destroy();
		throw failure() ?? stored.error;
	};
	const items = await withDownloadRestarts(
		() => downloadExport(gw, job, { signal }),
		async (dl): Promise<INodeExecutionData[]> => {
			const base = { jobIdentifier: dl.job.jobIdentifier, exportType: dl.job.kind, container: dl.container };
			if (params.output === 'archive') {
				const binary = await store(dl.chunks(), dl.fileName, dl.mimeType);
				return [{ json: { ...base, fileName: dl.fileName }, binary: { [params.binaryPropertyName]: binary }, pairedItem: { item: i } }];
			}
			if (params.output === 'files') {
				const saved = await saveExportFiles(dl, async (name, stream) => ({
					name,
					binary: await store(stream as AsyncIterable<Buffer>, name.split('/').pop() || name, /\.csv$/i.test(name) ? 'text/csv' : 'application/octet-stream'),
				}));
				return saved.map((f) => ({ json: { ...base, fileName: f.name }, binary: { [params.binaryPropertyName]: f.binary }, pairedItem: { item: i } }));
			}
			const out: INodeExecutionData[] = [];
			for await (const batch of dl.rowBatches({ limit: params.limit })) {
				for (const row of batch) out.push({ json: { ...row.values, sourceFile: row.file }, pairedItem: { item: i } });
			}
			limitReached = params.limit !== undefined && out.length >= params.limit;
			return out;
		},
		{ onRestart: (_e, n) => (restarts = n) },
	);
	return { items, restarts, limitReached };
}
