// The subset of Intercom's search query language the project relies on, with Intercom's limits:
// AND/OR nesting at most 2 levels deep, at most 15 filters per group, date fields compared by
// calendar day in the workspace time zone, and cursor pagination (`pages.next.starting_after`).

import { startOfDay, startOfNextDay } from './calendar';
import { badRequest } from './errors';
import { intParam } from './http';

export type FieldKind = 'string' | 'number' | 'boolean' | 'date' | 'membership' | 'id';

export interface FieldSpec<T> {
	kind: FieldKind;
	/** Value(s) of the field on an item; arrays for `membership` (tags, segments, contact_ids). */
	get(item: T): unknown;
	/** Only these operators are allowed (e.g. tag_id: = and !=). */
	operators?: string[];
	caseInsensitive?: boolean;
}

export interface FieldResolver<T> {
	(field: string): FieldSpec<T> | undefined;
}

type Predicate<T> = (item: T) => boolean;

const MAX_FILTERS_PER_GROUP = 15;
const MAX_NESTING = 2;
const SINGLE_OPERATORS = ['=', '!=', 'IN', 'NIN', '<', '>', '<=', '>=', '~', '!~', '^', '$'];

function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function compileQuery<T>(query: unknown, fields: FieldResolver<T>, timeZone: string): Predicate<T> {
	if (!isRecord(query)) throw badRequest('query must be an object', 'parameter_invalid');
	return compileNode(query, fields, timeZone, 0);
}

function compileNode<T>(node: Record<string, unknown>, fields: FieldResolver<T>, tz: string, depth: number): Predicate<T> {
	const op = node.operator;
	if (op === 'AND' || op === 'OR') {
		if (depth >= MAX_NESTING) {
			throw badRequest(`Search queries may nest AND/OR at most ${MAX_NESTING} levels deep`);
		}
		const value = node.value;
		if (!Array.isArray(value) || value.length === 0) throw badRequest(`${op} needs a non-empty array of filters`);
		if (value.length > MAX_FILTERS_PER_GROUP) {
			throw badRequest(`A search group may hold at most ${MAX_FILTERS_PER_GROUP} filters`);
		}
		const children = value.map((child) => {
			if (!isRecord(child)) throw badRequest('Each filter must be an object');
			return compileNode(child, fields, tz, depth + 1);
		});
		return op === 'AND' ? (item) => children.every((c) => c(item)) : (item) => children.some((c) => c(item));
	}
	return compileFilter(node, fields, tz);
}

function compileFilter<T>(node: Record<string, unknown>, fields: FieldResolver<T>, tz: string): Predicate<T> {
	const { field, operator, value } = node;
	if (typeof field !== 'string' || field === '') throw badRequest('Each filter needs a field');
	if (typeof operator !== 'string' || !SINGLE_OPERATORS.includes(operator)) {
		throw badRequest(`Operator '${String(operator)}' is not supported`);
	}
	const spec = fields(field);
	if (!spec) throw badRequest(`Field '${field}' is not searchable`, 'parameter_invalid');
	if (spec.operators && !spec.operators.includes(operator)) {
		throw badRequest(`Operator '${operator}' is not supported for field '${field}'`);
	}
	const isList = operator === 'IN' || operator === 'NIN';
	if (isList !== Array.isArray(value)) {
		throw badRequest(isList ? `${operator} needs an array value` : `Operator '${operator}' needs a single value`);
	}

	if (spec.kind === 'date') return dateFilter(spec, field, operator, value, tz);
	if (spec.kind === 'membership') return membershipFilter(spec, operator, value);

	const norm = (v: unknown): unknown =>
		spec.caseInsensitive && typeof v === 'string' ? v.toLowerCase() : spec.kind === 'number' && typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
	const get = (item: T): unknown => norm(spec.get(item));
	const v = Array.isArray(value) ? value.map(norm) : norm(value);
	const str = (x: unknown): string => (x === null || x === undefined ? '' : String(x).toLowerCase());

	switch (operator) {
		case '=':
			return (item) => equal(get(item), v);
		case '!=':
			return (item) => !equal(get(item), v);
		case 'IN':
			return (item) => (v as unknown[]).some((x) => equal(get(item), x));
		case 'NIN':
			return (item) => !(v as unknown[]).some((x) => equal(get(item), x));
		case '<':
		case '>':
		case '<=':
		case '>=': {
			if (spec.kind !== 'number' || typeof v !== 'number') {
				throw badRequest(`Operator '${operator}' needs a numeric field and value`);
			}
			return (item) => {
				const x = get(item);
				if (typeof x !== 'number') return false;
				return operator === '<' ? x < v : operator === '>' ? x > v : operator === '<=' ? x <= v : x >= v;
			};
		}
		case '~':
			return (item) => str(get(item)).includes(str(v));
		case '!~':
			return (item) => !str(get(item)).includes(str(v));
		case '^':
			return (item) => get(item) !== null && str(get(item)).startsWith(str(v));
		default: // '$'
			return (item) => get(item) !== null && str(get(item)).endsWith(str(v));
	}
}

