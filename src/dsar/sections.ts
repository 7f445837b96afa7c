/**
 * One fetcher per section of a contact. List endpoints go straight to the gateway (which paces
 * and bounds them); per-item fetches (each conversation, ticket, file) go through the export's
 * pool (a Semaphore of `concurrency` slots) so a contact with thousands of them never holds more
 * than that many pending fetches: they are queued, not started, at once.
 */
import { isGatewayOrigin, MAX_PER_PAGE, type IntercomGateway, type Semaphore } from '../intercom';
import { sha256Hex } from './render';
import type { DsarAttachment, DsarEventSummary, DsarFile, DsarOmission, DsarThread, JsonObject } from './types';

/** Page-number endpoints (notes, companies): Intercom's documented default page size is 50. */
const NUMBERED_PAGE_SIZE = 50;
/** A safety stop against a server that never ends paging (a bug there must not loop us forever). */
const MAX_PAGES = 10_000;

export interface SectionCtx {
	gw: IntercomGateway;
	pool: Semaphore;
	displayAs: 'html' | 'plaintext';
	/** Records an item that could not be included (a single conversation, ticket or file). */
	omit(o: DsarOmission): void;
	/** Decides whether an error on a single item is recorded (returns true) or must fail the export. */
	tolerate(error: unknown): boolean;
}

const asObjects = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter((x): x is JsonObject => !!x && typeof x === 'object') : []);

export async function listTags(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	const res = await ctx.gw.call('contacts.listAttachedTags', (sdk, req) => sdk.contacts.listAttachedTags({ contact_id: contactId }, req));
	return asObjects((res as unknown as JsonObject).data);
}

export async function listSegments(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	const res = await ctx.gw.call('contacts.listAttachedSegments', (sdk, req) => sdk.contacts.listAttachedSegments({ contact_id: contactId }, req));
	return asObjects((res as unknown as JsonObject).data);
}

export async function listSubscriptions(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	const res = await ctx.gw.call('contacts.listAttachedSubscriptions', (sdk, req) =>
		sdk.contacts.listAttachedSubscriptions({ contact_id: contactId }, req),
	);
	return asObjects((res as unknown as JsonObject).data);
}

/** Page-number paging until the last page (never just the 10 items embedded in the contact). */
async function numberedPages(fetchPage: (page: number) => Promise<{ items: JsonObject[]; totalPages?: number }>): Promise<JsonObject[]> {
	const out: JsonObject[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const { items, totalPages } = await fetchPage(page);
		out.push(...items);
		if (items.length === 0 || totalPages === undefined || page >= totalPages) break;
	}
	return out;
}

export function listCompanies(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	return numberedPages(async (page) => {
		const res = await ctx.gw.call('contacts.listAttachedCompanies', (sdk, req) =>
			sdk.contacts.listAttachedCompanies({ contact_id: contactId, page, per_page: NUMBERED_PAGE_SIZE }, req),
		);
		const body = res.response as unknown as JsonObject;
		return { items: asObjects(body.companies ?? body.data), totalPages: totalPagesOf(body) };
	});
}

export function listNotes(ctx: SectionCtx, contactId: string): Promise<JsonObject[]> {
	return numberedPages(async (page) => {
		const res = await ctx.gw.call('notes.list', (sdk, req) => sdk.notes.list({ contact_id: contactId, page, per_page: NUMBERED_PAGE_SIZE }, req));
		const body = res.response as unknown as JsonObject;
		return { items: asObjects(body.data), totalPages: totalPagesOf(body) };
	});
}

function totalPagesOf(body: JsonObject): number | undefined {
	const pages = body.pages as JsonObject | undefined;
	return typeof pages?.total_pages === 'number' ? pages.total_pages : undefined;
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
	fetchOne: (id: string) => Promise<DsarThread>,
): Promise<DsarThread[]> {
	const pending: Array<Promise<DsarThread | undefined>> = [];
	let cursor: string | undefined;
	for (let n = 0; n < MAX_PAGES; n++) {
		const page = await searchPage(cursor);
		for (const id of page.ids) {
			pending.push(
				ctx.pool.run(() => fetchOne(id)).catch((error: unknown) => {
					if (!ctx.tolerate(error)) throw error;
					ctx.omit({ contactId, section, itemId: id, ...describe(error) });
					return undefined;
				}),
			);
		}
		cursor = page.next;
		if (!cursor || page.ids.length === 0) break;
	}
	const done = await Promise.all(pending);
	return done.filter((t): t is DsarThread => t !== undefined);
}

