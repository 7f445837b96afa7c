import type { INodeProperties } from 'n8n-workflow';
import { legalHoldFields } from '../../../../shared/retention/holds';
import { subjectLocator } from '../../../descriptions/subject.description';

/** The fields of Data Subject → Erase (the identity gate's are added by the operation). */
export const eraseProperties: INodeProperties[] = [
	subjectLocator,
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only report what would be deleted or redacted (contacts, tickets, conversations, shared conversation parts) without changing or recording anything. When an AI agent runs this node as a tool, it always does a dry run unless "Let AI Agents Erase" is on.',
	},
	{
		displayName: 'Legal Holds',
		name: 'legalHolds',
		type: 'collection',
		placeholder: 'Add Legal Hold',
		default: {},
		description:
			'A person under a legal hold is not erased: the output says status "held" and the ledger names the hold (not the person). The same holds as in Retention.',
		options: legalHoldFields,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Delete Conversations',
				name: 'deleteConversations',
				type: 'boolean',
				default: true,
				description:
					"Whether to delete the conversations only this person takes part in, one by one, before the contact (Intercom API 2.13+). Off: the output lists any that remain and says \"incomplete\".",
			},
			{
				displayName: 'Delete Tickets',
				name: 'deleteTickets',
				type: 'boolean',
				default: true,
				description:
					'Whether to delete the person\'s tickets one by one before the contact (Intercom may keep them otherwise). Off: the output lists them as remaining and says "incomplete".',
			},
			{
				displayName: 'Let AI Agents Erase',
				name: 'letAgentsErase',
				type: 'boolean',
				default: false,
				description: 'Whether an AI agent running this node as a tool may really delete. Off: agents only get dry runs.',
			},
			{
				displayName: 'Notify Systems',
				name: 'notifyRecipients',
				type: 'string',
				default: '',
				placeholder: 'e.g. Stripe, Data warehouse',
				description:
					'Comma-separated names of the downstream systems that must also erase the person (Art. 19). Names only, no addresses: they travel with the receipt and into the ledger.',
			},
			{
				displayName: 'Override Legal Hold',
				name: 'overrideLegalHold',
				type: 'boolean',
				default: false,
				description: 'Whether to erase even though a legal hold applies. Needs a reason; the ledger records the hold and the reason.',
			},
			{
				displayName: 'Override Reason',
				name: 'overrideReason',
				type: 'string',
				default: '',
				placeholder: 'e.g. Hold released by legal, case 2026-17 closed',
				description: 'Why the legal hold is overridden (10–256 characters, no personal data). Required with Override Legal Hold.',
			},
			{
				displayName: 'Purge Conversation Metrics',
				name: 'purgeConversationMetrics',
				type: 'boolean',
				default: true,
				description:
					'Whether explicitly deleted conversations also lose their reporting metrics (retain_metrics=false). Only on API version 2.16+, and the token needs the delete_conversations_and_metrics scope.',
			},
			{
				displayName: 'Receipt for Long-Term Storage',
				name: 'archivalReceipt',
				type: 'boolean',
				default: false,
				description:
					'Whether to leave the person\'s external IDs out of the output receipt: the variant to keep for years, once downstream systems are purged',
			},
			{
				displayName: 'Redact Shared Conversations',
				name: 'redactSharedConversations',
				type: 'boolean',
				default: true,
				description:
					"Whether to redact, in conversations shared with other people, the person's own messages (and the first message when they wrote it) and teammates' messages naming them. Off: they are listed as remaining.",
			},
			{
				displayName: 'Request ID',
				name: 'requestId',
				type: 'string',
				default: '',
				placeholder: 'e.g. DSR-2026-0042',
				description:
					'Your reference for this request (e.g. the ticket number), recorded in the ledger: letters, digits and _ . : - only, never an email address. A UUID is used when empty. Use the ID of Ledger → Track Request to close the request.',
			},
		],
	},
];
