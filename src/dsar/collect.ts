/**
 * exportSubject(): everything Intercom holds about one person, for a DSAR (GDPR Art. 15, CCPA
 * right to know). Every contact of the person (a lead and a user can share an email; merged
 * contacts are followed), every section of each contact, fetched in parallel under the gateway's
 * pacing. A 403 on one section (plan restriction, missing scope) is recorded and the rest is still
 * exported, unless `onRestricted: 'fail'`.
 */
import { DEFAULT_MAX_CONCURRENCY, IntercomApiError, IntercomInputError, Semaphore, type IntercomGateway } from '../intercom';
import { normaliseSubjectRef, resolveSubject, type SubjectRef } from '../subject';
import { art15With, standardStatements } from './art15';
import {
	describe,
	downloadFiles,
	listCompanies,
	listConversations,
	listEvents,
	listNotes,
	listSegments,
	listSubscriptions,
	listTags,
	listTickets,
	type SectionCtx,
} from './sections';
import {
	DSAR_SCHEMA_VERSION,
	DSAR_SECTIONS,
	type DsarAttachment,
	type DsarContact,
	type DsarCounts,
	type DsarOmission,
	type DsarSection,
	type ExportSubjectOptions,
	type JsonObject,
	type DsarPackage,
} from './types';

// The gateway's default, so a library caller gets the same fan-out with or without maxConcurrency.
const DEFAULT_CONCURRENCY = DEFAULT_MAX_CONCURRENCY;
const MAX_CONCURRENCY = 64;
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Checks the options before any request; throws IntercomInputError naming the field. */
export function checkExportOptions(opts: ExportSubjectOptions): Required<Pick<ExportSubjectOptions, 'requestId' | 'concurrency'>> {
	const now = opts.now ?? (() => new Date());
	const requestId = opts.requestId === undefined || opts.requestId.trim() === '' ? defaultRequestId(now()) : opts.requestId.trim();
	if (!REQUEST_ID.test(requestId)) {
		throw new IntercomInputError(
			'requestId',
			'it may hold only letters, digits, ".", "_" and "-" (at most 100, starting with a letter or digit)',
			'It names the package files: use e.g. your ticket number, "DSAR-2026-0042".',
		);
	}
	const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
	if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
		throw new IntercomInputError('concurrency', `it must be a whole number from 1 to ${MAX_CONCURRENCY}`, 'Leave it unset for 12.');
	}
	if (opts.onRestricted !== undefined && opts.onRestricted !== 'omit' && opts.onRestricted !== 'fail') {
		throw new IntercomInputError('onRestricted', 'it must be "omit" or "fail"', 'Use "omit" to export what is allowed and list the rest.');
	}
	if (opts.displayAs !== undefined && opts.displayAs !== 'html' && opts.displayAs !== 'plaintext') {
		throw new IntercomInputError('displayAs', 'it must be "html" or "plaintext"', 'Leave it unset for "html".');
	}
	return { requestId, concurrency };
}

