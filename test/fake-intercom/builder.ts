// Building blocks of the seeded workspace: catalogues, contacts and their activity. Every random
// choice comes from the seeded PRNG, so a seed always yields the same data.

import { createRng, type Rng } from './prng';
import type {
	ContactRecord,
	ConversationRecord,
	PartRecord,
	Role,
	TicketRecord,
} from './types';
import type { FakeWorkspace, Fixtures } from './workspace';

export const DAY = 86_400;

const EVENT_NAMES = ['logged-in', 'viewed-pricing', 'placed-order', 'updated-profile', 'downloaded-invoice'];
const COUNTRIES = [
	{ country: 'Germany', region: 'Berlin', city: 'Berlin' },
	{ country: 'Ireland', region: 'Dublin', city: 'Dublin' },
	{ country: 'France', region: 'Ile-de-France', city: 'Paris' },
	{ country: 'United States', region: 'California', city: 'San Francisco' },
];
const MESSAGE_TEMPLATES = [
	(c: ContactRecord) => `Hello, this is ${c.name}. I have a question about my account.`,
	(c: ContactRecord) => `You can reach me at ${c.email} or on +1 555 0100.`,
	() => 'My test card 4111 1111 1111 1111 was declined, can you check?',
	() => 'Please send the refund to IBAN DE89 3704 0044 0532 0130 00.',
	() => 'Thanks, that solved it!',
	() => 'Please delete all the data you hold about me.',
];

export class Builder {
	readonly rng: Rng;
	private readonly usedIds = new Set<string>();
	private seq = 0;
	readonly ws: FakeWorkspace;

	constructor(seed: number, readonly now: number, timeZone: string) {
		this.rng = createRng(seed);
		this.ws = {
			seed,
			createdAt: now,
			timeZone,
			app: {
				idCode: `fk${this.rng.alnum(6)}`,
				name: `Fake Workspace (seed ${seed})`,
				region: 'US',
				createdAt: now - 900 * DAY,
			},
			admins: [],
			tags: new Map(),
			segments: new Map(),
			subscriptionTypes: new Map(),
			companies: new Map(),
			contacts: new Map(),
			merges: new Map(),
			mergedExternalIds: new Map(),
			notes: new Map(),
			conversations: new Map(),
			deletedConversations: [],
			tickets: new Map(),
			events: [],
			receipts: [],
			fixtures: undefined as unknown as Fixtures,
		};
	}

	/** Intercom contact/company ids look like 24 hex chars. */
	hexId(): string {
		for (;;) {
			const id = this.rng.hex(24);
			if (!this.usedIds.has(id)) {
				this.usedIds.add(id);
				return id;
			}
		}
	}

	/** Conversation, part, ticket, note and tag ids are numeric strings in Intercom. */
	numericId(base: number): string {
		this.seq += 1;
		return String(base + this.seq);
	}

	between(from: number, to: number): number {
		return this.rng.int(Math.min(from, to), Math.max(from, to));
	}

	seedCatalogues(): void {
		const { ws, rng } = this;
		for (let i = 1; i <= 3; i++) {
			ws.admins.push({
				id: String(7_000_000 + i),
				name: `Fake Admin ${i}`,
				email: `admin${i}@example.com`,
				jobTitle: i === 1 ? 'Support lead' : 'Support agent',
			});
		}
		for (let i = 1; i <= 25; i++) {
			const id = this.numericId(8_000_000);
			ws.tags.set(id, {
				id,
				name: `Fake Tag ${String(i).padStart(2, '0')}`,
				appliedAt: this.now - rng.int(10, 400) * DAY,
				appliedByAdminId: rng.pick(ws.admins).id,
			});
		}
		for (let i = 1; i <= 5; i++) {
			const id = this.hexId();
			ws.segments.set(id, {
				id,
				name: `Fake Segment ${i}`,
				createdAt: this.now - 800 * DAY,
				updatedAt: this.now - 30 * DAY,
				personType: i % 2 ? 'user' : 'contact',
			});
		}
		const subs: Array<[string, 'opt_in' | 'opt_out', Array<'email' | 'sms_message'>]> = [
			['Newsletter', 'opt_out', ['email']],
			['Product updates', 'opt_in', ['email']],
			['SMS offers', 'opt_in', ['sms_message']],
		];
		for (const [name, consentType, contentTypes] of subs) {
			const id = this.numericId(9_000_000);
			ws.subscriptionTypes.set(id, { id, name, consentType, contentTypes });
		}
		for (let i = 1; i <= 20; i++) {
			const id = this.hexId();
			ws.companies.set(id, {
				id,
				companyId: `fake-company-${String(i).padStart(2, '0')}`,
				name: `Example Co ${String(i).padStart(2, '0')}`,
				createdAt: this.now - rng.int(400, 900) * DAY,
				updatedAt: this.now - rng.int(1, 300) * DAY,
				industry: rng.pick(['Software', 'Retail', 'Logistics']),
				size: rng.int(1, 500),
				website: `https://co${i}.example.com`,
				monthlySpend: rng.int(0, 5000),
			});
		}
	}

