/**
 * The two error types of the Intercom gateway.
 *
 * Privacy rule for both: a message never holds personal data (emails, names, ids of people,
 * external ids) or the access token. Intercom's own error messages can echo an email or an
 * external id back, so we never copy them blindly: see `sanitizeIntercomMessage`.
 */

import { GdprError } from '../util/errors';

export interface IntercomApiErrorInit {
	/** HTTP status, when Intercom answered at all (undefined for timeouts and network failures). */
	status?: number;
	/** Intercom's error code (e.g. `not_found`, `rate_limit_exceeded`) or ours (`timeout`, `network_error`). */
	code?: string;
	/** Intercom's request id (body `request_id` or the `X-Request-Id` header): quote it to Intercom support. */
	requestId?: string;
	/** True when the same call may succeed later (rate limit, 5xx, timeout, network failure). */
	retryable: boolean;
	/** What we were doing: an SDK operation name or a templated route like `GET /contacts/{id}`. */
	operation: string;
	/** Templated route, e.g. `GET /contacts/{id}` (never the real id). */
	route?: string;
	/** Intercom's message after sanitising (may be empty). */
	detail?: string;
	/** For 410 `contact_merged`: the id the `Link: <…>; rel="canonical"` header points to. */
	canonicalId?: string;
	/** How many attempts were made (1 = no retry). */
	attempts?: number;
	/**
	 * Earlier attempts that may have reached Intercom and taken effect: their answer was lost, timed
	 * out or was a 5xx (not a 429, which Intercom did not process). A 404 after one of these can be our own doing.
	 */
	earlierAttemptsMaybeProcessed?: number;
}

/** A failed call to Intercom, after our retries. Safe to log: no personal data, no token. */
export class IntercomApiError extends GdprError {
	readonly status?: number;
	/** Intercom's error code (e.g. `not_found`), when it sent one. */
	declare readonly code?: string;
	readonly requestId?: string;
	readonly retryable: boolean;
	readonly operation: string;
	readonly route?: string;
	readonly canonicalId?: string;
	/** Intercom's message, sanitised (allow-listed words only). */
	readonly detail?: string;
	readonly attempts: number;
	readonly earlierAttemptsMaybeProcessed: number;

	constructor(init: IntercomApiErrorInit) {
		super(composeMessage(init), { code: init.code });
		this.name = 'IntercomApiError';
		this.status = init.status;
		this.requestId = init.requestId;
		this.retryable = init.retryable;
		this.operation = init.operation;
		this.route = init.route;
		this.canonicalId = init.canonicalId;
		this.detail = init.detail;
		this.attempts = init.attempts ?? 1;
		this.earlierAttemptsMaybeProcessed = init.earlierAttemptsMaybeProcessed ?? 0;
	}

	/** Same error, re-labelled with the caller's operation name (the message is rebuilt). */
	withOperation(operation: string): IntercomApiError {
		return new IntercomApiError({
			status: this.status,
			code: this.code,
			requestId: this.requestId,
			retryable: this.retryable,
			operation,
			route: this.route,
			detail: this.detail,
			canonicalId: this.canonicalId,
			attempts: this.attempts,
			earlierAttemptsMaybeProcessed: this.earlierAttemptsMaybeProcessed,
		});
	}
}

/**
 * Bad input to the gateway (options or arguments), detected before any request is sent.
 * `field` names the option or argument; the message says what is wrong and how to fix it.
 */
export class IntercomInputError extends GdprError {
	declare readonly field: string;
	/**
	 * `options`: a createIntercom() option, i.e. a credential value (token, region, baseUrl, apiVersion…).
	 * `argument`: an argument of a gateway method (contactId, query, download_url…).
	 */
	readonly scope: 'options' | 'argument';
	constructor(field: string, problem: string, fix: string, scope: 'options' | 'argument' = 'argument') {
		super(`Invalid ${field}: ${problem}. ${fix}`, { code: 'bad_input', field, fix });
		this.name = 'IntercomInputError';
		this.scope = scope;
	}
}

const STATUS_TEXT: Record<number, string> = {
	400: 'bad request',
	401: 'unauthorized (check the access token)',
	403: 'forbidden (check the app permissions / plan)',
	404: 'not found',
	406: 'not acceptable',
	408: 'request timeout',
	409: 'conflict',
	410: 'gone',
	422: 'unprocessable',
	429: 'too many requests',
	500: 'Intercom server error',
	502: 'bad gateway',
	503: 'service unavailable',
	504: 'gateway timeout',
};

