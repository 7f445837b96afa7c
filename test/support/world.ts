// The set-up most integration suites share: a fake Intercom on 127.0.0.1 (one per file, reset before
// each test) and both ledger backends (a SQLite folder and a PostgreSQL server started for the file).
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeIntercom, type FakeIntercom } from '../fake-intercom';
import { bothBackends } from '../ledger/backends';

export type LedgerEnv = ReturnType<typeof bothBackends>;
type FakeOptions = NonNullable<Parameters<typeof startFakeIntercom>[0]>;

/**
 * Registers the file's hooks and returns the ledger environment. `onStart` receives the fake once it
 * listens; `onReset` runs before each test, after the fake's reset (add the suite's fixtures there).
 */
export function fakeIntercomAndLedgers(fakeOptions: FakeOptions, hooks: { onStart: (fake: FakeIntercom) => void; onReset?: (fake: FakeIntercom) => void }): LedgerEnv {
	const env = bothBackends();
	let fake: FakeIntercom | undefined;
	beforeAll(async () => {
		fake = await startFakeIntercom(fakeOptions);
		hooks.onStart(fake);
		await env.start();
	}, 60_000);
	afterAll(async () => {
		await fake?.close();
		await env.stop();
	}, 60_000);
	beforeEach(() => {
		fake?.reset();
		if (fake) hooks.onReset?.(fake);
	});
	return env;
}