	contact(role: Role, n: number, overrides: Partial<ContactRecord> = {}): ContactRecord {
		const { rng } = this;
		const createdAt = overrides.createdAt ?? this.now - rng.int(100, 700) * DAY - rng.int(0, DAY);
		const num = String(n).padStart(4, '0');
		const seen = rng.chance(0.8) ? this.between(createdAt, this.now - 3600) : null;
		const c: ContactRecord = {
			id: this.hexId(),
			externalId: role === 'user' ? `fake-ext-${num}` : null,
			role,
			email: role === 'user' ? `test.user.${num}@example.com` : `test.lead.${num}@example.org`,
			name: role === 'user' ? `Test User ${num}` : `Test Lead ${num}`,
			phone: rng.chance(0.5) ? `+1 555 01${String(n % 100).padStart(2, '0')}` : null,
			ownerId: rng.chance(0.5) ? Number(rng.pick(this.ws.admins).id) : null,
			createdAt,
			updatedAt: this.between(createdAt, this.now - 60),
			signedUpAt: role === 'user' ? createdAt : null,
			lastSeenAt: seen,
			lastRepliedAt: rng.chance(0.4) ? this.between(createdAt, this.now) : null,
			lastContactedAt: rng.chance(0.4) ? this.between(createdAt, this.now) : null,
			lastEmailOpenedAt: rng.chance(0.3) ? this.between(createdAt, this.now) : null,
			lastEmailClickedAt: null,
			unsubscribedFromEmails: rng.chance(0.1),
			hasHardBounced: false,
			markedEmailAsSpam: false,
			browser: rng.pick(['chrome', 'firefox', 'safari', null]),
			os: rng.pick(['OS X 14', 'Windows 11', 'Linux', null]),
			languageOverride: null,
			location: { ...rng.pick(COUNTRIES) },
			socialProfiles: [],
			customAttributes: {
				plan: rng.pick(['free', 'pro', 'enterprise']),
				seats: rng.int(1, 50),
				last_order_at: rng.chance(0.5) ? this.between(createdAt, this.now) : null,
			},
			tagIds: [],
			noteIds: [],
			companyIds: [],
			segmentIds: [],
			subscriptions: [],
			archived: false,
			...overrides,
		};
		this.ws.contacts.set(c.id, c);
		return c;
	}

	attachExtras(c: ContactRecord, counts: { tags: number; notes: number; companies: number }): void {
		const { ws, rng } = this;
		const tagIds = [...ws.tags.keys()];
		const start = rng.int(0, tagIds.length - 1);
		for (let i = 0; i < counts.tags; i++) c.tagIds.push(tagIds[(start + i) % tagIds.length]);
		for (let i = 0; i < counts.notes; i++) {
			const id = this.numericId(3_000_000);
			ws.notes.set(id, {
				id,
				contactId: c.id,
				createdAt: this.between(c.createdAt, this.now),
				authorAdminId: rng.pick(ws.admins).id,
				body: `<p>Fake note ${i + 1}: customer called about plan ${String(c.customAttributes.plan)}.</p>`,
			});
			c.noteIds.push(id);
		}
		const companyIds = [...ws.companies.keys()];
		const cStart = rng.int(0, companyIds.length - 1);
		for (let i = 0; i < counts.companies; i++) c.companyIds.push(companyIds[(cStart + i) % companyIds.length]);
		const segIds = [...ws.segments.keys()];
		for (const s of segIds) if (rng.chance(0.3)) c.segmentIds.push(s);
		for (const st of ws.subscriptionTypes.values()) {
			// Intercom lists only explicit choices: opted out of an opt-out type, opted in to an opt-in type.
			if (rng.chance(0.4)) c.subscriptions.push({ subscriptionTypeId: st.id, choice: st.consentType });
		}
	}

	part(c: ContactRecord, at: number, fromContact: boolean, body: string): PartRecord {
		return {
			id: this.numericId(50_000_000),
			partType: 'comment',
			body: `<p>${body}</p>`,
			createdAt: at,
			author: fromContact ? { type: c.role, id: c.id } : { type: 'admin', id: this.rng.pick(this.ws.admins).id },
			attachments: [],
		};
	}

	conversation(c: ContactRecord, partCount: number, createdAt?: number): ConversationRecord {
		const { rng } = this;
		const start = createdAt ?? this.between(c.createdAt, this.now - 2 * DAY);
		const parts: PartRecord[] = [];
		let at = start;
		for (let i = 0; i < partCount; i++) {
			at += rng.int(30, 600);
			const fromContact = i % 2 === 1;
			const body = fromContact ? rng.pick(MESSAGE_TEMPLATES)(c) : `Fake reply ${i + 1} from support.`;
			parts.push(this.part(c, at, fromContact, body));
		}
		const state = rng.pick(['open', 'closed', 'closed', 'snoozed'] as const);
		const conv: ConversationRecord = {
			id: this.numericId(100_000_000),
			createdAt: start,
			updatedAt: at,
			state,
			read: rng.chance(0.7),
			priority: rng.chance(0.1),
			adminAssigneeId: rng.chance(0.7) ? Number(rng.pick(this.ws.admins).id) : null,
			teamAssigneeId: null,
			contactIds: [c.id],
			subject: '',
			sourceBody: `<p>${rng.pick(MESSAGE_TEMPLATES)(c)}</p>`,
			sourceAuthor: { type: c.role, id: c.id },
			tagIds: rng.chance(0.2) ? [rng.pick([...this.ws.tags.keys()])] : [],
			rating:
				state === 'closed' && rng.chance(0.5)
					? {
							rating: rng.int(1, 5),
							remark: 'Fake rating remark.',
							createdAt: at + 60,
							contactId: c.id,
							adminId: this.ws.admins[0].id,
						}
					: null,
			parts,
		};
		this.ws.conversations.set(conv.id, conv);
		return conv;
	}

