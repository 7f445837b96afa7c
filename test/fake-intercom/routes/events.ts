// GET /events: type=user required; the person by intercom_user_id | user_id (external_id, users
// only) | email; only events from the last 90 days are listed, newest first, with pages.next as an
// absolute URL carrying a `before=` cursor; summary=true counts every event ever recorded.

import { badRequest, notFound } from '../errors';
import type { Ctx, Route } from '../http';
import { intParam } from '../http';
import type { ContactRecord, DataEventRecord } from '../workspace';

export const LISTABLE_EVENT_DAYS = 90;

function findPerson(ctx: Ctx): ContactRecord {
	const { intercom_user_id: iid, user_id: uid, email } = ctx.query;
	const contacts = [...ctx.state.ws.contacts.values()];
	let c: ContactRecord | undefined;
	if (iid) c = ctx.state.ws.contacts.get(iid);
	else if (uid) c = contacts.find((x) => x.role === 'user' && x.externalId === uid);
	else if (email) {
		// Several contacts can share an email (lead + user): Intercom picks the user.
		const matches = contacts.filter((x) => x.email.toLowerCase() === email.toLowerCase());
		c = matches.find((x) => x.role === 'user') ?? matches[0];
	} else {
		throw badRequest('One of intercom_user_id, user_id or email is required', 'parameter_not_found');
	}
	if (!c) throw notFound('User Not Found');
	return c;
}

function eventJson(e: DataEventRecord, c: ContactRecord): Record<string, unknown> {
	const out: Record<string, unknown> = {
		type: 'event',
		id: e.id,
		event_name: e.eventName,
		created_at: Math.floor(e.createdAtMs / 1000),
		intercom_user_id: c.id,
		email: c.email,
		metadata: e.metadata,
	};
	if (c.externalId) out.user_id = c.externalId;
	return out;
}

export const eventRoutes: Route[] = [
	{
		method: 'GET',
		path: '/events',
		handler: (ctx) => {
			if (ctx.query.type === undefined) throw badRequest('type is a required parameter', 'parameter_not_found');
			if (ctx.query.type !== 'user') throw badRequest("type must be 'user'");
			const c = findPerson(ctx);
			const mine = ctx.state.ws.events.filter((e) => e.contactId === c.id).sort((a, b) => b.createdAtMs - a.createdAtMs);

			if (ctx.query.summary === 'true') {
				const byName = new Map<string, { first: number; last: number; count: number }>();
				for (const e of mine) {
					const s = byName.get(e.eventName) ?? { first: e.createdAtMs, last: e.createdAtMs, count: 0 };
					s.first = Math.min(s.first, e.createdAtMs);
					s.last = Math.max(s.last, e.createdAtMs);
					s.count += 1;
					byName.set(e.eventName, s);
				}
				const summary: Record<string, unknown> = {
					type: 'event.summary',
					email: c.email,
					intercom_user_id: c.id,
					events: [...byName.entries()]
						.sort(([a], [b]) => (a < b ? -1 : 1))
						.map(([name, s]) => ({ name, first: new Date(s.first).toISOString(), last: new Date(s.last).toISOString(), count: s.count })),
				};
				if (c.externalId) summary.user_id = c.externalId;
				return { body: summary };
			}

			const perPage = intParam(ctx.query.per_page, 'per_page', { def: 50, min: 1, max: 150 });
			const oldest = (ctx.nowSec - LISTABLE_EVENT_DAYS * 86_400) * 1000;
			const before = ctx.query.before === undefined ? Infinity : Number(ctx.query.before);
			if (Number.isNaN(before)) throw badRequest('before must be a timestamp in milliseconds');
			const listable = mine.filter((e) => e.createdAtMs >= oldest && e.createdAtMs < before);
			const page = listable.slice(0, perPage);
			const body: Record<string, unknown> = { type: 'event.list', events: page.map((e) => eventJson(e, c)), pages: {} };
			if (listable.length > perPage) {
				const next = new URL(`${ctx.baseUrl}/events`);
				for (const [k, v] of Object.entries(ctx.query)) if (k !== 'before') next.searchParams.set(k, v);
				next.searchParams.set('per_page', String(perPage));
				next.searchParams.set('before', String(page[page.length - 1].createdAtMs));
				body.pages = { next: next.toString() };
			}
			return { body };
		},
	},
];
