/**
 * exportSubject(): everything Intercom holds about one person, for a DSAR (GDPR Art. 15, CCPA
 * right to know). Every contact of the person (a lead and a user can share an email; merged
 * contacts are followed), every section of each contact, fetched in parallel under the gateway's
 * pacing. A 403 on one section (plan restriction, missing scope) is recorded and the rest is still
 * exported, unless `onRestricted: 'fail'`. Any other failure — or the caller's cancel signal —
 * stops the whole run at once (see run.ts) and the export rejects with that error.
 * Then other people's data is protected and, under CCPA, §7024(d) data withheld (others.ts).
 */
import { IntercomApiError, Semaphore, type IntercomGateway } from '../intercom';
import { normaliseSubjectRef, resolveSubject, type SubjectRef } from '../subject';
import { art15FromFacts, ccpaDisclosures, standardStatements } from './art15';
import { sensitiveDefinitions } from './definitions';
import { checkExportOptions, type CheckedOptions } from './options';
import { protectContacts, sensitiveCategory } from './others';
import { collectOutbound, outboundPerson } from './outbound';
import { ExportRun } from './run';
import {
	describe,
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
import { downloadFiles, fileAttributes, partAttachments, safeFileName, type FileJob } from './file-sections';
import {
	DSAR_SCHEMA_VERSION,
	DSAR_SECTIONS,
	type DsarAttachment,
	type DsarContact,
	type DsarCounts,
	type DsarOmission,
	type DsarOutbound,
	type DsarRegime,
	type DsarSection,
	type DsarWithheld,
	type ExportSubjectOptions,
	type JsonObject,
	type DsarPackage,
} from './types';

export { checkExportOptions } from './options';
export type { CheckedOptions } from './options';

/** What the requests brought back, before protection and assembly. */
interface Gathered {
	me: unknown;
	subject: Awaited<ReturnType<typeof resolveSubject>>;
	contacts: DsarContact[];
	definitions: Definitions;
	outbound?: DsarOutbound;
}

/** Custom attribute name → §7024(d) category from the workspace's definitions (CCPA only); `note` when unreadable. */
interface Definitions {
	map: Map<string, string>;
	note?: string;
}

interface Found {
	omissions: DsarOmission[];
	attachments: DsarAttachment[];
	withheld: DsarWithheld[];
}

export async function exportSubject(gw: IntercomGateway, ref: SubjectRef, opts: ExportSubjectOptions = {}): Promise<DsarPackage> {
	const checked = checkExportOptions(opts);
	normaliseSubjectRef(ref); // bad input fails here, before any request
	const found: Found = { omissions: [], attachments: [], withheld: [] };
	const run = new ExportRun(opts.signal);
	run.check(); // cancelled before it started: no request at all
	const ctx: SectionCtx = {
		gw,
		pool: new Semaphore(checked.concurrency),
		displayAs: opts.displayAs ?? 'html',
		omit: (o) => found.omissions.push(o),
		tolerate: (error) => opts.onRestricted !== 'fail' && isRestricted(error),
		run,
		files: { timeoutMs: checked.fileTimeoutMs, maxBytes: checked.maxFileBytes, extraOrigins: checked.fileOrigins },
	};
	const got = await gather(ctx, ref, opts, checked.regime, found);
	return assemble(gw, opts, checked, got, found);
}

/** Every request of the export; rejects with the first fatal error once every request has settled. */
async function gather(ctx: SectionCtx, ref: SubjectRef, opts: ExportSubjectOptions, regime: DsarRegime, found: Found): Promise<Gathered> {
	const { gw, run } = ctx;
	let got: Gathered | undefined;
	// Never rejects (its failure fails the run): it may still be polling when a section fails.
	let outbound: Promise<DsarOutbound | undefined> = Promise.resolve(undefined);
	try {
		// With the ledger, contacts this package archived are found too (search cannot see them).
		const [me, subject, definitions] = await Promise.all([
			gw.me(),
			resolveSubject(gw, ref, { ledger: opts.ledger }),
			regime !== 'gdpr' ? readDefinitions(ctx) : Promise.resolve<Definitions>({ map: new Map() }),
		]);
		run.check();
		if (opts.outbound?.include && subject.found) {
			const who = outboundPerson(subject.contacts as unknown as JsonObject[]);
			outbound = collectOutbound(gw, who, opts.outbound, run.signal).catch((error: unknown) => (run.fail(error), undefined));
		}
		const want = { files: opts.includeFiles !== false, attachments: opts.includeAttachments !== false, regime, definitions: definitions.map };
		const contacts = await Promise.all(subject.contacts.map((c) => collectContact(ctx, c as unknown as JsonObject, want, found)));
		got = { me, subject, contacts, definitions, outbound: await outbound };
	} catch (error) {
		run.fail(error);
		await outbound;
	}
	run.finish(); // the first fatal error (or the cancellation), after every request has settled
	return got!;
}

/** GET /data_attributes?model=contact; a 403/404 (scope, plan) leaves the name rules and detectors, and says so. */
async function readDefinitions(ctx: SectionCtx): Promise<Definitions> {
	return sensitiveDefinitions(ctx.gw, ctx.run.signal).then(
		(map) => ({ map }),
		(error: unknown) =>
			!ctx.run.failed && error instanceof IntercomApiError && (error.status === 403 || error.status === 404)
				? { map: new Map<string, string>(), note: `${error.status}${error.code ? ` ${error.code}` : ''}` }
				: Promise.reject(error),
	);
}

/** Protection (others.ts), counts and the Art. 15 / CCPA texts around the collected data. */
function assemble(gw: IntercomGateway, opts: ExportSubjectOptions, checked: CheckedOptions, got: Gathered, found: Found): DsarPackage {
	const { regime, language } = checked;
	const { contacts, subject, outbound } = got;
	const protectedData = protectContacts(contacts, regime, got.definitions.map);
	const withheld = [...found.withheld, ...protectedData.withheld];
	const counts = countAll(contacts);
	const app = (got.me as { app?: { id_code?: string; region?: string } }).app;
	const omissions = [...found.omissions].sort(byOmission);
	const redactionTotal = protectedData.redactions.reduce((n, r) => n + r.count, 0);
	const statements = standardStatements(counts, { regime, redactions: redactionTotal, withheld: withheld.length, language, outbound, definitionsNote: got.definitions.note });
	return {
		schema: DSAR_SCHEMA_VERSION,
		requestId: checked.requestId,
		generatedAt: (opts.now ?? (() => new Date()))().toISOString(),
		regime,
		language,
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
		art15: art15FromFacts(opts, app?.region ?? null, language),
		...(regime !== 'gdpr' ? { ccpa: ccpaDisclosures(opts.ccpa) } : {}),
		statements,
		counts,
		flags: {
			truncatedConversations: contacts.flatMap((c) => c.conversations.filter((t) => t.truncated).map((t) => String(t.data.id))),
			truncatedTickets: contacts.flatMap((c) => c.tickets.filter((t) => t.truncated).map((t) => String(t.data.id))),
			// Asked for and not delivered is incomplete too.
			incomplete: omissions.length > 0 || outbound?.status === 'not_included',
		},
		omissions,
		redactions: { total: redactionTotal, entries: protectedData.redactions },
		withheld,
		contacts,
		attachments: [...found.attachments].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
		...(outbound ? { outbound } : {}),
	};
}

/** 403 (plan restriction, missing scope, expired file URL) and 404 (gone meanwhile) on one part. */
function isRestricted(error: unknown): boolean {
	return error instanceof IntercomApiError && (error.status === 403 || error.status === 404);
}

async function collectContact(
	ctx: SectionCtx,
	profile: JsonObject,
	want: { files: boolean; attachments: boolean; regime: DsarRegime; definitions: Map<string, string> },
	found: Found,
): Promise<DsarContact> {
	const { attachments, withheld } = found;
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
			if (ccpa && (sensitiveCategory(f.attribute) ?? want.definitions.get(f.attribute) ?? sensitiveCategory(f.name))) return;
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
