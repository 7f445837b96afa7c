import type { IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { normaliseSubjectRef, SubjectRefError } from '../../../src/subject';
import type { SubjectField, SubjectRef } from '../../../src/subject';

/** Resource-locator mode → the core's subject field. `list` picks a contact, so it is an id. */
const MODE_TO_FIELD: Record<string, SubjectField> = {
	list: 'contactId',
	id: 'contactId',
	email: 'email',
	externalId: 'externalId',
};

/** How to fix each field, in the words of the node's UI. */
const FIX: Record<SubjectField, string> = {
	contactId: 'In "Subject", pick a contact from the list or enter its Intercom ID (24 hexadecimal characters, e.g. 5f2b3c4d5e6f708192a3b4c5).',
	email: 'In "Subject" (mode "By Email"), enter exactly one email address, e.g. name@example.com. If it comes from an expression, check that the input item has it.',
	externalId: 'In "Subject" (mode "By External ID"), enter the user ID your own system gave the contact. If it comes from an expression, check that the input item has it.',
};

const LABEL: Record<SubjectField, string> = {
	contactId: 'contact ID',
	email: 'email address',
	externalId: 'external ID',
};

/**
 * Reads the "Subject" resource locator of one item and validates it, before any request.
 * Throws NodeOperationError naming the field, with `[item N]` and how to fix it; never echoes the value.
 */
export function readSubjectRef(ctx: IExecuteFunctions, itemIndex: number): SubjectRef {
	const locator = ctx.getNodeParameter('subject', itemIndex) as INodeParameterResourceLocator | string;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'id';
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	const field = MODE_TO_FIELD[mode];
	if (field === undefined) {
		throw new NodeOperationError(ctx.getNode(), `Subject has an unknown mode "${mode}" [item ${itemIndex}]`, {
			description: 'Choose "From List", "By Email", "By ID" or "By External ID" in "Subject".',
			itemIndex,
		});
	}
	const value = raw === undefined || raw === null ? '' : typeof raw === 'string' ? raw : String(raw);
	const ref: SubjectRef = { [field]: value };
	try {
		normaliseSubjectRef(ref);
	} catch (error) {
		if (error instanceof SubjectRefError) {
			const problem = error.problem === 'empty' ? 'is empty' : 'is not valid';
			throw new NodeOperationError(ctx.getNode(), `Subject ${LABEL[field]} ${problem} [item ${itemIndex}]`, {
				description: FIX[field],
				itemIndex,
			});
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
	return ref;
}
