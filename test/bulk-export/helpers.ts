// Shared bits of the export tests: a fast gateway, a completed job, the receipts the fake holds.
import type { IntercomGateway } from '../../src/intercom';
import { startContentExport, waitForExport, type ExportJob } from '../../src/bulk-export';
import type { FakeIntercom } from '../fake-intercom/index';

export const DAY = 86_400_000;

/** `YYYY-MM-DD` of `days` ago (UTC). */
export function daysAgo(days: number, now = Date.now()): string {
	return new Date(now - days * DAY).toISOString().slice(0, 10);
}

/** A year up to today: the fake's receipts all fall in it. */
export const LAST_YEAR = (): { from: string; to: string } => ({ from: daysAgo(366), to: daysAgo(0) });

/** Polls without real pauses. */
export const FAST = { initialIntervalMs: 1, maxIntervalMs: 2, sleep: async (): Promise<void> => undefined };

export async function completedJob(gw: IntercomGateway, range = LAST_YEAR()): Promise<ExportJob> {
	const job = await startContentExport(gw, range);
	return waitForExport(gw, job, FAST);
}

/** Receipts the fake's content export covers for a job over `range` (the rows we expect). */
export function receiptCount(fake: FakeIntercom, range = LAST_YEAR()): number {
	const after = Date.parse(`${range.from}T00:00:00Z`) / 1000;
	const before = Date.parse(`${range.to}T00:00:00Z`) / 1000 + 86_399;
	return fake.workspace.receipts.filter((r) => r.receivedAt >= after && r.receivedAt <= before).length;
}
