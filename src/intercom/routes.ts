/**
 * Templated routes for errors and logs: `GET /contacts/{id}` instead of the real path, because a
 * path can carry a contact id, an external id (often an email) or an export job id. The query
 * string is always dropped (it can carry `email=`).
 */

/** Path segments that are part of Intercom's route names, never data. */
const LITERAL_SEGMENTS = new Set([
	'me', 'admins', 'contacts', 'search', 'archive', 'unarchive', 'block', 'merge', 'bulk', 'delete', 'deleted',
	'activities', 'conversations', 'parts', 'redact', 'reply', 'tickets', 'tags', 'notes', 'companies', 'segments',
	'subscriptions', 'events', 'summaries', 'export', 'content', 'data', 'download', 'cancel', 'reporting_data',
	'enqueue', 'get_datasets', 'jobs', 'status', 'data_attributes', 'teams', 'visitors', 'messages', 'attachments',
	'articles', 'help_center', 'collections', 'subscription_types', 'ticket_types', 'ticket_states', 'phone_call_redirects',
]);

/** Segments after which the next one is data even if it looks like a word. */
const DATA_FOLLOWS: Record<string, string> = { find_by_external_id: '{external_id}' };

export function templatePath(pathname: string): string {
	const segs = pathname.split('/');
	const out: string[] = [];
	for (let i = 0; i < segs.length; i++) {
		const seg = segs[i];
		const prev = segs[i - 1];
		if (seg === '') {
			out.push(seg);
		} else if (prev !== undefined && DATA_FOLLOWS[prev]) {
			out.push(DATA_FOLLOWS[prev]);
		} else if (LITERAL_SEGMENTS.has(seg) || seg in DATA_FOLLOWS) {
			out.push(seg);
		} else {
			out.push('{id}');
		}
	}
	return out.join('/');
}

/** `METHOD /templated/path` for a full URL, relative to the gateway's base path. */
export function routeOf(method: string, url: string, basePath: string): string {
	let pathname: string;
	try {
		pathname = new URL(url).pathname;
	} catch {
		pathname = url.split('?')[0] ?? '';
	}
	if (basePath && basePath !== '/' && pathname.startsWith(basePath)) pathname = pathname.slice(basePath.length) || '/';
	return `${method.toUpperCase()} ${templatePath(pathname)}`;
}
