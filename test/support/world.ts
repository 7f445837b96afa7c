// The set-up most integration suites share: a fake Intercom on 127.0.0.1 (one per file, reset before
// each test) and both ledger backends (a SQLite folder and a PostgreSQL server started for the file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeIntercom, type FakeIntercom } from '../fake-intercom';
import { bothBackends, type TestBackend } from '../ledger/backends';
import type { Ledger } from '../../src/ledger';

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

/**
 * A fake Intercom for the whole file: started before the first test, closed after the last (then
 * `after`, for the file's own clean-up), and — with `reset` — back to its seed before each test.
 */
export function useFakeIntercom(fakeOptions: FakeOptions, onStart: (fake: FakeIntercom) => void, opts: { reset?: boolean; after?: () => void } = {}): void {
	let fake: FakeIntercom | undefined;
	beforeAll(async () => {
		fake = await startFakeIntercom(fakeOptions);
		onStart(fake);
	}, 30_000);
	afterAll(async () => {
		await fake?.close();
		opts.after?.();
	});
	if (opts.reset) beforeEach(() => fake?.reset());
}

/** A temporary folder for the file (or the describe block it is called in), deleted after its last test. */
export function useTempDir(prefix: string, onCreate: (dir: string) => void): void {
	let dir: string | undefined;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), prefix));
		onCreate(dir);
	});
	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});
}

/** `ledger()` opens a brand-new ledger on backend `b`; every one opened is closed after the block's last test. */
export function freshLedgers(b: TestBackend): () => Promise<Ledger> {
	const opened: Ledger[] = [];
	afterAll(async () => {
		for (const l of opened) await l.close();
	});
	return async () => {
		const l = await b.open(b.freshConfig());
		opened.push(l);
		return l;
	};
}
