/**
 * index.html: the readable report for the person (and the DPO), layered as the EDPB guidelines on
 * the right of access describe: a summary first (what we found, what is missing, what is withheld
 * and why), then a contents list with anchors, then the details — each conversation collapsible
 * (<details>) so no page is one endless scroll. Field names get human labels (glossary at the end),
 * dates are ISO 8601 in the chosen time zone, texts in the package's language.
 * Self-contained: no script, no remote resource, a strict Content-Security-Policy, every value
 * escaped, message bodies passed through sanitizeHtml() (balanced by construction) inside their
 * own <div class="msg">.
 */
import { outboundReasonKey } from './art15';
import { dateValue, isDateKey } from './dates';
import { FIELD_LABELS, fieldLabel, t, tCode } from './i18n';
import { escapeHtml as e, htmlToText, sanitizeHtml } from './sanitize';
import type { DsarContact, DsarDocument, DsarThread, JsonObject } from './types';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de}h3{margin-top:1.6rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}details.thread{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:.6rem 0}details.thread>summary{cursor:pointer;font-weight:600}
.part{border-top:1px dashed #d0d7de;padding:.4rem 0}.meta{color:#57606a;font-size:.85rem}.warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem 1rem;border-radius:6px}
.test{background:#ffebe9;border:2px solid #cf222e;padding:.5rem 1rem;font-weight:700}.omitted{color:#57606a;font-style:italic}.quoted{display:block;white-space:pre-wrap;border-left:3px solid #d0d7de;padding-left:.5rem}code{word-break:break-all}`;

interface Ctx {
	lang: string;
	tz: string;
}

function text(v: unknown): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v);
}

