import type { INodeProperties } from 'n8n-workflow';
import * as cancel from './cancel.operation';
import * as download from './download.operation';
import * as getStatus from './getStatus.operation';
import * as listDatasets from './listDatasets.operation';
import * as start from './start.operation';
import * as startAndWait from './startAndWait.operation';
import * as startReporting from './startReporting.operation';

export { cancel, download, getStatus, listDatasets, start, startAndWait, startReporting };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: {
				resource: ['bulkExport'],
			},
		},
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a running content export',
				action: 'Cancel a bulk export',
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Download a completed export as a file, its files, or its CSV rows as items',
				action: 'Download a bulk export',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the status, download URL and expiry of an export job',
				action: 'Get the status of a bulk export',
			},
			{
				name: 'List Datasets',
				value: 'listDatasets',
				description: 'List the reporting datasets and their attributes',
				action: 'List reporting datasets',
			},
			{
				name: 'Start',
				value: 'start',
				description: 'Start a content export (message engagement statistics) for a date range',
				action: 'Start a content export',
			},
			{
				name: 'Start and Wait',
				value: 'startAndWait',
				description: 'Start an export, wait until it is ready, then download it',
				action: 'Start a bulk export and wait for it',
			},
			{
				name: 'Start Reporting Export',
				value: 'startReporting',
				description: 'Start an export of a reporting dataset (e.g. conversations) for a date range',
				action: 'Start a reporting export',
			},
		],
		default: 'startAndWait',
	},
	...start.description,
	...startReporting.description,
	...listDatasets.description,
	...getStatus.description,
	...download.description,
	...cancel.description,
	...startAndWait.description,
];
