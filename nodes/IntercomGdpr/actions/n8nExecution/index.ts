import type { INodeProperties } from 'n8n-workflow';
import * as purge from './purge.operation';

export { purge };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['n8nExecution'] } },
		options: [
			{
				name: 'Purge',
				value: 'purge',
				description: "Delete n8n's own stored executions of privacy workflows (by age or request ID), dry run first",
				action: 'Purge n8n executions',
			},
		],
		default: 'purge',
	},
	...purge.description,
];
