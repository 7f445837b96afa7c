/**
 * Cursor pagination over POST /contacts/search (`pages.next.starting_after`, at most 150 per page).
 * We page ourselves instead of using the SDK's Page iterator so that every page is one paced,
 * retried, mapped call, and so that a cursor that does not move stops us instead of looping.
 */
import type { IntercomClient } from 'intercom-client';
import { IntercomApiError, IntercomInputError } from './errors';
import type { Contact, RequestOptions, SearchPage } from './types';

export const MAX_PER_PAGE = 150;

type Caller = <T>(operation: string, fn: (sdk: IntercomClient, req: RequestOptions) => Promise<T>) => Promise<T>;

export function checkPerPage(perPage: unknown): number {
	if (perPage === undefined || perPage === null) return MAX_PER_PAGE;
	if (typeof perPage !== 'number' || !Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
		throw new IntercomInputError('perPage', `it must be a whole number from 1 to ${MAX_PER_PAGE}`, 'Intercom returns at most 150 results per page.');
	}
	return perPage;
}

function checkQuery(query: unknown): void {
	if (query === null || typeof query !== 'object' || Array.isArray(query)) {
		throw new IntercomInputError(
			'query',
			'it must be a search filter object',
			'Use e.g. { field: "email", operator: "=", value: "…" } or { operator: "AND", value: [ … ] }.',
		);
	}
}

export async function searchContactsPage(
	call: Caller,
	query: object,
	opts: { perPage?: number; startingAfter?: string } = {},
): Promise<SearchPage> {
	checkQuery(query);
	const perPage = checkPerPage(opts.perPage);
	if (opts.startingAfter !== undefined && (typeof opts.startingAfter !== 'string' || opts.startingAfter === '')) {
		throw new IntercomInputError('startingAfter', 'it must be the non-empty cursor from the previous page', 'Pass the `next` value of the previous page, or leave it out.');
	}
	const pagination = opts.startingAfter ? { per_page: perPage, starting_after: opts.startingAfter } : { per_page: perPage };
	const page = await call('contacts.search', (sdk, req) =>
		sdk.contacts.search({ query: query as Parameters<IntercomClient['contacts']['search']>[0]['query'], pagination }, req),
	);
	const list = page.response;
	const next = list?.pages?.next?.starting_after ?? undefined;
	return {
		contacts: list?.data ?? [],
		next: typeof next === 'string' && next !== '' ? next : undefined,
		totalCount: typeof list?.total_count === 'number' ? list.total_count : (list?.data?.length ?? 0),
	};
}

/** Validates at once (not on first iteration), then follows `pages.next` to the end. */
export function searchContacts(call: Caller, query: object, opts: { perPage?: number } = {}): AsyncGenerator<Contact> {
	checkQuery(query);
	checkPerPage(opts.perPage);
	return allPages(call, query, opts);
}

async function* allPages(call: Caller, query: object, opts: { perPage?: number }): AsyncGenerator<Contact> {
	let cursor: string | undefined;
	const seen = new Set<string>();
	for (;;) {
		const page = await searchContactsPage(call, query, { perPage: opts.perPage, startingAfter: cursor });
		for (const c of page.contacts) yield c;
		if (!page.next) return;
		if (seen.has(page.next)) {
			throw new IntercomApiError({
				code: 'pagination_stalled',
				retryable: false,
				operation: 'contacts.search',
				detail: 'Intercom returned the same page cursor twice',
			});
		}
		seen.add(page.next);
		cursor = page.next;
	}
}
