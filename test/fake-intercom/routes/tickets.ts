// /tickets: search (by contact_ids and a few more fields), get (with ticket_parts), delete.

import { badRequest, notFound } from '../errors';
import type { Ctx, Route } from '../http';
import { versionAtLeast } from '../http';
import { compileQuery, pagesObject, paginate, readPagination, type FieldSpec } from '../search';
import { contactRef, fileAttribute, findAdmin } from '../serialize';
import type { TicketRecord } from '../workspace';

function ticketField(field: string): FieldSpec<TicketRecord> | undefined {
	switch (field) {
		case 'id':
			return { kind: 'string', get: (t) => t.id };
		case 'contact_ids':
			return { kind: 'membership', get: (t) => t.contactIds };
		case 'created_at':
			return { kind: 'number', get: (t) => t.createdAt };
		case 'updated_at':
			return { kind: 'number', get: (t) => t.updatedAt };
		case 'open':
			return { kind: 'boolean', get: (t) => t.open };
		case 'state':
			return { kind: 'string', get: (t) => t.state };
	}
	return undefined;
}

const STATE_LABEL: Record<TicketRecord['state'], string> = {
	submitted: 'Submitted',
	in_progress: 'In progress',
	waiting_on_customer: 'Waiting on you',
	resolved: 'Resolved',
};

function ticketJson(ctx: Ctx, t: TicketRecord, withParts: boolean): Record<string, unknown> {
	const v216 = versionAtLeast(ctx.version, '2.16');
	const ws = ctx.state.ws;
	const attrs: Record<string, unknown> = { _default_title_: t.title, _default_description_: t.description };
	if (t.attachment) attrs.attachment = [fileAttribute(ctx, t.attachment)];
	const out: Record<string, unknown> = {
		type: 'ticket',
		id: t.id,
		ticket_id: t.ticketId,
		category: 'Customer',
		ticket_attributes: attrs,
		ticket_state: {
			type: 'ticket_state',
			id: `ts-${t.state}`,
			category: t.state,
			internal_label: STATE_LABEL[t.state],
			external_label: STATE_LABEL[t.state],
		},
		ticket_type: {
			type: 'ticket_type',
			id: '1',
			category: 'Customer',
			name: 'Fake request',
			icon: '🎟️',
			workspace_id: ws.app.idCode,
			archived: false,
			created_at: ws.app.createdAt,
			updated_at: ws.app.createdAt,
		},
		contacts: { type: 'contact.list', contacts: t.contactIds.map((id) => contactRef(ctx, id)) },
		// 2.14 types the assignee ids as strings, 2.16 as integers.
		admin_assignee_id: v216 ? t.adminAssigneeId : String(t.adminAssigneeId),
		team_assignee_id: v216 ? t.teamAssigneeId : String(t.teamAssigneeId),
		created_at: t.createdAt,
		updated_at: t.updatedAt,
		open: t.open,
		linked_objects: { type: 'list', total_count: 0, has_more: false, data: [] },
		is_shared: true,
	};
	if (withParts) {
		out.ticket_parts = {
			type: 'ticket_part.list',
			ticket_parts: t.parts.map((p) => {
				const author =
					p.author.type === 'admin' || p.author.type === 'bot'
						? (() => {
								const a = findAdmin(ctx, p.author.id);
								return { type: 'admin', id: a.id, name: a.name, email: a.email };
							})()
						: (() => {
								const c = ws.contacts.get(p.author.id);
								return c ? { type: 'user', id: c.id, name: c.name, email: c.email } : { type: 'user', id: p.author.id, name: null };
							})();
				const part: Record<string, unknown> = {
					type: 'ticket_part',
					id: p.id,
					part_type: p.partType,
					body: p.body,
					ticket_state: p.state,
					created_at: p.createdAt,
					updated_at: p.createdAt,
					assigned_to: null,
					author,
					attachments: [],
					external_id: null,
					redacted: false,
				};
				if (p.previousState) part.previous_ticket_state = p.previousState;
				return part;
			}),
			total_count: t.parts.length,
		};
	}
	return out;
}

function requireTicket(ctx: Ctx): TicketRecord {
	const t = ctx.state.ws.tickets.get(ctx.params.id);
	if (!t) throw notFound('Ticket not found', 'ticket_not_found');
	return t;
}

export const ticketRoutes: Route[] = [
	{
		method: 'POST',
		path: '/tickets/search',
		handler: (ctx) => {
			const body = (ctx.body ?? {}) as Record<string, unknown>;
			if (typeof body !== 'object' || body.query === undefined) throw badRequest('query is required', 'parameter_not_found');
			const predicate = compileQuery(body.query, ticketField, ctx.state.ws.timeZone);
			const { perPage, startingAfter } = readPagination(body, 20);
			const page = paginate([...ctx.state.ws.tickets.values()].filter(predicate), (t) => t.createdAt, { perPage, startingAfter });
			return {
				body: {
					type: 'ticket.list',
					tickets: page.items.map((t) => ticketJson(ctx, t, false)),
					total_count: page.totalCount,
					pages: pagesObject(page),
				},
			};
		},
	},
	{ method: 'GET', path: '/tickets/:id', handler: (ctx) => ({ body: ticketJson(ctx, requireTicket(ctx), true) }) },
	{
		method: 'DELETE',
		path: '/tickets/:id',
		handler: (ctx) => {
			const t = requireTicket(ctx);
			ctx.state.ws.tickets.delete(t.id);
			return { body: { id: t.id, object: 'ticket', deleted: true } };
		},
	},
];
