/**
 * One fetcher per section of a contact. List endpoints go straight to the gateway (which paces
 * and bounds them); per-item fetches (each conversation, ticket, file) go through the export's
 * pool (a Semaphore of `concurrency` slots) so a contact with thousands of them never holds more
 * than that many pending fetches: they are queued, not started, at once.
 */
import type { IntercomClient } from 'intercom-client';
import { isGatewayOrigin, MAX_PER_PAGE, type IntercomGateway, type RequestOptions, type Semaphore } from '../intercom';
import type { FileFetchLimits } from './files';
import type { ExportRun } from './run';
import type { DsarEventSummary, DsarOmission, DsarOmissionKind, DsarThread, JsonObject } from './types';

/** Page-number endpoints (notes, companies): Intercom's documented default page size is 50. */
const NUMBERED_PAGE_SIZE = 50;
/** A safety stop against a server that never ends paging (a bug there must not loop us forever). */
const MAX_PAGES = 10_000;

export interface SectionCtx {
	gw: IntercomGateway;
	pool: Semaphore;
	displayAs: 'html' | 'plaintext';
	/** Records an item that could not be included (a single conversation, ticket or file), with why for the person (`kind`). */
	omit(o: DsarOmission & { kind: DsarOmissionKind }): void;
	/** Decides whether an error on a single item is recorded (returns true) or must fail the export. */
	tolerate(error: unknown): boolean;
	/** The export's run: aborted on the first fatal error or the caller's cancel signal. */
	run: ExportRun;
	/** Download limits (time for the whole body, size) and the hosts files may come from. */
	files: FileFetchLimits;
}

/** An SDK call that is not started once the run has failed, and is cancelled when it fails meanwhile. */
export async function sdkCall<T>(ctx: SectionCtx, operation: string, fn: (sdk: IntercomClient, req: RequestOptions) => Promise<T>): Promise<T> {
	ctx.run.check();
	const out = await ctx.gw.call(operation, (sdk, req) => fn(sdk, { ...req, abortSignal: ctx.run.signal }));
	ctx.run.check();
	return out;
}

/** A raw JSON GET under the same rule (the gateway's raw call takes no signal: it is checked before and after). */
async function rawGet(ctx: SectionCtx, path: string, query: Record<string, string | number | boolean>): Promise<JsonObject> {
	ctx.run.check();
	const res = await ctx.gw.request<JsonObject>('GET', path, { query });
	ctx.run.check();
	return res.data ?? {};
}

/**
 * Runs one per-item fetch in the pool and settles it right here: a tolerated error (403/404 on one
 * item) becomes an omission, any other error fails the run (which cancels everything else). The
 * returned promise never rejects, so no rejection can be left without a handler.
 */
export function settled<T>(ctx: SectionCtx, fn: () => Promise<T>, onTolerated: (error: unknown) => void): Promise<T | undefined> {
	return ctx.pool
		.run(async () => {
			ctx.run.check(); // queued work does not start after a failure
			return fn();
		})
		.catch((error: unknown) => {
			if (ctx.run.failed) return undefined;
			if (ctx.tolerate(error)) onTolerated(error);
			else ctx.run.fail(error);
			return undefined;
		});
}

export const asObjects = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter((x): x is JsonObject => !!x && typeof x === 'object') : []);

export async function listTags(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	const res = await sdkCall(ctx, 'contacts.listAttachedTags', (sdk, req) => sdk.contacts.listAttachedTags({ contact_id: contactId }, req));
	return asObjects((res as unknown as JsonObject).data);
}

export async function listSegments(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	const res = await sdkCall(ctx, 'contacts.listAttachedSegments', (sdk, req) => sdk.contacts.listAttachedSegments({ contact_id: contactId }, req));
	return asObjects((res as unknown as JsonObject).data);
}

export async function listSubscriptions(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	const res = await sdkCall(ctx, 'contacts.listAttachedSubscriptions', (sdk, req) =>
		sdk.contacts.listAttachedSubscriptions({ contact_id: contactId }, req),
	);
	return asObjects((res as unknown as JsonObject).data);
}

/**
 * Page-number paging (notes, companies) to the end, driven by `pages.next` (Intercom's own "there
 * is more"), never by the optional `total_pages` alone: a page with a `next` is followed even when
 * the total is missing; without `next`, a stated `total_pages` beyond this page, or a full page
 * without any paging information, is followed too. An empty page always ends.
 */
