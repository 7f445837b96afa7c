/**
 * What a reviewer looks at before the package is sent: the redaction log (by kind), what is
 * withheld, internal notes (the person sees staff notes about them), ID-like files that ARE in the
 * package (GDPR: the person's own, but worth a second look), omissions, and flags that must be
 * cleared before sending (test mode, CCPA "sold or shared" text not set, incomplete package).
 * Holds no personal data beyond ids and names of files/attributes.
 */
import { DEFAULT_CCPA } from './art15';
import { sensitiveCategory } from './others';
import type { DsarDocument, DsarOmission, DsarWithheld, JsonObject } from './types';

export interface DsarReview {
	requestId: string;
	regime: string;
	/** Reasons not to send yet; empty = nothing blocks sending (a human still decides). */
	blockers: string[];
	/** Things to look at. */
	checks: string[];
	redactionsByKind: Record<string, number>;
	redactionTotal: number;
	withheld: DsarWithheld[];
	internalNotes: { contactId: string; notes: number; notesInConversations: number }[];
	idLikeFiles: { contactId: string; path: string; category: string }[];
	omissions: DsarOmission[];
	counts: DsarDocument['counts'];
}

export function reviewDsarPackage(doc: DsarDocument): DsarReview {
	const blockers: string[] = [];
	const checks: string[] = [];
	if (doc.testMode) blockers.push('Made in test mode (no controller or DPO contact): set them and export again.');
	if (doc.ccpa && doc.ccpa.soldOrShared === DEFAULT_CCPA.soldOrShared) blockers.push('CCPA: the "sold or shared" disclosure is not set.');
	if (doc.omissions.length > 0) checks.push(`The package is incomplete: ${doc.omissions.length} item(s) are listed as not included; check whether a re-run can fetch them.`);
	if (doc.outbound?.status === 'not_included') checks.push(`Outbound messages were asked for and are not included: ${doc.outbound.reason ?? 'the content export did not finish.'} The package says so; re-run later to add them.`);
	if (doc.flags.truncatedConversations.length + doc.flags.truncatedTickets.length > 0) checks.push('Some threads are longer than Intercom returns (500 parts): the package says so.');
	const redactionsByKind: Record<string, number> = {};
	for (const r of doc.redactions?.entries ?? []) redactionsByKind[`${r.reason}:${r.type}`] = (redactionsByKind[`${r.reason}:${r.type}`] ?? 0) + r.count;
	const internalNotes = doc.contacts.map((c) => ({
		contactId: c.id,
		notes: c.notes.length,
		notesInConversations: c.conversations.reduce((n, t) => n + (((t.data.conversation_parts as JsonObject | undefined)?.conversation_parts as JsonObject[] | undefined) ?? []).filter((p) => p.part_type === 'note').length, 0),
	}));
	if (internalNotes.some((n) => n.notes + n.notesInConversations > 0)) checks.push('Staff notes about the person are included (they are the person’s data): read them before sending.');
	const idLikeFiles = doc.contacts.flatMap((c) =>
		c.files.flatMap((f) => {
			const category = sensitiveCategory(f.attribute) ?? sensitiveCategory(f.name);
			return category ? [{ contactId: c.id, path: f.path, category }] : [];
		}),
	);
	if (idLikeFiles.length > 0) checks.push(`${idLikeFiles.length} ID-like file(s) are in the package: send it only over a secure channel, to the verified person.`);
	if ((doc.redactions?.total ?? 0) > 0) checks.push('Read the redaction log: automatic detection finds email addresses and phone numbers, not names of other people in free text.');
	return {
		requestId: doc.requestId,
		regime: doc.regime ?? 'gdpr',
		blockers,
		checks,
		redactionsByKind,
		redactionTotal: doc.redactions?.total ?? 0,
		withheld: doc.withheld ?? [],
		internalNotes,
		idLikeFiles,
		omissions: doc.omissions,
		counts: doc.counts,
	};
}
