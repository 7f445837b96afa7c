import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { recordDelivery } from '../../../../src/deadlines';
import { claimPackage } from '../../../../src/delivery';
import { errorItem, fail, toNodeError } from '../../../shared/errors';
import { getLedger } from '../../../shared/transport/ledger';
import { getPublishedFolder } from '../../../shared/transport/requestStores';

const properties: INodeProperties[] = [
	{
		displayName: 'Token',
		name: 'token',
		type: 'string',
		typeOptions: { password: true },
		default: '={{ $json.query.token }}',
		required: true,
		description: 'The token from the download link (the Webhook node puts it in query.token)',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
	},
];

const displayOptions = {
	show: {
		resource: ['dataSubject'],
		operation: ['servePackage'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Data Subject → Serve Published Package: for the download webhook. Hands the package out once
 * (binary output) and records the download as the request's `delivered` step; an expired, already
 * downloaded or unknown link gives `served: false` and a reason, for a Respond to Webhook branch.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const out: INodeExecutionData[] = [];
	const ledger = await getLedger.call(this);
	try {
		const folder = await getPublishedFolder.call(this);
		for (let i = 0; i < items.length; i++) {
			try {
				const raw = this.getNodeParameter('token', i, '') as unknown;
				const field = String(this.getNodeParameter('binaryPropertyName', i, 'data') ?? '').trim();
				if (field === '') throw fail(this, i, '"Put Output File in Field" is empty', 'Enter e.g. data.');
				const claim = claimPackage({ folder, token: typeof raw === 'string' ? raw : '' });
				if (claim.status !== 'ok') {
					out.push({ json: { served: false, reason: claim.status, ...(claim.requestId ? { requestId: claim.requestId } : {}) }, pairedItem: { item: i } });
					continue;
				}
				// The package has left: record it before handing it to the webhook response.
				// The request was closed or never tracked meanwhile: the download still happened, so the core records it (outsideLifecycle).
				await recordDelivery(ledger, { requestId: claim.requestId, channel: 'download_link', packageSha256: claim.plainSha256 ?? claim.sha256 });
				out.push({
					json: { served: true, requestId: claim.requestId, fileName: claim.fileName, sha256: claim.sha256 },
					binary: { [field]: await this.helpers.prepareBinaryData(Buffer.from(claim.data), claim.fileName, claim.mime) },
					pairedItem: { item: i },
				});
			} catch (error) {
				const nodeError = toNodeError(this, error, i);
				if (!continueOnFail) throw nodeError;
				out.push(errorItem(nodeError, i));
			}
		}
	} finally {
		await ledger.close();
	}
	return out;
}
