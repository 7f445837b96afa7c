import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { recordDelivery } from '../../../../src/requests';
import { claimPackage } from '../../../../src/delivery';
import { fail } from '../../../shared/errors';
import type { Ledger } from '../../../../src/ledger';
import { perItem } from '../itemLoop';
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
export const execute = perItem({
	begin: (): { ledger?: Ledger; folder?: string } => ({}),
	open: async (ctx, state) => {
		state.ledger = await getLedger.call(ctx);
		state.folder = await getPublishedFolder.call(ctx);
	},
	run: async (ctx, i, _input, state) => {
		const raw = ctx.getNodeParameter('token', i, '') as unknown;
		const field = String(ctx.getNodeParameter('binaryPropertyName', i, 'data') ?? '').trim();
		if (field === '') throw fail(ctx, i, '"Put Output File in Field" is empty', 'Enter e.g. data.');
		const claim = claimPackage({ folder: state.folder!, token: typeof raw === 'string' ? raw : '' });
		if (claim.status !== 'ok') {
			return [{ json: { served: false, reason: claim.status, ...(claim.requestId ? { requestId: claim.requestId } : {}) } }];
		}
		// The package has left: record it before handing it to the webhook response.
		// The request was closed or never tracked meanwhile: the download still happened, so the core records it (outsideLifecycle).
		await recordDelivery(state.ledger!, { requestId: claim.requestId, channel: 'download_link', packageSha256: claim.plainSha256 ?? claim.sha256 });
		return [
			{
				json: { served: true, requestId: claim.requestId, fileName: claim.fileName, sha256: claim.sha256 },
				binary: { [field]: await ctx.helpers.prepareBinaryData(Buffer.from(claim.data), claim.fileName, claim.mime) },
			},
		];
	},
	close: async (state) => await state.ledger?.close(),
});
