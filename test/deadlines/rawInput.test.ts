// recordRequestStep takes the caller's raw values (as recordDsarExport does): the received date as
// given (date-time with or without offset, Date, empty = today) and the subject's { kind, value }
// identifiers. The core reads the day in the given time zone, refuses a future day and a malformed
// email (the subject reference's rule), and stores only identifier HMACs. On a real SQLite ledger.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { recordRequestStep } from '../../src/deadlines';
import type { Ledger } from '../../src/ledger';
import { sqliteBackend } from '../ledger/backends';

const backend = sqliteBackend();
let ledger: Ledger;
beforeEach(async () => {
	await ledger?.close();
	ledger = await backend.open(backend.freshConfig());
});
afterAll(async () => {
	await ledger?.close();
	backend.cleanup();
});

const now = new Date('2025-03-10T23:30:00Z'); // already 11 March in Berlin
const base = { step: 'received' as const, kind: 'access' as const, regime: 'gdpr' as const };

describe('recordRequestStep with raw input', () => {
	it('reads the day in the time zone, hashes the identifiers and stores no identifier', async () => {
		const r = await recordRequestStep(ledger, { ...base, requestId: 'RAW-1', received: '2025-03-10T23:30:00Z', identifiers: [{ kind: 'email', value: ' Jane.Doe@Example.com ' }, { kind: 'externalId', value: '' }] }, { timeZone: 'Europe/Berlin', now });
		expect(r.request.receivedDay).toBe('2025-03-11');
		expect(r.request.subjects).toEqual([ledger.hashIdentifier('email', 'jane.doe@example.com')]);
		const rows = JSON.stringify(await ledger.search({ requestId: 'RAW-1', limit: 10 }));
		expect(rows).not.toMatch(/jane/i);
		const found = await ledger.search({ subject: ledger.hashIdentifier('email', 'JANE.DOE@example.com'), limit: 10 });
		expect(found.map((e) => e.requestId)).toEqual(['RAW-1']);
	});

	it('wall time without an offset is that day; empty is today in the time zone', async () => {
		expect((await recordRequestStep(ledger, { ...base, requestId: 'RAW-2', received: '2025-03-01T23:59' }, { timeZone: 'Europe/Berlin', now })).request.receivedDay).toBe('2025-03-01');
		expect((await recordRequestStep(ledger, { ...base, requestId: 'RAW-3', received: '' }, { timeZone: 'Europe/Berlin', now })).request.receivedDay).toBe('2025-03-11');
	});

	it('refuses a future day, a non-date and a malformed email before anything is written', async () => {
		await expect(recordRequestStep(ledger, { ...base, requestId: 'RAW-4', received: '2025-03-12' }, { timeZone: 'Europe/Berlin', now })).rejects.toMatchObject({ field: 'receivedDay', message: 'receivedDay is in the future' });
		await expect(recordRequestStep(ledger, { ...base, requestId: 'RAW-5', received: '2025-02-30' }, { now })).rejects.toMatchObject({ field: 'receivedDay', message: 'receivedDay is not a date' });
		// The subject reference's rule: an address in angle brackets is not an email (the node's old, looser rule let it through).
		await expect(recordRequestStep(ledger, { ...base, requestId: 'RAW-6', identifiers: [{ kind: 'email', value: '<jane@example.com>' }] }, { now })).rejects.toMatchObject({ field: 'email', code: 'bad_input' });
		await expect(recordRequestStep(ledger, { ...base, requestId: 'RAW-7', identifiers: [{ kind: 'email', value: 'cust-0042' }] }, { now })).rejects.toMatchObject({ message: 'email is not an email address' });
		expect(await ledger.search({ limit: 10 })).toEqual([]);
	});
});
