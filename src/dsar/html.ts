/**
 * index.html: the readable report for the person (and the DPO). Self-contained: no script, no
 * remote resource, a strict Content-Security-Policy, every value escaped, message bodies passed
 * through sanitizeHtml().
 */
import { escapeHtml as e, sanitizeHtml } from './sanitize';
import type { DsarContact, DsarDocument, DsarThread, JsonObject } from './types';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de}h3{margin-top:1.6rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.thread{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.part{border-top:1px dashed #d0d7de;padding:.4rem 0}.meta{color:#57606a;font-size:.85rem}.warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem 1rem;border-radius:6px}
.omitted{color:#57606a;font-style:italic}code{word-break:break-all}`;

function when(v: unknown): string {
	if (typeof v === 'number' && v > 0) return new Date(v < 1e12 ? v * 1000 : v).toISOString().replace('.000Z', 'Z');
	return typeof v === 'string' ? v : '';
}

function text(v: unknown): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v);
}

function table(header: string[], rows: unknown[][]): string {
	if (rows.length === 0) return '<p class="omitted">None.</p>';
	const head = `<tr>${header.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
	return `<table>${head}${rows.map((r) => `<tr>${r.map((c) => `<td>${e(text(c))}</td>`).join('')}</tr>`).join('')}</table>`;
}

const get = (o: unknown, path: string): unknown =>
	path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as JsonObject)[k] : undefined), o);

/** Profile fields, skipping the embedded 10-item lists (they have their own complete sections). */
function profileTable(p: JsonObject): string {
	const skip = new Set(['tags', 'notes', 'companies', 'custom_attributes', 'location', 'social_profiles', 'avatar']);
	const rows: unknown[][] = Object.entries(p)
		.filter(([k, v]) => !skip.has(k) && v !== null && v !== '')
		.map(([k, v]) => [k, k.endsWith('_at') ? when(v) : v]);
	for (const [k, v] of Object.entries((p.custom_attributes ?? {}) as JsonObject)) rows.push([`custom attribute: ${k}`, v]);
	for (const k of ['country', 'region', 'city']) if (get(p, `location.${k}`)) rows.push([`location: ${k}`, get(p, `location.${k}`)]);
	for (const sp of (get(p, 'social_profiles.data') as JsonObject[] | undefined) ?? []) rows.push([`social profile: ${text(sp.name)}`, sp.url]);
	if (get(p, 'avatar.image_url')) rows.push(['avatar (image URL, not loaded)', get(p, 'avatar.image_url')]);
	return table(['field', 'value'], rows);
}

function part(author: unknown, created: unknown, kind: unknown, body: unknown, displayAsHtml: boolean): string {
	const who = [get(author, 'type'), get(author, 'name')].filter(Boolean).map(text).join(': ');
	const content = typeof body === 'string' ? (displayAsHtml ? sanitizeHtml(body) : e(body).replace(/\n/g, '<br>')) : '<span class="omitted">(no text)</span>';
	return `<div class="part"><div class="meta">${e(when(created))} · ${e(text(kind))} · ${e(who)}</div><div>${content}</div></div>`;
}

function transcript(t: DsarThread, kind: 'conversation' | 'ticket'): string {
	const key = kind === 'conversation' ? 'conversation_parts' : 'ticket_parts';
	const parts = (get(t.data, `${key}.${key}`) as JsonObject[] | undefined) ?? [];
	const title = kind === 'conversation' ? get(t.data, 'source.subject') : get(t.data, 'ticket_attributes._default_title_');
	let out = `<div class="thread"><h4>${kind === 'conversation' ? 'Conversation' : 'Ticket'} ${e(text(t.data.id))}${title ? ` — ${e(text(title).replace(/<[^>]*>/g, ''))}` : ''}</h4>`;
	out += `<div class="meta">created ${e(when(t.data.created_at))} · state ${e(text(get(t.data, 'ticket_state.category') ?? t.data.state))} · ${t.partsReturned} of ${t.partsTotal} parts</div>`;
	if (t.truncated) out += `<p class="warn">Intercom returned only the ${t.partsReturned} most recent of ${t.partsTotal} parts; the older parts are not included.</p>`;
	if (kind === 'conversation' && t.data.source) {
		const src = t.data.source as JsonObject;
		out += part(src.author, t.data.created_at, 'first message', src.body, true);
	}
	for (const p of parts) out += part(p.author, p.created_at, p.part_type, p.body, true);
	const rating = t.data.conversation_rating as JsonObject | null | undefined;
	if (rating) out += `<p class="meta">Rating: ${e(text(rating.rating))} ${e(text(rating.remark))}</p>`;
	return `${out}</div>`;
}

function contactSection(c: DsarContact, i: number): string {
	return [
		`<h2>Contact ${i + 1}: ${e(c.role)} <code>${e(c.id)}</code></h2>`,
		'<h3>Profile</h3>',
		profileTable(c.profile),
		'<h3>Files</h3>',
		table(['attribute', 'file in this package', 'type', 'bytes', 'sha256'], c.files.map((f) => [f.attribute, f.path, f.contentType, f.size, f.sha256])),
		'<h3>Tags</h3>',
		table(['name', 'applied'], c.tags.map((t) => [t.name, when(t.applied_at)])),
		'<h3>Segments</h3>',
		table(['name'], c.segments.map((t) => [t.name])),
		'<h3>Companies</h3>',
		table(['name', 'website', 'industry'], c.companies.map((t) => [t.name, t.website, t.industry])),
		'<h3>Notes written by our staff</h3>',
		c.notes.length === 0 ? '<p class="omitted">None.</p>' : c.notes.map((n) => part(n.author, n.created_at, 'note', n.body, true)).join(''),
		'<h3>Subscription preferences (explicit choices only)</h3>',
		table(['subscription', 'consent type'], c.subscriptions.map((t) => [get(t, 'default_translation.name'), t.consent_type])),
		`<h3>Conversations (${c.conversations.length})</h3>`,
		c.conversations.map((t) => transcript(t, 'conversation')).join('') || '<p class="omitted">None.</p>',
		`<h3>Tickets (${c.tickets.length})</h3>`,
		c.tickets.map((t) => transcript(t, 'ticket')).join('') || '<p class="omitted">None.</p>',
		'<h3>Events of the last 90 days</h3>',
		table(['event', 'when', 'details'], c.events.listed.map((ev) => [ev.event_name, when(ev.created_at), ev.metadata])),
		'<h3>All events ever recorded (counts)</h3>',
		table(['event', 'first', 'last', 'count'], c.events.summary.map((s) => [s.name, s.first, s.last, s.count])),
	].join('\n');
}

export function renderHtml(doc: DsarDocument, files: string[]): string {
	const a = doc.art15;
	const art15Rows = [
		['Controller', a.controller],
		['(a) Purposes of the processing', a.purposes],
		['(b) Categories of personal data', a.categories],
		['(c) Recipients', a.recipients],
		['(d) Retention period', a.retention],
		['(e) Your rights', a.rights],
		['(f) Right to complain', a.complaint],
		['(g) Source of the data', a.source],
		['(h) Automated decision-making', a.automatedDecisions],
	];
	const counts = Object.entries(doc.counts).map(([k, v]) => [k, v]);
	const body = [
		`<h1>Your personal data held in our customer support system (Intercom)</h1>`,
		`<p class="meta">Request ${e(doc.requestId)} · generated ${e(doc.generatedAt)} · workspace ${e(text(doc.workspace.appIdCode))} (${e(text(doc.workspace.region))}) · Intercom API ${e(doc.workspace.apiVersion)}</p>`,
		doc.subject.found
			? `<p>We found ${doc.contacts.length} record${doc.contacts.length === 1 ? '' : 's'} about you. This page shows all of them; the same data is in machine-readable form in <code>subject.json</code> and the CSV files next to this page.</p>`
			: '<p>We found no record about you in our customer support system.</p>',
		doc.subject.mergedRedirects.length > 0 ? `<p>Some of your records had been merged into others; the merged records are included (${doc.subject.mergedRedirects.length} redirect(s) followed).</p>` : '',
		doc.omissions.length > 0
			? `<div class="warn"><strong>Not included:</strong>${table(['record', 'section', 'item', 'why'], doc.omissions.map((o) => [o.contactId, o.section, o.itemId ?? '', o.reason]))}</div>`
			: '',
		'<h2>Information about the processing (GDPR Art. 15)</h2>',
		table(['Art. 15(1)', 'Information'], art15Rows),
		'<h2>What Intercom can and cannot return</h2>',
		`<ul>${doc.statements.map((s) => `<li>${e(s)}</li>`).join('')}</ul>`,
		'<h2>Summary</h2>',
		table(['section', 'count'], counts),
		...doc.contacts.map(contactSection),
		'<h2>Files in this package</h2>',
		`<ul>${files.map((f) => `<li><code>${e(f)}</code></li>`).join('')}</ul>`,
	].join('\n');
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Personal data report ${e(doc.requestId)}</title>
<style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}
