import type { INodeProperties } from 'n8n-workflow';
import * as listRequests from './listRequests.operation';
import * as search from './search.operation';
import * as trackRequest from './trackRequest.operation';
import * as verify from './verify.operation';

export { listRequests, search, trackRequest, verify };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: {
				resource: ['ledger'],
			},
		},
		options: [
			{
				name: 'List Requests',
				value: 'listRequests',
				description: 'Access and erasure requests with their due days: open, due soon, or all',
				action: 'List tracked requests',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find what was recorded for a person (by email, external ID, contact ID) or a request',
				action: 'Search the audit ledger',
			},
			{
				name: 'Track Request',
				value: 'trackRequest',
				description: 'Record a step of a request: received (starts the clock), acknowledged, verified, extended, delivered, refused, recipient notified or closed',
				action: 'Track a request',
			},
			{
				name: 'Verify',
				value: 'verify',
				description: 'Check the hash chain and signed checkpoints: report the first tampered entry',
				action: 'Verify the audit ledger',
			},
		],
		default: 'verify',
	},
	...verify.description,
	...search.description,
	...trackRequest.description,
	...listRequests.description,
];
