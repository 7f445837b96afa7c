import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, deepCopy } from 'n8n-workflow';
import type { Finding, Redactor } from '../../src/redact';
import { RedactionError, compileRedactor } from '../../src/redact';
import { errorItem } from '../shared/errors';
import { readRules, subjectContext } from './rules';

/** Where the user fixes a rejected setting, by the engine's field name. */
const PARAMETER_NAMES: Record<string, string> = {
	fields: 'Field Rules',
	'fields.action': 'Field Rules → Action',
	'fields.label': 'Field Rules → Label',
	hmacKey: 'HMAC Key',
	'custom.name': 'Custom Detectors → Name',
	'custom.pattern': 'Custom Detectors → Pattern',
	'custom.flags': 'Custom Detectors → Flags',
	detectors: 'Detectors',
	operator: 'Replace With',
	maxLength: 'Options → Max Text Length',
	scan: 'Scan Text',
	defaultCountries: 'Default Countries',
	countries: 'Default Countries',
	subject: 'Known Subject',
	'subject.emails': 'Known Subject → Emails',
	'subject.phones': 'Known Subject → Phones',
	'subject.ids': 'Known Subject → IDs',
	'subject.addressLines': 'Known Subject → Address Lines',
	'subject.country': 'Known Subject',
	subjectMode: "Subject's Own Data",
	value: 'the input item',
};

function summarise(findings: Finding[]): IDataObject {
	const byType: IDataObject = {};
	for (const f of findings) byType[f.type] = ((byType[f.type] as number | undefined) ?? 0) + 1;
	return { total: findings.length, byType };
}

/**
 * Redacts personal data from any items: field rules by path (with wildcards), validated detectors
 * for free text (HTML-aware), or minimisation to an allow-list. No credential, no network: the work
 * is done by the pure engine in src/redact, compiled once per run.
 */
