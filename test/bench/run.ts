// `npm run bench [name…]`: runs every test/bench/*.bench.ts (or the named ones) one after another.
// A bench file exports `default async function (): Promise<void>` that measures its subject AND a
// baseline in the same process and prints the ratio: numbers from different runs or machines are
// never compared. Benchmarks are scripts, not tests: nothing here asserts wall time.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

async function main(): Promise<void> {
	const only = new Set(process.argv.slice(2));
	const dir = __dirname;
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.bench.ts'))
		.filter((f) => only.size === 0 || only.has(basename(f, '.bench.ts')))
		.sort();
	if (files.length === 0) {
		console.log(only.size ? `no bench named ${[...only].join(', ')}` : 'no benchmarks yet');
		return;
	}
	for (const file of files) {
		console.log(`\n## ${basename(file, '.bench.ts')}`);
		const mod = (await import(join(dir, file))) as { default: () => Promise<void> };
		await mod.default();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
