import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_ART15 } from '../../../../../src/dsar';
import type { Art15Information } from '../../../../../src/dsar';
import { subjectLocator } from '../../../descriptions/subject.description';

const ART15_LABELS: Array<[keyof Art15Information, string, string]> = [
	['controller', 'Controller', 'Who is responsible for the data, and how to reach them or their data protection officer'],
	['purposes', '(a) Purposes', 'Why the data is processed, and on which legal basis'],
	['categories', '(b) Categories of Data', 'Which kinds of personal data are processed'],
	['recipients', '(c) Recipients', 'Who receives the data (processors, third countries and their safeguards, Art. 15(2))'],
	['retention', '(d) Retention Period', 'How long the data is kept, or the criteria that decide it'],
	['rights', '(e) Rights', 'Rectification, erasure, restriction, objection, portability'],
	['complaint', '(f) Complaint', 'The right to complain to a supervisory authority'],
	['source', '(g) Source', 'Where the data came from when not from the person'],
	['automatedDecisions', '(h) Automated Decisions', 'Automated decision-making and profiling, with its logic and consequences'],
];

/**
 * One Art. 15 text field, prefilled with the core's default text for customer support on Intercom.
 * The default is set after the literal because n8n's lint wants a literal default in the literal.
 */
function art15Field(name: keyof Art15Information, displayName: string, description: string): INodeProperties {
	const field: INodeProperties = { displayName, name, type: 'string', typeOptions: { rows: 3 }, default: '', description };
	field.default = DEFAULT_ART15[name];
	return field;
}

export const exportProperties: INodeProperties[] = [
	subjectLocator,
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		default: '',
		placeholder: 'e.g. DSAR-2026-0042',
		description:
			'Names the package file (REQUEST_ID.zip) and is written into it. Letters, digits, ".", "_" and "-". Leave empty for dsar-DATE.',
	},
	{
		displayName: 'Output',
		name: 'outputFormat',
		type: 'options',
		default: 'zip',
		options: [
			{
				name: 'ZIP Package',
				value: 'zip',
				description: 'The JSON document, one CSV per section, a readable HTML report, downloaded files and a manifest with the SHA-256 of every file',
			},
			{ name: 'JSON Only', value: 'json', description: 'The JSON document alone (machine-readable, GDPR Art. 20).' },
		],
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the package in',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Conversation Bodies',
				name: 'displayAs',
				type: 'options',
				default: 'html',
				options: [
					{ name: 'HTML (as Written)', value: 'html', description: 'Kept as Intercom stores them; made safe in index.html' },
					{ name: 'Plain Text', value: 'plaintext', description: 'Intercom converts bodies to text (links become "label (URL)")' },
				],
			},
			{
				displayName: 'Download Files',
				name: 'includeFiles',
				type: 'boolean',
				default: true,
				description:
					'Whether to download file custom attributes into the package. Their URLs expire after 30 minutes; only files on the Intercom API host of the credential are downloaded.',
			},
			{
				displayName: 'Include Personal Data in Summary',
				name: 'includePersonalData',
				type: 'boolean',
				default: false,
				description:
					'Whether to add each contact\'s email and name to the summary item. Off by default so personal data does not end up in execution logs; the package itself always has everything.',
			},
			{
				displayName: 'On Missing Permission',
				name: 'onRestricted',
				type: 'options',
				default: 'omit',
				options: [
					{
						name: 'Export the Rest and Say What Is Missing',
						value: 'omit',
						description: 'A section Intercom refuses (403: plan restriction, missing scope such as "Read tickets") is listed as not included',
					},
					{ name: 'Fail', value: 'fail', description: 'Stop this item (or the workflow), so no incomplete package is sent' },
				],
			},
		],
	},
	{
		displayName: 'Access Information (Art. 15)',
		name: 'art15',
		type: 'collection',
		placeholder: 'Edit Text',
		default: {},
		description: 'The GDPR Art. 15(1)(a)–(h) information written into the package. Texts not set here use a default for customer support on Intercom: review them.',
		options: ART15_LABELS.map(([name, displayName, description]) => art15Field(name, displayName, description)),
	},
];
