import { describe, expect, it } from 'vitest';
import { CsvParser } from '../../src/bulk-export';

function parseInPieces(text: string, cut: number[]): string[][] {
	const p = new CsvParser();
	const out: string[][] = [];
	let last = 0;
	for (const c of [...cut, text.length]) {
		p.push(text.slice(last, c), out);
		last = c;
	}
	p.end(out);
	return out;
}

const TEXT = 'a,b,c\r\n1,"x, ""quoted""",3\n"multi\nline",,"end"\n4,5,6';
const EXPECTED = [
	['a', 'b', 'c'],
	['1', 'x, "quoted"', '3'],
	['multi\nline', '', 'end'],
	['4', '5', '6'],
];

describe('CsvParser', () => {
	it('parses quotes, escaped quotes, line breaks inside quotes, CRLF and a last line without break', () => {
		expect(parseInPieces(TEXT, [])).toEqual(EXPECTED);
	});

	it('gives the same rows wherever the chunks are cut', () => {
		for (let i = 0; i <= TEXT.length; i++) {
			for (let j = i; j <= TEXT.length; j += 3) expect(parseInPieces(TEXT, [i, j])).toEqual(EXPECTED);
		}
	});

	it('skips blank lines', () => {
		expect(parseInPieces('a,b\n\n1,2\n', [])).toEqual([
			['a', 'b'],
			['1', '2'],
		]);
	});
});
