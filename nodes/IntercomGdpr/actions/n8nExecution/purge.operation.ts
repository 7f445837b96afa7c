import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { N8nApiError, PurgeInputError, purgeN8nExecutions } from '../../../../src/purge';
import type { Ledger } from '../../../../src/ledger';
import { toNodeError } from '../../../shared/errors';
import { perItem } from '../itemLoop';
import { getLedger } from '../../../shared/transport/ledger';

export const N8N_API_CREDENTIAL_TYPE = 'gdprN8nApi';

const properties: INodeProperties[] = [
	{
		displayName: 'Workflow IDs',
		name: 'purgeWorkflowIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. aBc123XyZ, dEf456UvW',
		description: "IDs of the workflows whose executions hold personal data (the ID is in the workflow's URL), separated by commas",
	},
	{
		displayName: 'Older Than (Days)',
		name: 'purgeOlderThanDays',
		type: 'number',
		default: 30,
		description: 'Purge executions that started more than this many days ago. -1 = no age limit (then give a Request ID).',
	},
	{
		displayName: 'Request ID',
		name: 'purgeRequestId',
		type: 'string',
		default: '',
		placeholder: 'e.g. DSAR-2026-0042',
		description: 'Purge only executions whose data mentions this request ID (as a whole word). With an age too, both must match.',
	},
	{
		displayName: 'Dry Run',
		name: 'purgeDryRun',
		type: 'boolean',
		default: true,
		description: 'Whether to only list the executions that would be deleted. Run it dry first; a real purge is recorded in the audit ledger.',
	},
];

const displayOptions = { show: { resource: ['n8nExecution'], operation: ['purge'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * n8n Execution → Purge: deletes n8n's own stored executions of privacy workflows through n8n's
 * public API (the core in src/purge does the HTTP). One purge per input item.
 */
export const execute = perItem({
	begin: (): { credential?: ICredentialDataDecryptedObject; ledger?: Ledger } => ({}),
	open: async (ctx, state) => {
		state.credential = await ctx.getCredentials<ICredentialDataDecryptedObject>(N8N_API_CREDENTIAL_TYPE);
	},
	run: async (ctx, i, _input, state) => {
		const credential = state.credential!;
		const dryRun = ctx.getNodeParameter('purgeDryRun', i, true) as boolean;
		const days = ctx.getNodeParameter('purgeOlderThanDays', i, 30) as number;
		if (!dryRun && !state.ledger) state.ledger = await getLedger.call(ctx);
		const result = await purgeN8nExecutions(
			{ baseUrl: String(credential.baseUrl ?? ''), apiKey: String(credential.apiKey ?? '') },
			{
				workflowIds: String(ctx.getNodeParameter('purgeWorkflowIds', i, '')).split(','),
				olderThanDays: days < 0 ? undefined : days,
				requestId: String(ctx.getNodeParameter('purgeRequestId', i, '')),
				dryRun,
				ledger: state.ledger,
			},
		);
		if (result.failed.length > 0) {
			ctx.addExecutionHints({ message: `${result.failed.length} execution(s) could not be deleted; run the purge again`, location: 'outputPane' });
		}
		return [{ json: result as unknown as IDataObject }];
	},
	toError: toPurgeError,
	close: async (state) => await state.ledger?.close(),
});

function toPurgeError(ctx: IExecuteFunctions, error: unknown, i: number): NodeApiError | NodeOperationError {
	if (error instanceof PurgeInputError) {
		return new NodeOperationError(ctx.getNode(), `${error.message} [item ${i}]`, {
			description: error.field === 'baseUrl' || error.field === 'apiKey' ? 'Open the N8n GDPR Purge API credential and correct the field named above.' : 'Correct the field named above.',
			itemIndex: i,
		});
	}
	if (error instanceof N8nApiError) {
		return new NodeApiError(ctx.getNode(), { message: error.message, status: error.status ?? null }, {
			message: `${error.message} [item ${i}]`,
			description: 'Check the N8n GDPR Purge API credential: base URL, API key and its scopes (execution:list, execution:read, execution:delete).',
			httpCode: error.status !== null ? String(error.status) : undefined,
			itemIndex: i,
		});
	}
	return toNodeError(ctx, error, i);
}
