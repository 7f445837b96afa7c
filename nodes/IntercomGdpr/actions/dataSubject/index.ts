import type { INodeProperties } from 'n8n-workflow';
import * as erase from './erase.operation';
import * as exportOp from './export.operation';
import * as find from './find.operation';

// `export` is a reserved word, so the module is imported as exportOp and re-exported under the
// operation's value, which is what the router looks up.
export { find, exportOp as export, erase };

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
			{
				name: 'Export',
				value: 'export',
				description: 'Export everything Intercom holds about a person as a DSAR package (GDPR Art. 15, CCPA right to know).',
				action: 'Export a data subject',
			},
			{
				name: 'Erase',
				value: 'erase',
				description: 'Delete every Intercom contact of a person, verify it and record it in the audit ledger',
				action: 'Erase a data subject',
			},
		],
		default: 'find',
	},
	...find.description,
	...exportOp.description,
	...erase.description,
];
