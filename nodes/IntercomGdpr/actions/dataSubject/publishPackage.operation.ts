import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requireOpenRequest } from '../../../../src/requests';
import { DEFAULT_TTL_DAYS, encryptZip, publishPackage } from '../../../../src/delivery';
import { fail } from '../../../shared/errors';
import type { Ledger } from '../../../../src/ledger';
import { perItem } from '../itemLoop';
import { readRequestId, requestIdField } from '../../helpers/requestId';
import { getLedger } from '../../../shared/transport/ledger';
import { getPublishedFolder } from '../../../shared/transport/requestStores';

const properties: INodeProperties[] = [
	requestIdField(
		'The access request the package answers (Ledger → Track Request). The download is recorded under it as "delivered".',
	),
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The field holding the ZIP from Data Subject → Export',
	},
	{
		displayName: 'Deliver As',
		name: 'deliverAs',
		type: 'options',
		options: [
			{ name: 'Download Link (Single Use, Expiring)', value: 'link', description: 'Store the encrypted ZIP in the n8n user folder; a webhook workflow serves it once' },
			{ name: 'Encrypted File', value: 'file', description: 'Return the encrypted ZIP as binary (e.g. to attach to an email)' },
		],
		default: 'link',
	},
	{
		displayName: 'Download URL',
		name: 'downloadUrl',
		type: 'string',
		displayOptions: { show: { deliverAs: ['link'] } },
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/dsar-download',
		description: 'The production URL of your download webhook (see examples/dsar-download-webhook.JSON). The output link is this URL + ?token=….',
	},
	{
		displayName: 'Link Valid For (Days)',
		name: 'ttlDays',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 30 },
		displayOptions: { show: { deliverAs: ['link'] } },
		default: DEFAULT_TTL_DAYS,
	},
];

const displayOptions = {
	show: {
		resource: ['dataSubject'],
		operation: ['publishPackage'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Data Subject → Publish Package: encrypts Export's ZIP (AES-256, a generated passphrase returned
 * apart from the file) and either stores it for one download through a link, or returns the
 * encrypted file. The passphrase goes to the person by another channel than the link.
 */
export const execute = perItem({
	begin: (): { ledger?: Ledger; encrypted: number; published: number } => ({ encrypted: 0, published: 0 }),
	open: async (ctx, state) => {
		state.ledger = await getLedger.call(ctx);
	},
	run: async (ctx, i, _input, state, items) => {
		const requestId = readRequestId(ctx, 'requestId', i);
		if (requestId === '') throw fail(ctx, i, 'Request ID is empty', 'Use the ID the request was recorded under (Ledger → Track Request) and exported with.');
		const deliverAs = ctx.getNodeParameter('deliverAs', i, 'link') as string;
		if (deliverAs !== 'link' && deliverAs !== 'file') throw fail(ctx, i, 'Deliver As must be Download Link or Encrypted File', 'Pick one of the two.');
		const field = String(ctx.getNodeParameter('binaryPropertyName', i, 'data') ?? '').trim();
		const binary = items[i].binary?.[field];
		if (!binary) throw fail(ctx, i, `Input Binary Field "${field}" holds no file`, 'Connect Data Subject → Export (output: ZIP Package) and use its binary field, e.g. data.');
		let url = '';
		let ttlDays = DEFAULT_TTL_DAYS;
		if (deliverAs === 'link') {
			url = String(ctx.getNodeParameter('downloadUrl', i, '') ?? '').trim();
			if (!/^https?:\/\/[^\s?#]+$/i.test(url)) throw fail(ctx, i, 'Download URL is not an http(s) URL without query', "Enter your download webhook's production URL, e.g. https://n8n.example.com/webhook/dsar-download.");
			ttlDays = Number(ctx.getNodeParameter('ttlDays', i, DEFAULT_TTL_DAYS));
			if (!Number.isInteger(ttlDays) || ttlDays < 1 || ttlDays > 30) throw fail(ctx, i, 'Link Valid For (Days) must be a whole number from 1 to 30', 'The default is 7 days.');
		}
		// The download is recorded under the request: it must be open.
		await requireOpenRequest(state.ledger!, requestId);
		const plain = new Uint8Array(await ctx.helpers.getBinaryDataBuffer(i, field));
		const pkg = await encryptZip(plain).catch(() => {
			throw fail(ctx, i, `Input Binary Field "${field}" is not a ZIP file`, 'Use the ZIP Package output of Data Subject → Export.');
		});
		const fileName = `${requestId}.zip`;
		const json: IDataObject = {
			requestId,
			encryption: 'AES-256 (WinZip AES)',
			// For a second channel (another email, SMS, phone): never in the same message as the file or link.
			passphrase: pkg.passphrase,
			fileName,
			size: pkg.zip.byteLength,
			sha256: pkg.sha256,
			// = the sha256 `dsar.export` recorded: the plain ZIP is inside, byte for byte, as package.zip.
			plainSha256: pkg.plainSha256,
			// A count only: file names inside can be personal data (uploaded attachments).
			files: pkg.files,
		};
		if (deliverAs === 'file') {
			const out = { json, binary: { [field]: await ctx.helpers.prepareBinaryData(Buffer.from(pkg.zip), fileName, 'application/zip') } };
			state.encrypted++;
			return [out];
		}
		const folder = await getPublishedFolder.call(ctx);
		const p = publishPackage({ folder, requestId, data: pkg.zip, fileName, plainSha256: pkg.plainSha256, ttlDays });
		state.published++;
		state.encrypted++;
		return [{ json: { ...json, link: `${url}?token=${p.token}`, expiresAt: p.expiresAt } }];
	},
	close: async (state) => await state.ledger?.close(),
	finish: (ctx, state) => {
		ctx.addExecutionHints({
			message: `${state.encrypted} package(s) encrypted${state.published ? `, ${state.published} published for one download` : ''}. The output holds the passphrase and link: send them by different channels, and keep "Save Successful Executions" off. While a Wait node waits (e.g. for the review), n8n keeps the waiting execution, passphrase included, in its database: once the package is delivered, delete it with Intercom GDPR → n8n Execution → Purge by this Request ID.`,
			type: 'info',
			location: 'outputPane',
		});
	},
});
