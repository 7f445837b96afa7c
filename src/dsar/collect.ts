/**
 * exportSubject(): everything Intercom holds about one person, for a DSAR (GDPR Art. 15, CCPA
 * right to know). Every contact of the person (a lead and a user can share an email; merged
 * contacts are followed), every section of each contact, fetched in parallel under the gateway's
 * pacing. A 403 on one section (plan restriction, missing scope) is recorded and the rest is still
 * exported, unless `onRestricted: 'fail'`. Any other failure — or the caller's cancel signal —
 * stops the whole run at once (see run.ts) and the export rejects with that error.
 * Then other people's data is protected and, under CCPA, §7024(d) data withheld (others.ts).
 */
import { DEFAULT_MAX_CONCURRENCY, IntercomApiError, IntercomInputError, Semaphore, type IntercomGateway } from '../intercom';
import { normaliseSubjectRef, resolveSubject, type SubjectRef } from '../subject';
import { art15FromFacts, ccpaDisclosures, standardStatements } from './art15';
import { SUPPORTED_LANGUAGES } from './i18n';
import { protectContacts, sensitiveCategory } from './others';
import { ExportRun } from './run';
import {
	describe,
	downloadFiles,
	fileAttributes,
	listCompanies,
	listConversations,
	listEvents,
	listNotes,
	listSegments,
	listSubscriptions,
	listTags,
	listTickets,
	partAttachments,
	safeFileName,
	type FileJob,
	type SectionCtx,
} from './sections';
import {
	DSAR_REGIMES,
	DSAR_SCHEMA_VERSION,
	DSAR_SECTIONS,
	type DsarAttachment,
	type DsarContact,
	type DsarCounts,
	type DsarOmission,
	type DsarRegime,
	type DsarSection,
	type DsarWithheld,
	type ExportSubjectOptions,
	type JsonObject,
	type DsarPackage,
} from './types';

// The gateway's default, so a library caller gets the same fan-out with or without maxConcurrency.
const DEFAULT_CONCURRENCY = DEFAULT_MAX_CONCURRENCY;
const MAX_CONCURRENCY = 64;
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Checks the options before any request; throws IntercomInputError naming the field. */
export interface CheckedOptions {
	requestId: string;
	concurrency: number;
	regime: DsarRegime;
	language: string;
	timeZone: string;
	fileTimeoutMs: number;
	maxFileBytes: number;
	fileOrigins: string[];
}

export function checkExportOptions(opts: ExportSubjectOptions): CheckedOptions {
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
	const regime = opts.regime ?? 'gdpr';
	if (!DSAR_REGIMES.includes(regime)) {
		throw new IntercomInputError('regime', 'it must be "gdpr", "ccpa" or "both"', 'Choose the law the request was made under.');
	}
	const language = (opts.language ?? 'en').trim().toLowerCase();
	if (!SUPPORTED_LANGUAGES.includes(language)) {
		throw new IntercomInputError('language', `it must be one of ${SUPPORTED_LANGUAGES.join(', ')}`, 'Other languages can be added in src/dsar/i18n.ts.');
	}
	const timeZone = (opts.timeZone ?? 'UTC').trim();
	if (!isTimeZone(timeZone)) {
		throw new IntercomInputError('timeZone', 'it is not an IANA time zone', 'Use e.g. "Europe/Berlin", "America/Los_Angeles" or "UTC".');
	}
	if (!opts.testMode) {
		if (!opts.controller || opts.controller.trim() === '') {
			throw new IntercomInputError('controller', 'it is empty', 'Set the name and postal address of the company that answers the request (the controller), or use test mode for a package that is not sent.');
		}
		if (!opts.dpoContact || opts.dpoContact.trim() === '') {
			throw new IntercomInputError('dpoContact', 'it is empty', 'Set how the person can reach your data protection officer (or privacy contact), or use test mode for a package that is not sent.');
		}
	}
	for (const [i, d] of (opts.dataMap ?? []).entries()) {
		if (!d || typeof d.name !== 'string' || d.name.trim() === '' || typeof d.role !== 'string' || d.role.trim() === '') {
			throw new IntercomInputError(`dataMap[${i}]`, 'it needs a name and a role', 'Give each recipient e.g. {"name": "Intercom, Inc.", "role": "processor", "country": "USA", "safeguard": "EU-US DPF"}.');
		}
	}
	const fileTimeoutMs = opts.fileTimeoutMs ?? 60_000;
	if (!Number.isInteger(fileTimeoutMs) || fileTimeoutMs < 100 || fileTimeoutMs > 3_600_000) {
		throw new IntercomInputError('fileTimeoutMs', 'it must be a whole number of milliseconds from 100 to 3600000', 'Leave it unset for 60 s.');
	}
	const maxFileBytes = opts.maxFileBytes ?? 25 * 1024 * 1024;
	if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1) {
		throw new IntercomInputError('maxFileBytes', 'it must be a whole number of bytes ≥ 1', 'Leave it unset for 25 MiB.');
	}
	const fileOrigins = (opts.fileOrigins ?? []).map((o, i) => {
		if (typeof o !== 'string' || !URL.canParse(o) || !/^https?:$/.test(new URL(o).protocol)) {
			throw new IntercomInputError(`fileOrigins[${i}]`, 'it is not an http(s) origin', 'Use e.g. "https://files.example.com".');
		}
		return new URL(o).origin;
	});
	return { requestId, concurrency, regime, language, timeZone, fileTimeoutMs, maxFileBytes, fileOrigins };
}

