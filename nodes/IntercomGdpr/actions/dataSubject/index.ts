import type { INodeProperties } from 'n8n-workflow';
import * as find from './find.operation';

export { find };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: {
				resource: ['dataSubject'],
			},
		},
		options: [
			{
				name: 'Find',
				value: 'find',
				description: 'Find every Intercom contact (leads and users) that belongs to a person',
				action: 'Find a data subject',
			},
		],
		default: 'find',
	},
	...find.description,
];
