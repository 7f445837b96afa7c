/**
 * One CSV per tabular section (RFC 4180, UTF-8 with BOM so spreadsheet programs pick the encoding).
 * Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) get a leading
 * apostrophe (OWASP "CSV injection"): the person opens this file, and a message they or someone
 * else wrote must not execute.
 */
import { dateValue } from './dates';
import { htmlToText } from './sanitize';
import type { DsarDocument, DsarThread, JsonObject } from './types';

type Cell = string | number | boolean | null | undefined;

export function csvCell(v: Cell | object): string {
	if (v === null || v === undefined) return '';
	let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
	if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: Array<Array<Cell | object>>): string {
	return `\ufeff${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const get = (o: unknown, path: string): unknown =>
	path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as JsonObject)[k] : undefined), o);
const s = (v: unknown): Cell | object => (v === undefined ? null : (v as Cell | object));

function partRows(contactId: string, thread: DsarThread, kind: 'conversation' | 'ticket', d: (v: unknown) => string): Array<Array<Cell | object>> {
	const key = kind === 'conversation' ? 'conversation_parts' : 'ticket_parts';
	const parts = (get(thread.data, `${key}.${key}`) as JsonObject[] | undefined) ?? [];
	const rows: Array<Array<Cell | object>> = [];
	if (kind === 'conversation' && thread.data.source) {
		const src = thread.data.source as JsonObject;
		rows.push([contactId, s(thread.data.id), s(src.id), 'source', d(thread.data.created_at), s(get(src, 'author.type')), s(get(src, 'author.name')), htmlToText(src.body as string)]);
	}
	for (const p of parts) {
		rows.push([contactId, s(thread.data.id), s(p.id), s(p.part_type), d(p.created_at), s(get(p, 'author.type')), s(get(p, 'author.name')), htmlToText(p.body as string)]);
	}
	return rows;
}

/** File name → CSV text, one per section that is a table. */
export function renderCsvFiles(doc: DsarDocument): Array<{ name: string; text: string }> {
	// Dates as ISO 8601 with the offset of the package's time zone (spreadsheets read them; epoch seconds they do not).
	const tz = doc.timeZone ?? 'UTC';
	const d = (v: unknown): string => dateValue(v, tz);
	const per = <T>(pick: (c: DsarDocument['contacts'][number]) => T[], row: (contactId: string, x: T) => Array<Cell | object>) =>
		doc.contacts.flatMap((c) => pick(c).map((x) => row(c.id, x)));
	const partsHeader = ['contact_id', 'thread_id', 'part_id', 'part_type', 'created_at', 'author_type', 'author_name', 'body_text'];
	return [
		{
			name: 'contacts.csv',
			text: toCsv(
				['contact_id', 'role', 'external_id', 'name', 'email', 'phone', 'created_at', 'updated_at', 'last_seen_at', 'country', 'region', 'city', 'browser', 'os', 'unsubscribed_from_emails', 'custom_attributes', 'social_profiles', 'avatar'],
				doc.contacts.map((c) => {
					const p = c.profile;
					return [c.id, c.role, s(p.external_id), s(p.name), s(p.email), s(p.phone), d(p.created_at), d(p.updated_at), d(p.last_seen_at), s(get(p, 'location.country')), s(get(p, 'location.region')), s(get(p, 'location.city')), s(p.browser), s(p.os), s(p.unsubscribed_from_emails), s(p.custom_attributes), s(get(p, 'social_profiles.data')), s(get(p, 'avatar.image_url'))];
				}),
			),
		},
		{ name: 'tags.csv', text: toCsv(['contact_id', 'tag_id', 'name', 'applied_at'], per((c) => c.tags, (id, t) => [id, s(t.id), s(t.name), d(t.applied_at)])) },
		{ name: 'segments.csv', text: toCsv(['contact_id', 'segment_id', 'name'], per((c) => c.segments, (id, t) => [id, s(t.id), s(t.name)])) },
		{ name: 'companies.csv', text: toCsv(['contact_id', 'company_id', 'name', 'website', 'industry'], per((c) => c.companies, (id, t) => [id, s(t.id), s(t.name), s(t.website), s(t.industry)])) },
		{ name: 'notes.csv', text: toCsv(['contact_id', 'note_id', 'created_at', 'author_name', 'body_text'], per((c) => c.notes, (id, n) => [id, s(n.id), d(n.created_at), s(get(n, 'author.name')), htmlToText(n.body as string)])) },
		{
			name: 'subscriptions.csv',
			text: toCsv(['contact_id', 'subscription_id', 'name', 'consent_type', 'state'], per((c) => c.subscriptions, (id, t) => [id, s(t.id), s(get(t, 'default_translation.name')), s(t.consent_type), s(t.state)])),
		},
		{
			name: 'conversations.csv',
			text: toCsv(
				['contact_id', 'conversation_id', 'created_at', 'updated_at', 'state', 'subject', 'rating', 'rating_remark', 'parts_returned', 'parts_total', 'truncated'],
				per((c) => c.conversations, (id, t) => [id, s(t.data.id), d(t.data.created_at), d(t.data.updated_at), s(t.data.state), htmlToText(get(t.data, 'source.subject') as string), s(get(t.data, 'conversation_rating.rating')), s(get(t.data, 'conversation_rating.remark')), t.partsReturned, t.partsTotal, t.truncated]),
			),
		},
		{ name: 'conversation_parts.csv', text: toCsv(partsHeader, doc.contacts.flatMap((c) => c.conversations.flatMap((t) => partRows(c.id, t, 'conversation', d)))) },
		{
			name: 'tickets.csv',
			text: toCsv(
				['contact_id', 'ticket_id', 'ticket_number', 'created_at', 'state', 'title', 'parts_returned', 'parts_total', 'truncated'],
				per((c) => c.tickets, (id, t) => [id, s(t.data.id), s(t.data.ticket_id), d(t.data.created_at), s(get(t.data, 'ticket_state.category') ?? t.data.state), s(get(t.data, 'ticket_attributes._default_title_')), t.partsReturned, t.partsTotal, t.truncated]),
			),
		},
		{ name: 'ticket_parts.csv', text: toCsv(partsHeader, doc.contacts.flatMap((c) => c.tickets.flatMap((t) => partRows(c.id, t, 'ticket', d)))) },
		{ name: 'events.csv', text: toCsv(['contact_id', 'event_id', 'event_name', 'created_at', 'metadata'], per((c) => c.events.listed, (id, e) => [id, s(e.id), s(e.event_name), d(e.created_at), s(e.metadata)])) },
		{
			name: 'redaction_log.csv',
			text: toCsv(['contact_id', 'section', 'item_id', 'type', 'reason', 'count'], (doc.redactions?.entries ?? []).map((r) => [r.contactId, r.section, s(r.itemId), r.type, r.reason, r.count])),
		},
		{ name: 'withheld.csv', text: toCsv(['contact_id', 'section', 'item_id', 'category', 'what'], (doc.withheld ?? []).map((w) => [w.contactId, w.section, s(w.itemId), w.category, w.what])) },
		{ name: 'event_summary.csv', text: toCsv(['contact_id', 'event_name', 'first', 'last', 'count'], per((c) => c.events.summary, (id, e) => [id, e.name, d(e.first), d(e.last), e.count])) },
		...(doc.outbound ? [{ name: 'outbound.csv', text: outboundCsv(doc.outbound) }] : []),
	];
}

/** The person's content-export rows, columns as Intercom named them (the union over its files), plus the file. */
function outboundCsv(o: NonNullable<DsarDocument['outbound']>): string {
	const columns = [...new Set(o.receipts.flatMap((r) => Object.keys(r.values)))];
	return toCsv(['export_file', ...columns], o.receipts.map((r) => [r.file, ...columns.map((k) => r.values[k] ?? null)]));
}
