// Statutory deadlines (GDPR one month + two, CCPA 45 + 45 days) and request tracking in the ledger.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { addMonths, closeRequest, computeDeadline, dueRequests, extendRequest, listRequests, recordRequestStep, RequestStepError, trackRequest } from '../../src/requests';
import type { Ledger } from '../../src/ledger';
import { sqliteBackend } from '../ledger/backends';

describe('computeDeadline', () => {
	it('GDPR: one month, same day of month; 31 January + 1 month = end of February (28, or 29 in a leap year)', () => {
		expect(computeDeadline({ regime: 'gdpr', received: '2025-01-31' })).toEqual({
			regime: 'gdpr',
			receivedDay: '2025-01-31',
			dueDay: '2025-02-28',
			extendedDueDay: '2025-04-30',
			effectiveDueDay: '2025-02-28',
			extended: false,
		});
		expect(computeDeadline({ regime: 'gdpr', received: '2024-01-31' }).dueDay).toBe('2024-02-29');
		expect(computeDeadline({ regime: 'gdpr', received: '2025-03-15' }).dueDay).toBe('2025-04-15');
		expect(computeDeadline({ regime: 'gdpr', received: '2025-08-31' }).dueDay).toBe('2025-09-30');
		expect(computeDeadline({ regime: 'gdpr', received: '2025-12-31' })).toMatchObject({ dueDay: '2026-01-31', extendedDueDay: '2026-03-31' });
		expect(computeDeadline({ regime: 'gdpr', received: '2025-11-30', extended: true })).toMatchObject({ extendedDueDay: '2026-02-28', effectiveDueDay: '2026-02-28' });
	});

	it('month arithmetic clamps, never overflows into the next month', () => {
		expect(addMonths({ y: 2025, m: 1, d: 31 }, 1)).toEqual({ y: 2025, m: 2, d: 28 });
		expect(addMonths({ y: 2025, m: 1, d: 30 }, 1)).toEqual({ y: 2025, m: 2, d: 28 });
		expect(addMonths({ y: 2025, m: 5, d: 31 }, 1)).toEqual({ y: 2025, m: 6, d: 30 });
		expect(addMonths({ y: 2025, m: 3, d: 31 }, -1)).toEqual({ y: 2025, m: 2, d: 28 });
	});

	it('CCPA: 45 calendar days, extendable once by 45 (90 in all)', () => {
		expect(computeDeadline({ regime: 'ccpa', received: '2025-01-31' })).toMatchObject({ dueDay: '2025-03-17', extendedDueDay: '2025-05-01' });
		expect(computeDeadline({ regime: 'ccpa', received: '2024-12-20', extended: true }).effectiveDueDay).toBe('2025-03-20');
	});

	it('an instant is read as a calendar day in the given time zone', () => {
		// 2025-01-31 23:30 UTC is already 1 February in Berlin.
		expect(computeDeadline({ regime: 'gdpr', received: '2025-01-31T23:30:00Z', timeZone: 'Europe/Berlin' }).receivedDay).toBe('2025-02-01');
		expect(computeDeadline({ regime: 'gdpr', received: '2025-01-31T23:30:00Z' }).receivedDay).toBe('2025-01-31');
	});

	it('refuses a day that does not exist and an unknown regime', () => {
		expect(() => computeDeadline({ regime: 'gdpr', received: '2025-02-30' })).toThrow(/calendar day/);
		expect(() => computeDeadline({ regime: 'lgpd' as 'gdpr', received: '2025-02-01' })).toThrow(/regime/);
	});
});

