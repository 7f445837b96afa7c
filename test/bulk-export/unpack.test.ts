// Container sniffing and unpacking on hand-made archives: damage is always a corrupt_archive
// error, never a short or garbled result.
import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ExportError, sniffContainer } from '../../src/bulk-export';
import { unpack, type ArchiveEvent } from '../../src/bulk-export/unpack';
import { tar } from '../fake-intercom/archive';

async function* pieces(buf: Buffer, size = 7): AsyncGenerator<Buffer> {
	for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function files(container: ReturnType<typeof sniffContainer>, buf: Buffer): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	let name = '';
	for await (const ev of unpack(container, pieces(buf), 'single.csv') as AsyncGenerator<ArchiveEvent>) {
		if (ev.type === 'file') out[(name = ev.name)] = '';
		else if (ev.type === 'data') out[name] += ev.chunk.toString('utf8');
	}
	return out;
}

async function failure(container: ReturnType<typeof sniffContainer>, buf: Buffer): Promise<ExportError> {
	try {
		await files(container, buf);
	} catch (e) {
		return e as ExportError;
	}
	throw new Error('expected an error');
}

const A = 'a,b\n1,2\n';
const B = 'c\n3\n'.repeat(200);

describe('sniffContainer', () => {
	it('tells gzip, tar.gz, zip and plain CSV apart by their first bytes', () => {
		expect(sniffContainer(gzipSync(A))).toBe('gzip');
		expect(sniffContainer(gzipSync(tar([{ name: 'a.csv', content: A }], 0)))).toBe('tar.gz');
		expect(sniffContainer(Buffer.from(zipSync({ 'a.csv': strToU8(A) })))).toBe('zip');
		expect(sniffContainer(Buffer.from(A))).toBe('csv');
	});

	it('refuses empty and unknown downloads', () => {
		expect(() => sniffContainer(Buffer.alloc(0))).toThrow(/the download was empty/);
		expect(() => sniffContainer(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]))).toThrow(/unknown magic bytes/);
	});
});

describe('unpack', () => {
	it('reads every file of tar.gz and zip, fed in 7-byte pieces', async () => {
		const t = gzipSync(tar([{ name: 'a.csv', content: A }, { name: 'b.csv', content: B }], 0));
		expect(await files('tar.gz', t)).toEqual({ 'a.csv': A, 'b.csv': B });
		const z = Buffer.from(zipSync({ 'a.csv': strToU8(A), 'dir/b.csv': strToU8(B) }));
		expect(await files('zip', z)).toEqual({ 'a.csv': A, 'dir/b.csv': B });
		expect(await files('gzip', gzipSync(B))).toEqual({ 'single.csv': B });
	});

	it('a truncated gzip, tar or zip is corrupt_archive', async () => {
		const t = gzipSync(tar([{ name: 'b.csv', content: B }], 0));
		const g = gzipSync(B);
		expect((await failure('gzip', g.subarray(0, g.length - 5))).message).toMatch(/gzip: unexpected end of file/);
		const inner = tar([{ name: 'b.csv', content: B }], 0);
		expect((await failure('tar.gz', gzipSync(inner.subarray(0, 700)))).message).toMatch(/tar: the archive ends in the middle of a file/);
		expect((await failure('tar.gz', t.subarray(0, t.length - 30))).code).toBe('corrupt_archive');
		const z = Buffer.from(zipSync({ 'b.csv': strToU8(B) }, { level: 0 }));
		expect((await failure('zip', z.subarray(0, 300))).code).toBe('corrupt_archive');
	});

	it('damaged compressed data is corrupt_archive', async () => {
		const z = Buffer.from(zipSync({ 'b.csv': strToU8(B + 'x'.repeat(5000)) }));
		for (let i = 40; i < z.length - 60; i++) z[i] ^= 0xff;
		expect((await failure('zip', z)).code).toBe('corrupt_archive');
		const inner = tar([{ name: 'b.csv', content: B }], 0);
		inner[10] ^= 0x01; // header byte: checksum no longer matches
		expect((await failure('tar.gz', gzipSync(inner))).message).toMatch(/checksum/);
	});
});