function composeMessage(init: IntercomApiErrorInit): string {
	const parts: string[] = [];
	const where = init.route && init.route !== init.operation ? `${init.operation} (${init.route})` : init.operation;
	if (init.status !== undefined) {
		parts.push(`Intercom answered ${init.status} ${STATUS_TEXT[init.status] ?? ''}`.trim());
	} else if (init.code === 'timeout') {
		parts.push('Intercom did not answer in time');
	} else if (init.code === 'network_error') {
		parts.push('Could not reach Intercom');
	} else if (init.code === 'rate_limit_wait') {
		parts.push('No rate-limit budget left in time');
	} else if (init.code === 'aborted') {
		parts.push('The request to Intercom was cancelled');
	} else {
		parts.push('Unexpected answer from Intercom');
	}
	if (init.code) parts.push(`[${init.code}]`);
	let msg = `${parts.join(' ')} on ${where}`;
	if (init.detail) msg += `: ${init.detail}`;
	if (init.attempts && init.attempts > 1) msg += ` (after ${init.attempts} attempts)`;
	if (init.requestId) msg += ` (request_id ${init.requestId})`;
	return msg;
}

// ---------------------------------------------------------------------------------------------
// Sanitising Intercom's free text
// ---------------------------------------------------------------------------------------------

/**
 * Words that may appear in a kept message. Anything else (a name, an email, an id, a number)
 * is replaced by `…`. An allow-list is the only approach that is safe against data we cannot
 * recognise by shape (a person's name looks like any other word).
 */
const SAFE_WORDS = new Set(
	(
		'a an the is are was were be been not no none found missing invalid valid unknown required ' +
		'access token tokens unauthorized unauthorised forbidden denied revoked expired suspended ' +
		'contact contacts user users lead leads admin admins company companies conversation conversations ' +
		'ticket tickets tag tags note notes segment segments event events data export exports job jobs ' +
		'content download report reporting attribute attributes field fields parameter parameters param ' +
		'request requests response server error errors internal service unavailable timeout timed out ' +
		'rate limit limits exceeded too many please try again later retry after ' +
		'already exists exist does do did has have had can cannot could merged archived deleted gone ' +
		'active inactive in progress pending running completed failed canceled cancelled ' +
		'must should may only one per at most least of to for with by on from into and or but ' +
		'this that these those it its your you we our there their which while when ' +
		'id ids external email emails query search filter filters operator value values page pages ' +
		'cursor starting per sort order version versions api app workspace plan scope scopes permission ' +
		'permissions method allowed supported unsupported format json body header headers type types ' +
		'resource resources object objects action actions limit reached maximum minimum number ' +
		'new existing same other blocked role create update delete get list find show message messages ' +
		'searchable sortable sorted nest nested level levels deep group hold needs need array integer numeric ' +
		'string boolean timestamp timestamps unix date later earlier than between greater less equal contains ' +
		'single empty non-empty problem submitted could requested requires require header accept identifier ' +
		'available expired expires canceled conversation_id contact_id'
	).split(/\s+/),
);

const EMAILISH = /[^\s@<>"'()]+@[^\s@<>"'()]+/g;
const MAX_DETAIL = 160;

/**
 * Turn Intercom's free-text error message into something safe to log.
 * Every word not on the allow-list becomes `…` (runs collapse into one); the token is never kept.
 */
export function sanitizeIntercomMessage(text: unknown): string {
	if (typeof text !== 'string' || text.length === 0) return '';
	const noEmails = text.slice(0, 2000).replace(EMAILISH, ' ');
	const out: string[] = [];
	for (const raw of noEmails.split(/\s+/)) {
		if (!raw) continue;
		const m = /^([("'[]*)([A-Za-z_-]+)([)"'\].,;:!?]*)$/.exec(raw);
		const word = m?.[2];
		if (m && word && SAFE_WORDS.has(word.toLowerCase())) {
			out.push(`${m[1].replace(/['"]/g, '')}${word}${m[3].replace(/['"]/g, '')}`);
		} else if (out[out.length - 1] !== '…') {
			out.push('…');
		}
	}
	let joined = out.join(' ').trim();
	if (joined.replace(/[….\s]/g, '') === '') return '';
	if (joined.length > MAX_DETAIL) joined = `${joined.slice(0, MAX_DETAIL)}…`;
	return joined;
}

/**
 * Intercom's error codes are lower-case words joined by underscores (`not_found`,
 * `rate_limit_exceeded`, `token_revoked`; reference §4). Anything else — digits, dots, dashes,
 * upper case — is not a code but possibly an id, an external id or a token a proxy put there: dropped.
 */
export function safeCode(code: unknown): string | undefined {
	return typeof code === 'string' && /^[a-z]+(?:_[a-z]+){0,7}$/.test(code) && code.length <= 64 ? code : undefined;
}

/**
 * Intercom's request ids are UUIDs (`"request_id": "b68959ea-6328-4f70-83cb-e7913dba1542"` in the
 * error envelope, reference §4 and every OpenAPI example); only that shape reaches a message. A
 * string of any other shape in `request_id` or `X-Request-Id` (a proxy's id, an echoed user id or
 * token) is dropped.
 */
export function safeRequestId(id: unknown): string | undefined {
	return typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id.toLowerCase() : undefined;
}
