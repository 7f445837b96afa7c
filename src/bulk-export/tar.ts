/**
 * Streaming reader of (uncompressed) ustar/GNU tar: 512-byte headers, file data, padding to
 * 512. Emits file / data / end events as the bytes arrive, never holding more than one chunk.
 */
import { ExportError } from './errors';
import type { ArchiveEvent } from './unpack';

const BLOCK = 512;

function corrupt(why: string): ExportError {
	return new ExportError('corrupt_archive', `The export archive is damaged (tar: ${why})`, 'Download it again; if it stays damaged, start a new export job.');
}

function field(h: Buffer, offset: number, len: number): string {
	const raw = h.subarray(offset, offset + len);
	const nul = raw.indexOf(0);
	return raw.subarray(0, nul === -1 ? len : nul).toString('utf8');
}

function octal(h: Buffer, offset: number, len: number): number {
	const s = field(h, offset, len).trim();
	if (s === '') return 0;
	if (!/^[0-7]+$/.test(s)) throw corrupt('bad number in a header');
	return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
	let sum = 0;
	for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
	return sum === octal(h, 148, 8);
}

export async function* untar(chunks: AsyncIterable<Buffer>): AsyncGenerator<ArchiveEvent> {
	let header = Buffer.alloc(0);
	let remaining = 0; // data bytes of the current entry still to come
	let padding = 0;
	let emitting = false; // current entry is a regular file we report
	let finished = false;
	let longName: string | undefined;
	let longNameBuf: Buffer[] | undefined;

	for await (const input of chunks) {
		let buf = input;
		while (buf.length > 0 && !finished) {
			if (remaining > 0) {
				const take = Math.min(remaining, buf.length);
				const piece = buf.subarray(0, take);
				if (emitting) yield { type: 'data', chunk: piece };
				else if (longNameBuf) longNameBuf.push(Buffer.from(piece));
				remaining -= take;
				buf = buf.subarray(take);
				if (remaining === 0) {
					if (emitting) yield { type: 'end' };
					if (longNameBuf) {
						longName = field(Buffer.concat(longNameBuf), 0, Buffer.concat(longNameBuf).length);
						longNameBuf = undefined;
					}
					emitting = false;
				}
				continue;
			}
			if (padding > 0) {
				const take = Math.min(padding, buf.length);
				padding -= take;
				buf = buf.subarray(take);
				continue;
			}
			const need = BLOCK - header.length;
			header = Buffer.concat([header, buf.subarray(0, need)]);
			buf = buf.subarray(need);
			if (header.length < BLOCK) break;
			const h = header;
			header = Buffer.alloc(0);
			if (h.every((b) => b === 0)) {
				finished = true; // end-of-archive marker
				break;
			}
			if (!checksumOk(h)) throw corrupt('header checksum mismatch');
			const size = octal(h, 124, 12);
			const type = String.fromCharCode(h[156] || 48);
			const prefix = field(h, 345, 155);
			const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
			if (type !== 'L') longName = undefined;
			remaining = size;
			padding = (BLOCK - (size % BLOCK)) % BLOCK;
			emitting = type === '0' || type === '7';
			if (type === 'L') longNameBuf = [];
			if (emitting) {
				yield { type: 'file', name };
				if (size === 0) {
					yield { type: 'end' };
					emitting = false;
				}
			}
		}
	}
	if (!finished && (remaining > 0 || header.length > 0)) throw corrupt('the archive ends in the middle of a file');
}
