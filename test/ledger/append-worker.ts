// A separate process appending to a shared ledger (concurrency tests).
// argv: JSON ledger config, number of appends, batch size, worker label.
import { openLedger } from '../../src/ledger';
import type { LedgerConfig } from '../../src/ledger';

async function main(): Promise<void> {
	const [cfgJson, countArg, batchArg, label] = process.argv.slice(2);
	const cfg = JSON.parse(cfgJson) as LedgerConfig;
	const count = Number(countArg);
	const batch = Math.max(1, Number(batchArg));
	const ledger = await openLedger(cfg);
	for (let i = 0; i < count; i += batch) {
		const n = Math.min(batch, count - i);
		const entries = Array.from({ length: n }, (_, j) => ({ type: 'x.concurrent', requestId: `${label}-${i + j}`, data: { worker: label, n: i + j } }));
		await ledger.appendMany(entries);
	}
	await ledger.close();
	process.stdout.write('done\n');
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
