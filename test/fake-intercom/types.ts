// In-memory records of the fake workspace. Routes turn them into Intercom's JSON shapes per API version.

export type Role = 'user' | 'lead';

export interface FileAttribute {
	kind: 'file';
	fileId: string;
	name: string;
	contentType: string;
	content: string;
}

export type CustomAttributeValue = string | number | boolean | null | FileAttribute;

export interface ContactRecord {
	id: string;
	externalId: string | null;
	role: Role;
	email: string;
	name: string;
	phone: string | null;
	ownerId: number | null;
	createdAt: number;
	updatedAt: number;
	signedUpAt: number | null;
	lastSeenAt: number | null;
	lastRepliedAt: number | null;
	lastContactedAt: number | null;
	lastEmailOpenedAt: number | null;
	lastEmailClickedAt: number | null;
	unsubscribedFromEmails: boolean;
	hasHardBounced: boolean;
	markedEmailAsSpam: boolean;
	browser: string | null;
	os: string | null;
	languageOverride: string | null;
	location: { country: string | null; region: string | null; city: string | null };
	socialProfiles: Array<{ name: string; url: string }>;
	customAttributes: Record<string, CustomAttributeValue>;
	tagIds: string[];
	noteIds: string[];
	companyIds: string[];
	segmentIds: string[];
	/** Explicit subscription choices only (Intercom lists only explicit opt-in/opt-out). */
	subscriptions: Array<{ subscriptionTypeId: string; choice: 'opt_in' | 'opt_out' }>;
	archived: boolean;
}

export interface TagRecord {
	id: string;
	name: string;
	appliedAt: number;
	appliedByAdminId: string;
}

export interface AdminRecord {
	id: string;
	name: string;
	email: string;
	jobTitle: string;
}

export interface CompanyRecord {
	id: string;
	companyId: string;
	name: string;
	createdAt: number;
	updatedAt: number;
	industry: string;
	size: number;
	website: string;
	monthlySpend: number;
	/** Company custom attributes (none in the seeded workspace; tests add them). */
	customAttributes?: Record<string, string | number | null>;
}

export interface SegmentRecord {
	id: string;
	name: string;
	createdAt: number;
	updatedAt: number;
	personType: 'contact' | 'user';
}

export interface SubscriptionTypeRecord {
	id: string;
	name: string;
	consentType: 'opt_in' | 'opt_out';
	contentTypes: Array<'email' | 'sms_message'>;
}

export interface NoteRecord {
	id: string;
	contactId: string;
	createdAt: number;
	authorAdminId: string;
	body: string;
}

export interface PartRecord {
	id: string;
	partType: string;
	body: string | null;
	createdAt: number;
	author: { type: 'admin' | 'user' | 'lead' | 'bot'; id: string };
	attachments: FileAttribute[];
	/** Set by POST /conversations/redact: the body is replaced and the attachments removed. */
	redacted?: boolean;
}

export interface ConversationRecord {
	id: string;
	createdAt: number;
	updatedAt: number;
	state: 'open' | 'closed' | 'snoozed';
	read: boolean;
	priority: boolean;
	adminAssigneeId: number | null;
	teamAssigneeId: number | null;
	contactIds: string[];
	subject: string;
	sourceBody: string;
	sourceAuthor: { type: 'user' | 'lead' | 'admin'; id: string };
	/** Set by POST /conversations/redact with `type: "source"`. */
	sourceRedacted?: boolean;
	tagIds: string[];
	rating: { rating: number; remark: string; createdAt: number; contactId: string; adminId: string } | null;
	parts: PartRecord[];
	/** When it was last closed (`statistics.last_close_at`); absent = `statistics: null` as before. */
	lastCloseAt?: number | null;
}

export type TicketStateCategory = 'submitted' | 'in_progress' | 'waiting_on_customer' | 'resolved';

export interface TicketRecord {
	id: string;
	ticketId: string;
	title: string;
	description: string;
	createdAt: number;
	updatedAt: number;
	state: TicketStateCategory;
	open: boolean;
	adminAssigneeId: number;
	teamAssigneeId: number;
	contactIds: string[];
	parts: Array<PartRecord & { previousState?: TicketStateCategory; state: TicketStateCategory }>;
	attachment: FileAttribute | null;
}

export interface DataEventRecord {
	id: string;
	contactId: string;
	eventName: string;
	/** Milliseconds, unique per contact, so the `before=` cursor is unambiguous. */
	createdAtMs: number;
	metadata: Record<string, string>;
}

/** One outbound-message receipt: what the content export (message engagement data) contains. */
export interface ReceiptRecord {
	contactId: string;
	contentId: string;
	contentType: 'email' | 'post' | 'custom_bot' | 'survey' | 'tour' | 'series';
	contentTitle: string;
	receivedAt: number;
	openedAt: number | null;
	clickedAt: number | null;
}
