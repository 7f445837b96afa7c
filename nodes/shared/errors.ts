import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { IntercomApiError, IntercomInputError } from '../../src/intercom';
import { GdprError } from '../../src/util/errors';

/** A NodeOperationError for item `i`: what is wrong (the message, no personal data) and what to do (the description). */
export function fail(ctx: IExecuteFunctions, i: number, message: string, description: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${message} [item ${i}]`, { description, itemIndex: i });
}

/** What the user should do about an Intercom answer, by HTTP status. */
function describeApiError(error: IntercomApiError): string {
	switch (error.status) {
		case 401:
			return 'Intercom did not accept the access token: check the Intercom GDPR credential (token, region, base URL).';
		case 403:
			return 'The token lacks a permission or your Intercom plan does not include this API: check the app\'s scopes in the Developer Hub.';
		case 429:
			return 'Intercom kept rate-limiting the requests: run again later, or with fewer items at a time.';
		default:
			return error.status === undefined || error.status >= 500
				? 'Intercom did not answer in time or is unavailable: try again later, or turn on "Retry On Fail" in the node settings.'
				: 'Intercom rejected the request; the request id helps Intercom support find it.';
	}
}

/**
 * Rejected before any request: either a credential value (scope 'options', e.g. the base URL) or a
 * value this item passed in (scope 'argument', e.g. a malformed contact id).
 */
function inputErrorFix(error: IntercomInputError): string {
	return error.scope === 'options'
		? 'Open the Intercom GDPR credential and correct the field named above.'
		: "Correct this item's value for the field named above (check the expression or the incoming data).";
}

/**
 * Turns anything thrown while handling one item into an n8n error for that item.
 * IntercomApiError messages carry status, code and request id only (no personal data), so they
 * are safe to show; we never copy a response body into the error.
 */
export function toNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof IntercomApiError) {
		const details: JsonObject = {
			message: error.message,
			operation: error.operation,
			status: error.status ?? null,
			code: error.code ?? null,
			requestId: error.requestId ?? null,
		};
		return new NodeApiError(ctx.getNode(), details, {
			// The gateway composes it from status, code, route and request id: no personal data.
			message: `${error.message} [item ${itemIndex}]`,
			description: describeApiError(error),
			httpCode: error.status !== undefined ? String(error.status) : undefined,
			itemIndex,
		});
	}
	if (error instanceof GdprError) {
		// Every error of the core (src/util/errors.ts): its message names the field, never a value;
		// its fix says what to do. Intercom input errors say where to correct it in n8n.
		const description = error instanceof IntercomInputError ? inputErrorFix(error) : error.fix && !error.message.includes(error.fix) ? error.fix : undefined;
		return new NodeOperationError(ctx.getNode(), `${error.message} [item ${itemIndex}]`, { ...(description ? { description } : {}), itemIndex });
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, { itemIndex });
}

/** The item "Continue (using error output)" / "Continue" emits for a failed input item. */
export function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	return {
		json: {
			error: error.message,
			...(error.description ? { description: error.description } : {}),
			...(error instanceof NodeApiError && error.httpCode ? { httpCode: error.httpCode } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}
