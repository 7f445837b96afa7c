import type { INodeProperties } from 'n8n-workflow';
import * as enforce from './enforce.operation';
import * as preview from './preview.operation';

export { enforce, preview };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: {
				resource: ['retention'],
			},
		},
		options: [
			{
				name: 'Enforce',
				value: 'enforce',
				description: 'Delete (erasure) or archive the contacts a retention policy selects, in batches, recorded in the ledger',
				action: 'Enforce a retention policy',
			},
			{
				name: 'Preview',
				value: 'preview',
				description: 'List the contacts a retention policy would delete or archive, changing nothing',
				action: 'Preview a retention policy',
			},
		],
		default: 'preview',
	},
	...preview.description,
	...enforce.description,
];
