/**
 * Reading a downloaded export: the gzip check of a raw download (a damaged gzip fails here, not in
 * the caller's hands) and the CSV rows of the files inside, in batches, built lazily per row.
 */
import { once } from 'node:events';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { CsvParser } from './csv';
import type { ExportContainer, ExportRow } from './types';
import { type ArchiveEvent, corruptArchive } from './unpack';

/** Passes the raw gzip bytes through unchanged while inflating them on the side to catch damage. */
export async function* verifiedGzip(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
	const gz = createGunzip();
	let failure: Error | undefined;
	gz.on('error', (e) => (failure = e));
	gz.resume(); // discard the inflated bytes
	const ended = new Promise<void>((resolve) => {
		gz.once('end', resolve);
		gz.once('error', () => resolve());
	});
	try {
		for await (const chunk of chunks) {
			if (failure) break;
			if (!gz.write(chunk)) await Promise.race([once(gz, 'drain'), ended]);
			if (failure) break;
			yield chunk;
		}
		if (!failure) {
			gz.end();
			await ended;
		}
		if (failure) throw corruptArchive(`gzip: ${failure.message}`);
	} finally {
		gz.destroy();
	}
}

/**
 * One CSV row. `values` (column → value) is built on first use: at millions of rows, building an
 * object per row costs more than the parsing, and a streaming consumer that counts or filters
 * by `fields` should not pay for it.
 */
class CsvRow implements ExportRow {
	private built?: Record<string, string>;
	constructor(
		readonly file: string,
		readonly columns: string[],
		readonly fields: string[],
		private readonly template: Record<string, string>,
	) {}

	get values(): Record<string, string> {
		if (!this.built) {
			// Copying a template with every key already present is faster than adding keys one by one.
			const v = { ...this.template };
			for (let k = 0; k < this.columns.length; k++) v[this.columns[k]] = this.fields[k] ?? '';
			this.built = v;
		}
		return this.built;
	}

	toJSON(): { file: string; values: Record<string, string> } {
		return { file: this.file, values: this.values };
	}
}

function emptyTemplate(columns: string[]): Record<string, string> {
	const t: Record<string, string> = {};
	// defineProperty: a column named __proto__ must become a plain key, not the prototype.
	for (const c of columns) Object.defineProperty(t, c, { value: '', enumerable: true, writable: true, configurable: true });
	return t;
}

function isCsv(name: string, container: ExportContainer): boolean {
	return container === 'gzip' || container === 'csv' || /\.csv$/i.test(name);
}

export async function* csvRowBatches(events: AsyncGenerator<ArchiveEvent>, container: ExportContainer, limit?: number): AsyncGenerator<ExportRow[]> {
	const max = limit !== undefined && limit > 0 ? limit : Infinity;
	let count = 0;
	let file: string | undefined;
	let parser: CsvParser | undefined;
	let decoder: TextDecoder | undefined;
	let header: string[] | undefined;
	let template: Record<string, string> = {};
	const records: string[][] = [];
	const toRows = (): ExportRow[] => {
		const out: ExportRow[] = [];
		for (const rec of records) {
			if (!header) {
				header = rec;
				if (header[0]?.charCodeAt(0) === 0xfeff) header[0] = header[0].slice(1);
				template = emptyTemplate(header);
				continue;
			}
			if (count >= max) break;
			if (rec.length === 1 && rec[0] === '') continue;
			out.push(new CsvRow(file as string, header, rec, template));
			count++;
		}
		records.length = 0;
		return out;
	};
	try {
		for await (const ev of events) {
			if (ev.type === 'file') {
				file = ev.name;
				const csv = isCsv(ev.name, container);
				parser = csv ? new CsvParser() : undefined;
				decoder = csv ? new TextDecoder('utf-8') : undefined;
				header = undefined;
			} else if (ev.type === 'data') {
				if (!parser || !decoder) continue;
				parser.push(decoder.decode(ev.chunk, { stream: true }), records);
			} else {
				if (!parser || !decoder) continue;
				parser.push(decoder.decode(), records);
				parser.end(records);
				parser = undefined;
			}
			if (records.length > 0) {
				const rows = toRows();
				if (rows.length > 0) yield rows;
				if (count >= max) return;
			}
		}
	} finally {
		await events.return(undefined);
	}
}

