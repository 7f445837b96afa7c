/**
 * From the downloaded bytes to files: sniff the container by its magic bytes (Intercom's docs
 * say gzip, the UI hands out ZIP, older versions differ), then unpack it as a stream of events
 * (file starts, data, file ends). Pure JS: node:zlib for gzip, our tar reader, fflate for zip.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { Unzip, UnzipInflate } from 'fflate';
import { ExportError } from './errors';
import { settle } from '../util/settle';
import { untar } from './tar';
import type { ExportContainer } from './types';

export type ArchiveEvent = { type: 'file'; name: string } | { type: 'data'; chunk: Buffer } | { type: 'end' };

export function corruptArchive(what: string): ExportError {
	return new ExportError(
		'corrupt_archive',
		`The export file is damaged or not in a known format (${what})`,
		'Download it again; if it stays damaged, start a new export job. Expected gzip, tar.gz, zip or CSV.',
	);
}

/** Container by magic bytes; `head` should hold the first few hundred bytes when available. */
export function sniffContainer(head: Buffer): ExportContainer {
	if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
		// tar.gz: the first tar header carries "ustar" at offset 257 of the decompressed bytes.
		try {
			const inner = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
			if (inner.length >= 262 && inner.subarray(257, 262).toString('latin1') === 'ustar') return 'tar.gz';
		} catch {
			// A damaged stream is reported by the real unpacking, with context.
		}
		return 'gzip';
	}
	if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return 'zip';
	if (head.length > 0 && looksLikeText(head)) return 'csv';
	throw corruptArchive(head.length === 0 ? 'the download was empty' : 'unknown magic bytes');
}

function looksLikeText(b: Buffer): boolean {
	const n = Math.min(b.length, 512);
	for (let i = 0; i < n; i++) {
		const c = b[i];
		if (c === 0 || (c < 9 && c !== 0) || (c > 13 && c < 32 && c !== 27)) return false;
	}
	return true;
}

/** zlib's own errors become corrupt_archive; the source's errors (e.g. download_interrupted) pass. */
export async function* gunzipChunks(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
	// 32 KB pieces: the decoded text of a piece stays below V8's large-object size (~128 KB), so it dies
	// young instead of waiting in large-object space for a full GC (which made peak RSS grow with size).
	const gz = createGunzip({ chunkSize: 32 * 1024 });
	const input = readableOf(source);
	const feeding = pipeline(input.stream, gz).catch(() => undefined); // the same error surfaces from the iteration below
	try {
		for await (const chunk of gz) yield chunk as Buffer;
	} catch (e) {
		if (input.failure() !== undefined) throw input.failure();
		throw corruptArchive(`gzip: ${(e as Error).message}`);
	} finally {
		gz.destroy();
		await feeding;
	}
	if (input.failure() !== undefined) throw input.failure();
}

/**
 * A Readable over `chunks` that remembers why it failed. Consumers such as n8n's
 * prepareBinaryData wrap stream errors in their own; `failure()` gives back ours (e.g.
 * download_interrupted) so the caller can restart or explain it.
 */
export function readableOf(chunks: AsyncIterable<Buffer>): { stream: Readable; failure: () => unknown } {
	let failure: unknown;
	const tracked = async function* (): AsyncGenerator<Buffer> {
		const it = chunks[Symbol.asyncIterator]();
		for (;;) {
			const r = await settle(it.next());
			if (!r.ok) {
				failure = r.error;
				throw r.error;
			}
			if (r.value.done) return;
			yield r.value.value;
		}
	};
	return { stream: Readable.from(tracked(), { objectMode: false }), failure: () => failure };
}

async function* single(chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<ArchiveEvent> {
	yield { type: 'file', name };
	for await (const chunk of chunks) yield { type: 'data', chunk };
	yield { type: 'end' };
}

async function* unzip(chunks: AsyncIterable<Buffer>): AsyncGenerator<ArchiveEvent> {
	const queue: ArchiveEvent[] = [];
	let failure: Error | undefined;
	let open = 0;
	const uz = new Unzip((file) => {
		if (file.name.endsWith('/')) return; // directory entry
		queue.push({ type: 'file', name: file.name });
		open++;
		file.ondata = (err, data, final) => {
			if (err) {
				failure = err;
				return;
			}
			if (data.length > 0) queue.push({ type: 'data', chunk: Buffer.from(data.buffer, data.byteOffset, data.byteLength) });
			if (final) {
				queue.push({ type: 'end' });
				open--;
			}
		};
		file.start();
	});
	uz.register(UnzipInflate);
	const push = (c: Uint8Array, final: boolean): void => {
		try {
			uz.push(c, final);
		} catch (e) {
			failure = e as Error;
		}
		if (failure) throw corruptArchive(`zip: ${failure.message}`);
	};
	for await (const chunk of chunks) {
		push(chunk, false);
		while (queue.length) yield queue.shift() as ArchiveEvent;
	}
	push(new Uint8Array(0), true);
	while (queue.length) yield queue.shift() as ArchiveEvent;
	if (open !== 0) throw corruptArchive('zip: the archive ends in the middle of a file');
}

/** Events of every file in the download. `name` names the file inside a plain gzip or CSV. */
export function unpack(container: ExportContainer, chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<ArchiveEvent> {
	switch (container) {
		case 'gzip':
			return single(gunzipChunks(chunks), name);
		case 'tar.gz':
			return untar(gunzipChunks(chunks));
		case 'zip':
			return unzip(chunks);
		case 'csv':
			return single(chunks, name);
	}
}
