// Shared setup for the gateway tests: one real fake Intercom per test file, reset before each test.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeIntercom, type FakeIntercom, type FakeIntercomOptions, type LoggedRequest } from '../fake-intercom/index';
import { createIntercom, type IntercomGateway, type IntercomOptions } from '../../src/intercom';

export interface FakeHandle {
	fake: FakeIntercom;
	gw(opts?: Partial<IntercomOptions>): IntercomGateway;
}

/** Starts the fake once for the file; `h.fake` / `h.gw()` are usable inside tests. */
export function useFake(opts: FakeIntercomOptions = {}): FakeHandle {
	const handle = {} as FakeHandle;
	beforeAll(async () => {
		handle.fake = await startFakeIntercom(opts);
		handle.gw = (o = {}) => createIntercom({ token: handle.fake.token, baseUrl: handle.fake.url, ...o });
	});
	beforeEach(() => handle.fake.reset());
	afterAll(async () => {
		await handle.fake.close();
	});
	return handle;
}

export function statuses(log: LoggedRequest[], pathPrefix = '/'): number[] {
	return log.filter((r) => r.path.startsWith(pathPrefix)).map((r) => r.status);
}

export function count429(log: LoggedRequest[]): number {
	return log.filter((r) => r.status === 429).length;
}

/** Await a promise that must reject; returns the error for assertions. */
export async function rejectionOf(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
	try {
		await (typeof p === 'function' ? p() : p);
	} catch (e) {
		return e;
	}
	throw new Error('expected a rejection, got a value');
}
