import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as bulkExport from './actions/bulkExport';
import * as dataSubject from './actions/dataSubject';
import * as ledger from './actions/ledger';
import * as retention from './actions/retention';
import { router } from './actions/router';
import { listSearch } from './methods';
import { gdprLedgerTest } from './transport/ledger';

/**
 * Privacy operations on Intercom. A thin adapter: the work is done by the core in src/, which
 * also does all HTTP. Layout: n8n's V2 layout (actions/<resource>/<op>.operation.ts + router),
 * with the description literal kept here as the community lint requires.
 */
export class IntercomGdpr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Intercom GDPR',
		name: 'intercomGdpr',
		icon: { light: 'file:intercomGdpr.svg', dark: 'file:intercomGdpr.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
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
				// retention runs are recorded. Operation names are unique across resources.
				// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
				name: 'gdprLedger',
				required: true,
				testedBy: 'gdprLedgerTest',
				displayOptions: { show: { operation: ['erase', 'export', 'verify', 'search', 'trackRequest', 'listRequests', 'enforce', 'verifyIdentity', 'publishPackage', 'servePackage'] } },
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
	};

	methods = { listSearch, credentialTest: { gdprLedgerTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