async function numberedPages(fetchPage: (page: number) => Promise<{ items: JsonObject[]; pages: JsonObject | undefined }>): Promise<JsonObject[]> {
	const out: JsonObject[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const { items, pages } = await fetchPage(page);
		out.push(...items);
		if (items.length === 0) break;
		const next = pages?.next;
		const total = typeof pages?.total_pages === 'number' ? pages.total_pages : undefined;
		const more =
			(next !== undefined && next !== null && next !== '') ||
			(total !== undefined && page < total) ||
			(next === undefined && total === undefined && items.length >= NUMBERED_PAGE_SIZE);
		if (!more) break;
	}
	return out;
}

export function listCompanies(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	return numberedPages(async (page) => {
		const res = await sdkCall(ctx, 'contacts.listAttachedCompanies', (sdk, req) =>
			sdk.contacts.listAttachedCompanies({ contact_id: contactId, page, per_page: NUMBERED_PAGE_SIZE }, req),
		);
		const body = res.response as unknown as JsonObject;
		return { items: asObjects(body.companies ?? body.data), pages: body.pages as JsonObject | undefined };
	});
}

export function listNotes(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	return numberedPages(async (page) => {
		const res = await sdkCall(ctx, 'notes.list', (sdk, req) => sdk.notes.list({ contact_id: contactId, page, per_page: NUMBERED_PAGE_SIZE }, req));
		const body = res.response as unknown as JsonObject;
		return { items: asObjects(body.data), pages: body.pages as JsonObject | undefined };
	});
}

function thread(data: JsonObject, partsKey: 'conversation_parts' | 'ticket_parts'): DsarThread {
	const list = (data[partsKey] ?? {}) as JsonObject;
	const parts = asObjects(list[partsKey]);
	const total = typeof list.total_count === 'number' ? list.total_count : parts.length;
	return { data, partsReturned: parts.length, partsTotal: total, truncated: total > parts.length };
}

/**
 * Search on contact_ids to the last page (150 per page), then GET each item in full. The list
 * items are dropped as soon as their ids are taken: only the full objects (the package) are kept.
 */
async function searchThenFetch(
	ctx: SectionCtx,
	contactId: string,
	section: 'conversations' | 'tickets',
	searchPage: (cursor: string | undefined) => Promise<{ ids: string[]; next?: string }>,
	fetchOne: (id: string) => Promise<DsarThread | undefined>,
): Promise<DsarThread[]> {
	const pending: Array<Promise<DsarThread | undefined>> = [];
	let cursor: string | undefined;
	for (let n = 0; n < MAX_PAGES; n++) {
		const page = await searchPage(cursor);
		for (const id of page.ids) {
			pending.push(settled(ctx, () => fetchOne(id), (error) => ctx.omit({ contactId, section, itemId: id, ...describe(error) })));
		}
		cursor = page.next;
		if (!cursor || page.ids.length === 0) break;
	}
	const done = await Promise.all(pending); // never rejects: each fetch settled where it was created
	ctx.run.check();
	return done.filter((t): t is DsarThread => t !== undefined);
}

export function listConversations(ctx: SectionCtx, contactId: string): Promise<DsarThread[]> {
	return searchThenFetch(
		ctx,
		contactId,
		'conversations',
		async (cursor) => {
			const page = await sdkCall(ctx, 'conversations.search', (sdk, req) =>
				sdk.conversations.search(
					{
						query: { field: 'contact_ids', operator: '=', value: contactId },
						pagination: cursor ? { per_page: MAX_PER_PAGE, starting_after: cursor } : { per_page: MAX_PER_PAGE },
					},
					req,
				),
			);
			return { ids: page.data.map((c) => String(c.id)), next: page.response.pages?.next?.starting_after ?? undefined };
		},
		async (id) => {
			const conversation = await sdkCall(ctx, 'conversations.find', (sdk, req) =>
				sdk.conversations.find(ctx.displayAs === 'plaintext' ? { conversation_id: id, display_as: 'plaintext' } : { conversation_id: id }, req),
			);
			return thread(conversation as unknown as JsonObject, 'conversation_parts');
		},
	);
}