export function listConversations(ctx: SectionCtx, contactId: string): Promise<DsarThread[]> {
	return searchThenFetch(
		ctx,
		contactId,
		'conversations',
		async (cursor) => {
			const page = await ctx.gw.call('conversations.search', (sdk, req) =>
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
			const conversation = await ctx.gw.call('conversations.find', (sdk, req) =>
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
			const page = await ctx.gw.call('tickets.search', (sdk, req) =>
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
			const ticket = await ctx.gw.call('tickets.get', (sdk, req) => sdk.tickets.get({ ticket_id: id }, req));
			return thread((ticket ?? { id }) as unknown as JsonObject, 'ticket_parts');
		},
	);
}

/**
 * GET /events?type=user&intercom_user_id=… following `pages.next` (an absolute URL with a
 * `before` cursor) — only on the gateway's own host, so the token never goes elsewhere — plus the
 * `summary=true` counts, which also cover events older than 90 days.
 */
export async function listEvents(ctx: SectionCtx, contactId: string): Promise<{ listed: JsonObject[]; summary: DsarEventSummary[] }> {
	const base = new URL(ctx.gw.baseUrl);
	const listing = (async () => {
		const listed: JsonObject[] = [];
		let path = '/events';
		let query: Record<string, string | number | boolean> = { type: 'user', intercom_user_id: contactId, per_page: MAX_PER_PAGE };
		for (let n = 0; n < MAX_PAGES; n++) {
			const res = await ctx.gw.request<JsonObject>('GET', path, { query });
			listed.push(...asObjects(res.data.events));
			const next = (res.data.pages as JsonObject | undefined)?.next;
			if (typeof next !== 'string' || next === '') break;
			const url = new URL(next, base);
			if (!isGatewayOrigin(url, ctx.gw.baseUrl)) {
				throw new Error(`events paging pointed at another host (${url.host}); stopped to keep the access token on the Intercom host`);
			}
			path = url.pathname;
			query = Object.fromEntries(url.searchParams.entries());
		}
		return listed;
	})();
	const summary = ctx.gw
		.request<JsonObject>('GET', '/events', { query: { type: 'user', intercom_user_id: contactId, summary: true } })
		.then((res) =>
			asObjects(res.data.events).map((e) => ({
				name: String(e.name ?? ''),
				first: typeof e.first === 'string' ? e.first : null,
				last: typeof e.last === 'string' ? e.last : null,
				count: typeof e.count === 'number' ? e.count : 0,
			})),
		);
	const [listed, summaryList] = await Promise.all([listing, summary]);
	return { listed, summary: summaryList };
}

/** File custom attributes: `{type: 'upload', name, url, content_type}` (a 30-minute signed URL). */
export function fileAttributes(profile: JsonObject): Array<{ attribute: string; name: string; url: string; contentType: string | null }> {
	const attrs = (profile.custom_attributes ?? {}) as JsonObject;
	const out: Array<{ attribute: string; name: string; url: string; contentType: string | null }> = [];
	for (const [attribute, value] of Object.entries(attrs)) {
		for (const v of Array.isArray(value) ? value : [value]) {
			if (!v || typeof v !== 'object') continue;
			const f = v as JsonObject;
			if (typeof f.url !== 'string' || (f.type !== 'upload' && f.type !== 'file')) continue;
			out.push({
				attribute,
				name: typeof f.name === 'string' ? f.name : 'file',
				url: f.url,
				contentType: typeof f.content_type === 'string' ? f.content_type : null,
			});
		}
	}
	return out;
}

/**
 * Downloads file custom attributes into the package. Only URLs on the gateway's own host are
 * followed (the gateway refuses others before sending anything, so the token stays there);
 * a URL elsewhere is recorded as an omission and stays in the profile as a link.
 */
export async function downloadFiles(
	ctx: SectionCtx,
	contactId: string,
	profile: JsonObject,
	attachments: DsarAttachment[],
): Promise<DsarFile[]> {
	const base = new URL(ctx.gw.baseUrl);
	const files = fileAttributes(profile);
	const results = await Promise.all(
		files.map(async (f, index) => {
			let url: URL;
			try {
				url = new URL(f.url, base);
			} catch {
				ctx.omit({ contactId, section: 'files', itemId: f.attribute, reason: 'the file URL is not a valid URL' });
				return undefined;
			}
			if (!isGatewayOrigin(url, ctx.gw.baseUrl)) {
				ctx.omit({
					contactId,
					section: 'files',
					itemId: f.attribute,
					reason: `the file is on ${url.host}, not on the Intercom API host of the credential; only a link (valid 30 minutes) is in the profile`,
				});
				return undefined;
			}
			const path = `files/${contactId}/${index + 1}-${safeFileName(f.name)}`;
			const data = await ctx.pool
				.run(async () => {
					const dl = await ctx.gw.download(url.toString());
					return new Uint8Array(await new Response(dl.body).arrayBuffer());
				})
				.catch((error: unknown) => {
					if (!ctx.tolerate(error)) throw error;
					const why = describe(error);
					if (why.status === 403) why.reason = 'the file URL had expired (403; Intercom file URLs are valid 30 minutes): run the export again';
					ctx.omit({ contactId, section: 'files', itemId: f.attribute, ...why });
					return undefined;
				});
			if (data === undefined) return undefined;
			attachments.push({ path, contentType: f.contentType ?? 'application/octet-stream', data });
			const file: DsarFile = {
				attribute: f.attribute,
				name: f.name,
				contentType: f.contentType,
				size: data.byteLength,
				sha256: sha256Hex(data),
				path,
			};
			return file;
		}),
	);
	return results.filter((f): f is DsarFile => f !== undefined);
}

export function safeFileName(name: string): string {
	const cleaned = name.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
	return cleaned === '' ? 'file' : cleaned;
}

/** Why something is missing, from an error: status, Intercom code, request id (never personal data). */
export function describe(error: unknown): { reason: string; status?: number; code?: string; requestId?: string } {
	const e = error as { status?: number; code?: string; requestId?: string; message?: string };
	const status = typeof e?.status === 'number' ? e.status : undefined;
	const code = typeof e?.code === 'string' ? e.code : undefined;
	let reason: string;
	if (status === 403 && code === 'api_plan_restricted') reason = 'your Intercom plan does not include this API (403 api_plan_restricted)';
	else if (status === 403) reason = `the access token lacks the permission for this data (403${code ? ` ${code}` : ''}); tickets need the "Read tickets" scope`;
	else if (status === 401) reason = 'the access token was not accepted (401)';
	else if (status === 404) reason = 'Intercom no longer has it (404)';
	else reason = e?.message ? String(e.message) : 'it could not be fetched';
	return { reason, ...(status !== undefined ? { status } : {}), ...(code ? { code } : {}), ...(e?.requestId ? { requestId: e.requestId } : {}) };
}
