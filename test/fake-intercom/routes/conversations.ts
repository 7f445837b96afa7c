// /conversations: search (no parts in results), get (500 most recent parts, real total_count), delete, redact.

import { HttpError, badRequest, notFound } from '../errors';
import type { Ctx, Route } from '../http';
import { intParam, versionAtLeast } from '../http';
import { compileQuery, pagesObject, paginate, readPagination, type FieldSpec } from '../search';
import { bodyAs, contactRef, fileAttribute, findAdmin } from '../serialize';
import type { ConversationRecord, PartRecord } from '../workspace';

export const MAX_CONVERSATION_PARTS = 500;

function conversationField(field: string): FieldSpec<ConversationRecord> | undefined {
	switch (field) {
		case 'id':
			return { kind: 'string', get: (c) => c.id };
		case 'contact_ids':
			return { kind: 'membership', get: (c) => c.contactIds };
		case 'created_at':
			return { kind: 'number', get: (c) => c.createdAt };
		case 'updated_at':
			return { kind: 'number', get: (c) => c.updatedAt };
		case 'state':
			return { kind: 'string', get: (c) => c.state };
		case 'open':
			return { kind: 'boolean', get: (c) => c.state !== 'closed' };
		case 'read':
			return { kind: 'boolean', get: (c) => c.read };
		case 'admin_assignee_id':
			return { kind: 'number', get: (c) => c.adminAssigneeId };
		case 'source.author.id':
			return { kind: 'string', get: (c) => c.sourceAuthor.id };
		case 'tag_ids':
			return { kind: 'membership', get: (c) => c.tagIds };
		case 'statistics.last_close_at':
			// A conversation never closed has no close time: no date filter matches it.
			return { kind: 'number', get: (c) => c.lastCloseAt ?? null };
	}
	return undefined;
}

/** `conversation_statistics` (OpenAPI): only the close times the fake models; null when it has none. */
function statisticsJson(c: ConversationRecord): Record<string, unknown> | null {
	if (c.lastCloseAt === undefined || c.lastCloseAt === null) return null;
	return { type: 'conversation_statistics', first_close_at: c.lastCloseAt, last_close_at: c.lastCloseAt, count_reopens: 0 };
}

function authorJson(ctx: Ctx, a: PartRecord['author']): Record<string, unknown> {
	if (a.type === 'admin' || a.type === 'bot') {
		const admin = findAdmin(ctx, a.id);
		return { type: a.type, id: admin.id, name: admin.name, email: admin.email };
	}
	const c = ctx.state.ws.contacts.get(a.id);
	// A deleted contact no longer has a name or email to show (an empty email would not be a valid `email`).
	return c ? { type: a.type, id: a.id, name: c.name, email: c.email } : { type: a.type, id: a.id, name: null };
}

function partJson(ctx: Ctx, p: PartRecord, state: ConversationRecord['state']): Record<string, unknown> {
	return {
		type: 'conversation_part',
		id: p.id,
		part_type: p.partType,
		body: bodyAs(ctx, p.body),
		created_at: p.createdAt,
		updated_at: p.createdAt,
		notified_at: p.createdAt,
		assigned_to: null,
		author: authorJson(ctx, p.author),
		attachments: p.attachments.map((a) => fileAttribute(ctx, a)),
		external_id: null,
		redacted: p.redacted === true,
		state,
		tags: [],
	};
}

function assignee(ctx: Ctx, id: number | null): number | null {
	// 2.16 types the assignee ids as plain integers (0 = unassigned); earlier versions allow null.
	return versionAtLeast(ctx.version, '2.16') ? (id ?? 0) : id;
}

