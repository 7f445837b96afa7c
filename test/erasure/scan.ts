// Scans everything the fake Intercom still serves for a person's email, name and phone: every
// contact (listed, and by id — archived ones too), their notes, every conversation (source and each
// part) and every ticket, over HTTP like any client. Returns where each hit is, in the receipt's terms.
import type { FakeIntercom } from '../fake-intercom';
import { call, type Json } from '../fake-intercom/testing';

export interface Hit {
	type: 'contacts' | 'notes' | 'tickets' | 'conversations' | 'conversationParts';
	id: string;
	conversationId?: string;
}

function has(value: unknown, needles: string[]): boolean {
	const text = JSON.stringify(value ?? null).toLowerCase();
	return needles.some((n) => text.includes(n.toLowerCase()));
}

async function ok(fake: FakeIntercom, method: string, path: string, body?: unknown): Promise<Json> {
	const r = await call(fake, method, path, body === undefined ? {} : { body });
	if (r.status !== 200) throw new Error(`${method} ${path} answered ${r.status}`);
	return r.body;
}

async function searchAll(fake: FakeIntercom, kind: 'conversations' | 'tickets'): Promise<string[]> {
	const ids: string[] = [];
	let startingAfter: string | undefined;
	for (;;) {
		const body = await ok(fake, 'POST', `/${kind}/search`, {
			query: { field: 'created_at', operator: '>', value: 0 },
			pagination: { per_page: 150, ...(startingAfter ? { starting_after: startingAfter } : {}) },
		});
		ids.push(...(body[kind] as Json[]).map((x) => String(x.id)));
		startingAfter = body.pages?.next?.starting_after;
		if (!startingAfter) return ids;
	}
}

/** Runs `fn` over `items`, 16 at a time (a scan of a whole workspace is about a thousand requests). */
async function inBatches<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
	for (let i = 0; i < items.length; i += 16) await Promise.all(items.slice(i, i + 16).map(fn));
}

/** Needles: the email, the name and the phone as written (and without spaces). */
export function needlesOf(p: { email: string; name: string; phone: string }): string[] {
	return [p.email, p.name, p.phone, p.phone.replace(/\s+/g, '')];
}

export async function scanServed(fake: FakeIntercom, needles: string[]): Promise<Hit[]> {
	const hits: Hit[] = [];
	// Contacts: the list (what search/list show) and every stored id by GET (archived contacts too).
	const ids = new Set<string>([...fake.workspace.contacts.keys()]);
	let startingAfter: string | undefined;
	for (;;) {
		const page = await ok(fake, 'GET', `/contacts?per_page=150${startingAfter ? `&starting_after=${startingAfter}` : ''}`);
		for (const c of page.data as Json[]) ids.add(String(c.id));
		startingAfter = page.pages?.next?.starting_after;
		if (!startingAfter) break;
	}
	await inBatches([...ids], async (id) => {
		const r = await call(fake, 'GET', `/contacts/${id}`);
		if (r.status !== 200) return;
		if (has(r.body, needles)) hits.push({ type: 'contacts', id });
		const notes = await call(fake, 'GET', `/contacts/${id}/notes`);
		for (const n of (notes.body?.data ?? []) as Json[]) if (has(n, needles)) hits.push({ type: 'notes', id: String(n.id) });
	});
	await inBatches(await searchAll(fake, 'conversations'), async (id) => {
		const conv = await ok(fake, 'GET', `/conversations/${id}`);
		const { conversation_parts: parts, source, ...rest } = conv;
		if (has(rest, needles)) hits.push({ type: 'conversations', id });
		if (has(source, needles)) hits.push({ type: 'conversationParts', id: String(source.id), conversationId: id });
		for (const p of (parts?.conversation_parts ?? []) as Json[]) if (has(p, needles)) hits.push({ type: 'conversationParts', id: String(p.id), conversationId: id });
	});
	await inBatches(await searchAll(fake, 'tickets'), async (id) => {
		if (has(await ok(fake, 'GET', `/tickets/${id}`), needles)) hits.push({ type: 'tickets', id });
	});
	return hits;
}
