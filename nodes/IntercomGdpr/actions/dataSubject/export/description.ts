import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_ART15, DEFAULT_CCPA } from '../../../../../src/dsar';
import type { Art15Information, CcpaDisclosures } from '../../../../../src/dsar';
import { subjectLocator } from '../../../descriptions/subject.description';

/** The controller is its own required parameter (below); these are the other Art. 15 texts. */
const ART15_LABELS: Array<[keyof Art15Information, string, string]> = [
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

const CCPA_LABELS: Array<[keyof CcpaDisclosures, string]> = [
	['categoriesCollected', 'Categories Collected'],
	['sources', 'Sources'],
	['businessPurposes', 'Business Purposes'],
	['thirdParties', 'Third Parties'],
	['soldOrShared', 'Sold or Shared'],
];

function ccpaField(name: keyof CcpaDisclosures, displayName: string): INodeProperties {
	const field: INodeProperties = { displayName, name, type: 'string', typeOptions: { rows: 3 }, default: '' };
	field.default = DEFAULT_CCPA[name];
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
		displayName: 'Regime',
		name: 'regime',
		type: 'options',
		default: 'gdpr',
		description: 'The law the request was made under: it decides the headings, the statements and what is withheld',
		options: [
			{ name: 'GDPR (Art. 15)', value: 'gdpr', description: 'Everything about the person; other people’s data protected (Art. 15(4)).' },
			{ name: 'CCPA (Right to Know)', value: 'ccpa', description: 'Also withholds government ID, financial account numbers, passwords and the like (§7024(d)) and says they are held' },
			{ name: 'Both', value: 'both', description: 'CCPA withholding plus the GDPR Art. 15 information.' },
		],
	},
	{
		displayName: 'Controller',
		name: 'controller',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Example GmbH, Hauptstraße 1, 10115 Berlin, privacy@example.com',
		description: 'Name and contact details of the company answering the request (Art. 15, Art. 13(1)(a)). Required unless Options → Test Mode is on.',
	},
	{
		displayName: 'DPO Contact',
		name: 'dpoContact',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. dpo@example.com',
		description: 'How the person reaches your data protection officer or privacy contact. Required unless Options → Test Mode is on.',
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
			{
				name: 'ZIP Package and Review',
				value: 'review',
				description: 'The ZIP, and in the output item what a reviewer checks before sending: blockers, redaction log by kind, withheld items, staff notes, ID-like files',
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
				displayName: 'Download Attachments',
				name: 'includeAttachments',
				type: 'boolean',
				default: true,
				description: 'Whether to download the attachments of conversations and tickets from Intercom\'s file hosts (without the access token). Others are listed with the reason.',
			},
			{
				displayName: 'Download Files',
				name: 'includeFiles',
				type: 'boolean',
				default: true,
				description:
					'Whether to download file custom attributes into the package. Their URLs expire after 30 minutes; only files on the Intercom API host or Intercom\'s own file hosts are downloaded.',
			},
			{
				displayName: 'Include Outbound Messages',
				name: 'includeOutbound',
				type: 'boolean',
				default: false,
				description:
					'Whether to list the messages the person received (emails, posts, tours, surveys: received, opened, clicked) from Intercom\'s content export. That export is one job for the WHOLE workspace (one at a time, can take minutes); only the person\'s rows are kept. Off: the package says they are not included.',
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
				displayName: 'Language',
				name: 'language',
				type: 'options',
				default: 'en',
				options: [
					{ name: 'English', value: 'en' },
					{ name: 'French', value: 'fr' },
					{ name: 'German', value: 'de' },
				],
				description: 'Language of the package texts (headings, statements, labels)',
			},
			{
				displayName: 'Ledger Retention',
				name: 'ledgerRetention',
				type: 'string',
				default: '',
				placeholder: 'e.g. 6 years',
				description: 'How long the audit ledger keeps the record of this request; written into the retention text (Art. 15(1)(d)).',
			},
			{
				displayName: 'Max File Size (MB)',
				name: 'maxFileSizeMb',
				type: 'number',
				default: 25,
				typeOptions: { minValue: 1 },
				description: 'Larger files are listed with the reason instead of being downloaded',
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
			{
				displayName: 'Outbound Messages Since',
				name: 'outboundSince',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2024-01-01',
				description: 'First day (YYYY-MM-DD) of the content export for Include Outbound Messages; empty: the day the person\'s first record was created',
			},
			{
				displayName: 'Retention Policy in Use',
				name: 'retentionPolicy',
				type: 'string',
				default: '',
				placeholder: 'e.g. closed conversations are deleted 365 days after the last reply',
				description: 'The retention policy your Retention operation enforces, in words; replaces the generic retention text',
			},
			{
				displayName: 'Test Mode',
				name: 'testMode',
				type: 'boolean',
				default: false,
				description: 'Whether to allow a package without controller and DPO contact. It is marked "TEST PACKAGE, do not send".',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Berlin',
				description: 'IANA time zone for the dates in index.html and the CSV files. Empty: the workflow\'s time zone.',
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
	{
		displayName: 'Recipients (Data Map)',
		name: 'dataMap',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Recipient',
		default: {},
		description: 'Recipients and sub-processors of the data (Art. 15(1)(c)); they replace the generic recipients text. Transfers follow from the workspace\'s hosting region.',
		options: [
			{
				displayName: 'Recipient',
				name: 'recipient',
				values: [
					{
						displayName: 'Country',
						name: 'country',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. Intercom, Inc.',
					},
					{
						displayName: 'Purpose',
						name: 'purpose',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Role',
						name: 'role',
						type: 'string',
						default: '',
						placeholder: 'e.g. processor',
					},
					{
						displayName: 'Safeguard',
						name: 'safeguard',
						type: 'string',
						default: '',
						placeholder: 'e.g. EU-US Data Privacy Framework',
					},
				],
			},
		],
	},
	{
		displayName: 'CCPA Disclosures',
		name: 'ccpa',
		type: 'collection',
		placeholder: 'Edit Text',
		default: {},
		displayOptions: { show: { regime: ['ccpa', 'both'] } },
		description: 'The right-to-know disclosures (Cal. Civ. Code §1798.110). Until "Sold or Shared" is set, its text says it is not stated and the review blocks sending.',
		options: CCPA_LABELS.map(([name, displayName]) => ccpaField(name, displayName)),
	},
];