function defaultRequestId(d: Date): string {
	return `dsar-${d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export async function exportSubject(gw: IntercomGateway, ref: SubjectRef, opts: ExportSubjectOptions = {}): Promise<DsarPackage> {
	const { requestId, concurrency } = checkExportOptions(opts);
	normaliseSubjectRef(ref); // bad input fails here, before any request
	const now = opts.now ?? (() => new Date());
	const failOnRestricted = opts.onRestricted === 'fail';
	const omissions: DsarOmission[] = [];
	const attachments: DsarAttachment[] = [];
	const ctx: SectionCtx = {
		gw,
		pool: new Semaphore(concurrency),
		displayAs: opts.displayAs ?? 'html',
		omit: (o) => omissions.push(o),
		tolerate: (error) => !failOnRestricted && isRestricted(error),
	};

	const [me, subject] = await Promise.all([gw.me(), resolveSubject(gw, ref)]);
	const contacts = await Promise.all(
		subject.contacts.map((c) => collectContact(ctx, c as unknown as JsonObject, opts.includeFiles !== false, attachments)),
	);

	const counts = countAll(contacts);
	const app = (me as unknown as { app?: { id_code?: string; region?: string } }).app;
	omissions.sort(byOmission);
	attachments.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return {
		schema: DSAR_SCHEMA_VERSION,
		requestId,
		generatedAt: now().toISOString(),
		subject: {
			lookup: subject.lookup,
			found: subject.found,
			contactIds: subject.contacts.map((c) => c.id),
			mergedRedirects: subject.mergedRedirects.map((r) => ({ from: r.from, to: r.to })),
		},
		workspace: { appIdCode: app?.id_code ?? null, region: app?.region ?? null, apiVersion: gw.apiVersion, host: new URL(gw.baseUrl).host },
		art15: art15With(opts.art15),
		statements: standardStatements(counts),
		counts,
		flags: {
			truncatedConversations: contacts.flatMap((c) => c.conversations.filter((t) => t.truncated).map((t) => String(t.data.id))),
			truncatedTickets: contacts.flatMap((c) => c.tickets.filter((t) => t.truncated).map((t) => String(t.data.id))),
			incomplete: omissions.length > 0,
		},
		omissions,
		contacts,
		attachments,
	};
}

/** 403 (plan restriction, missing scope, expired file URL) and 404 (gone meanwhile) on one part. */
function isRestricted(error: unknown): boolean {
	return error instanceof IntercomApiError && (error.status === 403 || error.status === 404);
}

async function collectContact(ctx: SectionCtx, profile: JsonObject, includeFiles: boolean, attachments: DsarAttachment[]): Promise<DsarContact> {
	const id = String(profile.id);
	const section = <T>(name: DsarSection, empty: T, fn: () => Promise<T>): Promise<T> =>
		fn().catch((error: unknown) => {
			if (!ctx.tolerate(error) || !(error instanceof IntercomApiError && error.status === 403)) throw error;
			ctx.omit({ contactId: id, section: name, ...describe(error) });
			return empty;
		});
	const [files, tags, segments, companies, notes, subscriptions, conversations, tickets, events] = await Promise.all([
		includeFiles ? downloadFiles(ctx, id, profile, attachments) : Promise.resolve([]),
		section('tags', [], () => listTags(ctx, id)),
		section('segments', [], () => listSegments(ctx, id)),
		section('companies', [], () => listCompanies(ctx, id)),
		section('notes', [], () => listNotes(ctx, id)),
		section('subscriptions', [], () => listSubscriptions(ctx, id)),
		section('conversations', [], () => listConversations(ctx, id)),
		section('tickets', [], () => listTickets(ctx, id)),
		section('events', { listed: [], summary: [] }, () => listEvents(ctx, id)),
	]);
	return { id, role: String(profile.role ?? ''), profile, files, tags, segments, companies, notes, subscriptions, conversations, tickets, events };
}

function countAll(contacts: DsarContact[]): DsarCounts {
	const sum = (f: (c: DsarContact) => number): number => contacts.reduce((n, c) => n + f(c), 0);
	return {
		contacts: contacts.length,
		files: sum((c) => c.files.length),
		tags: sum((c) => c.tags.length),
		segments: sum((c) => c.segments.length),
		companies: sum((c) => c.companies.length),
		notes: sum((c) => c.notes.length),
		subscriptions: sum((c) => c.subscriptions.length),
		conversations: sum((c) => c.conversations.length),
		conversationParts: sum((c) => c.conversations.reduce((n, t) => n + t.partsReturned, 0)),
		tickets: sum((c) => c.tickets.length),
		ticketParts: sum((c) => c.tickets.reduce((n, t) => n + t.partsReturned, 0)),
		events: sum((c) => c.events.listed.length),
		eventsTotal: sum((c) => c.events.summary.reduce((n, s) => n + s.count, 0)),
	};
}

function byOmission(a: DsarOmission, b: DsarOmission): number {
	const key = (o: DsarOmission): string => `${o.contactId}\u0000${DSAR_SECTIONS.indexOf(o.section).toString().padStart(2, '0')}\u0000${o.itemId ?? ''}`;
	const ka = key(a);
	const kb = key(b);
	return ka < kb ? -1 : ka > kb ? 1 : 0;
}
