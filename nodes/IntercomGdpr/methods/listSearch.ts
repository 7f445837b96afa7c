import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { getIntercomGateway } from '../../shared/transport';

const PAGE_SIZE = 50;

/**
 * "From List" for the Subject locator: contacts whose email or name contains the filter, or whose
 * external id or contact id equals it; without a filter, every lead and user. One page per call;
 * Intercom's cursor goes back as the (string) pagination token.
 */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const gateway = await getIntercomGateway.call(this);
	const text = (filter ?? '').trim();
	const query =
		text === ''
			? { field: 'role', operator: 'IN', value: ['user', 'lead'] }
			: {
					operator: 'OR',
					value: [
						{ field: 'email', operator: '~', value: text },
						{ field: 'name', operator: '~', value: text },
						{ field: 'external_id', operator: '=', value: text },
						...(/^[0-9a-f]{24}$/i.test(text) ? [{ field: 'id', operator: '=', value: text.toLowerCase() }] : []),
					],
				};
	const page = await gateway.searchContactsPage(query, {
		perPage: PAGE_SIZE,
		startingAfter: paginationToken || undefined,
	});
	// The list is shown only to the person building the workflow, who needs to recognise the contact.
	const results: INodeListSearchItems[] = page.contacts.map((contact) => {
		const label = contact.name || contact.email || contact.external_id || contact.id;
		const extra = contact.name && contact.email ? ` <${contact.email}>` : '';
		return { name: `${label}${extra} (${contact.role})`, value: contact.id };
	});
	return { results, paginationToken: page.next };
}
