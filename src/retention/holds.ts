/**
 * Legal holds (GDPR Art. 17(3)(e), litigation holds): contacts that must not be deleted or archived,
 * whatever a retention rule or an erasure request says. Defined once here and used by Retention
 * (Preview/Enforce) and by Erase, so both honour the same holds the same way.
 *
 * A hold is a tag, a segment, a company or an explicit contact id. Tags: the contact embeds at most
 * 10, so past that the full list is read; segments are not embedded at all; companies likewise past
 * the 10 Intercom embeds. A match is reported as the rule (`{kind, id}`), never as the person.
 */
import { GdprError } from '../util/errors';
import type { Contact, IntercomGateway } from '../intercom';
import type { LegalHolds } from './types';

export type HoldKind = 'tag' | 'segment' | 'company' | 'contactId';

/** Which hold applies: the rule, not the person (a tag / segment / company id or the held contact id). */
export interface HoldMatch {
	kind: HoldKind;
	id: string;
}

export class LegalHoldsError extends GdprError {
	declare readonly field: string;
	constructor(field: string, message: string) {
		super(message, { code: 'bad_input', field });
		this.name = 'LegalHoldsError';
	}
}

const FIELDS = ['tagIds', 'segmentIds', 'companyIds', 'contactIds'] as const;
/** Intercom ids: numeric strings (tags) or 24 hex (contacts, companies, segments); no spaces, no slashes. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks the hold lists (arrays of id strings) and fills in empty ones. Names the field, never the value. */
export function normaliseHolds(holds: LegalHolds | undefined | null): Required<LegalHolds> {
	const out: Required<LegalHolds> = { tagIds: [], segmentIds: [], companyIds: [], contactIds: [] };
	if (holds === undefined || holds === null) return out;
	if (typeof holds !== 'object' || Array.isArray(holds)) throw new LegalHoldsError('legalHolds', 'legalHolds must be an object {tagIds, segmentIds, companyIds, contactIds}');
	for (const key of Object.keys(holds)) {
		if (!(FIELDS as readonly string[]).includes(key)) throw new LegalHoldsError(`legalHolds.${key}`, `legalHolds.${key} is not a known hold (use tagIds, segmentIds, companyIds or contactIds)`);
	}
	for (const f of FIELDS) {
		const list = holds[f];
		if (list === undefined || list === null) continue;
		if (!Array.isArray(list)) throw new LegalHoldsError(`legalHolds.${f}`, `legalHolds.${f} must be a list of Intercom ids`);
		for (const [i, v] of list.entries()) {
			if (typeof v !== 'string' || !ID.test(v.trim())) {
				throw new LegalHoldsError(`legalHolds.${f}[${i}]`, `legalHolds.${f}[${i}] is not an Intercom id (letters, digits, _ and - only)`);
			}
		}
		out[f] = [...new Set(list.map((v) => v.trim()))];
	}
	out.contactIds = out.contactIds.map((id) => id.toLowerCase());
	return out;
}

export function hasHolds(h: Required<LegalHolds>): boolean {
	return FIELDS.some((f) => h[f].length > 0);
}

interface Embedded {
	data?: Array<{ id?: string | number }>;
	has_more?: boolean;
}

/** Company ids of a contact: the embedded list, or the full list when Intercom embedded only the first 10. */
export async function companyIdsOf(gw: IntercomGateway, c: Contact): Promise<string[]> {
	const emb = c.companies as Embedded | undefined;
	const ids = (emb?.data ?? []).map((x) => String(x.id));
	if (!emb?.has_more) return ids;
	const all: string[] = [];
	for (let page = 1; page <= 100; page++) {
		const res = await gw.request<{ companies?: Array<{ id?: string }>; data?: Array<{ id?: string }>; pages?: { total_pages?: number } }>(
			'GET',
			`/contacts/${encodeURIComponent(c.id)}/companies`,
			{ query: { page, per_page: 50 } },
		);
		// The spec names the list `companies`; accept `data` too, as the embedded list uses it.
		all.push(...(res.data.companies ?? res.data.data ?? []).map((x) => String(x.id)));
		if (page >= (res.data.pages?.total_pages ?? 1)) break;
	}
	return all;
}

/** Tag ids of a contact: embedded (at most 10), else the full list. */
async function tagIdsOf(gw: IntercomGateway, c: Contact): Promise<string[]> {
	const emb = c.tags as Embedded | undefined;
	if (emb && !emb.has_more && Array.isArray(emb.data)) return emb.data.map((t) => String(t.id));
	const res = await gw.request<{ data?: Array<{ id?: string | number }> }>('GET', `/contacts/${encodeURIComponent(c.id)}/tags`);
	return (res.data.data ?? []).map((t) => String(t.id));
}

async function segmentIdsOf(gw: IntercomGateway, c: Contact): Promise<string[]> {
	const res = await gw.request<{ data?: Array<{ id?: string | number }> }>('GET', `/contacts/${encodeURIComponent(c.id)}/segments`);
	return (res.data.data ?? []).map((s) => String(s.id));
}

/**
 * The first hold that applies to a contact, or null. Checks, in order: the explicit id list, tags,
 * companies, segments; asks Intercom only for the kinds that have holds.
 */
export async function findHold(gw: IntercomGateway, c: Contact, holds: Required<LegalHolds>): Promise<HoldMatch | null> {
	const id = String(c.id).toLowerCase();
	if (holds.contactIds.includes(id)) return { kind: 'contactId', id };
	if (holds.tagIds.length > 0) {
		const tags = new Set(await tagIdsOf(gw, c));
		const hit = holds.tagIds.find((t) => tags.has(t));
		if (hit) return { kind: 'tag', id: hit };
	}
	if (holds.companyIds.length > 0) {
		const companies = new Set(await companyIdsOf(gw, c));
		const hit = holds.companyIds.find((x) => companies.has(x));
		if (hit) return { kind: 'company', id: hit };
	}
	if (holds.segmentIds.length > 0) {
		const segments = new Set(await segmentIdsOf(gw, c));
		const hit = holds.segmentIds.find((x) => segments.has(x));
		if (hit) return { kind: 'segment', id: hit };
	}
	return null;
}
