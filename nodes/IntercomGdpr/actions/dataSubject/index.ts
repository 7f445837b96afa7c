import type { INodeProperties } from 'n8n-workflow';
import * as erase from './erase.operation';
import * as exportOp from './export.operation';
import * as find from './find.operation';
import * as publishPackage from './publishPackage.operation';
import * as servePackage from './servePackage.operation';
import * as verifyIdentity from './verifyIdentity.operation';

// `export` is a reserved word, so the module is imported as exportOp and re-exported under the
// operation's value, which is what the router looks up.
export { find, exportOp as export, erase, verifyIdentity, publishPackage, servePackage };

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
		// In the order of a request's work (find → export/erase → verify → deliver), not alphabetical:
		// new operations are added at the end so existing workflows and docs keep their order.
		// eslint-disable-next-line n8n-nodes-base/node-param-options-type-unsorted-items
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
			{
				name: 'Verify Identity',
				value: 'verifyIdentity',
				description: 'Issue a one-time code or link for a request, or check the answer and record "verified" in the ledger',
				action: 'Verify the identity of a requester',
			},
			{
				name: 'Publish Package',
				value: 'publishPackage',
				description: 'Encrypt an access package (AES-256) and publish it for one download through an expiring link',
				action: 'Publish an access package',
			},
			{
				name: 'Serve Published Package',
				value: 'servePackage',
				description: 'For the download webhook: hand out a published package once and record it as delivered',
				action: 'Serve a published package',
			},
		],
		default: 'find',
	},
	...find.description,
	...exportOp.description,
	...erase.description,
	...verifyIdentity.description,
	...publishPackage.description,
	...servePackage.description,
];
