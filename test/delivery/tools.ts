// Another implementation than ours, run as a separate program: 7-Zip (Debian's 7zip / p7zip-full)
// and Info-ZIP unzip. Test harness only.
import { spawnSync } from 'node:child_process';

export function runTool(file: '7z' | 'unzip', args: string[]): { status: number | null; output: string } {
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness: a second ZIP implementation
	const r = spawnSync(file, args, { encoding: 'utf8' });
	return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Runs 7z and throws with its output when it fails. */
export function sevenZip(args: string[]): string {
	const r = runTool('7z', args);
	if (r.status !== 0) throw new Error(`7z ${args[0]} failed (${r.status}): ${r.output.slice(-500)}`);
	return r.output;
}
