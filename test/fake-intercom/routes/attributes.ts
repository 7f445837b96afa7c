// GET /data_attributes (OpenAPI 2.14/2.16 `lisDataAttributes`): the workspace's attribute definitions,
// `data_attribute_list` of `data_attribute` {type, id (custom only), model, name, full_name, label,
// description, data_type, api_writable, ui_writable, messenger_writable, custom, archived}.
// model=contact lists a few standard attributes and every custom attribute the contacts carry (label
// and description from `ws.dataAttributeDefinitions` when a test set them); model=company the
// companies' custom attributes; conversation: none. Another model → 400 like Intercom's enum check.
import type { Route } from '../http';
import { HttpError } from '../errors';

type DataType = 'string' | 'integer' | 'float' | 'boolean' | 'date';
const STANDARD: Array<[string, string, string, DataType]> = [
	['name', 'Name', 'The name of the contact', 'string'],
	['email', 'Email', 'The email address of the contact', 'string'],
	['phone', 'Phone', 'The phone number of the contact', 'string'],
	['external_id', 'User ID', 'The unique identifier you gave the user', 'string'],
	['created_at', 'Signed up', 'When the contact was created', 'date'],
];

const typeOf = (v: unknown): DataType => (typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'float') : 'string');
const labelOf = (name: string): string => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export const dataAttributeRoutes: Route[] = [
	{
		method: 'GET',
		path: '/data_attributes',
		handler: (ctx) => {
			const ws = ctx.state.ws;
			const model = ctx.query.model ?? 'contact';
			if (!['contact', 'company', 'conversation'].includes(model)) throw new HttpError(400, 'parameter_invalid', 'model must be one of contact, company, conversation');
			const custom = new Map<string, unknown>();
			const records = model === 'contact' ? [...ws.contacts.values()] : model === 'company' ? [...ws.companies.values()] : [];
			for (const r of records) for (const [k, v] of Object.entries(r.customAttributes ?? {})) if (!custom.has(k) || custom.get(k) === null) custom.set(k, v);
			let id = 10_000;
			const data = [
				...(model === 'contact' ? STANDARD.map(([name, label, description, dataType]) => ({ name, label, description, dataType, custom: false })) : []),
				...[...custom.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, v]) => {
					const set = model === 'contact' ? ws.dataAttributeDefinitions?.get(name) : undefined;
					return { name, label: set?.label ?? labelOf(name), description: set?.description ?? '', dataType: set?.dataType ?? typeOf(v), custom: true };
				}),
			].map((a) => ({
				type: 'data_attribute',
				...(a.custom ? { id: ++id } : {}),
				model: model === 'conversation' ? 'contact' : model,
				name: a.name,
				full_name: a.custom ? `custom_attributes.${a.name}` : a.name,
				label: a.label,
				description: a.description,
				data_type: a.dataType,
				api_writable: true,
				ui_writable: a.custom,
				messenger_writable: false,
				custom: a.custom,
				archived: false,
			}));
			return { body: { type: 'list', data } };
		},
	},
];
