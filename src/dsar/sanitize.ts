/**
 * Makes message bodies from Intercom safe to show in index.html. The body is parsed with a real
 * HTML5 parser (parse5, the algorithm browsers use) and the output is serialised from that tree, so
 * every element in the output is balanced and cannot close or restructure anything around it. The
 * allow-list rules: tags from KEEP are rebuilt without attributes (links keep an http(s)/mailto href
 * only), unknown tags are unwrapped (their text stays), images become a note with their alt text,
 * scripts, closed style sheets and comments are dropped. Text that browsers would hide but that is
 * part of what someone wrote — in a textarea, a select's options, a title, after an unclosed
 * style or script — is kept as plain text. Nothing the body says can run script or load anything;
 * the page's CSP (default-src 'none') backs this up.
 */
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const KEEP = new Set([
	'p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
	'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'div', 'span', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'sub', 'sup',
]);
const VOID = new Set(['br', 'hr']);
/** Dropped with their content when they were closed (code, not words); unclosed, their text is kept. */
const CODE = new Set(['script', 'style']);
/** Controls whose text is content: shown as a block of plain text. */
const TEXT_BLOCKS = new Set(['textarea', 'title', 'select', 'xmp', 'plaintext', 'noembed', 'noframes', 'iframe', 'option']);

export function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function parse(html: string): DefaultTreeAdapterMap['documentFragment'] {
	return parseFragment(html, { sourceCodeLocationInfo: true, scriptingEnabled: false });
}

const isElement = (n: Node): n is Element => 'tagName' in n;
const attr = (e: Element, name: string): string | undefined => e.attrs.find((a) => a.name === name)?.value;
const closedInSource = (e: Element): boolean => !!e.sourceCodeLocation?.endTag;

function childrenOf(n: Node): Node[] {
	if (isElement(n) && n.tagName === 'template') return (n as DefaultTreeAdapterMap['template']).content.childNodes;
	return 'childNodes' in n ? (n.childNodes as Node[]) : [];
}

function textOf(n: Node): string {
	if (n.nodeName === '#text') return (n as DefaultTreeAdapterMap['textNode']).value;
	return childrenOf(n).map(textOf).join(isElement(n) && n.tagName === 'select' ? ' · ' : '');
}

function safeHref(href: string | undefined): string | undefined {
	const h = href?.trim();
	return h && /^(https?:|mailto:)/i.test(h) ? h : undefined;
}

function serialise(nodes: Node[], inLink: boolean): string {
	let out = '';
	for (const n of nodes) {
		if (n.nodeName === '#text') {
			out += escapeHtml((n as DefaultTreeAdapterMap['textNode']).value);
			continue;
		}
		if (!isElement(n)) continue; // comments, doctype
		const name = n.tagName;
		if (CODE.has(name)) {
			if (!closedInSource(n)) out += `<span class="omitted">${escapeHtml(textOf(n))}</span>`;
			continue;
		}
		if (TEXT_BLOCKS.has(name)) {
			const t = textOf(n);
			if (t.trim() !== '') out += `<span class="quoted">${escapeHtml(t)}</span>`;
			continue;
		}
		if (name === 'a') {
			const href = inLink ? undefined : safeHref(attr(n, 'href'));
			const inner = serialise(childrenOf(n), true);
			out += inLink ? inner : href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${inner}</a>` : `<a>${inner}</a>`;
			continue;
		}
		if (name === 'img') {
			const alt = attr(n, 'alt');
			out += `<span class="omitted">[image${alt ? `: ${escapeHtml(alt)}` : ''}]</span>`;
			continue;
		}
		if (name === 'input') {
			const v = attr(n, 'value');
			if (v) out += `<span class="quoted">${escapeHtml(v)}</span>`;
			continue;
		}
		const inner = serialise(childrenOf(n), inLink);
		if (!KEEP.has(name)) out += inner; // unknown tag (svg, math, font, form, …): keep its text, drop the tag
		else if (VOID.has(name)) out += `<${name}>`;
		else out += `<${name}>${inner}</${name}>`;
	}
	return out;
}

/** Safe HTML for the report, balanced by construction. */
export function sanitizeHtml(html: string | null | undefined): string {
	if (!html) return '';
	return serialise(parse(html).childNodes, false);
}

const BLOCK = /^(p|div|li|h[1-6]|tr|blockquote|pre|ul|ol|table|hr|br)$/;

/** Plain text of an HTML body (for CSV cells), every text kept (the same rules as above). */
export function htmlToText(html: string | null | undefined): string {
	if (!html) return '';
	const walk = (nodes: Node[]): string => {
		let out = '';
		for (const n of nodes) {
			if (n.nodeName === '#text') {
				out += (n as DefaultTreeAdapterMap['textNode']).value;
				continue;
			}
			if (!isElement(n)) continue;
			if (CODE.has(n.tagName)) {
				if (!closedInSource(n)) out += textOf(n);
				continue;
			}
			if (TEXT_BLOCKS.has(n.tagName)) {
				out += `${textOf(n)}\n`;
				continue;
			}
			if (n.tagName === 'img') {
				const alt = attr(n, 'alt');
				if (alt) out += `[image: ${alt}]`;
				continue;
			}
			if (n.tagName === 'input') {
				out += attr(n, 'value') ?? '';
				continue;
			}
			if (n.tagName === 'br') {
				out += '\n';
				continue;
			}
			out += walk(childrenOf(n));
			if (BLOCK.test(n.tagName)) out += '\n';
		}
		return out;
	};
	return walk(parse(html).childNodes).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
