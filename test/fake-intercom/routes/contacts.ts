// /contacts: list, get (404 unknown, 410 + Link for merged), find_by_external_id (users only),
// search, delete, archive/unarchive and the per-contact sub-lists.

import { HttpError, badRequest, notFound } from '../errors';
import type { Ctx, Route } from '../http';
import { intParam, versionAtLeast } from '../http';
import { compileQuery, pagesObject, paginate, readPagination, type FieldSpec } from '../search';
import { companyJson, contactJson, noteJson } from '../serialize';
import { resolveMerge, type ContactRecord } from '../workspace';

function merged410(ctx: Ctx, mergedId: string): HttpError {
	const canonical = resolveMerge(ctx.state.ws, mergedId) as string;
	return new HttpError(410, 'contact_merged', "This contact has been merged. See the 'Link' header for the canonical contact.", {
		link: `</contacts/${canonical}>; rel="canonical"`,
	});
}

const userNotFound = (): HttpError => notFound('User Not Found');

/** The contact behind `id`; merged ids answer 410 only where Intercom documents it (GET by id). */
export function requireContact(ctx: Ctx, id: string, mergedAnswers410 = false): ContactRecord {
	const c = ctx.state.ws.contacts.get(id);
	if (c) return c;
	if (mergedAnswers410 && ctx.state.ws.merges.has(id)) throw merged410(ctx, id);
	throw userNotFound();
}

const DATE_FIELDS: Record<string, keyof ContactRecord> = {
	created_at: 'createdAt',
	updated_at: 'updatedAt',
	signed_up_at: 'signedUpAt',
	last_seen_at: 'lastSeenAt',
	last_replied_at: 'lastRepliedAt',
	last_contacted_at: 'lastContactedAt',
	last_email_opened_at: 'lastEmailOpenedAt',
	last_email_clicked_at: 'lastEmailClickedAt',
};

const DATE_CUSTOM_ATTRIBUTES = new Set(['last_order_at']);

export function contactField(field: string): FieldSpec<ContactRecord> | undefined {
	if (field in DATE_FIELDS) {
		const key = DATE_FIELDS[field];
		return { kind: 'date', get: (c) => c[key] };
	}
	switch (field) {
		case 'id':
			return { kind: 'string', get: (c) => c.id };
		case 'role':
			return { kind: 'string', get: (c) => c.role };
		case 'name':
			return { kind: 'string', get: (c) => c.name, caseInsensitive: true };
		case 'email':
			return { kind: 'string', get: (c) => c.email, caseInsensitive: true };
		case 'email_domain':
			return { kind: 'string', get: (c) => c.email.split('@')[1] ?? null, caseInsensitive: true };
		case 'phone':
			return { kind: 'string', get: (c) => c.phone };
		case 'external_id':
			return { kind: 'string', get: (c) => c.externalId };
		case 'owner_id':
			return { kind: 'number', get: (c) => c.ownerId };
		case 'unsubscribed_from_emails':
			return { kind: 'boolean', get: (c) => c.unsubscribedFromEmails };
		case 'has_hard_bounced':
			return { kind: 'boolean', get: (c) => c.hasHardBounced };
		case 'marked_email_as_spam':
			return { kind: 'boolean', get: (c) => c.markedEmailAsSpam };
		case 'location.country':
			return { kind: 'string', get: (c) => c.location.country, caseInsensitive: true };
		case 'location.region':
			return { kind: 'string', get: (c) => c.location.region, caseInsensitive: true };
		case 'location.city':
			return { kind: 'string', get: (c) => c.location.city, caseInsensitive: true };
		case 'tag_id':
			return { kind: 'membership', get: (c) => c.tagIds, operators: ['=', '!='] };
		case 'segment_id':
			return { kind: 'membership', get: (c) => c.segmentIds, operators: ['=', '!='] };
		case 'company_id':
			return { kind: 'membership', get: (c) => c.companyIds, operators: ['=', '!=', 'IN', 'NIN'] };
	}
	if (field.startsWith('custom_attributes.')) {
		const name = field.slice('custom_attributes.'.length);
		if (DATE_CUSTOM_ATTRIBUTES.has(name)) return { kind: 'date', get: (c) => c.customAttributes[name] ?? null };
		return {
			kind: 'number',
			get: (c) => {
				const v = c.customAttributes[name];
				return v !== null && typeof v === 'object' ? v.name : v ?? null;
			},
		};
	}
	return undefined;
}

function contactList(ctx: Ctx, contacts: ContactRecord[], perPage: number, startingAfter?: string, sort?: { field: string; descending: boolean }) {
	let sortKey = (c: ContactRecord): number | string | null => c.createdAt;
	if (sort) {
		const spec = contactField(sort.field);
		if (!spec || spec.kind === 'membership') throw badRequest(`Field '${sort.field}' cannot be sorted on`);
		sortKey = (c) => {
			const v = spec.get(c);
			return typeof v === 'number' || typeof v === 'string' ? v : null;
		};
	}
	const page = paginate(contacts, sortKey, { perPage, startingAfter, descending: sort?.descending });
	return {
		body: {
			type: 'list',
			data: page.items.map((c) => contactJson(ctx, c)),
			total_count: page.totalCount,
			pages: pagesObject(page),
		},
	};
}

