// One measurement of test/bench/export.bench.ts, in its own process so its peak RSS is its own.
// argv: <subject|objects|baseline> <url> <token> <jobIdentifier>. Prints one JSON line.
import { createGunzip } from 'node:zlib';
import { downloadExport } from '../../src/bulk-export';
import { createIntercom } from '../../src/intercom';

async function subject(url: string, token: string, jobIdentifier: string, objects: boolean): Promise<{ compressed: number; rows: number; uncompressed: number }> {
	const gw = createIntercom({ token, baseUrl: url });
	const dl = await downloadExport(gw, { kind: 'content', jobIdentifier });
	let rows = 0;
	let uncompressed = 0;
	for await (const batch of dl.rowBatches()) {
		rows += batch.length;
		// Touch every row: its first field, or (objects) its column → value object, as n8n items need.
		if (objects) for (const r of batch) uncompressed += r.values.receipt_id.length;
		else for (const r of batch) uncompressed += r.fields[0].length;
	}
	return { compressed: dl.contentLength ?? 0, rows, uncompressed };
}

async function baseline(url: string, token: string, jobIdentifier: string): Promise<{ compressed: number; rows: number; uncompressed: number }> {
	const res = await fetch(`${url}/download/content/data/${jobIdentifier}`, {
		headers: { Authorization: `Bearer ${token}`, Accept: 'application/octet-stream' },
	});
	if (!res.ok || !res.body) throw new Error(`baseline download answered ${res.status}`);
	const gunzip = createGunzip({ chunkSize: 128 * 1024 });
	let compressed = 0;
	let uncompressed = 0;
	const reading = (async () => {
		for await (const c of gunzip) uncompressed += (c as Buffer).length;
	})();
	for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
		compressed += chunk.length;
		if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
	}
	gunzip.end();
	await reading;
	return { compressed, rows: 0, uncompressed };
}

async function main(): Promise<void> {
	const [mode, url, token, jobIdentifier] = process.argv.slice(2);
	const t0 = process.hrtime.bigint();
	const r = mode === 'baseline' ? await baseline(url, token, jobIdentifier) : await subject(url, token, jobIdentifier, mode === 'objects');
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	console.log(JSON.stringify({ mode, ...r, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

main().catch((e: unknown) => {
	console.error(e);
	process.exitCode = 1;
});
