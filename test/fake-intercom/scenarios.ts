// Scenario workspaces added on top of the seeded one by the tests that need them (in-process:
// addErasureScenario(fake.workspace); other processes: POST /__fake/scenario {"name": "erasure"}).
// New people with new ids only: the seeded contacts other tests count are never touched.

import { Builder, DAY } from './builder';
import type { ContactRecord, ConversationRecord, FakeWorkspace, PartRecord, TicketRecord } from './workspace';

export interface ErasureScenarioOptions {
	/** Another participant of the shared conversation names the person in a message of their own. */
	otherPersonMentions?: boolean;
	/** The person's first message in the shared conversation is older than its 500 most recent parts. */
	beyondPartCap?: boolean;
}

/** Ids and the personal data of the person the erasure scenario is about (for the tests' scans). */
export interface ErasureScenario {
	contactId: string;
	email: string;
	name: string;
	phone: string;
	externalId: string;
	/** A ticket of the person alone: its text holds name, email and phone; deleting the contact leaves it. */
	ticketId: string;
	/** A conversation with the person alone. */
	soleConversationId: string;
	/** A conversation with the person and another contact: the person wrote the source and some parts. */
	sharedConversationId: string;
	/** The person's own parts in the shared conversation. */
	sharedPartIds: string[];
	/** An admin part in the shared conversation that greets the person by name. */
	adminMentionPartId: string;
	otherContactId: string;
	/** Set with `otherPersonMentions`: the other participant's part that names the person. */
	otherMentionPartId?: string;
	/** An archived contact with its own email (nobody else), for lookups search cannot do. */
	archivedContactId: string;
	archivedEmail: string;
}

let counter = 0;

/**
 * Adds one person with a ticket, a sole conversation and parts in a conversation shared with
 * another contact, plus an archived contact. Distinct data per call (a counter in the email), so a
 * test may add several.
 */
export function addErasureScenario(ws: FakeWorkspace, opts: ErasureScenarioOptions = {}): ErasureScenario {
	counter += 1;
	const k = `${counter}${Math.floor(Math.random() * 1e6)}`;
	const b = new Builder(70_000 + counter, ws.createdAt, ws.timeZone);
	b.seedCatalogues();
	const now = ws.createdAt;
	const admin = ws.admins[0];
	let partSeq = 0;
	const partId = () => `59${k}${String(++partSeq).padStart(4, '0')}`;

	const email = `erin.subject.${k}@example.net`;
	const name = `Erin Subject${k}`;
	const phone = `+44 20 7946 ${String(counter % 10_000).padStart(4, '0')}`;
	const externalId = `erasure-subject-${k}`;
	const add = (c: ContactRecord): ContactRecord => {
		ws.contacts.set(c.id, c);
		return c;
	};
	const person = add({ ...b.contact('user', 1), email, name, phone, externalId, tagIds: [], companyIds: [], segmentIds: [], noteIds: [] });
	const other = add({ ...b.contact('user', 2), email: `other.participant.${k}@example.net`, name: `Otto Participant${k}`, externalId: `other-${k}`, tagIds: [], companyIds: [], segmentIds: [], noteIds: [] });
	const archived = add({ ...b.contact('user', 3), email: `archived.person.${k}@example.net`, name: `Ari Archived${k}`, externalId: `archived-${k}`, archived: true, tagIds: [], companyIds: [], segmentIds: [], noteIds: [] });

	const part = (author: PartRecord['author'], at: number, body: string): PartRecord => ({ id: partId(), partType: 'comment', body: `<p>${body}</p>`, createdAt: at, author, attachments: [] });
	const me = { type: 'user' as const, id: person.id };
	const start = now - 40 * DAY;

	const ticket: TicketRecord = {
		id: `69${k}`,
		ticketId: String(ws.tickets.size + 1),
		title: 'Refund request',
		description: `Raised by ${name} (${email}, ${phone}).`,
		createdAt: start,
		updatedAt: start + 600,
		state: 'in_progress',
		open: true,
		adminAssigneeId: Number(admin.id),
		teamAssigneeId: 0,
		contactIds: [person.id],
		parts: [{ ...part(me, start + 600, `Call me back on ${phone} please.`), state: 'in_progress' }],
		attachment: null,
	};
	ws.tickets.set(ticket.id, ticket);

	const conversation = (id: string, contactIds: string[], source: string, parts: PartRecord[], at: number): ConversationRecord => {
		const c: ConversationRecord = {
			id,
			createdAt: at,
			updatedAt: parts.at(-1)?.createdAt ?? at,
			state: 'closed',
			read: true,
			priority: false,
			adminAssigneeId: Number(admin.id),
			teamAssigneeId: null,
			contactIds,
			subject: '',
			sourceBody: `<p>${source}</p>`,
			sourceAuthor: me,
			tagIds: [],
			rating: null,
			parts,
		};
		ws.conversations.set(c.id, c);
		return c;
	};
	const sole = conversation(`19${k}1`, [person.id], `Hi, ${name} here, my email is ${email}.`, [part({ type: 'admin', id: admin.id }, start + 60, 'Thanks, we are on it.'), part(me, start + 120, `My phone is ${phone}.`)], start);

	const sharedParts: PartRecord[] = [];
	let at = start + 3600;
	if (opts.beyondPartCap) {
		// The person's early message, then 500 newer parts from the others: GET shows only those 500.
		sharedParts.push(part(me, (at += 60), `Early note from ${name}: ${phone}.`));
		for (let i = 0; i < 500; i++) sharedParts.push(part(i % 2 ? { type: 'admin', id: admin.id } : { type: 'user', id: other.id }, (at += 60), `Filler ${i}.`));
	}
	const mine1 = part(me, (at += 60), `Please use ${email} for the invoice.`);
	const adminMention = part({ type: 'admin', id: admin.id }, (at += 60), `Hello ${name}, noted.`);
	const theirs = part({ type: 'user', id: other.id }, (at += 60), 'Same question from me.');
	const mine2 = part(me, (at += 60), `Or call ${phone}.`);
	sharedParts.push(mine1, adminMention, theirs, mine2);
	const otherMention = opts.otherPersonMentions ? part({ type: 'user', id: other.id }, (at += 60), `I spoke to ${name} yesterday.`) : undefined;
	if (otherMention) sharedParts.push(otherMention);
	const shared = conversation(`19${k}2`, [person.id, other.id], `Question from ${name} and a colleague.`, sharedParts, start + 3600);

	return {
		contactId: person.id,
		email,
		name,
		phone,
		externalId,
		ticketId: ticket.id,
		soleConversationId: sole.id,
		sharedConversationId: shared.id,
		sharedPartIds: sharedParts.filter((p) => p.author.id === person.id).map((p) => p.id),
		adminMentionPartId: adminMention.id,
		otherContactId: other.id,
		...(otherMention ? { otherMentionPartId: otherMention.id } : {}),
		archivedContactId: archived.id,
		archivedEmail: archived.email,
	};
}
