// Known mistakes and gaps in Intercom's OpenAPI descriptions (2.14 and 2.16) that the fake works
// around. Each entry is applied by name where it fits, and the conformance tour asserts that every
// entry is actually exercised, so a quirk that no longer applies shows up. README.md lists them.

type Json = Record<string, unknown>;

export interface QuirkContext {
	version: '2.14' | '2.16';
	operationId?: string;
	method: string;
	path: string;
	status?: number;
	/** Whether the spec documents this status for the operation. */
	documented?: boolean;
}

export interface Quirk {
	id: string;
	kind: 'response' | 'request' | 'schema';
	description: string;
	applies(ctx: QuirkContext): boolean;
	/** Response quirks: the components/schemas name to validate the body against instead. */
	responseSchema?(body: unknown, status: number): string | undefined;
	/** Schema quirks: patch converted definitions (JSON Schema) in place. */
	patchDefinitions?(definitions: Json, version: '2.14' | '2.16'): void;
	/** Request quirks: declared parameters not to check. */
	ignoreParams?: string[];
}

const isOp = (ctx: QuirkContext, ...ids: string[]): boolean => ctx.operationId !== undefined && ids.includes(ctx.operationId);
const errorSchema = (): string => 'error';

export const QUIRKS: Quirk[] = [
	{
		id: 'events-list-typed-as-summary',
		kind: 'response',
		description:
			'GET /events answers 200 with an event.list (data_event_list) unless summary=true, but the spec types every 200 as data_event_summary.',
		applies: (ctx) => isOp(ctx, 'lisDataEvents') && ctx.status === 200,
		responseSchema: (body) => {
			const type = (body as Json | null)?.type;
			return type === 'event.list' ? 'data_event_list' : type === 'event.summary' ? 'data_event_summary' : undefined;
		},
	},
	{
		id: 'contact-404-undocumented',
		kind: 'response',
		description:
			'GET/DELETE /contacts/{id}, archive, unarchive and find_by_external_id answer 404 not_found for an unknown contact; the spec lists no 404 there.',
		applies: (ctx) =>
			isOp(ctx, 'ShowContact', 'DeleteContact', 'ArchiveContact', 'UnarchiveContact', 'ShowContactByExternalId') && ctx.status === 404,
		responseSchema: errorSchema,
	},
	{
		id: 'contact-410-undocumented-in-2.14',
		kind: 'response',
		description: 'Merged contacts answer 410 contact_merged + Link; 2.16 documents it, 2.14 does not.',
		applies: (ctx) => ctx.version === '2.14' && isOp(ctx, 'ShowContact', 'ShowContactByExternalId') && ctx.status === 410,
		responseSchema: errorSchema,
	},
	{
		id: 'delete-conversation-404-undocumented',
		kind: 'response',
		description: 'DELETE /conversations/{id} answers 404 for an unknown or already deleted conversation; the spec lists only 200/401/403.',
		applies: (ctx) => isOp(ctx, 'deleteConversation') && ctx.status === 404,
		responseSchema: errorSchema,
	},
	{
		id: 'get-ticket-404-undocumented',
		kind: 'response',
		description: 'GET /tickets/{id} answers 404 ticket_not_found (as DELETE documents); the spec lists only 200/401 for GET.',
		applies: (ctx) => isOp(ctx, 'getTicket') && ctx.status === 404,
		responseSchema: errorSchema,
	},
	{
		id: 'content-export-errors-undocumented',
		kind: 'response',
		description:
			'Content export: the one-active-job 429 is described only in prose; 404 (unknown or expired job) and 406 (download without Accept: application/octet-stream) are not listed.',
		applies: (ctx) =>
			(isOp(ctx, 'createDataExport') && ctx.status === 429) ||
			(isOp(ctx, 'getDataExport', 'cancelDataExport', 'downloadDataExport') && ctx.status === 404) ||
			(isOp(ctx, 'downloadDataExport') && ctx.status === 406),
		responseSchema: errorSchema,
	},
	{
		id: 'reporting-export-errors-undocumented',
		kind: 'response',
		description: 'Reporting export status/download answer 400 for a missing app_id and 406 without the octet-stream Accept; not listed.',
		applies: (ctx) => /^\/(export|download)\/reporting_data\//.test(ctx.path) && (ctx.status === 400 || ctx.status === 406),
		responseSchema: errorSchema,
	},
	{
		id: 'global-errors-undocumented-per-operation',
		kind: 'response',
		description:
			'401, 429 (rate limit), 400 (bad parameters, invalid Intercom-Version) and 5xx can come from any endpoint; Intercom documents them once on its errors page, so many operations omit them. Bodies are still validated as error.',
		applies: (ctx) => ctx.documented === false && [400, 401, 429, 500, 502, 503, 504].includes(ctx.status ?? 0),
		responseSchema: errorSchema,
	},
	{
		id: 'search-mixed-groups',
		kind: 'schema',
		description:
			'multiple_filter_search_request.value is oneOf [array of groups, array of filters], so a group mixing filters and nested groups (which Intercom accepts) and any group whose filters fit both fail; patched to an array of anyOf group|filter.',
		applies: () => false,
		patchDefinitions: (defs, version) => {
			const m = defs.multiple_filter_search_request as Json;
			const props = m.properties as Json;
			const id = `intercom-${version}#/definitions/`;
			props.value = {
				type: 'array',
				items: { anyOf: [{ $ref: `${id}multiple_filter_search_request` }, { $ref: `${id}single_filter_search_request` }] },
			};
		},
	},
	{
		id: 'uri-format-relative',
		kind: 'schema',
		description:
			'Fields typed `format: uri` hold relative URLs ("/contacts/{id}/tags") and even plain words (addressable_list.type = "tag"); validated as uri-reference (done in toJsonSchema).',
		applies: () => false,
	},
];