describe('request tracking in the ledger', () => {
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

	it('recordRequestStep: a repeated step records nothing, the first "received" stands, and extensions follow the rules', async () => {
		const now = new Date('2025-03-20T12:00:00Z');
		const received = { step: 'received', requestId: 'DSR-1', kind: 'erasure', regime: 'gdpr', receivedDay: '2025-03-10' } as const;
		expect(await recordRequestStep(ledger, received, { now })).toMatchObject({ recorded: true, request: { dueDay: '2025-04-10', closed: false } });
		// A webhook delivered twice, once with another day: nothing new in the ledger, the difference reported.
		const again = await recordRequestStep(ledger, { ...received, receivedDay: '2025-03-11' }, { now });
		expect(again).toMatchObject({ recorded: false, differsFromRecorded: ['receivedDay'], request: { receivedDay: '2025-03-10' } });
		expect((await ledger.search({ requestId: 'DSR-1' })).map((e) => e.type)).toEqual(['request.received']);
		expect(await recordRequestStep(ledger, { step: 'extended', requestId: 'DSR-1' }, { now })).toMatchObject({ recorded: true, request: { extended: true, effectiveDueDay: '2025-06-10' } });
		expect((await recordRequestStep(ledger, { step: 'extended', requestId: 'DSR-1' }, { now })).recorded).toBe(false);
		// Closing as erased needs the erasure's receipt (request lifecycle: closed follows the answer).
		await expect(recordRequestStep(ledger, { step: 'closed', requestId: 'DSR-1', outcome: 'erased' }, { now })).rejects.toMatchObject({ problem: 'no_erasure_receipt' });
		await ledger.append({ type: 'erasure.done', requestId: 'DSR-1', data: { status: 'incomplete' } });
		await expect(recordRequestStep(ledger, { step: 'closed', requestId: 'DSR-1', outcome: 'erased' }, { now })).rejects.toMatchObject({ problem: 'no_erasure_receipt' });
		await ledger.append({ type: 'erasure.done', requestId: 'DSR-1', data: { status: 'erased' } });
		// The complete receipt closed it already; Closed is then a no-op that reports who closed it.
		expect(await recordRequestStep(ledger, { step: 'closed', requestId: 'DSR-1', outcome: 'erased' }, { now })).toMatchObject({ recorded: false, request: { closed: true, closedBy: 'erasure.done' } });
		expect((await recordRequestStep(ledger, { step: 'closed', requestId: 'DSR-1' }, { now })).recorded).toBe(false);
		await expect(recordRequestStep(ledger, { step: 'extended', requestId: 'DSR-1' }, { now })).rejects.toMatchObject({ problem: 'closed' });
		await expect(recordRequestStep(ledger, { step: 'closed', requestId: 'DSR-never' }, { now })).rejects.toBeInstanceOf(RequestStepError);
		// Past the first period the extension can no longer be taken: the request stays overdue.
		await recordRequestStep(ledger, { ...received, requestId: 'DSR-late', receivedDay: '2025-01-10' }, { now });
		await expect(recordRequestStep(ledger, { step: 'extended', requestId: 'DSR-late' }, { now })).rejects.toMatchObject({ problem: 'first_period_over' });
		expect((await ledger.search({ requestId: 'DSR-late' })).map((e) => e.type)).toEqual(['request.received']);
	});

	it('lists requests due within N days or overdue, most urgent first; closed and extended ones follow the ledger', async () => {
		const subject = ledger.hashIdentifier('email', 'someone@example.com');
		await trackRequest(ledger, { requestId: 'DSR-1', kind: 'access', regime: 'gdpr', received: '2025-01-31', subjects: [subject] }); // due 02-28
		await trackRequest(ledger, { requestId: 'DSR-2', kind: 'erasure', regime: 'ccpa', received: '2025-01-20' }); // due 03-06
		await trackRequest(ledger, { requestId: 'DSR-3', kind: 'erasure', regime: 'gdpr', received: '2025-01-10' }); // due 02-10: overdue
		await trackRequest(ledger, { requestId: 'DSR-4', kind: 'access', regime: 'gdpr', received: '2025-02-20' }); // due 03-20: not yet
		await trackRequest(ledger, { requestId: 'DSR-5', kind: 'erasure', regime: 'gdpr', received: '2025-01-25' }); // closed below
		await ledger.append({ type: 'erasure.done', requestId: 'DSR-5', data: {} });
		const now = new Date('2025-02-25T12:00:00Z');
		const due = await dueRequests(ledger, { withinDays: 10, now });
		// DSR-2 (CCPA, received Monday 20 January) was never acknowledged: 10 business days ended on
		// Monday 3 February (§7021), so it is the most urgent although its answer is due only on 6 March.
		expect(due.map((r) => [r.requestId, r.effectiveDueDay, r.daysLeft, r.overdue, r.nextDeadline?.kind, r.nextDeadline?.dueDay])).toEqual([
			['DSR-2', '2025-03-06', 9, false, 'acknowledgement', '2025-02-03'],
			['DSR-3', '2025-02-10', -15, true, 'delivery', '2025-02-10'],
			['DSR-1', '2025-02-28', 3, false, 'delivery', '2025-02-28'],
		]);
		expect(due[2]).toMatchObject({ kind: 'access', regime: 'gdpr', subjects: [subject], closed: false, acknowledgementDueDay: null });
		await extendRequest(ledger, 'DSR-3');
		await closeRequest(ledger, 'DSR-1');
		const after = await dueRequests(ledger, { withinDays: 10, now });
		expect(after.map((r) => r.requestId)).toEqual(['DSR-2']);
		const all = await listRequests(ledger, { now });
		expect(all.find((r) => r.requestId === 'DSR-3')).toMatchObject({ extended: true, effectiveDueDay: '2025-04-10', overdue: false });
		expect(all.find((r) => r.requestId === 'DSR-5')).toMatchObject({ closed: true });
		expect((await ledger.verify()).ok).toBe(true);
		// Nothing but the HMAC of the identifier in the ledger.
		expect(JSON.stringify(await ledger.search({ limit: 100 }))).not.toContain('someone@example.com');
	});
});
