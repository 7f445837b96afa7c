/**
 * Makes message bodies from Intercom safe to show in index.html. Every tag is rebuilt from an
 * allow-list with no attributes (links keep an http(s)/mailto href only), every text run is
 * escaped, and scripts, styles, frames, images, forms and comments are dropped with their content
 * where they have any. Nothing the body says can run script or load anything; the page's CSP
 * (default-src 'none') backs this up.
 */

const KEEP = new Set([
	'p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
	'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'div', 'span', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'sub', 'sup',
]);
const VOID = new Set(['br', 'hr']);
/** Dropped together with everything inside them. */
const DROP_WITH_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math', 'textarea', 'select', 'title', 'head']);

export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Decodes the few entities plain text needs; unknown ones are left as written (and escaped later). */
function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (m, e: string) => {
		const k = e.toLowerCase();
		if (k === 'amp') return '&';
		if (k === 'lt') return '<';
		if (k === 'gt') return '>';
		if (k === 'quot') return '"';
		if (k === 'apos') return "'";
		if (k === 'nbsp') return '\u00a0';
		const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
		return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
	});
}

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<[!?][^>]*>?|<\/?([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>?|[^<]+|</;

function safeHref(attrs: string): string | undefined {
	const m = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
	if (!m) return undefined;
	const href = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '').trim();
	return /^(https?:|mailto:)/i.test(href) ? href : undefined;
}

/** Safe HTML for the report. */
export function sanitizeHtml(html: string | null | undefined): string {
	if (!html) return '';
	let out = '';
	let dropping: string | undefined;
	const re = new RegExp(TOKEN.source, 'g');
	for (let m = re.exec(html); m !== null && m[0] !== ''; m = re.exec(html)) {
		const token = m[0];
		const name = m[1]?.toLowerCase();
		const closing = token.startsWith('</');
		if (dropping) {
			if (closing && name === dropping) dropping = undefined;
			continue;
		}
		if (token.startsWith('<!') || token.startsWith('<?')) continue; // comments, doctype, CDATA
		if (name === undefined) {
			out += escapeHtml(decodeEntities(token));
			continue;
		}
		if (DROP_WITH_CONTENT.has(name)) {
			if (!closing && !token.endsWith('/>')) dropping = name;
			continue;
		}
		if (name === 'a') {
			if (closing) out += '</a>';
			else {
				const href = safeHref(m[2] ?? '');
				out += href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">` : '<a>';
			}
			continue;
		}
		if (name === 'img') {
			// No remote loads: an image becomes a note (its alt text, if any).
			const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(m[2] ?? '');
			out += `<span class="omitted">[image${alt ? `: ${escapeHtml(decodeEntities(alt[1] ?? alt[2] ?? ''))}` : ''}]</span>`;
			continue;
		}
		if (!KEEP.has(name)) continue; // unknown tag: keep its text, drop the tag
		if (VOID.has(name)) out += closing ? '' : `<${name}>`;
		else out += closing ? `</${name}>` : `<${name}>`;
	}
	return out;
}

/** Plain text of an HTML body (for CSV cells and the plain-text copy). */
export function htmlToText(html: string | null | undefined): string {
	if (!html) return '';
	const withBreaks = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h[1-6]|tr|blockquote)>/gi, '\n');
	let out = '';
	let dropping: string | undefined;
	const re = new RegExp(TOKEN.source, 'g');
	for (let m = re.exec(withBreaks); m !== null && m[0] !== ''; m = re.exec(withBreaks)) {
		const name = m[1]?.toLowerCase();
		if (dropping) {
			if (m[0].startsWith('</') && name === dropping) dropping = undefined;
			continue;
		}
		if (name && DROP_WITH_CONTENT.has(name) && !m[0].startsWith('</')) {
			dropping = name;
			continue;
		}
		if (m[0].startsWith('<') && m[0] !== '<') continue;
		out += decodeEntities(m[0]);
	}
	return out.replace(/\n{3,}/g, '\n\n').trim();
}