function table(c: Ctx, header: string[], rows: unknown[][]): string {
	if (rows.length === 0) return `<p class="omitted">${e(t(c.lang, 'none'))}</p>`;
	const head = `<tr>${header.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
	return `<table>${head}${rows.map((r) => `<tr>${r.map((cell) => `<td>${e(text(cell))}</td>`).join('')}</tr>`).join('')}</table>`;
}

const get = (o: unknown, path: string): unknown =>
	path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as JsonObject)[k] : undefined), o);

/** A value for a table cell: dates as ISO in the zone, lists of names as a comma list. */
function show(c: Ctx, k: string, v: unknown): unknown {
	if (isDateKey(k)) return dateValue(v, c.tz);
	if (k === 'owner' && v && typeof v === 'object') return text((v as JsonObject).name ?? t(c.lang, 'staffMember'));
	if (Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'name' in (x as JsonObject))) return v.map((x) => text((x as JsonObject).name)).join(', ');
	if (v && typeof v === 'object' && Array.isArray((v as JsonObject).data)) return ((v as JsonObject).data as unknown[]).map((x) => text((x as JsonObject)?.name ?? (x as JsonObject)?.id ?? x)).join(', ');
	return v;
}

/** Profile fields with human labels, skipping the embedded 10-item lists (they have complete sections). */
function profileTable(c: Ctx, p: JsonObject): string {
	const skip = new Set(['tags', 'notes', 'companies', 'custom_attributes', 'location', 'social_profiles', 'avatar']);
	const rows: unknown[][] = Object.entries(p)
		.filter(([k, v]) => !skip.has(k) && v !== null && v !== '')
		.map(([k, v]) => [fieldLabel(c.lang, k), show(c, k, v)]);
	for (const [k, v] of Object.entries((p.custom_attributes ?? {}) as JsonObject)) {
		const file = v && typeof v === 'object' && 'url' in (v as JsonObject) ? (v as JsonObject) : undefined;
		rows.push([k.replace(/_/g, ' '), file ? `${text(file.name)} (file)` : show(c, k, v)]);
	}
	for (const k of ['country', 'region', 'city']) if (get(p, `location.${k}`)) rows.push([`location: ${k}`, get(p, `location.${k}`)]);
	for (const sp of (get(p, 'social_profiles.data') as JsonObject[] | undefined) ?? []) rows.push([`social profile: ${text(sp.name)}`, sp.url]);
	if (get(p, 'avatar.image_url')) rows.push(['avatar (image URL, not loaded)', get(p, 'avatar.image_url')]);
	return table(c, [t(c.lang, 'field'), t(c.lang, 'value')], rows);
}

function part(c: Ctx, author: unknown, created: unknown, kind: unknown, body: unknown): string {
	const role = get(author, 'role') ?? get(author, 'type');
	const who = [get(author, 'name'), role ? `(${text(role)})` : ''].filter(Boolean).map(text).join(' ');
	const content = typeof body === 'string' ? sanitizeHtml(body) : `<span class="omitted">${e(t(c.lang, 'noText'))}</span>`;
	return `<div class="part"><div class="meta">${e(dateValue(created, c.tz))} · ${e(text(kind).replace(/_/g, ' '))} · ${e(who)}</div><div class="msg">${content}</div></div>`;
}

function transcript(c: Ctx, th: DsarThread, kind: 'conversation' | 'ticket'): string {
	const key = kind === 'conversation' ? 'conversation_parts' : 'ticket_parts';
	const parts = (get(th.data, `${key}.${key}`) as JsonObject[] | undefined) ?? [];
	const titleRaw = kind === 'conversation' ? get(th.data, 'source.subject') : get(th.data, 'ticket_attributes._default_title_');
	const title = typeof titleRaw === 'string' ? htmlToText(titleRaw) : '';
	const label = `${kind === 'conversation' ? 'Conversation' : 'Ticket'} ${text(th.data.id)}`;
	let out = `<details class="thread" id="${kind}-${e(text(th.data.id))}"><summary>${e(dateValue(th.data.created_at, c.tz).slice(0, 10))} · ${e(label)}${title ? ` — ${e(title)}` : ''}</summary>`;
	out += `<div class="meta">${e(t(c.lang, 'created'))} ${e(dateValue(th.data.created_at, c.tz))} · ${e(t(c.lang, 'state'))} ${e(text(get(th.data, 'ticket_state.category') ?? th.data.state))} · ${e(t(c.lang, 'parts', { a: th.partsReturned, b: th.partsTotal }))}</div>`;
	if (th.truncated) out += `<p class="warn">${e(t(c.lang, 'truncated', { a: th.partsReturned, b: th.partsTotal }))}</p>`;
	if (kind === 'conversation' && th.data.source) {
		const src = th.data.source as JsonObject;
		out += part(c, src.author, th.data.created_at, t(c.lang, 'firstMessage'), src.body);
	}
	for (const p of parts) out += part(c, p.author, p.created_at, p.part_type, p.body);
	const rating = th.data.conversation_rating as JsonObject | null | undefined;
	if (rating) out += `<p class="meta">${e(t(c.lang, 'rating'))}: ${e(text(rating.rating))} ${e(text(rating.remark))}</p>`;
	return `${out}</details>`;
}

function contactSection(c: Ctx, ct: DsarContact, i: number): string {
	const a = `record-${i + 1}`;
	const h3 = (id: string, label: string): string => `<h3 id="${a}-${id}">${e(label)}</h3>`;
	return [
		`<h2 id="${a}">${e(t(c.lang, 'contact', { i: i + 1, role: ct.role }))} <code>${e(ct.id)}</code></h2>`,
		h3('profile', t(c.lang, 'profile')),
		profileTable(c, ct.profile),
		h3('files', t(c.lang, 'filesSection')),
		table(c, ['', 'file', 'type', 'bytes', 'sha256'], ct.files.map((f) => [f.source === 'attachment' ? `attachment (${f.threadId ?? ''})` : f.attribute, f.path, f.contentType, f.size, f.sha256])),
		h3('tags', t(c.lang, 'tags')),
		table(c, [t(c.lang, 'value'), 'applied'], ct.tags.map((x) => [x.name, dateValue(x.applied_at, c.tz)])),
		h3('segments', t(c.lang, 'segments')),
		table(c, [t(c.lang, 'value')], ct.segments.map((x) => [x.name])),
		h3('companies', t(c.lang, 'companies')),
		table(c, ['name', 'website', 'industry'], ct.companies.map((x) => [x.name, x.website, x.industry])),
		h3('notes', t(c.lang, 'notes')),
		ct.notes.length === 0 ? `<p class="omitted">${e(t(c.lang, 'none'))}</p>` : ct.notes.map((n) => part(c, n.author, n.created_at, 'note', n.body)).join(''),
		h3('subscriptions', t(c.lang, 'subscriptions')),
		table(c, ['subscription', 'consent type'], ct.subscriptions.map((x) => [get(x, 'default_translation.name'), x.consent_type])),
		h3('conversations', t(c.lang, 'conversations', { n: ct.conversations.length })),
		ct.conversations.map((x) => transcript(c, x, 'conversation')).join('') || `<p class="omitted">${e(t(c.lang, 'none'))}</p>`,
		h3('tickets', t(c.lang, 'tickets', { n: ct.tickets.length })),
		ct.tickets.map((x) => transcript(c, x, 'ticket')).join('') || `<p class="omitted">${e(t(c.lang, 'none'))}</p>`,
		h3('events', t(c.lang, 'events')),
		table(c, ['event', 'when', 'details'], ct.events.listed.map((ev) => [ev.event_name, dateValue(ev.created_at, c.tz), ev.metadata])),
		h3('event-summary', t(c.lang, 'eventSummary')),
		table(c, ['event', 'first', 'last', t(c.lang, 'count')], ct.events.summary.map((s) => [s.name, dateValue(s.first, c.tz), dateValue(s.last, c.tz), s.count])),
	].join('\n');
}

/**
 * What the lookup could not see. Never a bare "no record": a lookup by email or external id cannot
 * see archived contacts (Intercom's search never returns them), so that is said whenever the package
 * carries the notice, and always when nothing was found; a lookup by contact id does see them.
 */
/** The CCPA disclosures (§1798.110), under ccpa and both. */
function ccpaSection(c: Ctx, doc: DsarDocument, L: (k: string) => string): string {
	const d = doc.ccpa;
	if (!d) return '';
	const rows = [
		[L('ccpaCategories'), d.categoriesCollected],
		[L('ccpaSources'), d.sources],
		[L('ccpaPurposes'), d.businessPurposes],
		[L('ccpaThirdParties'), d.thirdParties],
		[L('ccpaSold'), d.soldOrShared],
	];
	return `<h2 id="ccpa">${e(L('ccpa'))}</h2>${table(c, ['', ''], rows)}`;
}

/** Outbound messages (content export rows), when asked for: a table, or the statement why there is none. */
function outboundSection(c: Ctx, doc: DsarDocument, L: (k: string, v?: Record<string, string | number>) => string): string {
	const o = doc.outbound;
	if (!o) return '';
	const columns = [...new Set(o.receipts.flatMap((r) => Object.keys(r.values)))];
	const vars = { n: o.receipts.length, from: o.range.from, to: o.range.to, reason: L(outboundReasonKey(o)) };
	const intro = L(o.status === 'included' ? 'stOutboundIncluded' : o.status === 'no_data' ? 'stOutboundNoData' : 'stOutboundNotIncluded', vars);
	const rows = o.receipts.map((r) => columns.map((k) => r.values[k] ?? ''));
	return `<h2 id="outbound">${e(L('outbound'))}</h2><p>${e(intro)}</p>${o.status === 'included' ? table(c, columns, rows) : ''}`;
}

function lookupNotice(doc: DsarDocument, L: (k: string) => string): string {
	const { lookup, found, archivedNotice } = doc.subject;
	if (lookup === 'contactId') return found ? '' : `<p class="warn" id="archived-notice">${e(L('notFoundById'))}</p>`;
	if (!archivedNotice && found) return '';
	return `<p class="warn" id="archived-notice">${e(L(lookup === 'email' ? 'archivedEmail' : 'archivedExternalId'))}</p>`;
}

export function renderHtml(doc: DsarDocument, files: string[]): string {
	const c: Ctx = { lang: doc.language ?? 'en', tz: doc.timeZone ?? 'UTC' };
	const L = (k: string, v?: Record<string, string | number>): string => t(c.lang, k, v);
	const regime = doc.regime ?? 'gdpr';
	const a = doc.art15;
	const art15Rows = [
		[L('controller'), a.controller],
		...(a.dpo ? [[L('dpo'), a.dpo]] : []),
		[L('art15a'), a.purposes],
		[L('art15b'), a.categories],
		[L('art15c'), a.recipients],
		[L('art15d'), a.retention],
		[L('art15e'), a.rights],
		[L('art15f'), a.complaint],
		[L('art15g'), a.source],
		[L('art15h'), a.automatedDecisions],
	];
	const withheld = doc.withheld ?? [];
	const redactions = doc.redactions ?? { total: 0, entries: [] };
	const toc: Array<[string, string]> = [['summary', L('summary')]];
	if (doc.omissions.length > 0) toc.push(['not-included', L('notIncluded')]);
	if (withheld.length > 0) toc.push(['withheld', L('withheld')]);
	toc.push(['redactions', L('redactionLog')]);
	if (regime !== 'ccpa') toc.push(['art15', L('art15')]);
	if (doc.ccpa) toc.push(['ccpa', L('ccpa')]);
	toc.push(['limits', L('limits')]);
	doc.contacts.forEach((ct, i) => toc.push([`record-${i + 1}`, L('contact', { i: i + 1, role: ct.role })]));
	if (doc.outbound) toc.push(['outbound', L('outbound')]);
	toc.push(['glossary', L('glossary')], ['files', L('files')]);
	const usedLabels = new Set<string>();
	for (const ct of doc.contacts) for (const k of Object.keys(ct.profile)) if (FIELD_LABELS.en[k]) usedLabels.add(k);
	// Names, sections and reasons in the package's language; the codes stay in subject.json.
	const C = (prefix: string, code: string): string => tCode(c.lang, prefix, code);
	const summaryRows = Object.entries(doc.counts).map(([k, v]) => [C('count', k), v]);
	const body = [
		doc.testMode ? `<p class="test">${e(L('testBanner'))}</p>` : '',
		`<h1>${e(regime === 'ccpa' ? L('titleCcpa') : L('title'))}</h1>`,
		`<p class="meta">${e(L('metaRequest'))} ${e(doc.requestId)} · ${e(dateValue(doc.generatedAt, c.tz))} · ${e(L('metaWorkspace'))} ${e(text(doc.workspace.appIdCode))} (${e(text(doc.workspace.region))}) · Intercom API ${e(doc.workspace.apiVersion)} · ${e(L('datesIn', { tz: c.tz }))}</p>`,
		`<h2 id="summary">${e(L('summary'))}</h2>`,
		`<p>${e(doc.subject.found ? L('summaryFound', { n: doc.contacts.length }) : L('summaryNone'))}</p>`,
		lookupNotice(doc, L),
		doc.subject.mergedRedirects.length > 0 ? `<p>${e(L('merged', { n: doc.subject.mergedRedirects.length }))}</p>` : '',
		table(c, [L('section'), L('count')], summaryRows),
		`<nav><h2>${e(L('contents'))}</h2><ol>${toc.map(([id, label]) => `<li><a href="#${id}">${e(label)}</a></li>`).join('')}</ol></nav>`,
		doc.omissions.length > 0
			? `<h2 id="not-included">${e(L('notIncluded'))}</h2><div class="warn">${table(c, [L('record'), L('section'), L('item'), L('why')], doc.omissions.map((o) => [o.contactId, C('section', o.section), o.itemId ?? '', o.kind ? C('omission', o.kind) : o.reason]))}</div>`
			: '',
		withheld.length > 0
			? `<h2 id="withheld">${e(L('withheld'))}</h2><p>${e(L('withheldIntro'))}</p>${table(c, [L('record'), L('section'), L('kind'), L('what')], withheld.map((w) => [w.contactId, C('section', w.section), C('category', w.category), w.what]))}`
			: '',
		`<h2 id="redactions">${e(L('redactionLog'))}</h2><p>${e(L('redactionIntro', { n: redactions.total }))}</p>`,
		table(c, [L('record'), L('section'), L('item'), L('kind'), L('why'), L('count')], redactions.entries.map((r) => [r.contactId, C('section', r.section), r.itemId ?? '', C('redactionType', r.type), C('redaction', r.reason), r.count])),
		regime !== 'ccpa' ? `<h2 id="art15">${e(L('art15'))}</h2>${table(c, ['', ''], art15Rows)}` : '',
		ccpaSection(c, doc, L),
		`<h2 id="limits">${e(L('limits'))}</h2>`,
		`<ul>${doc.statements.map((s) => `<li>${e(s)}</li>`).join('')}</ul>`,
		...doc.contacts.map((ct, i) => contactSection(c, ct, i)),
		outboundSection(c, doc, L),
		`<h2 id="glossary">${e(L('glossary'))}</h2>`,
		`<dl>${[...usedLabels].sort().map((k) => `<dt><code>${e(k)}</code></dt><dd>${e(fieldLabel(c.lang, k))}</dd>`).join('')}</dl>`,
		`<h2 id="files">${e(L('files'))}</h2>`,
		`<ul>${files.map((f) => `<li><code>${e(f)}</code></li>`).join('')}</ul>`,
	].join('\n');
	return `<!DOCTYPE html>
<html lang="${e(c.lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(L('title'))} — ${e(doc.requestId)}</title>
<style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}
