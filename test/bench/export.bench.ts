// Bulk export download + unpack + CSV parse, streamed, at 10 MB and 500 MB (compressed), against
// plain zlib gunzip of the same bytes from the same server in the same run.
// Each measurement runs in its own child process so its peak RSS (getrusage maxRSS) is its own;
// the fake Intercom (which generates the 500 MB on the fly) runs here, in the parent.
// Targets (issue 5): peak RSS grows < 64 MB between the sizes; throughput within 2× of gunzip.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getExportStatus, startContentExport, waitForExport } from '../../src/bulk-export';
import { createIntercom } from '../../src/intercom';
import { startFakeIntercom } from '../fake-intercom/index';

const run = promisify(execFile);
const CHILD = join(__dirname, '..', 'export', 'benchChild.ts');
const MB = 1024 * 1024;

interface Measure {
	mode: string;
	compressed: number;
	rows: number;
	uncompressed: number;
	ms: number;
	peakRssMb: number;
}

async function measure(mode: 'subject' | 'objects' | 'baseline', url: string, token: string, job: string): Promise<Measure> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, mode, url, token, job], { maxBuffer: 1 << 20, cwd: join(__dirname, '..', '..') });
	return JSON.parse(stdout.trim().split('\n').pop() as string) as Measure;
}

export default async function bench(): Promise<void> {
	const fake = await startFakeIntercom({ seed: 1 });
	try {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		const today = new Date().toISOString().slice(0, 10);
		const results: Array<{ size: number; subject: Measure; objects: Measure; baseline: Measure }> = [];
		for (const size of [10 * MB, 500 * MB]) {
			fake.scriptExport({ syntheticBytes: size, pollsPerState: 0 });
			const job = await startContentExport(gw, { from: today, to: today });
			await waitForExport(gw, job, { initialIntervalMs: 1, maxIntervalMs: 1 });
			if ((await getExportStatus(gw, job)).status !== 'completed') throw new Error('bench job did not complete');
			// Baseline first and last would be fairer on a noisy machine; one each keeps the run short.
			const baseline = await measure('baseline', fake.url, fake.token, job.jobIdentifier);
			const subject = await measure('subject', fake.url, fake.token, job.jobIdentifier);
			const objects = await measure('objects', fake.url, fake.token, job.jobIdentifier);
			results.push({ size, subject, objects, baseline });
			const mbps = (m: Measure): number => m.compressed / MB / (m.ms / 1000);
			console.log(
				`${(size / MB).toFixed(0).padStart(4)} MB export: ${(subject.compressed / MB).toFixed(1)} MB compressed → ${(subject.uncompressed ? baseline.uncompressed / MB : 0).toFixed(0)} MB CSV, ${subject.rows} rows`,
			);
			console.log(`  downloadExport + rowBatches: ${mbps(subject).toFixed(1)} MB/s (compressed), peak RSS ${subject.peakRssMb.toFixed(0)} MB`);
			console.log(`  … and a column → value object per row (what n8n items need): ${mbps(objects).toFixed(1)} MB/s, peak RSS ${objects.peakRssMb.toFixed(0)} MB`);
			console.log(`  baseline fetch + zlib gunzip: ${mbps(baseline).toFixed(1)} MB/s (compressed), peak RSS ${baseline.peakRssMb.toFixed(0)} MB`);
			console.log(`  gunzip is ${(mbps(baseline) / mbps(subject)).toFixed(2)}× as fast as download+parse (target < 2); ${(mbps(baseline) / mbps(objects)).toFixed(2)}× with objects`);
		}
		const [small, large] = results;
		const growth = large.subject.peakRssMb - small.subject.peakRssMb;
		console.log(
			`peak RSS growth 10 MB → 500 MB: ${growth.toFixed(1)} MB (target < 64 MB); with objects ${(large.objects.peakRssMb - small.objects.peakRssMb).toFixed(1)} MB; baseline ${(large.baseline.peakRssMb - small.baseline.peakRssMb).toFixed(1)} MB`,
		);
	} finally {
		await fake.close();
	}
}
