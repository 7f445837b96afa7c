// A separate process that runs eraseSubject and stops dead after the first contact DELETE, before
// anything more is recorded: the parent test SIGKILLs it there (a crash between delete and record).
// argv: fake URL, token, JSON ledger config, JSON subject ref.
import { eraseSubject } from '../../src/erasure';
import { createIntercom } from '../../src/intercom';
import { openLedger } from '../../src/ledger';
import type { LedgerConfig } from '../../src/ledger';

async function main(): Promise<void> {
	const [url, token, cfgJson, refJson] = process.argv.slice(2);
	const ledger = await openLedger(JSON.parse(cfgJson) as LedgerConfig);
	const gw = createIntercom({ token, baseUrl: url });
	await eraseSubject(gw, JSON.parse(refJson) as { email: string }, {
		ledger,
		onProgress: async (e) => {
			if (e.step === 'contact_deleted') {
				process.stdout.write(`deleted ${e.contactId}\n`);
				// Wait to be killed; keep the event loop alive.
				await new Promise(() => setInterval(() => undefined, 1000));
			}
		},
	});
	process.stdout.write('finished\n');
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
