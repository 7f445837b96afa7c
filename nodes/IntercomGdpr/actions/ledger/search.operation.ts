import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IdentifierKind, Ledger, LedgerEntry, LedgerSearch } from '../../../../src/ledger';
import { perItem } from '../itemLoop';
import { getLedger } from '../../../shared/transport/ledger';

const properties: INodeProperties[] = [
	{
		displayName: 'Search By',
		name: 'searchBy',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: 'The ledger holds only its HMAC; the node computes it from the email you give' },
			{ name: 'External ID', value: 'externalId', description: 'The user ID your own system gave the contact (hashed like an email)' },
			{ name: 'Intercom Contact ID', value: 'contactId' },
			{ name: 'Recent Entries', value: 'recent', description: 'The newest entries, optionally of one type' },
			{ name: 'Request ID', value: 'requestId' },
		],
		default: 'email',
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. name@example.com',
		displayOptions: { hide: { searchBy: ['recent'] } },
		description: 'What to look for. Emails are trimmed and lower-cased before hashing, as when they were recorded.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Entry Type',
				name: 'type',
				type: 'options',
				options: [
					{ name: 'Any', value: '' },
					{ name: 'DSAR Export', value: 'dsar.export' },
					{ name: 'Erasure Done', value: 'erasure.done' },
					{ name: 'Erasure Failed', value: 'erasure.failed' },
					{ name: 'Erasure Intent', value: 'erasure.intent' },
					{ name: 'Erasure Not Found', value: 'erasure.not_found' },
					{ name: 'Signed Checkpoint', value: 'ledger.checkpoint' },
				],
				default: '',
			},
			{
				displayName: 'Since',
				name: 'since',
				type: 'dateTime',
				default: '',
			},
			{
				displayName: 'Until',
				name: 'until',
				type: 'dateTime',
				default: '',
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10000 },
				default: 50,
				description: 'Max number of results to return',
			},
		],
	},
];

const displayOptions = {
	show: {
		resource: ['ledger'],
		operation: ['search'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

const HASHED: Record<string, IdentifierKind> = { email: 'email', externalId: 'externalId' };

function entryJson(e: LedgerEntry): IDataObject {
	return { seq: e.seq, at: e.at, type: e.type, requestId: e.requestId, contactIds: e.contactIds, data: e.data as IDataObject, ...(e.actor ? { actor: e.actor as IDataObject } : {}), hash: e.hash };
}

function buildQuery(ctx: IExecuteFunctions, ledger: Ledger, i: number): { filter: LedgerSearch; query: IDataObject } {
	const by = ctx.getNodeParameter('searchBy', i) as string;
	const filters = ctx.getNodeParameter('filters', i, {}) as { type?: string; since?: string; until?: string; limit?: number };
	const filter: LedgerSearch = { limit: filters.limit ?? 50, newestFirst: by === 'recent' };
	if (filters.type) filter.type = filters.type;
	if (filters.since) filter.since = filters.since;
	if (filters.until) filter.until = filters.until;
	// The query echoed in the output never holds the email or external id, only its hash.
	const query: IDataObject = { by };
	if (by !== 'recent') {
		const raw = ctx.getNodeParameter('value', i, '') as string;
		const value = typeof raw === 'string' ? raw.trim() : String(raw);
		if (value === '') {
			throw new NodeOperationError(ctx.getNode(), `Value is empty [item ${i}]`, { description: 'Enter what to search for, or pick "Recent Entries".', itemIndex: i });
		}
		const kind = HASHED[by];
		if (kind) {
			filter.subject = ledger.hashIdentifier(kind, value);
			query.subjectHash = filter.subject;
		} else if (by === 'contactId') {
			filter.contactId = value.toLowerCase();
			query.contactId = filter.contactId;
		} else {
			filter.requestId = value;
			query.requestId = value;
		}
	}
	return { filter, query };
}

/**
 * Ledger → Search: one summary item per input item — "did we erase / export this person, and when" —
 * with the matching entries (oldest first; Recent Entries: newest first).
 */
export const execute = perItem({
	begin: (): { ledger?: Ledger } => ({}),
	open: async (ctx, state) => {
		state.ledger = await getLedger.call(ctx);
	},
	run: async (ctx, i, _input, state) => {
		const ledger = state.ledger!;
		const { filter, query } = buildQuery(ctx, ledger, i);
		const entries = await ledger.search(filter);
		const done = entries.filter((e) => e.type === 'erasure.done');
		const exports = entries.filter((e) => e.type === 'dsar.export');
		return [
			{
				json: {
					query,
					count: entries.length,
					erased: done.length > 0,
					lastErasureAt: done.length ? done[done.length - 1].at : null,
					exported: exports.length > 0,
					entries: entries.map(entryJson),
				},
			},
		];
	},
	close: async (state) => await state.ledger?.close(),
});
