// The HTML sanitiser on its own: what survives, what is dropped, and tricky markup.
import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeHtml } from '../../src/dsar';

describe('sanitizeHtml', () => {
	it.each([
		['<p onclick="x()">a</p>', '<p>a</p>'],
		['<script>alert(1)</script>b', 'b'],
		['<SCRIPT SRC=//x.example></SCRIPT>c', 'c'],
		['<img src=x onerror=alert(1)>', '<span class="omitted">[image]</span>'],
		['<a href="JaVaScRiPt:alert(1)">x</a>', '<a>x</a>'],
		['<a href=" data:text/html,<script>">x</a>', '<a>x</a>'],
		['<a href="mailto:a@example.com">m</a>', '<a href="mailto:a@example.com" rel="noopener noreferrer nofollow">m</a>'],
		['<!-- <script>alert(1)</script> -->d', 'd'],
		['<style>*{}</style>e', 'e'],
		['1 < 2 & 3 > 2', '1 &lt; 2 &amp; 3 &gt; 2'],
		['<p title="a>b">f</p>', '<p>f</p>'],
		['<unknown-tag data-x=1>g</unknown-tag>', 'g'],
		['<svg onload=alert(1)><circle/></svg>h', 'h'],
		['&#60;script&#62;', '&lt;script&gt;'],
		['<br/><hr>', '<br><hr>'],
	])('%s', (input, expected) => {
		expect(sanitizeHtml(input)).toBe(expected);
	});

	it('never lets a tag through that it did not build itself', () => {
		const nasty = '<<script>script>alert(1)<</script>/script><img/src/onerror=alert(1)><iframe/src=x>';
		const out = sanitizeHtml(nasty);
		expect(out).not.toMatch(/<(script|img|iframe)/i);
	});
});

describe('htmlToText', () => {
	it('keeps text and line breaks, drops tags and scripts', () => {
		expect(htmlToText('<p>Hello <b>you</b></p><p>Line 2<br>Line 3</p><script>x</script>')).toBe('Hello you\nLine 2\nLine 3');
		expect(htmlToText('a &amp; b &lt;c&gt;')).toBe('a & b <c>');
	});
});
