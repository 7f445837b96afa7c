// Retention fixtures added to a running fake workspace (after each reset): contacts on the day edges
// of 2025-03-10 in the workspace time zone (Europe/Berlin) by last_seen_at and by created_at (never
// seen), and old contacts under each kind of legal hold. Their emails start with `retention-`, so a
// rule filter keeps the seeded workspace out of the selection.
import type { FakeIntercom } from '../fake-intercom';
import type { ContactRecord } from '../fake-intercom/types';

export const PREFIX = 'retention-';
/** The rules in these tests only see the contacts added here. */
export const ONLY_FIXTURES = { field: 'email', operator: '^', value: PREFIX };

/** 2025-03-10 00:00 Europe/Berlin (CET, UTC+1) = 2025-03-09T23:00:00Z. */
export const DAY_START = Date.UTC(2025, 2, 9, 23) / 1000;
const HOUR = 3600;
const DAY = 86_400;
/** Now for the tests: 2025-03-20 11:00 Berlin. Inactive 10 days → cutoff day 2025-03-10. */
export const NOW = new Date(Date.UTC(2025, 2, 20, 10));

let counter = 0;
function hexId(): string {
	counter++;
	return `ee${String(counter).padStart(22, '0')}`;
}

export function addContact(fake: FakeIntercom, over: Partial<ContactRecord> & { label: string }): ContactRecord {
	const { label, ...rest } = over;
	const created = rest.createdAt ?? DAY_START - 400 * DAY;
	const c: ContactRecord = {
		id: hexId(),
		externalId: null,
		role: 'user',
		email: `${PREFIX}${label}@example.com`,
		name: `Test Retention ${label}`,
		phone: null,
		ownerId: null,
		createdAt: created,
		updatedAt: created,
		signedUpAt: null,
		lastSeenAt: null,
		lastRepliedAt: null,
		lastContactedAt: null,
		lastEmailOpenedAt: null,
		lastEmailClickedAt: null,
		unsubscribedFromEmails: false,
		hasHardBounced: false,
		markedEmailAsSpam: false,
		browser: null,
		os: null,
		languageOverride: null,
		location: { country: null, region: null, city: null },
		socialProfiles: [],
		customAttributes: {},
		tagIds: [],
		noteIds: [],
		companyIds: [],
		segmentIds: [],
		subscriptions: [],
		archived: false,
		...rest,
	};
	fake.workspace.contacts.set(c.id, c);
	return c;
}

export interface RetentionFixtures {
	seenJustBefore: ContactRecord; // last seen 2025-03-09 23:59:59 Berlin
	seenAtStart: ContactRecord; // 2025-03-10 00:00:00
	seenEndOfDay: ContactRecord; // 2025-03-10 23:59:59
	seenNextDay: ContactRecord; // 2025-03-11 00:00:00
	seenUtcLate: ContactRecord; // 2025-03-09 23:30 UTC = 2025-03-10 00:30 Berlin
	neverSeenBefore: ContactRecord; // never seen, created 2025-03-09 23:59:59
	neverSeenAtStart: ContactRecord; // never seen, created 2025-03-10 00:00:00
	oldLead: ContactRecord; // a lead, last seen a year earlier
	heldByTag: ContactRecord;
	heldBySegment: ContactRecord;
	heldByCompany: ContactRecord;
	heldByCompanyPastTen: ContactRecord; // 12 companies, the held one is the 12th (not embedded)
	heldById: ContactRecord;
	holds: { tagId: string; segmentId: string; companyId: string };
}

export function addRetentionFixtures(fake: FakeIntercom): RetentionFixtures {
	const ws = fake.workspace;
	const tagId = [...ws.tags.keys()][0];
	const segmentId = [...ws.segments.keys()][0];
	const companies = [...ws.companies.keys()];
	const companyId = companies[0];
	const old = DAY_START - 365 * DAY;
	const seen = (label: string, lastSeenAt: number) => addContact(fake, { label, lastSeenAt });
	return {
		seenJustBefore: seen('seen-just-before', DAY_START - 1),
		seenAtStart: seen('seen-at-start', DAY_START),
		seenEndOfDay: seen('seen-end-of-day', DAY_START + DAY - 1),
		seenNextDay: seen('seen-next-day', DAY_START + DAY),
		seenUtcLate: seen('seen-utc-late', DAY_START + HOUR / 2),
		neverSeenBefore: addContact(fake, { label: 'never-seen-before', createdAt: DAY_START - 1 }),
		neverSeenAtStart: addContact(fake, { label: 'never-seen-at-start', createdAt: DAY_START }),
		oldLead: addContact(fake, { label: 'old-lead', role: 'lead', lastSeenAt: old }),
		heldByTag: addContact(fake, { label: 'held-tag', lastSeenAt: old, tagIds: [tagId] }),
		heldBySegment: addContact(fake, { label: 'held-segment', lastSeenAt: old, segmentIds: [segmentId] }),
		heldByCompany: addContact(fake, { label: 'held-company', lastSeenAt: old, companyIds: [companyId] }),
		heldByCompanyPastTen: addContact(fake, { label: 'held-company-11', lastSeenAt: old, companyIds: [...companies.slice(1, 12), companyId] }),
		heldById: addContact(fake, { label: 'held-id', lastSeenAt: old }),
		holds: { tagId, segmentId, companyId },
	};
}