function conversationJson(ctx: Ctx, c: ConversationRecord, withParts: boolean): Record<string, unknown> {
	const v216 = versionAtLeast(ctx.version, '2.16');
	const out: Record<string, unknown> = {
		type: 'conversation',
		id: c.id,
		title: null,
		created_at: c.createdAt,
		updated_at: c.updatedAt,
		waiting_since: c.state === 'open' ? c.updatedAt : null,
		snoozed_until: c.state === 'snoozed' ? c.updatedAt + 86_400 : null,
		open: c.state !== 'closed',
		state: c.state,
		read: c.read,
		priority: v216 ? (c.priority ? 'high' : 'none') : c.priority ? 'priority' : 'not_priority',
		admin_assignee_id: assignee(ctx, c.adminAssigneeId),
		team_assignee_id: assignee(ctx, c.teamAssigneeId),
		tags: {
			type: 'tag.list',
			tags: c.tagIds.map((id) => {
				const t = ctx.state.ws.tags.get(id);
				return { type: 'tag', id, name: t?.name ?? '', applied_at: t?.appliedAt ?? c.createdAt, applied_by: { type: 'admin', id: t?.appliedByAdminId ?? null } };
			}),
		},
		conversation_rating: c.rating
			? {
					rating: c.rating.rating,
					remark: c.rating.remark,
					created_at: c.rating.createdAt,
					updated_at: c.rating.createdAt,
					contact: contactRef(ctx, c.rating.contactId),
					teammate: { type: 'admin', id: c.rating.adminId },
				}
			: null,
		source: {
			type: 'conversation',
			id: `${c.id}0`,
			delivered_as: c.sourceAuthor.type === 'admin' ? 'admin_initiated' : 'customer_initiated',
			subject: c.subject,
			body: bodyAs(ctx, c.sourceBody),
			author: authorJson(ctx, c.sourceAuthor),
			attachments: [],
			url: null,
			redacted: c.sourceRedacted === true,
		},
		contacts: { type: 'contact.list', contacts: c.contactIds.map((id) => contactRef(ctx, id)) },
		teammates: {
			type: 'admin.list',
			teammates: c.adminAssigneeId === null ? [] : [{ type: 'admin', id: String(c.adminAssigneeId) }],
		},
		custom_attributes: {},
		first_contact_reply: { created_at: c.createdAt, type: 'conversation', url: null },
		sla_applied: null,
		statistics: statisticsJson(c),
		linked_objects: { type: 'list', total_count: 0, has_more: false, data: [] },
		ai_agent_participated: false,
	};
	if (withParts) {
		const recent = c.parts.slice(-MAX_CONVERSATION_PARTS);
		out.conversation_parts = {
			type: 'conversation_part.list',
			conversation_parts: recent.map((p) => partJson(ctx, p, c.state)),
			total_count: c.parts.length,
		};
	}
	return out;
}

function requireConversation(ctx: Ctx): ConversationRecord {
	const c = ctx.state.ws.conversations.get(ctx.params.id);
	if (!c) throw notFound();
	return c;
}

/** What Intercom shows instead of a redacted message (OpenAPI 2.14/2.16 example of redactConversation). */
export const REDACTED_BODY = '<p><i>This message was deleted</i></p>';

const notRedactable = (message: string): HttpError => new HttpError(400, 'conversation_part_not_redactable', message);
const partNotFound = (): HttpError => notFound('Conversation part or message not found', 'conversation_part_or_message_not_found');

/** An id field of the redact body: a string (the spec's type) or a whole number (the spec's example). */
function idField(body: Record<string, unknown>, name: string): string {
	const v = body[name];
	if (v === undefined || v === null || v === '') throw badRequest(`${name} is required`, 'parameter_not_found');
	if (typeof v === 'number' && Number.isInteger(v)) return String(v);
	if (typeof v !== 'string') throw badRequest(`${name} must be a string`);
	return v;
}

/**
 * POST /conversations/redact: one part (it must have a body) or the source message (it must have been
 * written by a contact), else 400 `conversation_part_not_redactable`; unknown ids → 404
 * `conversation_part_or_message_not_found`. Redacting twice is allowed and changes nothing.
 */
function redact(ctx: Ctx): Record<string, unknown> {
	const body = ctx.body as Record<string, unknown> | undefined;
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('A JSON body is required', 'parameter_not_found');
	const type = body.type;
	if (type !== 'conversation_part' && type !== 'source') throw badRequest("type must be 'conversation_part' or 'source'");
	const conversationId = idField(body, 'conversation_id');
	const extra = Object.keys(body).filter((k) => !['type', 'conversation_id', type === 'source' ? 'source_id' : 'conversation_part_id'].includes(k));
	if (extra.length > 0) throw badRequest(`Unknown parameter ${extra[0]} for type ${type}`);
	const c = ctx.state.ws.conversations.get(conversationId);
	if (type === 'source') {
		const sourceId = idField(body, 'source_id');
		if (!c || sourceId !== `${c.id}0`) throw partNotFound();
		if (c.sourceAuthor.type === 'admin') throw notRedactable('Only a source message written by a contact can be redacted');
		c.sourceBody = REDACTED_BODY;
		c.subject = '';
		c.sourceRedacted = true;
	} else {
		const partId = idField(body, 'conversation_part_id');
		const part = c?.parts.find((p) => p.id === partId);
		if (!c || !part) throw partNotFound();
		if (part.body === null || part.body === '') throw notRedactable('Conversation part has no body to redact');
		part.body = REDACTED_BODY;
		part.attachments = [];
		part.redacted = true;
	}
	c.updatedAt = ctx.nowSec;
	return conversationJson(ctx, c, true);
}

