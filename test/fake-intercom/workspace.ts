// Deterministic seeded workspace: the same seed always produces the same contacts, conversations,
// tickets, events and special cases (`fixtures`). Dates are relative to the creation time (so "older
// than 90 days" stays true), except the day-edge contacts, which sit on a fixed calendar day.

import { Builder, DAY } from './builder';
import { zonedTime } from './calendar';
import type {
	AdminRecord,
	CompanyRecord,
	ContactRecord,
	ConversationRecord,
	DataEventRecord,
	NoteRecord,
	ReceiptRecord,
	SegmentRecord,
	SubscriptionTypeRecord,
	TagRecord,
	TicketRecord,
} from './types';

export * from './types';

export const WORKSPACE_TIME_ZONE = 'Europe/Berlin';

export interface Fixtures {
	timeZone: string;
	appIdCode: string;
	adminId: string;
	sharedEmail: string;
	sharedEmailLeadId: string;
	sharedEmailUserId: string;
	userId: string;
	userEmail: string;
	userExternalId: string;
	userName: string;
	leadId: string;
	leadEmail: string;
	mergedContactId: string;
	mergedIntoId: string;
	/** A user merged away that had an external_id: find_by_external_id answers 410 too. */
	mergedExternalId: string;
	/** start → middle → end (2 hops); the server resolves it, so Link points straight at `end`. */
	mergeChain: { startId: string; middleId: string; endId: string };
	/** 4 hops: ids[0] → … → ids[4]. The server resolves 3 hops: GET ids[0] links to ids[3], which is itself 410 → ids[4]. */
	longMergeChainIds: string[];
	archivedContactId: string;
	archivedContactEmail: string;
	manyTagsContactId: string;
	manyTagsCount: number;
	manyNotesCount: number;
	manyCompaniesCount: number;
	manyConversationsContactId: string;
	manyConversationsCount: number;
	longConversationId: string;
	longConversationContactId: string;
	longConversationPartCount: number;
	/** The plain user also owns events: `recentEventCount` within 90 days, `oldEventCount` older. */
	eventsContactId: string;
	recentEventCount: number;
	oldEventCount: number;
	fileAttributeContactId: string;
	fileAttributeName: string;
	/** A conversation of the plain user whose part carries a file attachment (expiring URL). */
	attachmentConversationId: string;
	/** A conversation with two participants: the plain user and the plain lead. */
	groupConversationId: string;
	ticketContactId: string;
	ticketId: string;
	/** Contacts created at the edges of calendar day `day` in the workspace time zone. */
	dayEdge: {
		day: string;
		dayStart: number;
		emailPrefix: string;
		justBeforeId: string;
		startId: string;
		endId: string;
		nextDayStartId: string;
	};
	unknownEmail: string;
	unknownContactId: string;
	unknownExternalId: string;
}

export interface FakeWorkspace {
	seed: number;
	createdAt: number;
	timeZone: string;
	app: { idCode: string; name: string; region: string; createdAt: number };
	admins: AdminRecord[];
	tags: Map<string, TagRecord>;
	segments: Map<string, SegmentRecord>;
	subscriptionTypes: Map<string, SubscriptionTypeRecord>;
	companies: Map<string, CompanyRecord>;
	contacts: Map<string, ContactRecord>;
	/** merged-away contact id → the contact it was merged into (one hop). */
	merges: Map<string, string>;
	/** external_id of a merged-away user → its old contact id. */
	mergedExternalIds: Map<string, string>;
	notes: Map<string, NoteRecord>;
	conversations: Map<string, ConversationRecord>;
	/** Conversations removed with DELETE /conversations/{id} (listed by GET /conversations/deleted, 2.16+). */
	deletedConversations: Array<{ id: string; deletedAt: number; metricsRetained: boolean }>;
	tickets: Map<string, TicketRecord>;
	events: DataEventRecord[];
	receipts: ReceiptRecord[];
	fixtures: Fixtures;
	/**
	 * Labels, descriptions and types of contact custom attributes as a workspace admin set them in
	 * Intercom (GET /data_attributes). Unset: label from the name, empty description. Tests set it.
	 */
	dataAttributeDefinitions?: Map<string, { label?: string; description?: string; dataType?: 'string' | 'integer' | 'float' | 'boolean' | 'date' }>;
}

