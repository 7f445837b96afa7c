// Point 7 of issue 11: message bodies cannot restructure index.html. The report is re-parsed with
// an HTML5 parser (parse5, as a browser would) and its structure — every element outside the
// message containers, with its id and class — must be the same with and without hostile bodies.
// Every text of the hostile bodies must survive, in index.html and in the CSV.
import { describe, expect, it } from 'vitest';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { createIntercom } from '../../src/intercom';
import { renderDsarPackage } from '../../src/dsar';
import type { FakeIntercom } from '../fake-intercom';
import { addConversations, exportSubject } from './helpers';
import { useFakeIntercom } from '../support/world';

type Node = DefaultTreeAdapterMap['node'];

let fake: FakeIntercom;

useFakeIntercom({ rateLimitPerWindow: 100_000 }, (f) => (fake = f), { reset: true });

/** The issue's hostile bodies: each must stay inside its own message container. */
const HOSTILE = [
	'<p>See <a href="https://example.com/help">the unclosed link',
	'<p>ok</p></div></div></details><h1>We found no record about you</h1>',
	'<p>Form:</p><textarea>text in a textarea</textarea>',
	'<select><option>first option text</option><option>second option text</option></select>',
	'<title>text in a title</title><p>after title</p>',
	'<p>before style</p><style>text after an unclosed style',
	'<table><tr><td>cell<p>para</td></tr><b>misnested <i>formatting</b> tail</i>',
	'<script>alert(1)</script><img src="https://tracker.example/p.gif" alt="pixel"><iframe src="https://evil.example">iframe text</iframe>',
	'<svg><foreignObject><h2>svg heading</h2></foreignObject></svg><math><mi>x</mi></math>',
	'<!-- comment --><noscript><p>noscript text</p></noscript><template><p>template text</p></template>',
];
const MUST_SURVIVE = ['the unclosed link', 'We found no record about you', 'text in a textarea', 'first option text', 'second option text', 'text in a title', 'text after an unclosed style', 'misnested', 'tail', 'iframe text', 'svg heading', 'noscript text', 'template text'];

/** Element skeleton outside `div.msg` containers: tag, id, class. */
function skeleton(node: Node, out: string[] = [], depth = 0): string[] {
	if (!('tagName' in node)) {
		if ('childNodes' in node) for (const c of node.childNodes as Node[]) skeleton(c, out, depth);
		return out;
	}
	const attrs = node.attrs.filter((a) => a.name === 'id' || a.name === 'class').map((a) => `${a.name}=${a.value}`).join(' ');
	out.push(`${'  '.repeat(depth)}${node.tagName}${attrs ? ` ${attrs}` : ''}`);
	if (node.attrs.some((a) => a.name === 'class' && a.value === 'msg')) return out; // the container's inside is the body
	for (const c of node.childNodes as Node[]) skeleton(c, out, depth + 1);
	return out;
}

/** Every element of the page that came from a body must sit inside a div.msg. */
function outsideMsg(node: Node, inside = false, found: string[] = []): string[] {
	if (!('tagName' in node)) {
		if ('childNodes' in node) for (const c of node.childNodes as Node[]) outsideMsg(c, inside, found);
		return found;
	}
	const isMsg = node.attrs.some((a) => a.name === 'class' && a.value === 'msg');
	if (!inside && ['h1', 'a', 'textarea', 'select', 'script', 'iframe', 'img', 'svg', 'math'].includes(node.tagName)) found.push(node.tagName);
	for (const c of node.childNodes as Node[]) outsideMsg(c, inside || isMsg, found);
	return found;
}

async function report(bodies: string[]): Promise<{ html: string; csv: string }> {
	const id = fake.workspace.fixtures.leadId;
	for (const b of bodies) addConversations(fake, id, 1, b);
	const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
	const pkg = await exportSubject(gw, { contactId: id }, { requestId: 'R-1', now: () => new Date('2026-01-01T00:00:00Z') });
	const { files } = await renderDsarPackage(pkg);
	const text = (n: string) => Buffer.from(files.find((f) => f.name === n)!.data).toString('utf8');
	return { html: text('index.html'), csv: text('conversation_parts.csv') };
}

describe('index.html keeps its structure whatever the bodies say', () => {
	it('has the same element structure with benign and with hostile bodies, and every hostile text survives', async () => {
		const benign = await report(HOSTILE.map((_, i) => `<p>plain message ${i}</p>`));
		fake.reset();
		const hostile = await report(HOSTILE);
		const a = skeleton(parse(benign.html));
		const b = skeleton(parse(hostile.html));
		expect(b).toEqual(a);
		// Only the page's own links (contents) are outside message containers; the body's tags are inside.
		const strayB = outsideMsg(parse(hostile.html)).filter((t) => t !== 'a' && t !== 'h1');
		expect(strayB).toEqual([]);
		expect(outsideMsg(parse(hostile.html)).filter((t) => t === 'h1')).toHaveLength(1); // the page's own title only
		expect(outsideMsg(parse(hostile.html)).filter((t) => t === 'a').length).toBe(outsideMsg(parse(benign.html)).filter((t) => t === 'a').length);
		const plain = (html: string) => html.replace(/<[^>]*>/g, '');
		for (const t of MUST_SURVIVE) {
			expect(plain(hostile.html), t).toContain(t);
			expect(hostile.csv, t).toContain(t);
		}
		// Still no script, no remote load, the strict CSP.
		expect(hostile.html).not.toMatch(/<script|<iframe|<img|<svg|src=|tracker\.example/i);
		expect(hostile.html).toContain("default-src 'none'");
	});
});
