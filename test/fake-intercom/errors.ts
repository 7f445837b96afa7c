// Intercom's error envelope: {"type":"error.list","request_id":"<uuid>","errors":[{"code","message"}]}.

import { randomUUID } from 'node:crypto';

export interface ErrorBody {
	type: 'error.list';
	request_id: string;
	errors: Array<{ code: string; message: string; field?: string }>;
}

export function errorList(code: string, message: string, requestId: string = randomUUID(), field?: string): ErrorBody {
	return { type: 'error.list', request_id: requestId, errors: [field ? { code, message, field } : { code, message }] };
}

/** Default error code for a status when a fault does not name one. */
export function defaultCode(status: number): string {
	const codes: Record<number, string> = {
		400: 'parameter_invalid',
		401: 'unauthorized',
		403: 'forbidden',
		404: 'not_found',
		406: 'not_acceptable',
		408: 'request_timeout',
		409: 'conflict',
		410: 'gone',
		422: 'unprocessable_entity',
		429: 'rate_limit_exceeded',
		500: 'server_error',
		502: 'bad_gateway',
		503: 'service_unavailable',
		504: 'gateway_timeout',
	};
	return codes[status] ?? (status >= 500 ? 'server_error' : 'client_error');
}

/** Thrown by route code; the server turns it into an error.list response. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export const notFound = (message = 'Resource Not Found', code = 'not_found'): HttpError => new HttpError(404, code, message);
export const badRequest = (message: string, code = 'parameter_invalid'): HttpError => new HttpError(400, code, message);