export function generateWorkspace(seed = 1, nowSeconds = Math.floor(Date.now() / 1000)): FakeWorkspace {
	const b = new Builder(seed, nowSeconds, WORKSPACE_TIME_ZONE);
	const { ws, rng } = b;
	b.seedCatalogues();

	// Plain population: enough for several pages of GET /contacts, and a search with more than 150 results.
	let n = 0;
	for (let i = 0; i < 320; i++) {
		n += 1;
		const c = b.contact(rng.chance(0.7) ? 'user' : 'lead', n);
		b.regularActivity(c);
	}

	// The plain user: a bit of everything, events across several pages and older than 90 days.
	const user = b.contact('user', ++n, {
		customAttributes: {
			plan: 'pro',
			seats: 3,
			last_order_at: nowSeconds - 10 * DAY,
			id_document: {
				kind: 'file',
				fileId: `cf${rng.alnum(10)}`,
				name: 'fake-id-document.txt',
				contentType: 'text/plain',
				content: 'FAKE IDENTITY DOCUMENT - test data only.\n',
			},
		},
		socialProfiles: [{ name: 'Twitter', url: 'https://twitter.example.com/fake_user' }],
	});
	b.attachExtras(user, { tags: 2, notes: 1, companies: 1 });
	user.subscriptions = [...ws.subscriptionTypes.values()]
		.slice(0, 2)
		.map((s) => ({ subscriptionTypeId: s.id, choice: s.consentType }));
	for (let i = 0; i < 3; i++) b.conversation(user, 4);
	const withAttachment = b.conversation(user, 2);
	withAttachment.parts[1].attachments.push({
		kind: 'file',
		fileId: `pf${rng.alnum(10)}`,
		name: 'fake-receipt.txt',
		contentType: 'text/plain',
		content: 'Fake receipt attached by the customer.\n',
	});
	const ticket = b.ticket(user, true);
	b.events(user, 75, 40);
	b.receipts(user, 6);

	const lead = b.contact('lead', ++n);
	b.regularActivity(lead);
	b.conversation(lead, 2);
	const group = b.conversation(user, 3);
	group.contactIds.push(lead.id);
	group.updatedAt += 60;
	group.parts.push(b.part(lead, group.updatedAt, true, 'Fake message from the second participant.'));

	// A lead and a user with the same email (a visitor who later signed up without a merge).
	const sharedEmail = 'shared.person@example.com';
	const sharedLead = b.contact('lead', ++n, { email: sharedEmail, name: 'Test Shared Lead' });
	const sharedUser = b.contact('user', ++n, {
		email: sharedEmail,
		name: 'Test Shared User',
		createdAt: sharedLead.createdAt + 30 * DAY,
	});
	b.conversation(sharedLead, 2);
	b.conversation(sharedUser, 3);
	b.events(sharedUser, 4, 1);

	// Merges: one hop, a 2-hop chain, a 4-hop chain, and a merged-away user with an external_id.
	const mergedInto = b.contact('user', ++n);
	b.regularActivity(mergedInto);
	const mergedAwayId = b.hexId();
	ws.merges.set(mergedAwayId, mergedInto.id);

	const chainEnd = b.contact('user', ++n);
	const chainMiddle = b.hexId();
	const chainStart = b.hexId();
	ws.merges.set(chainStart, chainMiddle);
	ws.merges.set(chainMiddle, chainEnd.id);
	const mergedExternalId = 'fake-ext-merged-away';
	ws.mergedExternalIds.set(mergedExternalId, chainStart);

	const longEnd = b.contact('user', ++n);
	const longIds = [b.hexId(), b.hexId(), b.hexId(), b.hexId(), longEnd.id];
	for (let i = 0; i < 4; i++) ws.merges.set(longIds[i], longIds[i + 1]);

	const archived = b.contact('user', ++n, { email: 'archived.user@example.com', archived: true });
	b.conversation(archived, 2);

	const manyTags = b.contact('user', ++n);
	b.attachExtras(manyTags, { tags: 14, notes: 13, companies: 12 });

	const manyConvs = b.contact('user', ++n, { createdAt: nowSeconds - 600 * DAY });
	for (let i = 0; i < 160; i++) b.conversation(manyConvs, 2, nowSeconds - 590 * DAY + i * 3 * DAY);

	const longConvContact = b.contact('lead', ++n, { createdAt: nowSeconds - 300 * DAY });
	const longConv = b.conversation(longConvContact, 520, nowSeconds - 200 * DAY);

	// Day-edge contacts around one fixed calendar day in the workspace time zone.
	const tz = ws.timeZone;
	const dayStart = zonedTime(tz, 2025, 3, 10);
	const edge = (k: number, createdAt: number): ContactRecord =>
		b.contact('user', ++n, { email: `day-edge-${k}@example.com`, name: `Test Day Edge ${k}`, createdAt, updatedAt: createdAt });
	const justBefore = edge(1, dayStart - 1);
	const startC = edge(2, dayStart);
	const endC = edge(3, zonedTime(tz, 2025, 3, 10, 23, 59, 59));
	const nextDay = edge(4, zonedTime(tz, 2025, 3, 11));

	ws.fixtures = {
		timeZone: tz,
		appIdCode: ws.app.idCode,
		adminId: ws.admins[0].id,
		sharedEmail,
		sharedEmailLeadId: sharedLead.id,
		sharedEmailUserId: sharedUser.id,
		userId: user.id,
		userEmail: user.email,
		userExternalId: user.externalId as string,
		userName: user.name,
		leadId: lead.id,
		leadEmail: lead.email,
		mergedContactId: mergedAwayId,
		mergedIntoId: mergedInto.id,
		mergedExternalId,
		mergeChain: { startId: chainStart, middleId: chainMiddle, endId: chainEnd.id },
		longMergeChainIds: longIds,
		archivedContactId: archived.id,
		archivedContactEmail: archived.email,
		manyTagsContactId: manyTags.id,
		manyTagsCount: 14,
		manyNotesCount: 13,
		manyCompaniesCount: 12,
		manyConversationsContactId: manyConvs.id,
		manyConversationsCount: 160,
		longConversationId: longConv.id,
		longConversationContactId: longConvContact.id,
		longConversationPartCount: 520,
		eventsContactId: user.id,
		recentEventCount: 75,
		oldEventCount: 40,
		fileAttributeContactId: user.id,
		fileAttributeName: 'id_document',
		attachmentConversationId: withAttachment.id,
		groupConversationId: group.id,
		ticketContactId: user.id,
		ticketId: ticket.id,
		dayEdge: {
			day: '2025-03-10',
			dayStart,
			emailPrefix: 'day-edge-',
			justBeforeId: justBefore.id,
			startId: startC.id,
			endId: endC.id,
			nextDayStartId: nextDay.id,
		},
		unknownEmail: 'nobody.at.all@example.com',
		unknownContactId: 'ffffffffffffffffffffffff',
		unknownExternalId: 'fake-ext-does-not-exist',
	};
	return ws;
}

/** Follow merges from `id` for at most `maxHops` hops (Intercom resolves up to 3). */
export function resolveMerge(ws: FakeWorkspace, id: string, maxHops = 3): string | undefined {
	let current = ws.merges.get(id);
	if (current === undefined) return undefined;
	for (let hop = 1; hop < maxHops; hop++) {
		const next = ws.merges.get(current);
		if (next === undefined) break;
		current = next;
	}
	return current;
}