function equal(a: unknown, b: unknown): boolean {
	if (b === null) return a === null || a === undefined;
	if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
	return a === b;
}

function membershipFilter<T>(spec: FieldSpec<T>, operator: string, value: unknown): Predicate<T> {
	const has = (item: T, v: unknown): boolean => (spec.get(item) as unknown[]).map(String).includes(String(v));
	switch (operator) {
		case '=':
			return (item) => has(item, value);
		case '!=':
			return (item) => !has(item, value);
		case 'IN':
			return (item) => (value as unknown[]).some((v) => has(item, v));
		case 'NIN':
			return (item) => !(value as unknown[]).some((v) => has(item, v));
		default:
			throw badRequest(`Operator '${operator}' is not supported for this field`);
	}
}

/** Date fields: by calendar day in the workspace time zone, only =, < and >. */
function dateFilter<T>(spec: FieldSpec<T>, field: string, operator: string, value: unknown, tz: string): Predicate<T> {
	if (!['=', '<', '>'].includes(operator)) {
		throw badRequest(`Operator '${operator}' is not supported for date field '${field}'; use =, < or >`);
	}
	const v = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	if (typeof v !== 'number' || !Number.isInteger(v)) {
		throw badRequest(`Date field '${field}' needs a UNIX timestamp value`);
	}
	const from = startOfDay(tz, v);
	const to = startOfNextDay(tz, v);
	const get = (item: T): number | null => {
		const x = spec.get(item);
		return typeof x === 'number' ? x : null;
	};
	if (operator === '=') return (item) => {
		const x = get(item);
		return x !== null && x >= from && x < to;
	};
	if (operator === '>') return (item) => {
		const x = get(item);
		return x !== null && x >= to;
	};
	return (item) => {
		const x = get(item);
		return x !== null && x < from;
	};
}

// ---- cursor pagination ----

export interface CursorPage<T> {
	items: T[];
	totalCount: number;
	page: number;
	perPage: number;
	totalPages: number;
	next?: string;
}

type SortKey = number | string;

function encodeCursor(key: SortKey, id: string): string {
	return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

function decodeCursor(cursor: string): [SortKey, string] {
	try {
		const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
		if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string') return parsed as [SortKey, string];
	} catch {
		// fall through
	}
	throw badRequest('starting_after is not a valid cursor');
}

/**
 * Sort by (key, id) and return the page after `startingAfter`. The cursor encodes the last item's
 * sort key, so it stays valid when items are deleted between pages.
 */
export function paginate<T extends { id: string }>(
	all: T[],
	sortKey: (item: T) => SortKey | null,
	opts: { perPage: number; startingAfter?: string; descending?: boolean },
): CursorPage<T> {
	const dir = opts.descending ? -1 : 1;
	// Missing values sort first; a finite number keeps the cursor JSON-encodable.
	const key = (item: T): SortKey => sortKey(item) ?? -1e15;
	const cmp = (ak: SortKey, aid: string, bk: SortKey, bid: string): number => {
		if (ak !== bk) return (ak < bk ? -1 : 1) * dir;
		return aid === bid ? 0 : (aid < bid ? -1 : 1) * dir;
	};
	const sorted = [...all].sort((a, b) => cmp(key(a), a.id, key(b), b.id));
	let start = 0;
	if (opts.startingAfter) {
		const [ck, cid] = decodeCursor(opts.startingAfter);
		start = sorted.findIndex((item) => cmp(key(item), item.id, ck, cid) > 0);
		if (start === -1) start = sorted.length;
	}
	const items = sorted.slice(start, start + opts.perPage);
	const hasMore = start + opts.perPage < sorted.length;
	const last = items[items.length - 1];
	return {
		items,
		totalCount: sorted.length,
		page: Math.floor(start / opts.perPage) + 1,
		perPage: opts.perPage,
		totalPages: Math.max(1, Math.ceil(sorted.length / opts.perPage)),
		next: hasMore && last ? encodeCursor(key(last), last.id) : undefined,
	};
}

export function pagesObject(p: CursorPage<unknown>): Record<string, unknown> {
	const pages: Record<string, unknown> = { type: 'pages', page: p.page, per_page: p.perPage, total_pages: p.totalPages };
	if (p.next) pages.next = { per_page: p.perPage, starting_after: p.next };
	return pages;
}

/** `pagination: {per_page, starting_after}` of a search body; per_page at most 150. */
export function readPagination(body: Record<string, unknown>, defPerPage: number): { perPage: number; startingAfter?: string } {
	const pg = body.pagination;
	if (pg === undefined || pg === null) return { perPage: defPerPage };
	if (!isRecord(pg)) throw badRequest('pagination must be an object');
	const perPage = intParam(pg.per_page, 'per_page', { def: defPerPage, min: 1, max: 150 });
	const sa = pg.starting_after;
	if (sa !== undefined && sa !== null && typeof sa !== 'string') throw badRequest('starting_after must be a string');
	return { perPage, startingAfter: typeof sa === 'string' && sa !== '' ? sa : undefined };
}
