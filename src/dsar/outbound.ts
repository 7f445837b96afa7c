/**
 * Outbound messages the person received (emails, posts, tours, surveys…), from Intercom's content
 * data export (`POST /export/content/data`, then polling, then `GET /download/content/data/{job}`
 * with `Accept: application/octet-stream`; see ../bulk-export). That export is WORKSPACE-WIDE: it holds
 * receipts of everyone in the date range, so it runs only when asked (`outbound.include`), its rows
 * are filtered here to the person's own (contact ids, external ids, emails from their records) and
 * nothing else is kept. Intercom runs one content export per workspace at a time: a job already
 * running (429) or one that fails, is cancelled or takes too long becomes a stated "not included",
 * never a failed access package. It contains delivery and engagement data (received, opened,
 * clicked…), not message bodies.
 */
import type { IntercomGateway } from '../intercom';
import { IntercomApiError } from '../intercom';
import { cancelExport, collectExportRows, ExportError, startContentExport, waitForExport } from '../bulk-export';
import type { ExportJob, ExportRow } from '../bulk-export';
import type { DsarOutbound, JsonObject, OutboundOptions } from './types';

const ID_COLUMNS = ['user_id', 'intercom_user_id', 'contact_id'];
const EXTERNAL_COLUMNS = ['user_external_id', 'external_id', 'user_id'];
const EMAIL_COLUMNS = ['email', 'user_email'];

/** The person's keys, from their contact records. */
export interface OutboundPerson {
	contactIds: Set<string>;
	externalIds: Set<string>;
	emails: Set<string>;
	/** Earliest created_at of their contacts (UNIX seconds), the default start of the range. */
	since?: number;
}

export function outboundPerson(profiles: JsonObject[]): OutboundPerson {
	const p: OutboundPerson = { contactIds: new Set(), externalIds: new Set(), emails: new Set() };
	for (const c of profiles) {
		p.contactIds.add(String(c.id));
		if (typeof c.external_id === 'string' && c.external_id !== '') p.externalIds.add(c.external_id);
		if (typeof c.email === 'string' && c.email !== '') p.emails.add(c.email.toLowerCase());
		if (typeof c.created_at === 'number' && (p.since === undefined || c.created_at < p.since)) p.since = c.created_at;
	}
	return p;
}

/** Rows about the person: matched by id or email; rows of files without those columns by receipt_id. */
export function personsRows(rows: ExportRow[], who: OutboundPerson): Array<{ file: string; values: Record<string, string> }> {
	const mine = (v: Record<string, string>): boolean =>
		ID_COLUMNS.some((k) => v[k] !== undefined && v[k] !== '' && who.contactIds.has(v[k])) ||
		EXTERNAL_COLUMNS.some((k) => v[k] !== undefined && v[k] !== '' && who.externalIds.has(v[k])) ||
		EMAIL_COLUMNS.some((k) => v[k] !== undefined && who.emails.has(v[k].toLowerCase()));
	const hasWho = (r: ExportRow): boolean => r.columns.some((c) => ID_COLUMNS.includes(c) || EXTERNAL_COLUMNS.includes(c) || EMAIL_COLUMNS.includes(c));
	const receipts = new Set<string>();
	const out: Array<{ file: string; values: Record<string, string> }> = [];
	for (const r of rows) {
		if (!hasWho(r) || !mine(r.values)) continue;
		if (r.values.receipt_id) receipts.add(r.values.receipt_id);
		out.push({ file: r.file, values: { ...r.values } });
	}
	// Statistics files that carry only receipt_id (opens, clicks, … in Intercom's documented layout).
	for (const r of rows) if (!hasWho(r) && r.values.receipt_id && receipts.has(r.values.receipt_id)) out.push({ file: r.file, values: { ...r.values } });
	return out;
}

const day = (unix: number): string => new Date(unix * 1000).toISOString().slice(0, 10);

/**
 * Runs the workspace's content export for the person's time with us and keeps their rows.
 * Never throws for Intercom's side (stated instead); throws only when `signal` aborts.
 */
export async function collectOutbound(gw: IntercomGateway, who: OutboundPerson, opts: OutboundOptions, signal: AbortSignal, now: () => number = Date.now): Promise<DsarOutbound> {
	const to = day(Math.floor(now() / 1000));
	const from = opts.since ?? (who.since !== undefined ? day(who.since) : to);
	const base = { range: { from, to } };
	let job: ExportJob | undefined;
	try {
		job = await startContentExport(gw, { from, to }, { now });
		job = await waitForExport(gw, job, { ...opts.wait, signal });
		if (job.status === 'no_data') return { ...base, status: 'no_data', jobIdentifier: job.jobIdentifier, receipts: [] };
		if (job.status !== 'completed') return { ...base, status: 'not_included', jobIdentifier: job.jobIdentifier, reason: `Intercom's content export ended with status "${job.status}".`, reasonCode: 'failed', receipts: [] };
		const { rows } = await collectExportRows(gw, job, { signal });
		return { ...base, status: 'included', jobIdentifier: job.jobIdentifier, receipts: personsRows(rows, who) };
	} catch (error) {
		if (signal.aborted) {
			// Free the workspace's single export slot for the next run; best effort.
			if (job && !job.terminal) await cancelExport(gw, job).catch(() => undefined);
			return Promise.reject(error);
		}
		return { ...base, status: 'not_included', ...(job ? { jobIdentifier: job.jobIdentifier } : {}), reason: reasonOf(error), reasonCode: isBusy(error) ? 'busy' : 'failed', receipts: [] };
	}
}

/** Another content export holds the workspace's single slot (or Intercom asks us to slow down). */
const isBusy = (error: unknown): boolean => (error instanceof ExportError && error.code === 'export_already_running') || (error instanceof IntercomApiError && error.status === 429);

/** Ids, statuses and codes only: never a value from the export. */
function reasonOf(error: unknown): string {
	if (isBusy(error)) return 'Another content export is running in this workspace (Intercom runs one at a time); run the export again later.';
	if (error instanceof IntercomApiError) return `Intercom answered ${error.status ?? error.code} to the content export${error.requestId ? ` (request ${error.requestId})` : ''}.`;
	if (error instanceof ExportError) return `The content export did not finish: ${error.code}.`;
	return 'The content export did not finish.';
}
