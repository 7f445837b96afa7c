/** The Intercom calls of an erasure, through the gateway (paced, retried, PII-free errors). */
import type { IntercomGateway } from '../intercom';
import { IntercomApiError, MAX_PER_PAGE } from '../intercom';
import { settle } from '../intercom/settle';

interface Item {
	id: string;
	contactIds: string[];
}

interface SearchResponse {
	conversations?: Array<{ id: string; contacts?: { contacts?: Array<{ id: string }> } }>;
	tickets?: Array<{ id: string; contacts?: { contacts?: Array<{ id: string }> } }>;
	pages?: { next?: { starting_after?: string } | null };
}

/** Every conversation or ticket a contact takes part in (all pages, 150 per page). */
export async function listItems(gw: IntercomGateway, kind: 'conversations' | 'tickets', contactId: string): Promise<Item[]> {
	const out: Item[] = [];
	let startingAfter: string | undefined;
	for (let page = 0; page < 10_000; page++) {
		const body = {
			query: { field: 'contact_ids', operator: '=', value: contactId },
			pagination: { per_page: MAX_PER_PAGE, ...(startingAfter ? { starting_after: startingAfter } : {}) },
		};
		const { data } = await gw.request<SearchResponse>('POST', `/${kind}/search`, { body });
		for (const item of data[kind] ?? []) {
			out.push({ id: String(item.id), contactIds: (item.contacts?.contacts ?? []).map((c) => String(c.id)) });
		}
		startingAfter = data.pages?.next?.starting_after ?? undefined;
		if (!startingAfter) break;
	}
	return out;
}

export type DeleteOutcome = 'deleted' | 'already_deleted';

/** DELETE one object; 404 means it is already gone (also after a retried DELETE whose first answer was lost). */
export async function deleteObject(
	gw: IntercomGateway,
	path: string,
	query?: Record<string, string | number | boolean>,
): Promise<DeleteOutcome> {
	const done = await settle(gw.request('DELETE', path, query ? { query } : undefined));
	if (done.ok) return 'deleted';
	if (done.error instanceof IntercomApiError && done.error.status === 404) return 'already_deleted';
	throw done.error;
}

/** `retain_metrics` exists from 2.16 (and on Preview/Unstable). */
export function supportsRetainMetrics(apiVersion: string): boolean {
	if (apiVersion === 'Preview' || apiVersion === 'Unstable') return true;
	const [major, minor] = apiVersion.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 16);
}
