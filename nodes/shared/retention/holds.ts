import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { LegalHolds } from '../../../src/retention';

/**
 * The legal-hold fields, defined once for Retention (Preview/Enforce form) and Data Subject → Erase,
 * so both honour the same holds (src/retention/holds.ts checks them).
 */
export const legalHoldFields: INodeProperties[] = [
	{ displayName: 'Company IDs', name: 'companyIds', type: 'string', default: '', description: 'Comma-separated Intercom company IDs' },
	{ displayName: 'Contact IDs', name: 'contactIds', type: 'string', default: '', description: 'Comma-separated Intercom contact IDs' },
	{ displayName: 'Segment IDs', name: 'segmentIds', type: 'string', default: '', description: 'Comma-separated Intercom segment IDs' },
	{ displayName: 'Tag IDs', name: 'tagIds', type: 'string', default: '', description: 'Comma-separated Intercom tag IDs (e.g. a "legal-hold" tag)' },
];

const idList = (v: unknown): string[] =>
	String(v ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');

/** The collection's values → LegalHolds (checked by the core, which names the field of a bad id). */
export function holdsFromCollection(holds: IDataObject | undefined): LegalHolds {
	const h = holds ?? {};
	return { tagIds: idList(h.tagIds), segmentIds: idList(h.segmentIds), companyIds: idList(h.companyIds), contactIds: idList(h.contactIds) };
}