export function listTickets(ctx: SectionCtx, contactId: string): Promise<DsarThread[]> {
	return searchThenFetch(
		ctx,
		contactId,
		'tickets',
		async (cursor) => {
			const page = await sdkCall(ctx, 'tickets.search', (sdk, req) =>
				sdk.tickets.search(
					{
						query: { field: 'contact_ids', operator: '=', value: contactId },
						pagination: cursor ? { per_page: MAX_PER_PAGE, starting_after: cursor } : { per_page: MAX_PER_PAGE },
					},
					req,
				),
			);
			const ids = page.data.filter((t) => t !== undefined).map((t) => String(t.id));
			return { ids, next: page.response.pages?.next?.starting_after ?? undefined };
		},
		async (id) => {
			const ticket = await sdkCall(ctx, 'tickets.get', (sdk, req) => sdk.tickets.get({ ticket_id: id }, req));
			// The SDK types the answer as optional: an empty answer is a missing ticket, stated as such
			// (the package is flagged incomplete), never an empty ticket that looks complete.
			if (ticket === undefined || ticket === null || typeof ticket !== 'object') {
				ctx.omit({ contactId, section: 'tickets', itemId: id, reason: 'Intercom answered without the ticket (an empty answer); it is not included: run the export again', kind: 'intercom_error' });
				return undefined;
			}
			return thread(ticket as unknown as JsonObject, 'ticket_parts');
		},
	);
}

/**
 * GET /events?type=user&intercom_user_id=… following `pages.next` (an absolute URL with a
 * `before` cursor) — only on the gateway's own host, so the token never goes elsewhere; a `next`
 * elsewhere ends the listing with a stated omission (what was listed so far is kept) — plus the
 * `summary=true` counts, which also cover events older than 90 days.
 */
export async function listEvents(ctx: SectionCtx, contactId: string): Promise<{ listed: JsonObject[]; summary: DsarEventSummary[] }> {
	const base = new URL(ctx.gw.baseUrl);
	const listing = async (): Promise<JsonObject[]> => {
		const listed: JsonObject[] = [];
		let path = '/events';
		let query: Record<string, string | number | boolean> = { type: 'user', intercom_user_id: contactId, per_page: MAX_PER_PAGE };
		for (let n = 0; n < MAX_PAGES; n++) {
			const data = await rawGet(ctx, path, query);
			listed.push(...asObjects(data.events));
			const next = (data.pages as JsonObject | undefined)?.next;
			if (typeof next !== 'string' || next === '') break;
			let url: URL | undefined;
			try {
				url = new URL(next, base);
			} catch {
				url = undefined;
			}
			if (!url || !isGatewayOrigin(url, ctx.gw.baseUrl)) {
				ctx.omit({
					contactId,
					section: 'events',
					kind: 'listing_stopped',
					reason: `Intercom's link to the next page of events pointed at another host${url ? ` (${url.host})` : ''}; the listing stopped there to keep the access token on the Intercom host, so older events of the last 90 days may be missing (the counts below cover all of them)`,
				});
				break;
			}
			path = url.pathname;
			query = Object.fromEntries(url.searchParams.entries());
		}
		return listed;
	};
	const summary = async (): Promise<DsarEventSummary[]> => {
		const data = await rawGet(ctx, '/events', { type: 'user', intercom_user_id: contactId, summary: true });
		return asObjects(data.events).map((e) => ({
			name: String(e.name ?? ''),
			first: typeof e.first === 'string' ? e.first : null,
			last: typeof e.last === 'string' ? e.last : null,
			count: typeof e.count === 'number' ? e.count : 0,
		}));
	};
	const [listed, summaryList] = await Promise.all([listing(), summary()]);
	return { listed, summary: summaryList };
}

/** Why something is missing, from an error: status, Intercom code, request id (never personal data). */
export function describe(error: unknown): { reason: string; kind: DsarOmissionKind; status?: number; code?: string; requestId?: string } {
	const e = error as { status?: number; code?: string; requestId?: string; message?: string };
	const status = typeof e?.status === 'number' ? e.status : undefined;
	const code = typeof e?.code === 'string' ? e.code : undefined;
	let reason: string;
	if (status === 403 && code === 'api_plan_restricted') reason = 'your Intercom plan does not include this API (403 api_plan_restricted)';
	else if (status === 403) reason = `the access token lacks the permission for this data (403${code ? ` ${code}` : ''}); tickets need the "Read tickets" scope`;
	else if (status === 401) reason = 'the access token was not accepted (401)';
	else if (status === 404) reason = 'Intercom no longer has it (404)';
	else reason = e?.message ? String(e.message) : 'it could not be fetched';
	const kind: DsarOmissionKind = status === 403 ? 'not_permitted' : status === 404 ? 'gone' : 'intercom_error';
	return { reason, kind, ...(status !== undefined ? { status } : {}), ...(code ? { code } : {}), ...(e?.requestId ? { requestId: e.requestId } : {}) };
}
