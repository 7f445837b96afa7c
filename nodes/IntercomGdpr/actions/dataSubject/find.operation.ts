import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { resolveSubject } from '../../../../src/subject';
import type { SubjectContacts, SubjectRef } from '../../../../src/subject';
import { subjectLocator } from '../../descriptions/subject.description';
import { errorItem, toNodeError } from '../../../shared/errors';
import { readSubjectRef } from '../../helpers/subject';
import { getIntercomGateway } from '../../../shared/transport';

const properties: INodeProperties[] = [
	subjectLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Profile Fields',
				name: 'includeProfileFields',
				type: 'boolean',
				default: false,
				description:
					'Whether to add each contact\'s email, name and phone to the output. Off by default so personal data does not end up in execution logs.',
			},
		],
	},
];

const displayOptions = {
	show: {
		resource: ['dataSubject'],
		operation: ['find'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

interface FindOptions {
	includeProfileFields?: boolean;
}

/** One output item: who was found, without personal data unless asked for. */
function summarise(result: SubjectContacts, options: FindOptions): IDataObject {
	return {
		found: result.found,
		lookup: result.lookup,
		contactCount: result.contacts.length,
		contacts: result.contacts.map((contact) => {
			const summary: IDataObject = {
				id: contact.id,
				role: contact.role,
				externalId: contact.external_id ?? null,
				// Not in the SDK's 2.14 type, but Intercom sends it on archived contacts.
				archived: (contact as { archived?: boolean }).archived === true,
			};
			if (options.includeProfileFields) {
				summary.email = contact.email ?? null;
				summary.name = contact.name ?? null;
				summary.phone = contact.phone ?? null;
			}
			return summary;
		}),
		mergedRedirects: result.mergedRedirects.map((r) => ({ from: r.from, to: r.to })),
		// Never a bare "not found": what Intercom's search cannot see (archived contacts) and how to look them up.
		...(!result.found && result.archivedNotice ? { notice: result.archivedNotice } : {}),
	};
}

/**
 * Data Subject → Find: every Intercom contact of each input item's person.
 * All items are validated first, so bad input stops the run before any request to Intercom.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const refs: Array<SubjectRef | undefined> = [];
	const options: FindOptions[] = [];
	const out: Array<INodeExecutionData | undefined> = new Array(items.length);

	for (let i = 0; i < items.length; i++) {
		try {
			options[i] = this.getNodeParameter('options', i, {}) as FindOptions;
			refs[i] = readSubjectRef(this, i);
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!continueOnFail) throw nodeError;
			refs[i] = undefined;
			out[i] = errorItem(nodeError, i);
		}
	}

	let found = 0;
	let resolved = 0;
	let redirects = 0;
	let emailsNotFound = 0;
	const gateway = refs.some((r) => r !== undefined) ? await getIntercomGateway.call(this) : undefined;

	for (let i = 0; i < items.length; i++) {
		const ref = refs[i];
		if (ref === undefined || gateway === undefined) continue;
		try {
			const result = await resolveSubject(gateway, ref);
			resolved++;
			if (result.found) found++;
			else if (result.lookup !== 'contactId') emailsNotFound++;
			redirects += result.mergedRedirects.length;
			out[i] = { json: summarise(result, options[i]), pairedItem: { item: i } };
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!continueOnFail) throw nodeError;
			out[i] = errorItem(nodeError, i);
		}
	}

	const failed = items.length - resolved;
	const parts = [`${found} of ${items.length} subject${items.length === 1 ? '' : 's'} found`];
	if (failed > 0) parts.push(`${failed} failed`);
	if (redirects > 0) parts.push(`${redirects} merged contact redirect${redirects === 1 ? '' : 's'} followed`);
	this.addExecutionHints({ message: parts.join('; '), type: failed > 0 ? 'warning' : 'info', location: 'outputPane' });
	if (emailsNotFound > 0) {
		// Intercom's search never returns archived contacts; say so rather than let "not found" mislead.
		this.addExecutionHints({
			message:
				'Not found is not "no record": Intercom\'s search never returns archived contacts, so an archived person is not found by email (nor an archived lead by external ID). In Intercom, list the archived contacts, take the contact ID from its URL and look it up By ID (see each item\'s "notice").',
			type: 'info',
			location: 'outputPane',
		});
	}

	return out.filter((item): item is INodeExecutionData => item !== undefined);
}
