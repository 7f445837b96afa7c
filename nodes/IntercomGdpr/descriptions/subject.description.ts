import type { INodeProperties } from 'n8n-workflow';

/** Intercom contact ids are 24 hexadecimal characters. */
export const CONTACT_ID_REGEX = '^\\s*[0-9a-fA-F]{24}\\s*$';

/**
 * The person a request is about. `list` and `id` give a contact id, `email` may match several
 * contacts (a lead and a user), `externalId` is the id your own system gave the user.
 */
export const subjectLocator: INodeProperties = {
	displayName: 'Subject',
	name: 'subject',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The person (data subject) the request is about',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a contact...',
			// n8n saves the picked entry's label (cachedResultName) in the workflow.
			hint: 'The picked contact\'s name is saved in the workflow; use By ID to keep workflows free of personal data',
			typeOptions: {
				searchListMethod: 'searchContacts',
				searchable: true,
			},
		},
		{
			displayName: 'By Email',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. name@example.com',
			hint: 'Finds every contact with this email: a lead and a user can share one',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[^\\s@,;<>]+@[^\\s@,;<>]+\\s*$',
						errorMessage: 'Enter one email address, e.g. name@example.com',
					},
				},
			],
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 5f2b3c4d5e6f708192a3b4c5',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: CONTACT_ID_REGEX,
						errorMessage: 'An Intercom contact ID is 24 hexadecimal characters',
					},
				},
			],
		},
		{
			displayName: 'By External ID',
			name: 'externalId',
			type: 'string',
			placeholder: 'e.g. user-1234',
			hint: 'The user ID your own system gave the contact in Intercom',
		},
	],
};
