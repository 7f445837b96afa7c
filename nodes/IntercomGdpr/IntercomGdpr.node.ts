import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as bulkExport from './actions/bulkExport';
import * as dataSubject from './actions/dataSubject';
import * as ledger from './actions/ledger';
import * as n8nExecution from './actions/n8nExecution';
import * as retention from './actions/retention';
import { router } from './actions/router';
import { actionSubtitle, optionValues } from '../shared/editor.description';
import { listSearch } from './methods';
import { gdprLedgerTest } from '../shared/transport/ledger';

/** The operations that read or write the audit ledger (operation names are unique across resources). */
export const LEDGER_OPERATIONS = ['erase', 'export', 'verify', 'search', 'trackRequest', 'listRequests', 'enforce', 'purge', 'verifyIdentity', 'publishPackage', 'servePackage'];

// Keep in step with the resource list in `properties` below (test/nodes/editor.test.ts checks it).
const operationProperties = [...bulkExport.description, ...dataSubject.description, ...ledger.description, ...retention.description, ...n8nExecution.description];
/** The GDPR Ledger credential is hidden for these (shown with `hide`, never `show`: see credentialOnlyFor). */
const NO_LEDGER_OPERATIONS = optionValues(operationProperties, 'operation').filter((o) => !LEDGER_OPERATIONS.includes(o));
/** "Find a data subject", from the operations' own action texts. */
const SUBTITLE = actionSubtitle(operationProperties);

/**
 * Privacy operations on Intercom. A thin adapter: the work is done by the core in src/, which
 * also does all HTTP. Layout: n8n's V2 layout (actions/<resource>/<op>.operation.ts + router),
 * with the description literal kept here as the community lint requires.
 */
export class IntercomGdpr implements INodeType {
	// The subtitle is computed (SUBTITLE: the action a user picked), which this rule does not know.
	// eslint-disable-next-line n8n-nodes-base/node-class-description-missing-subtitle
	description: INodeTypeDescription = {
		displayName: 'Intercom GDPR',
		name: 'intercomGdpr',
		icon: { light: 'file:intercomGdpr.svg', dark: 'file:intercomGdpr.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: SUBTITLE,
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
				displayOptions: { hide: { resource: ['ledger', 'n8nExecution'] } },
			},
			{
				// The audit ledger (a database or a file, not an API): where erasures, DSAR exports and
				// retention runs are recorded. Shown for LEDGER_OPERATIONS only.
				// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
				name: 'gdprLedger',
				required: true,
				testedBy: 'gdprLedgerTest',
				displayOptions: { hide: { operation: NO_LEDGER_OPERATIONS } },
			},
			{
				// n8n's own public API, to purge the executions of privacy workflows (n8n Execution → Purge).
				// Hidden for the other resources (never shown by `resource`: see credentialOnlyFor for why).
				name: 'gdprN8nApi',
				required: true,
				displayOptions: { hide: { resource: ['bulkExport', 'dataSubject', 'ledger', 'retention'] } },
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
						name: 'N8n Execution',
						value: 'n8nExecution',
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
			...n8nExecution.description,
		],
	};

	methods = { listSearch, credentialTest: { gdprLedgerTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
