// Test helpers for the DSAR export: workspace additions on the fake (large counts, hostile bodies)
// and the canonical form used to compare two exports.
import type { FakeIntercom } from '../fake-intercom';
import type { DsarPackage } from '../../src/dsar';
import { exportSubject as realExportSubject, toDocument } from '../../src/dsar';

type Workspace = FakeIntercom['workspace'];
type ConversationRecord = Workspace['conversations'] extends Map<string, infer C> ? C : never;

/**
 * Adds `count` small conversations of one contact to the fake, created lazily one record at a time
 * (ids from 900000000 up). Returns their ids.
 */
export function addConversations(fake: FakeIntercom, contactId: string, count: number, body = '<p>Hello</p>'): string[] {
	const ws = fake.workspace;
	const now = Math.floor(Date.now() / 1000);
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const id = String(900_000_000 + ws.conversations.size + i);
		const c: ConversationRecord = {
			id,
			createdAt: now - 86_400 - i,
			updatedAt: now - 86_400 - i,
			state: 'closed',
			read: true,
			priority: false,
			adminAssigneeId: null,
			teamAssigneeId: null,
			contactIds: [contactId],
			subject: `Question ${i}`,
			sourceBody: body,
			sourceAuthor: { type: 'user', id: contactId },
			tagIds: [],
			rating: null,
			parts: [
				{ id: `${id}01`, partType: 'comment', body, createdAt: now - 86_000 - i, author: { type: 'user', id: contactId }, attachments: [] },
				{ id: `${id}02`, partType: 'comment', body: '<p>Answer</p>', createdAt: now - 85_000 - i, author: { type: 'admin', id: ws.admins[0].id }, attachments: [] },
			],
		};
		ws.conversations.set(id, c);
		ids.push(id);
	}
	return ids;
}

/** Adds recent data events (within 90 days) so the event listing runs over several pages. */
export function addEvents(fake: FakeIntercom, contactId: string, count: number): void {
	const nowMs = Date.now();
	for (let i = 0; i < count; i++) {
		fake.workspace.events.push({ id: `ev-extra-${i}`, contactId, eventName: 'extra-event', createdAtMs: nowMs - 3_600_000 - i * 1000 - 7, metadata: { n: String(i) } });
	}
}

/**
 * The package as JSON, minus what legitimately differs between two runs: the generation time and
 * the signed, time-stamped file URLs (`expires`, `signature`).
 */
export function canonical(pkg: DsarPackage): string {
	const doc = { ...toDocument(pkg), generatedAt: '<time>' };
	return JSON.stringify(doc).replace(/expires=\d+/g, 'expires=<t>');
}

/** The controller's details every real export needs (the library refuses without them unless testMode). */
export const CONTROLLER = { controller: 'Acme Support GmbH, Beispielstraße 1, 10115 Berlin', dpoContact: 'Data protection officer, Beispielstraße 1, 10115 Berlin' };

/** exportSubject with the controller's details set (tests that are not about them). */
export const exportSubject: typeof realExportSubject = (gw, ref, opts) => realExportSubject(gw, ref, { ...CONTROLLER, ...opts });
