// HTML-aware mode: text nodes and mailto:/tel: hrefs, entities decoded before matching, markup intact.
import { describe, expect, it } from 'vitest';
import { decodeEntities, redactText } from '../../src/redact';

describe('HTML-aware scanning', () => {
	it('redacts text nodes and mailto:/tel: hrefs, keeping the markup', () => {
		const html = '<p class="x">Write to <a href="mailto:jane@example.com?subject=Hi">jane@example.com</a> or <a href="tel:+44 20 7946 0958">call</a></p>';
		const r = redactText(html);
		expect(r.text).toBe('<p class="x">Write to <a href="mailto:[EMAIL]?subject=Hi">[EMAIL]</a> or <a href="tel:[PHONE]">call</a></p>');
		expect(r.findings.map((f) => f.type)).toEqual(['EMAIL', 'EMAIL', 'PHONE']);
	});

	it('decodes entities before matching and reports offsets in the raw HTML', () => {
		const html = '<p>jane&#64;example&period;com &amp; more</p>';
		const r = redactText(html);
		expect(r.text).toBe('<p>[EMAIL] &amp; more</p>');
		expect(r.findings).toEqual([{ type: 'EMAIL', path: '', start: 3, end: 30, action: 'replace' }]);
		expect(html.slice(3, 30)).toBe('jane&#64;example&period;com');
	});

	it('redacts a tel: href even when the number would not pass the text detector alone', () => {
		const r = redactText('<a href="tel:5550132">x</a>');
		expect(r.text).toBe('<a href="tel:[PHONE]">x</a>');
	});

	it('escapes replacement text for where it lands', () => {
		const r = redactText('<p title="a@b.com">a@b.com</p>', { operator: { kind: 'replace', text: '<"gone">' } });
		expect(r.text).toBe('<p title="&lt;&quot;gone&quot;&gt;">&lt;"gone"&gt;</p>');
	});

	it('does not take an address in angle brackets for a tag', () => {
		expect(redactText('<p>From: Jane <jane@example.com></p>').text).toBe('<p>From: Jane <[EMAIL]></p>');
		expect(redactText('<div>IBAN <DE89370400440532013000></div>').text).toBe('<div>IBAN <[IBAN]></div>');
	});

	it('scans comments and survives malformed markup', () => {
		expect(redactText('<p>x</p><!-- a@b.com -->').text).toBe('<p>x</p><!-- [EMAIL] -->');
		expect(redactText('<p>a@b.com <a href="x').text).toBe('<p>[EMAIL] <a href="x');
		expect(redactText('<b>1 < 2 and a@b.com</b>').text).toBe('<b>1 < 2 and [EMAIL]</b>');
	});

	it("'never' treats markup as text, 'always' forces HTML", () => {
		expect(redactText('<p>a&#64;b.com</p>', { html: 'never' }).text).toBe('<p>a&#64;b.com</p>');
		expect(redactText('a&#64;b.com', { html: 'always' }).text).toBe('[EMAIL]');
	});

	it('maps matches back to the right segment when an earlier segment decodes to nothing', () => {
		// The segments are joined with a '\n' between every two, empty ones too: a first text node of only
		// `&shy;` once shifted every later match by one character ("j[EMAIL]now").
		const cases: Array<[string, string, string]> = [
			['<p>&shy;</p><p>mail jane@example.com now</p>', '<p>&shy;</p><p>mail [EMAIL] now</p>', 'jane@example.com'],
			['<p>&shy;</p><p>x</p><p>call +49 30 12345678 ok</p>', '<p>&shy;</p><p>x</p><p>call [PHONE] ok</p>', '+49 30 12345678'],
			['<img alt=""><p>mail jane@example.com now</p>', '<img alt=""><p>mail [EMAIL] now</p>', 'jane@example.com'],
		];
		for (const [html, out, value] of cases) {
			const r = redactText(html);
			expect(r.text).toBe(out);
			expect(html.slice(r.findings[0].start, r.findings[0].end)).toBe(value);
		}
	});

	it('maps decoded offsets back to raw offsets', () => {
		const { text, map } = decodeEntities('x&amp;y&#x40;z', 0, 14);
		expect(text).toBe('x&y@z');
		expect(Array.from(map!)).toEqual([0, 1, 6, 7, 13, 14]);
		// An entity that decodes to nothing (&shy;) and one to two UTF-16 units (U+1F600): x y 😀 z.
		const astral = decodeEntities('x&shy;y&#128512;z', 0, 17);
		expect(astral.text).toBe('xy\u{1F600}z');
		expect(astral.map).toEqual([0, 6, 7, 7, 16, 17]);
	});

	it('reports raw offsets for a match that follows or contains entities', () => {
		const src = '<p>&lt;b&gt; a&#64;b.com &amp; c&commat;d.org</p>';
		const { text, findings } = redactText(src);
		expect(text).toBe('<p>&lt;b&gt; [EMAIL] &amp; [EMAIL]</p>');
		expect(findings.map((f) => src.slice(f.start, f.end))).toEqual(['a&#64;b.com', 'c&commat;d.org']);
	});
});