export const conversationRoutes: Route[] = [
	{ method: 'POST', path: '/conversations/redact', handler: (ctx) => ({ body: redact(ctx) }) },
	{
		method: 'GET',
		path: '/conversations/deleted',
		handler: (ctx) => {
			if (!versionAtLeast(ctx.version, '2.16')) {
				throw badRequest('Requested resource is not available in current API version.', 'intercom_version_invalid');
			}
			const perPage = intParam(ctx.query.per_page, 'per_page', { def: 20, min: 1, max: 60 });
			const page = intParam(ctx.query.page, 'page', { def: 1, min: 1, max: 1_000_000 });
			const order = ctx.query.order ?? 'desc';
			if (order !== 'asc' && order !== 'desc') throw badRequest("order must be 'asc' or 'desc'");
			const dir = order === 'asc' ? 1 : -1;
			const all = [...ctx.state.ws.deletedConversations].sort((a, b) => dir * (a.deletedAt - b.deletedAt || (a.id < b.id ? -1 : 1)));
			const totalPages = Math.max(1, Math.ceil(all.length / perPage));
			return {
				body: {
					type: 'conversations.list',
					conversations: all
						.slice((page - 1) * perPage, page * perPage)
						.map((d) => ({ type: 'conversation', id: d.id, metrics_retained: d.metricsRetained, deleted_at: d.deletedAt })),
					total_count: all.length,
					pages: {
						type: 'pages',
						next: page < totalPages ? `${ctx.baseUrl}/conversations/deleted?per_page=${perPage}&order=${order}&page=${page + 1}` : null,
						page,
						per_page: perPage,
						total_pages: totalPages,
					},
				},
			};
		},
	},
	{
		method: 'POST',
		path: '/conversations/search',
		handler: (ctx) => {
			const body = (ctx.body ?? {}) as Record<string, unknown>;
			if (typeof body !== 'object' || body.query === undefined) throw badRequest('query is required', 'parameter_not_found');
			const predicate = compileQuery(body.query, conversationField, ctx.state.ws.timeZone);
			const { perPage, startingAfter } = readPagination(body, 20);
			const matches = [...ctx.state.ws.conversations.values()].filter(predicate);
			const page = paginate(matches, (c) => c.createdAt, { perPage, startingAfter });
			return {
				body: {
					type: 'conversation.list',
					conversations: page.items.map((c) => conversationJson(ctx, c, false)),
					total_count: page.totalCount,
					pages: pagesObject(page),
				},
			};
		},
	},
	{
		method: 'GET',
		path: '/conversations/:id',
		handler: (ctx) => {
			if (ctx.query.display_as !== undefined && ctx.query.display_as !== 'plaintext') {
				throw badRequest("display_as must be 'plaintext'");
			}
			return { body: conversationJson(ctx, requireConversation(ctx), true) };
		},
	},
	{
		method: 'DELETE',
		path: '/conversations/:id',
		handler: (ctx) => {
			const c = requireConversation(ctx);
			// retain_metrics exists from 2.16; before that, reporting data is always kept.
			const raw = versionAtLeast(ctx.version, '2.16') ? ctx.query.retain_metrics : undefined;
			if (raw !== undefined && raw !== 'true' && raw !== 'false') throw badRequest('retain_metrics must be true or false');
			ctx.state.ws.conversations.delete(c.id);
			ctx.state.ws.deletedConversations.push({ id: c.id, deletedAt: ctx.nowSec, metricsRetained: raw !== 'false' });
			return { body: { id: c.id, object: 'conversation', deleted: true } };
		},
	},
];