/** Merged contacts are gone from the map; archived ones are kept but never listed or searched. */
const listable = (ctx: Ctx): ContactRecord[] => [...ctx.state.ws.contacts.values()].filter((c) => !c.archived);

function readSort(ctx: Ctx, body: Record<string, unknown>): { field: string; descending: boolean } | undefined {
	if (body.sort === undefined || !versionAtLeast(ctx.version, '2.16')) return undefined;
	const sort = body.sort as Record<string, unknown>;
	if (typeof sort !== 'object' || sort === null || typeof sort.field !== 'string') throw badRequest('sort.field is required');
	const order = sort.order ?? 'descending';
	if (order !== 'ascending' && order !== 'descending') {
		throw badRequest(`Invalid sort order '${String(order)}'. Must be one of: ascending, descending`, 'invalid_sort_order');
	}
	return { field: sort.field, descending: order === 'descending' };
}

/**
 * PUT /contacts/{id} (OpenAPI `UpdateContact`, body `update_contact_request`): the fake applies
 * `custom_attributes` only (other fields are accepted and ignored). A value is a string, number,
 * boolean or null (null clears it, a file attribute included); an object → 400. A name no contact
 * of the workspace has → 400, as Intercom answers for an attribute that is not defined.
 */
function updateCustomAttributes(ctx: Ctx, c: ContactRecord): void {
	const body = ctx.body as Record<string, unknown> | null | undefined;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Request body must be an object', 'parameter_invalid');
	const attrs = body.custom_attributes;
	if (attrs === undefined || attrs === null) return;
	if (typeof attrs !== 'object' || Array.isArray(attrs)) throw badRequest('custom_attributes must be an object', 'parameter_invalid');
	const known = new Set<string>();
	for (const x of ctx.state.ws.contacts.values()) for (const k of Object.keys(x.customAttributes)) known.add(k);
	for (const [name, value] of Object.entries(attrs as Record<string, unknown>)) {
		if (!known.has(name)) throw badRequest(`Custom attribute '${name}' does not exist`, 'parameter_invalid');
		if (value !== null && typeof value === 'object') throw badRequest(`Custom attribute '${name}' must be a string, number, boolean or null`, 'parameter_invalid');
	}
	for (const [name, value] of Object.entries(attrs as Record<string, unknown>)) c.customAttributes[name] = value as string | number | boolean | null;
	c.updatedAt = ctx.nowSec;
}

