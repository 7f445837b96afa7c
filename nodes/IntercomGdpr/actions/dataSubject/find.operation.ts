import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { resolveSubject } from '../../../../src/subject';
import type { SubjectContacts } from '../../../../src/subject';
import type { IntercomGateway } from '../../../../src/intercom';
import { subjectLocator } from '../../descriptions/subject.description';
import { perItem } from '../itemLoop';
import { readSubjectRef } from '../../helpers/subject';
import { getIntercomGateway } from '../../../shared/transport';
import { optionsCollection } from '../../../shared/fields';

const properties: INodeProperties[] = [
	subjectLocator,
	optionsCollection([
		{
			displayName: 'Include Profile Fields',
			name: 'includeProfileFields',
			type: 'boolean',
			default: false,
			description:
				'Whether to add each contact\'s email, name and phone to the output. Off by default so personal data does not end up in execution logs.',
		},
	]),
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

interface FindState {
	gateway?: IntercomGateway;
	found: number;
	redirects: number;
	emailsNotFound: number;
}

/**
 * Data Subject → Find: every Intercom contact of each input item's person.
 * All items are validated first, so bad input stops the run before any request to Intercom.
 */
export const execute = perItem({
	prepare: (ctx, i) => ({ options: ctx.getNodeParameter('options', i, {}) as FindOptions, ref: readSubjectRef(ctx, i) }),
	begin: (): FindState => ({ found: 0, redirects: 0, emailsNotFound: 0 }),
	open: async (ctx, state) => {
		state.gateway = await getIntercomGateway.call(ctx);
	},
	run: async (_ctx, _i, input, state) => {
		const result = await resolveSubject(state.gateway!, input.ref);
		if (result.found) state.found++;
		else if (result.lookup !== 'contactId') state.emailsNotFound++;
		state.redirects += result.mergedRedirects.length;
		return [{ json: summarise(result, input.options) }];
	},
	finish: (ctx, { found, redirects, emailsNotFound }, outcome) => {
		const failed = outcome.invalid + outcome.failed;
		const n = outcome.items;
		const parts = [`${found} of ${n} subject${n === 1 ? '' : 's'} found`];
		if (failed > 0) parts.push(`${failed} failed`);
		if (redirects > 0) parts.push(`${redirects} merged contact redirect${redirects === 1 ? '' : 's'} followed`);
		ctx.addExecutionHints({ message: parts.join('; '), type: failed > 0 ? 'warning' : 'info', location: 'outputPane' });
		if (emailsNotFound > 0) {
			// Intercom's search never returns archived contacts; say so rather than let "not found" mislead.
			ctx.addExecutionHints({
				message:
					'Not found is not "no record": Intercom\'s search never returns archived contacts, so an archived person is not found by email (nor an archived lead by external ID). In Intercom, list the archived contacts, take the contact ID from its URL and look it up By ID (see each item\'s "notice").',
				type: 'info',
				location: 'outputPane',
			});
		}
	},
});