	ticket(c: ContactRecord, withAttachment: boolean): TicketRecord {
		const { rng } = this;
		const createdAt = this.between(c.createdAt, this.now - DAY);
		const id = this.numericId(600_000_000);
		const states = ['submitted', 'in_progress', 'waiting_on_customer', 'resolved'] as const;
		const finalIdx = rng.int(0, 3);
		const parts: TicketRecord['parts'] = [];
		let at = createdAt;
		for (let i = 1; i <= finalIdx; i++) {
			at += rng.int(600, 7200);
			parts.push({
				...this.part(c, at, false, `Fake ticket update ${i}.`),
				partType: 'ticket_state_updated_by_admin',
				previousState: states[i - 1],
				state: states[i],
			});
		}
		at += 60;
		parts.push({ ...this.part(c, at, true, rng.pick(MESSAGE_TEMPLATES)(c)), state: states[finalIdx] });
		const t: TicketRecord = {
			id,
			ticketId: String(this.ws.tickets.size + 1),
			title: `Fake request ${this.ws.tickets.size + 1}`,
			description: `Fake ticket raised by ${c.name}.`,
			createdAt,
			updatedAt: at,
			state: states[finalIdx],
			open: finalIdx < 3,
			adminAssigneeId: Number(this.ws.admins[1].id),
			teamAssigneeId: 0,
			contactIds: [c.id],
			parts,
			attachment: withAttachment
				? {
						kind: 'file',
						fileId: `tf${this.rng.alnum(10)}`,
						name: 'fake-screenshot.txt',
						contentType: 'text/plain',
						content: 'Fake attachment content for tests.\n',
					}
				: null,
		};
		this.ws.tickets.set(id, t);
		return t;
	}

	events(c: ContactRecord, recent: number, old: number): void {
		const { rng } = this;
		const usedMs = new Set<number>();
		const add = (fromDaysAgo: number, toDaysAgo: number): void => {
			let ms: number;
			do {
				ms = (this.now - rng.int(toDaysAgo * DAY, fromDaysAgo * DAY)) * 1000 + rng.int(0, 999);
			} while (usedMs.has(ms));
			usedMs.add(ms);
			this.ws.events.push({
				id: `${this.rng.hex(8)}-${this.rng.hex(4)}-${this.rng.hex(4)}-${this.rng.hex(4)}-${this.rng.hex(12)}`,
				contactId: c.id,
				eventName: rng.pick(EVENT_NAMES),
				createdAtMs: ms,
				metadata: { order_id: `FAKE-${rng.int(1000, 9999)}`, source: rng.pick(['web', 'ios', 'android']) },
			});
		};
		// Recent ones stay well inside the 90-day window, old ones well outside it, so the split is
		// stable for the lifetime of a test run.
		for (let i = 0; i < recent; i++) add(85, 1);
		for (let i = 0; i < old; i++) add(400, 95);
	}

	receipts(c: ContactRecord, count: number): void {
		const { rng } = this;
		for (let i = 0; i < count; i++) {
			const receivedAt = this.now - rng.int(1, 365) * DAY - rng.int(0, DAY);
			const opened = rng.chance(0.6) ? receivedAt + rng.int(60, 86_000) : null;
			const type = rng.pick(['email', 'post', 'custom_bot', 'survey', 'tour', 'series'] as const);
			const n = rng.int(1, 12);
			this.ws.receipts.push({
				contactId: c.id,
				contentId: String(40_000 + n),
				contentType: type,
				contentTitle: `Fake ${type} ${n}`,
				receivedAt,
				openedAt: opened,
				clickedAt: opened !== null && rng.chance(0.3) ? opened + rng.int(5, 600) : null,
			});
		}
	}

	regularActivity(c: ContactRecord): void {
		const { rng } = this;
		this.attachExtras(c, { tags: rng.int(0, 3), notes: rng.int(0, 2), companies: c.role === 'user' ? rng.int(0, 2) : 0 });
		const convs = rng.int(0, 2);
		for (let i = 0; i < convs; i++) this.conversation(c, rng.int(2, 6));
		if (rng.chance(0.15)) this.ticket(c, false);
		if (rng.chance(0.3)) this.events(c, rng.int(0, 8), rng.int(0, 3));
		this.receipts(c, rng.int(0, 4));
	}
}