export class PiiRedact implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PII Redact',
		name: 'piiRedact',
		icon: { light: 'file:piiRedact.svg', dark: 'file:piiRedact.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["mode"] === "minimise" ? "Keep allowed fields" : "Redact personal data"}}',
		description: 'Redact, mask or pseudonymise personal data (emails, phones, cards, IBANs …) in any items',
		defaults: {
			name: 'PII Redact',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Redact',
						value: 'redact',
						description: 'Keep the item, replace personal data found by field rules and detectors',
						action: 'Redact personal data',
					},
					{
						name: 'Minimise',
						value: 'minimise',
						description: 'Keep only the allowed fields, drop everything else, then redact what is kept',
						action: 'Keep only allowed fields',
					},
				],
				default: 'redact',
			},
			{
				displayName: 'Preset',
				name: 'preset',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Intercom Contact',
						value: 'intercomContact',
						description: 'Email, name, phone, location, IP replaced; IDs and metadata kept; custom attributes scanned',
					},
					{
						name: 'Intercom Conversation',
						value: 'intercomConversation',
						description: 'Authors replaced; bodies, titles and custom attributes scanned (HTML-aware); IDs kept',
					},
					{
						name: 'None',
						value: 'none',
					},
				],
				default: 'none',
				description: 'Ready-made field rules following Intercom\'s data classes; your own field rules take precedence',
			},
			{
				displayName: 'Allowed Fields',
				name: 'allowedFields',
				type: 'string',
				default: '',
				// Paths are case-sensitive; n8n's lint would turn a leading "id" here into "ID", so the example avoids it.
				placeholder: 'e.g. external_id, role, custom_attributes.plan, last_seen_at',
				description: 'Comma-separated paths to keep (wildcards allowed: *, [*], **). Empty: the preset\'s list.',
				displayOptions: { show: { mode: ['minimise'] } },
			},
			{
				displayName: 'Scan Text',
				name: 'scan',
				type: 'options',
				options: [
					{
						name: 'Every Text Field',
						value: 'all',
						description: 'Run the detectors on every string a field rule does not handle',
					},
					{
						name: 'Only Fields With a Scan Rule',
						value: 'rules',
						description: 'Run the detectors only under field rules whose action is Scan',
					},
				],
				default: 'all',
			},
			{
				displayName: 'Detectors',
				name: 'detectors',
				type: 'multiOptions',
				options: [
					{ name: 'Card Number (Luhn-Checked)', value: 'CARD' },
					{ name: 'Email', value: 'EMAIL' },
					{ name: 'IBAN (Mod-97-Checked)', value: 'IBAN' },
					{ name: 'IPv4 Address', value: 'IPV4' },
					{ name: 'IPv6 Address', value: 'IPV6' },
					{ name: 'Phone Number', value: 'PHONE' },
					{ name: 'Secret (Bearer, Intercom and API Tokens)', value: 'SECRET' },
					{ name: 'URL Credentials and Tokens', value: 'URL_SECRET' },
					{ name: 'US Social Security Number', value: 'US_SSN' },
				],
				default: ['CARD', 'EMAIL', 'IBAN', 'IPV4', 'IPV6', 'PHONE', 'SECRET', 'URL_SECRET', 'US_SSN'],
				description: 'What to look for in text',
			},
			{
				displayName: 'Replace With',
				name: 'operator',
				type: 'options',
				options: [
					{ name: 'Fixed Text', value: 'text' },
					{ name: 'Label', value: 'label', description: 'E.g. [EMAIL], [PHONE].' },
					{ name: 'Mask', value: 'mask', description: 'Keep the last characters, e.g. **** **** **** 1111' },
					{ name: 'Nothing (Remove)', value: 'remove' },
					{ name: 'Pseudonym (HMAC)', value: 'hmac', description: 'HMAC-SHA256 with your key: the same value gives the same token in every item and run' },
				],
				default: 'label',
				description: 'How text the detectors find is replaced',
			},
			{
				displayName: 'Replacement Text',
				name: 'replacementText',
				type: 'string',
				default: '[REDACTED]',
				displayOptions: { show: { operator: ['text'] } },
			},
			{
				displayName: 'Characters to Keep',
				name: 'maskKeep',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 4,
				description: 'How many characters at the end stay visible',
				displayOptions: { show: { operator: ['mask'] } },
			},
			{
				displayName: 'HMAC Key',
				name: 'hmacKey',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'Secret key (at least 16 characters) for pseudonyms; needed by "Pseudonym (HMAC)" and by field rules with the HMAC action. Keep it stable: a new key gives new pseudonyms.',
			},
			{
				displayName: 'Field Rules',
				name: 'fieldRules',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Field Rule',
				default: {},
				description: 'Rules by path; the first matching rule wins',
				options: [
					{
						displayName: 'Rule',
						name: 'rule',
						values: [
							{
								displayName: 'Action',
								name: 'action',
								type: 'options',
								options: [
									// No per-option descriptions: n8n's lint treats a parameter named "action" as an operation list.
									{ name: 'Keep', value: 'keep' },
									{ name: 'Mask', value: 'mask' },
									{ name: 'Pseudonym (HMAC)', value: 'hmac' },
									{ name: 'Remove Field', value: 'remove' },
									{ name: 'Replace', value: 'replace' },
									{ name: 'Scan', value: 'scan' },
								],
								default: 'replace',
								description:
									'Keep leaves the value as it is, unscanned; Mask keeps the last characters; Pseudonym needs the HMAC Key; Replace puts the replacement text or [LABEL]; Scan runs the detectors on the text under the path',
							},
							{
								displayName: 'Characters to Keep',
								name: 'keep',
								type: 'number',
								typeOptions: { minValue: 0 },
								default: 4,
								description: 'How many characters at the end stay visible',
								displayOptions: { show: { action: ['mask'] } },
							},
							{
								displayName: 'Label',
								name: 'label',
								type: 'string',
								default: '',
								placeholder: 'e.g. EMAIL',
								description: 'Name used in [LABEL] and in the findings',
							},
							{
								displayName: 'Path',
								name: 'path',
								type: 'string',
								default: '',
								placeholder: 'e.g. email, custom_attributes.*, conversation_parts[*].body, **.phone',
							},
							{
								displayName: 'Replacement',
								name: 'replacement',
								type: 'string',
								default: '',
								description: 'Fixed text; empty gives [LABEL]',
								displayOptions: { show: { action: ['replace'] } },
							},
						],
					},
				],
			},
			{
				displayName: 'Custom Detectors',
				name: 'customDetectors',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Custom Detector',
				default: {},
				description: 'Your own regular expressions; patterns that could backtrack catastrophically are refused',
				options: [
					{
						displayName: 'Detector',
						name: 'detector',
						values: [
							{
								displayName: 'Name',
								name: 'name',
								type: 'string',
								default: '',
								placeholder: 'e.g. customer_number',
							},
							{
								displayName: 'Pattern',
								name: 'pattern',
								type: 'string',
								default: '',
								placeholder: 'e.g. CUST-\\d{6}',
								description: 'JavaScript regular expression (without slashes)',
							},
							{
								displayName: 'Flags',
								name: 'flags',
								type: 'string',
								default: '',
								placeholder: 'e.g. i',
								description: 'Any of i, m, s, u',
							},
						],
					},
				],
			},
			{
				displayName: 'Default Countries',
				name: 'defaultCountries',
				type: 'string',
				default: '',
				placeholder: 'e.g. DE, FR, GB',
				description:
					'ISO 3166-1 alpha-2 codes of the countries your customers write from: their national phone formats (030 1234567, 06 31 58 20 14 …) are recognised. International forms (+49 …) always are. For an Intercom contact or conversation item the contact\'s country is added.',
			},
			{
				displayName: 'Known Subject',
				name: 'subjectSource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'None', value: 'none' },
					{
						name: 'From the Item (Intercom Contact or Conversation)',
						value: 'item',
						description: 'Name, email, phone, external ID and city of the contact in each item',
					},
					{ name: 'From Parameters', value: 'parameters', description: 'Name, emails, phones, IDs and address you give (expressions per item)' },
				],
				default: 'none',
				description:
					'The person the data is about. Their name, email, phone, IDs and address are found in free text case- and accent-insensitively — names are found only this way.',
			},
			{
				displayName: 'Subject Name',
				name: 'subjectName',
				type: 'string',
				default: '',
				placeholder: 'e.g. José Núñez',
				displayOptions: { show: { subjectSource: ['parameters'] } },
			},
			{
				displayName: 'Subject Emails',
				name: 'subjectEmails',
				type: 'string',
				default: '',
				placeholder: 'e.g. jose@example.es',
				description: 'Comma-separated',
				displayOptions: { show: { subjectSource: ['parameters'] } },
			},
			{
				displayName: 'Subject Phones',
				name: 'subjectPhones',
				type: 'string',
				default: '',
				placeholder: 'e.g. +34 612 345 078',
				description: 'Comma-separated, any format',
				displayOptions: { show: { subjectSource: ['parameters'] } },
			},
			{
				displayName: 'Subject IDs',
				name: 'subjectIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. cust-8812',
				description: 'Comma-separated external or customer IDs',
				displayOptions: { show: { subjectSource: ['parameters'] } },
			},
			{
				displayName: 'Subject Address Lines',
				name: 'subjectAddress',
				type: 'string',
				default: '',
				placeholder: 'e.g. Calle Mayor 12, 28013 Madrid',
				description: 'Comma-separated lines',
				displayOptions: { show: { subjectSource: ['parameters'] } },
			},
			{
				displayName: "Subject's Own Data",
				name: 'subjectMode',
				type: 'options',
				options: [
					{ name: 'Redact It Too', value: 'redact' },
					{ name: 'Keep It, Redact Everybody Else\'s', value: 'keep', description: 'For an access request: the requester sees their own data, not other people\'s' },
				],
				default: 'redact',
				displayOptions: { hide: { subjectSource: ['none'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Findings Field',
						name: 'findingsField',
						type: 'string',
						default: 'piiFindings',
						description: 'Output field that holds the findings',
					},
					{
						displayName: 'Findings in Output',
						name: 'findings',
						type: 'options',
						options: [
							{ name: 'Summary', value: 'summary', description: 'Counts per type' },
							{ name: 'Detailed', value: 'detailed', description: 'Counts plus each finding\'s type, path and offsets (never the value)' },
							{ name: 'None', value: 'none' },
						],
						default: 'summary',
					},
					{
						displayName: 'HTML Mode',
						name: 'htmlMode',
						type: 'options',
						options: [
							{ name: 'Auto', value: 'auto', description: 'Treat text that contains HTML tags as HTML' },
							{ name: 'Always', value: 'always' },
							{ name: 'Never', value: 'never' },
						],
						default: 'auto',
						description: 'In HTML only text and attribute values (mailto:, tel: links) are changed, entities are decoded before matching',
					},
					{
						displayName: 'Keep Binary Data',
						name: 'keepBinary',
						type: 'boolean',
						default: false,
						description: 'Whether to pass binary data through. It is not scanned, so it is dropped by default.',
					},
					{
						displayName: 'Max Text Length',
						name: 'maxTextLength',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 2097152,
						description: 'Longest text scanned, in characters',
					},
					{
						displayName: 'On Longer Text',
						name: 'onOversize',
						type: 'options',
						options: [
							{ name: 'Replace the Whole Text', value: 'redact', description: 'Fail closed: [OVERSIZE] instead of unscanned text' },
							{ name: 'Fail the Item', value: 'error' },
						],
						default: 'redact',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const { rules, options, subject } = readRules(this);
		if (rules.allow && rules.allow.length === 0) {
			throw new NodeOperationError(this.getNode(), 'Allowed Fields is empty', {
				description: 'List the paths to keep (e.g. id, external_id, role) or choose a preset.',
			});
		}
		let redactor: Redactor | undefined;
		let compileError: unknown;
		try {
			redactor = compileRedactor(rules); // once per run, for every item
		} catch (error) {
			compileError = error;
		}
		if (!redactor) {
			const field = compileError instanceof RedactionError ? (PARAMETER_NAMES[compileError.field] ?? compileError.field) : 'the rules';
			const message = compileError instanceof Error ? compileError.message : String(compileError);
			const nodeError = new NodeOperationError(this.getNode(), message, { description: `Check the parameter "${field}".` });
			// The rules apply to every item, so every item gets the error item.
			if (this.continueOnFail()) return [items.map((_, i) => errorItem(nodeError, i))];
			throw nodeError;
		}

		const out: INodeExecutionData[] = [];
		const totals: Record<string, number> = {};
		let itemsWithFindings = 0;
		for (let i = 0; i < items.length; i++) {
			try {
				const { value, findings } = redactor.redact(items[i].json, subjectContext(this, subject, items[i].json, i));
				const json = deepCopy((value ?? {}) as IDataObject);
				if (options.findings !== 'none') {
					json[options.findingsField] = {
						...summarise(findings),
						...(options.findings === 'detailed' ? { findings: findings.map((f) => ({ ...f })) } : {}),
					};
				}
				for (const f of findings) totals[f.type] = (totals[f.type] ?? 0) + 1;
				if (findings.length) itemsWithFindings++;
				out.push({
					json,
					...(options.keepBinary && items[i].binary ? { binary: items[i].binary } : {}),
					pairedItem: { item: i },
				});
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				const field = error instanceof RedactionError ? (PARAMETER_NAMES[error.field] ?? error.field) : undefined;
				const nodeError = new NodeOperationError(this.getNode(), `${message} [item ${i}]`, {
					itemIndex: i,
					...(field ? { description: `Check "${field}".` } : {}),
				});
				if (!this.continueOnFail()) throw nodeError;
				out.push(errorItem(nodeError, i));
			}
		}
		const total = Object.values(totals).reduce((a, b) => a + b, 0);
		const byType = Object.entries(totals)
			.sort((a, b) => b[1] - a[1])
			.map(([t, n]) => `${t} ${n}`)
			.join(', ');
		this.addExecutionHints({
			message: total
				? `PII Redact: ${total} finding${total === 1 ? '' : 's'} in ${itemsWithFindings} of ${items.length} items (${byType})`
				: `PII Redact: nothing found in ${items.length} item${items.length === 1 ? '' : 's'}`,
			type: 'info',
			location: 'outputPane',
		});
		return [out];
	}
}
