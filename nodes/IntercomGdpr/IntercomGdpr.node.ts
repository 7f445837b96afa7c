import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as bulkExport from './actions/bulkExport';
import * as dataSubject from './actions/dataSubject';
import * as ledger from './actions/ledger';
import * as retention from './actions/retention';
import { router } from './actions/router';
import { withEditorDetails } from './descriptions/editor.description';
import { listSearch } from './methods';
import { gdprLedgerTest } from './transport/ledger';

/** The operations that read or write the audit ledger (operation names are unique across resources). */
export const LEDGER_OPERATIONS = ['erase', 'export', 'verify', 'search', 'trackRequest', 'listRequests', 'enforce'];

/**
 * Privacy operations on Intercom. A thin adapter: the work is done by the core in src/, which
 * also does all HTTP. Layout: n8n's V2 layout (actions/<resource>/<op>.operation.ts + router),
 * with the description literal kept here as the community lint requires.
 */
export class IntercomGdpr implements INodeType {
	// withEditorDetails fills in the canvas subtitle ("Find a data subject") and shows the GDPR Ledger
	// credential for LEDGER_OPERATIONS only, both from the operation lists below.
	description: INodeTypeDescription = withEditorDetails({
		displayName: 'Intercom GDPR',
		name: 'intercomGdpr',
		icon: { light: 'file:intercomGdpr.svg', dark: 'file:intercomGdpr.dark.svg' },
		group: ['transform'],
		version: 1,
		description: 'Answer access and erasure requests (GDPR, CCPA) for people in Intercom',
		defaults: {
			name: 'Intercom GDPR',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'intercomGdprApi',
				required: true,
				displayOptions: { hide: { resource: ['ledger'] } },
			},
			{
				// The audit ledger (a database or a file, not an API): where erasures, DSAR exports and
				// retention runs are recorded. Shown for LEDGER_OPERATIONS only (withEditorDetails).
				// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
				name: 'gdprLedger',
				required: true,
				testedBy: 'gdprLedgerTest',
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Bulk Export',
						value: 'bulkExport',
					},
					{
						name: 'Data Subject',
						value: 'dataSubject',
					},
					{
						name: 'Ledger',
						value: 'ledger',
					},
					{
						name: 'Retention',
						value: 'retention',
					},
				],
				default: 'dataSubject',
			},
			...bulkExport.description,
			...dataSubject.description,
			...ledger.description,
			...retention.description,
		],
	}, { ledgerCredential: 'gdprLedger', ledgerOperations: LEDGER_OPERATIONS });

	methods = { listSearch, credentialTest: { gdprLedgerTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
