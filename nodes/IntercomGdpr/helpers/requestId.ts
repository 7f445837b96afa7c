import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { isRequestId } from '../../../src/ledger';

/** The required Request ID field of the request-lifecycle operations; `description` says what it ties together. */
export function requestIdField(description: string): INodeProperties {
	return { displayName: 'Request ID', name: 'requestId', type: 'string', default: '', required: true, placeholder: 'e.g. DSR-2026-0042', description };
}

/**
 * Reads a Request ID parameter of item `itemIndex`: trimmed, '' when empty (the caller decides
 * whether that is allowed). `maxLength` is lower where the core appends to the ID. Throws a NodeOperationError naming `label`; never echoes the value,
 * which may be an email address someone mapped by mistake.
 */
export function readRequestId(ctx: IExecuteFunctions, parameter: string, itemIndex: number, label = 'Request ID', maxLength = 128): string {
	const raw = ctx.getNodeParameter(parameter, itemIndex, '') as unknown;
	const requestId = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : raw === undefined || raw === null ? '' : undefined;
	if (requestId === undefined) {
		throw new NodeOperationError(ctx.getNode(), `${label} is not text [item ${itemIndex}]`, {
			description: 'Map a single value (e.g. the ticket number), not an object or a list.',
			itemIndex,
		});
	}
	if (requestId !== '' && (!isRequestId(requestId) || requestId.length > maxLength)) {
		throw new NodeOperationError(ctx.getNode(), `${label} may only hold 1–${maxLength} letters, digits and _ . : - [item ${itemIndex}]`, {
			description: 'Use a ticket number or UUID, never an email address (the ledger stores request IDs in clear).',
			itemIndex,
		});
	}
	return requestId;
}
