// Presets that follow Intercom's data classes (contact and conversation objects of the REST API):
//   PII (email, name, phone, location, IP, avatar)         → replaced with a label
//   identifiers (id, external_id, user_id, workspace_id)   → kept, so records can still be looked up
//   conversation content (bodies, titles) and custom_attributes → scanned with the detectors
//   system metadata (created_at, updated_at, role, state …) → kept
// Anything the preset does not name is scanned when text scanning is "all" (the default), so a new
// Intercom field cannot leak PII unscanned.
import type { FieldRule } from './types';

export type PresetName = 'intercomContact' | 'intercomConversation';

export interface Preset {
	fields: FieldRule[];
	/** Allow-list for minimise mode: what a CRM or analytics sync needs. */
	allowList: string[];
}

const replace = (path: string, label: string): FieldRule => ({ path, action: 'replace', label });
const keep = (path: string): FieldRule => ({ path, action: 'keep' });
const scan = (path: string): FieldRule => ({ path, action: 'scan' });

const KEEP_METADATA = [
	'type', 'id', 'workspace_id', 'external_id', 'user_id', 'role', 'owner_id', 'created_at', 'updated_at',
	'signed_up_at', 'last_seen_at', 'last_replied_at', 'last_contacted_at', 'last_email_opened_at',
	'last_email_clicked_at', 'has_hard_bounced', 'marked_email_as_spam', 'unsubscribed_from_emails',
	'language_override', 'browser', 'browser_version', 'browser_language', 'os', 'sms_consent',
];

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
	intercomContact: {
		fields: [
			replace('email', 'EMAIL'),
			replace('email_domain', 'EMAIL_DOMAIN'),
			replace('name', 'NAME'),
			replace('phone', 'PHONE'),
			replace('formatted_phone', 'PHONE'),
			replace('location', 'LOCATION'),
			replace('avatar', 'AVATAR'),
			replace('**.ip', 'IP'),
			replace('**.last_seen_ip', 'IP'),
			scan('custom_attributes.*'),
			...KEEP_METADATA.map(keep),
			keep('tags.data[*].id'),
			keep('companies.data[*].id'),
		],
		allowList: ['id', 'external_id', 'role', 'custom_attributes.plan', 'last_seen_at', 'created_at', 'updated_at'],
	},
	intercomConversation: {
		fields: [
			replace('**.author.email', 'EMAIL'),
			replace('**.author.name', 'NAME'),
			replace('**.email', 'EMAIL'),
			replace('**.phone', 'PHONE'),
			replace('**.ip', 'IP'),
			replace('**.location', 'LOCATION'),
			replace('**.avatar', 'AVATAR'),
			scan('source.body'),
			scan('source.subject'),
			scan('title'),
			scan('conversation_parts.conversation_parts[*].body'),
			scan('custom_attributes.*'),
			scan('conversation_rating.remark'),
			...['type', 'id', 'created_at', 'updated_at', 'waiting_since', 'snoozed_until', 'open', 'state', 'read',
				'priority', 'admin_assignee_id', 'team_assignee_id', '**.author.id', '**.author.type',
				'contacts.contacts[*].id', 'contacts.contacts[*].external_id', 'statistics'].map(keep),
		],
		allowList: ['type', 'id', 'created_at', 'updated_at', 'state', 'open', 'priority', 'admin_assignee_id',
			'team_assignee_id', 'contacts.contacts[*].id', 'contacts.contacts[*].external_id', 'statistics'],
	},
};