function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone });
		return true;
	} catch {
		return false;
	}
}

function defaultRequestId(d: Date): string {
	return `dsar-${d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export async function exportSubject(gw: IntercomGateway, ref: SubjectRef, opts: ExportSubjectOptions = {}): Promise<DsarPackage> {
	const checked = checkExportOptions(opts);
	const { requestId, concurrency, regime } = checked;
	normaliseSubjectRef(ref); // bad input fails here, before any request
	const now = opts.now ?? (() => new Date());
	const failOnRestricted = opts.onRestricted === 'fail';
	const omissions: DsarOmission[] = [];
	const attachments: DsarAttachment[] = [];
	const withheld: DsarWithheld[] = [];
	const run = new ExportRun(opts.signal);
	run.check(); // cancelled before it started: no request at all
	const ctx: SectionCtx = {
		gw,
		pool: new Semaphore(concurrency),
		displayAs: opts.displayAs ?? 'html',
		omit: (o) => omissions.push(o),
		tolerate: (error) => !failOnRestricted && isRestricted(error),
		run,
		files: { timeoutMs: checked.fileTimeoutMs, maxBytes: checked.maxFileBytes, extraOrigins: checked.fileOrigins },
	};
	const want = { files: opts.includeFiles !== false, attachments: opts.includeAttachments !== false, regime };

	let contacts: DsarContact[];
	let me: unknown;
	let subject: Awaited<ReturnType<typeof resolveSubject>>;
	try {
		// With the ledger, contacts this package archived are found too (search cannot see them).
		[me, subject] = await Promise.all([gw.me(), resolveSubject(gw, ref, { ledger: opts.ledger })]);
		run.check();
		contacts = await Promise.all(subject.contacts.map((c) => collectContact(ctx, c as unknown as JsonObject, want, attachments, withheld)));
	} catch (error) {
		run.fail(error);
	}
	run.finish(); // the first fatal error (or the cancellation), after every request has settled
	contacts = contacts!;
	subject = subject!;

	const protectedData = protectContacts(contacts, regime);
	withheld.push(...protectedData.withheld);
	const counts = countAll(contacts);
	const app = (me as { app?: { id_code?: string; region?: string } }).app;
	omissions.sort(byOmission);
	attachments.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	const redactionTotal = protectedData.redactions.reduce((n, r) => n + r.count, 0);
	return {
		schema: DSAR_SCHEMA_VERSION,
		requestId,
		generatedAt: now().toISOString(),
		regime,
		language: checked.language,
		timeZone: checked.timeZone,
		...(opts.testMode ? { testMode: true } : {}),
		subject: {
			lookup: subject.lookup,
			found: subject.found,
			contactIds: subject.contacts.map((c) => c.id),
			mergedRedirects: subject.mergedRedirects.map((r) => ({ from: r.from, to: r.to })),
			// What a lookup by email / external id cannot see (archived contacts): never a bare "no record".
			...(subject.archivedNotice ? { archivedNotice: subject.archivedNotice } : {}),
		},
		workspace: { appIdCode: app?.id_code ?? null, region: app?.region ?? null, apiVersion: gw.apiVersion, host: new URL(gw.baseUrl).host },
		art15: art15FromFacts(opts, app?.region ?? null, checked.language),
		...(regime !== 'gdpr' ? { ccpa: ccpaDisclosures(opts.ccpa) } : {}),
		statements: standardStatements(counts, { regime, redactions: redactionTotal, withheld: withheld.length, language: checked.language }),
		counts,
		flags: {
			truncatedConversations: contacts.flatMap((c) => c.conversations.filter((t) => t.truncated).map((t) => String(t.data.id))),
			truncatedTickets: contacts.flatMap((c) => c.tickets.filter((t) => t.truncated).map((t) => String(t.data.id))),
			incomplete: omissions.length > 0,
		},
		omissions,
		redactions: { total: redactionTotal, entries: protectedData.redactions },
		withheld,
		contacts,
		attachments,
	};
}

/** 403 (plan restriction, missing scope, expired file URL) and 404 (gone meanwhile) on one part. */
function isRestricted(error: unknown): boolean {
	return error instanceof IntercomApiError && (error.status === 403 || error.status === 404);
}

async function collectContact(
	ctx: SectionCtx,
	profile: JsonObject,
	want: { files: boolean; attachments: boolean; regime: DsarRegime },
	attachments: DsarAttachment[],
	withheld: DsarWithheld[],
): Promise<DsarContact> {
	const id = String(profile.id);
	// Never rejects: a tolerated 403 becomes an omission, anything else fails the run (and so stops the rest).
	const section = <T>(name: DsarSection, empty: T, fn: () => Promise<T>): Promise<T> =>
		fn().catch((error: unknown) => {
			if (!ctx.run.failed) {
				if (ctx.tolerate(error) && error instanceof IntercomApiError && error.status === 403) ctx.omit({ contactId: id, section: name, ...describe(error) });
				else ctx.run.fail(error);
			}
			return empty;
		});
	const ccpa = want.regime !== 'gdpr';
	const fileJobs: FileJob[] = [];
	if (want.files) {
		fileAttributes(profile).forEach((f, index) => {
			// Under CCPA an ID-like file is not even fetched: the package states that it is held (others.ts).
			if (ccpa && (sensitiveCategory(f.attribute) ?? sensitiveCategory(f.name))) return;
			fileJobs.push({ section: 'files', itemId: f.attribute, name: f.name, url: f.url, contentType: f.contentType, path: `files/${id}/${index + 1}-${safeFileName(f.name)}`, meta: { attribute: f.attribute } });
		});
	}
	const [files, tags, segments, companies, notes, subscriptions, conversations, tickets, events] = await Promise.all([
		section('files', [], () => downloadFiles(ctx, id, fileJobs, attachments)),
		section('tags', [], () => listTags(ctx, id)),
		section('segments', [], () => listSegments(ctx, id)),
		section('companies', [], () => listCompanies(ctx, id)),
		section('notes', [], () => listNotes(ctx, id)),
		section('subscriptions', [], () => listSubscriptions(ctx, id)),
		section('conversations', [], () => listConversations(ctx, id)),
		section('tickets', [], () => listTickets(ctx, id)),
		section('events', { listed: [], summary: [] }, () => listEvents(ctx, id)),
	]);
	if (want.attachments && !ctx.run.failed) {
		const jobs: FileJob[] = [];
		let n = 0;
		for (const [kind, list] of [['conversation', conversations], ['ticket', tickets]] as const) {
			for (const t of list) {
				for (const a of partAttachments(kind, t)) {
					const category = ccpa ? sensitiveCategory(a.name) : undefined;
					if (category) {
						withheld.push({ contactId: id, section: 'attachments', itemId: a.threadId, category, what: `attachment "${safeFileName(a.name)}" in ${kind} ${a.threadId}` });
						continue;
					}
					n += 1;
					jobs.push({
						section: 'attachments',
						itemId: `${a.threadId}/${a.partId}`,
						name: a.name,
						url: a.url,
						contentType: a.contentType,
						path: `files/${id}/${kind}s/${safeFileName(a.threadId)}/${n}-${safeFileName(a.name)}`,
						meta: { attribute: 'attachment', source: 'attachment', threadId: a.threadId, partId: a.partId },
					});
				}
			}
		}
		files.push(...(await section('attachments', [], () => downloadFiles(ctx, id, jobs, attachments))));
	}
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
