// CSV and tar writers for the export downloads (gzip comes from node:zlib).

export function csv(rows: Array<Array<string | number | null>>): string {
	const cell = (v: string | number | null): string => {
		const s = v === null ? '' : String(v);
		return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
	};
	return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** A minimal ustar archive of regular files. */
export function tar(files: Array<{ name: string; content: string }>, mtime: number): Buffer {
	const blocks: Buffer[] = [];
	for (const f of files) {
		const data = Buffer.from(f.content, 'utf8');
		const h = Buffer.alloc(512);
		const put = (s: string, offset: number, len: number): void => {
			h.write(s.slice(0, len), offset, 'latin1');
		};
		const octal = (n: number, len: number): string => n.toString(8).padStart(len - 1, '0') + '\0';
		put(f.name, 0, 100);
		put(octal(0o644, 8), 100, 8);
		put(octal(0, 8), 108, 8);
		put(octal(0, 8), 116, 8);
		put(octal(data.length, 12), 124, 12);
		put(octal(mtime, 12), 136, 12);
		put('        ', 148, 8);
		put('0', 156, 1);
		put('ustar\0', 257, 6);
		put('00', 263, 2);
		let sum = 0;
		for (const b of h) sum += b;
		put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
		blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
	}
	blocks.push(Buffer.alloc(1024));
	return Buffer.concat(blocks);
}
