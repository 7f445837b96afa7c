// People, conversations, tickets and attributes for the retention rules below the contact, added to
// a running fake workspace after each reset (new ids only; the seeded workspace is not touched).
// Dates are relative to the fake's start (`fake.workspace.createdAt`), the tests' "now".
import type { FakeIntercom } from '../fake-intercom';
import type { ConversationRecord, FileAttribute, PartRecord, TicketRecord } from '../fake-intercom/types';
import { addContact } from './fixtures';

export const DAY = 86_400;
let seq = 0;
const nextId = (prefix: string) => `${prefix}${String(++seq).padStart(7, '0')}`;

export interface ItemFixtures {
	now: Date;
	/** Seen yesterday: an active person, not a retention candidate as a contact. */
	activeId: string;
	/** Under a legal hold (tag). */
	heldId: string;
	tagId: string;
	/** Closed about 3 years ago, only the active person. */
	oldConversationId: string;
	/** Closed 10 days ago. */
	recentConversationId: string;
	/** Opened 3 years ago and never closed. */
	openOldConversationId: string;
	/** Closed 3 years ago, the held person. */
	heldConversationId: string;
	/** Closed 3 years ago, the active AND the held person. */
	sharedHeldConversationId: string;
	/** In `oldConversationId`: a part with only an attachment (Intercom cannot redact it). */
	attachmentOnlyPartId: string;
	/** Resolved and untouched for 4 years; resolved 10 days ago; in progress, untouched for 4 years. */
	oldTicketId: string;
	recentTicketId: string;
	openOldTicketId: string;
	/** Not updated for 2 years: holds `id_scan_file` (a file), `passport_number` and `plan`. */
	staleAttributesId: string;
	/** Updated yesterday: also holds `id_scan_file`. */
	freshAttributesId: string;
	/** The same on the held person. */
	personalData: string[];
}

function file(name: string): FileAttribute {
	return { kind: 'file', fileId: nextId('f'), name, contentType: 'image/png', content: 'PNGDATA' };
}

export function addItemFixtures(fake: FakeIntercom): ItemFixtures {
	const ws = fake.workspace;
	const nowSec = ws.createdAt;
	const tagId = [...ws.tags.keys()][1];
	const admin = ws.admins[0];
	const u = seq + 1;
	const active = addContact(fake, { label: `items-active-${u}`, name: `Alma Active${u}`, lastSeenAt: nowSec - DAY, updatedAt: nowSec - DAY });
	const held = addContact(fake, { label: `items-held-${u}`, name: `Hector Held${u}`, lastSeenAt: nowSec - DAY, updatedAt: nowSec - DAY, tagIds: [tagId] });
	const stale = addContact(fake, {
		label: `items-stale-${u}`,
		lastSeenAt: nowSec - DAY,
		updatedAt: nowSec - 730 * DAY,
		customAttributes: { id_scan_file: file('passport.png'), passport_number: 'X1234567', plan: 'pro' },
	});
	const fresh = addContact(fake, { label: `items-fresh-${u}`, lastSeenAt: nowSec - DAY, updatedAt: nowSec - DAY, customAttributes: { id_scan_file: file('licence.png'), plan: 'free' } });

	const part = (author: PartRecord['author'], at: number, body: string | null, attachments: FileAttribute[] = []): PartRecord => ({ id: nextId('77'), partType: 'comment', body, createdAt: at, author, attachments });
	const conversation = (contactIds: string[], closedDaysAgo: number | null, startDaysAgo: number, extraParts: PartRecord[] = []): ConversationRecord => {
		const start = nowSec - startDaysAgo * DAY;
		const me = { type: 'user' as const, id: contactIds[0] };
		const c: ConversationRecord = {
			id: nextId('88'),
			createdAt: start,
			updatedAt: closedDaysAgo === null ? start + 600 : nowSec - closedDaysAgo * DAY,
			state: closedDaysAgo === null ? 'open' : 'closed',
			read: true,
			priority: false,
			adminAssigneeId: Number(admin.id),
			teamAssigneeId: null,
			contactIds,
			subject: '',
			sourceBody: `<p>Hello, this is ${active.name}, reach me at ${active.email}.</p>`,
			sourceAuthor: me,
			tagIds: [],
			rating: null,
			parts: [part({ type: 'admin', id: admin.id }, start + 60, '<p>Thanks, we are on it.</p>'), part(me, start + 120, '<p>My phone is +44 20 7946 0001.</p>'), ...extraParts],
			lastCloseAt: closedDaysAgo === null ? null : nowSec - closedDaysAgo * DAY,
		};
		ws.conversations.set(c.id, c);
		return c;
	};
	const attachmentOnly = part({ type: 'user', id: active.id }, nowSec - 1095 * DAY + 300, null, [file('scan.png')]);
	const old = conversation([active.id], 1090, 1095, [attachmentOnly]);
	const recent = conversation([active.id], 10, 20);
	const openOld = conversation([active.id], null, 1095);
	const heldConv = conversation([held.id], 1090, 1095);
	const sharedHeld = conversation([active.id, held.id], 1090, 1095);

	const ticket = (state: TicketRecord['state'], updatedDaysAgo: number): TicketRecord => {
		const t: TicketRecord = {
			id: nextId('99'),
			ticketId: String(ws.tickets.size + 1),
			title: 'Refund request',
			description: `Raised by ${active.name}.`,
			createdAt: nowSec - (updatedDaysAgo + 5) * DAY,
			updatedAt: nowSec - updatedDaysAgo * DAY,
			state,
			open: state !== 'resolved',
			adminAssigneeId: Number(admin.id),
			teamAssigneeId: 0,
			contactIds: [active.id],
			parts: [],
			attachment: null,
		};
		ws.tickets.set(t.id, t);
		return t;
	};
	const oldTicket = ticket('resolved', 1460);
	const recentTicket = ticket('resolved', 10);
	const openOldTicket = ticket('in_progress', 1460);

	return {
		now: new Date(nowSec * 1000),
		activeId: active.id,
		heldId: held.id,
		tagId,
		oldConversationId: old.id,
		recentConversationId: recent.id,
		openOldConversationId: openOld.id,
		heldConversationId: heldConv.id,
		sharedHeldConversationId: sharedHeld.id,
		attachmentOnlyPartId: attachmentOnly.id,
		oldTicketId: oldTicket.id,
		recentTicketId: recentTicket.id,
		openOldTicketId: openOldTicket.id,
		staleAttributesId: stale.id,
		freshAttributesId: fresh.id,
		personalData: [active.email, active.name, held.email, stale.email],
	};
}