export const contactRoutes: Route[] = [
	{
		method: 'GET',
		path: '/contacts',
		handler: (ctx) => {
			const perPage = intParam(ctx.query.per_page, 'per_page', { def: 50, min: 1, max: 150 });
			return contactList(ctx, listable(ctx), perPage, ctx.query.starting_after || undefined);
		},
	},
	{
		method: 'POST',
		path: '/contacts/search',
		handler: (ctx) => {
			const body = (ctx.body ?? {}) as Record<string, unknown>;
			if (typeof body !== 'object' || body.query === undefined) throw badRequest('query is required', 'parameter_not_found');
			const predicate = compileQuery(body.query, contactField, ctx.state.ws.timeZone);
			const { perPage, startingAfter } = readPagination(body, 50);
			return contactList(ctx, listable(ctx).filter(predicate), perPage, startingAfter, readSort(ctx, body));
		},
	},
	{
		method: 'GET',
		path: '/contacts/find_by_external_id/:externalId',
		handler: (ctx) => {
			const eid = ctx.params.externalId;
			const c = [...ctx.state.ws.contacts.values()].find((x) => x.role === 'user' && x.externalId === eid);
			if (c) return { body: contactJson(ctx, c) };
			const mergedId = ctx.state.ws.mergedExternalIds.get(eid);
			if (mergedId) throw merged410(ctx, mergedId);
			throw userNotFound();
		},
	},
	{
		method: 'GET',
		path: '/contacts/:id',
		handler: (ctx) => ({ body: { ...contactJson(ctx, requireContact(ctx, ctx.params.id, true)), enabled_push_messaging: null } }),
	},
	{
		method: 'DELETE',
		path: '/contacts/:id',
		handler: (ctx) => {
			const c = requireContact(ctx, ctx.params.id);
			deleteContact(ctx, c);
			return { body: { id: c.id, external_id: c.externalId, type: 'contact', deleted: true } };
		},
	},
	{
		method: 'PUT',
		path: '/contacts/:id',
		handler: (ctx) => {
			const c = requireContact(ctx, ctx.params.id, true);
			updateCustomAttributes(ctx, c);
			return { body: { ...contactJson(ctx, c), enabled_push_messaging: null } };
		},
	},
	{
		method: 'POST',
		path: '/contacts/:id/archive',
		handler: (ctx) => {
			const c = requireContact(ctx, ctx.params.id);
			c.archived = true;
			return { body: { type: 'contact', id: c.id, external_id: c.externalId, archived: true } };
		},
	},
	{
		method: 'POST',
		path: '/contacts/:id/unarchive',
		handler: (ctx) => {
			const c = requireContact(ctx, ctx.params.id);
			c.archived = false;
			return { body: { type: 'contact', id: c.id, external_id: c.externalId, archived: false } };
		},
	},
	{
		method: 'GET',
		path: '/contacts/:id/tags',
		handler: (ctx) => {
			const c = requireContact(ctx, ctx.params.id);
			const tags = c.tagIds.map((id) => ctx.state.ws.tags.get(id)).filter((t) => t !== undefined);
			return {
				body: {
					type: 'list',
					data: tags.map((t) => ({
						type: 'tag',
						id: t.id,
						name: t.name,
						applied_at: t.appliedAt,
						applied_by: { type: 'admin', id: t.appliedByAdminId },
					})),
				},
			};
		},
	},
	{
		method: 'GET',
		path: '/contacts/:id/segments',
		handler: (ctx) => {
			const c = requireContact(ctx, ctx.params.id);
			const segs = c.segmentIds.map((id) => ctx.state.ws.segments.get(id)).filter((s) => s !== undefined);
			return {
				body: {
					type: 'list',
					data: segs.map((s) => ({
						type: 'segment',
						id: s.id,
						name: s.name,
						created_at: s.createdAt,
						updated_at: s.updatedAt,
						person_type: s.personType,
					})),
				},
			};
		},
	},
	{
		method: 'GET',
		path: '/contacts/:id/subscriptions',
		handler: (ctx) => {
			const c = requireContact(ctx, ctx.params.id);
			const data = c.subscriptions
				.map((s) => ctx.state.ws.subscriptionTypes.get(s.subscriptionTypeId))
				.filter((s) => s !== undefined)
				.map((s) => ({
					type: 'subscription',
					id: s.id,
					state: 'live',
					consent_type: s.consentType,
					default_translation: { name: s.name, description: `Fake ${s.name} subscription`, locale: 'en' },
					translations: [{ name: s.name, description: `Fake ${s.name} subscription`, locale: 'en' }],
					content_types: s.contentTypes,
				}));
			return { body: { type: 'list', data } };
		},
	},
	{
		method: 'GET',
		path: '/contacts/:id/companies',
		handler: (ctx) => {
			const c = requireContact(ctx, ctx.params.id);
			const perPage = intParam(ctx.query.per_page, 'per_page', { def: 50, min: 1, max: 150 });
			const page = intParam(ctx.query.page, 'page', { def: 1, min: 1, max: 1_000_000 });
			const all = c.companyIds.map((id) => ctx.state.ws.companies.get(id)).filter((x) => x !== undefined);
			const totalPages = Math.max(1, Math.ceil(all.length / perPage));
			const slice = all.slice((page - 1) * perPage, page * perPage);
			return {
				body: {
					type: 'list',
					companies: slice.map((co) => companyJson(ctx, co)),
					total_count: all.length,
					pages: {
						type: 'pages',
						page,
						per_page: perPage,
						total_pages: totalPages,
						next: page < totalPages ? `${ctx.baseUrl}/contacts/${c.id}/companies?page=${page + 1}&per_page=${perPage}` : null,
					},
				},
			};
		},
	},
	{
		method: 'GET',
		path: '/contacts/:id/notes',
		handler: (ctx) => {
			const c = requireContact(ctx, ctx.params.id);
			const perPage = intParam(ctx.query.per_page, 'per_page', { def: 50, min: 1, max: 150 });
			const page = intParam(ctx.query.page, 'page', { def: 1, min: 1, max: 1_000_000 });
			const all = c.noteIds
				.map((id) => ctx.state.ws.notes.get(id))
				.filter((n) => n !== undefined)
				.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
			const slice = all.slice((page - 1) * perPage, page * perPage);
			return {
				body: {
					type: 'list',
					data: slice.map((n) => noteJson(ctx, n)),
					total_count: all.length,
					// note_list.pages is typed cursor_pages, whose `next` is an object: page numbers only here.
					pages: { type: 'pages', page, per_page: perPage, total_pages: Math.max(1, Math.ceil(all.length / perPage)) },
				},
			};
		},
	},
];

/** Permanent delete: the contact, its notes, events, receipts and the conversations only it took part in. */
function deleteContact(ctx: Ctx, c: ContactRecord): void {
	const ws = ctx.state.ws;
	ws.contacts.delete(c.id);
	for (const id of c.noteIds) ws.notes.delete(id);
	for (const [id, conv] of ws.conversations) {
		if (!conv.contactIds.includes(c.id)) continue;
		conv.contactIds = conv.contactIds.filter((x) => x !== c.id);
		if (conv.contactIds.length === 0) ws.conversations.delete(id);
	}
	for (const t of ws.tickets.values()) t.contactIds = t.contactIds.filter((x) => x !== c.id);
	ws.events = ws.events.filter((e) => e.contactId !== c.id);
	ws.receipts = ws.receipts.filter((r) => r.contactId !== c.id);
}
