// The request lifecycle in the ledger: received → acknowledged → verified → (extended) → delivered →
// closed, or refused with a reason code; the CCPA acknowledgement deadline; the identity gate in
// front of Export and Erase. On a real SQLite ledger.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acknowledgementDueDay, dueRequests, getRequest, openRequestsByUrgency, recordDelivery, recordRequestStep, requireOpenRequest, requireVerified } from '../../src/requests';
import type { TrackedRequest } from '../../src/requests';
import type { Ledger } from '../../src/ledger';
import { sqliteBackend } from '../ledger/backends';

const backend = sqliteBackend();
let ledger: Ledger;
beforeEach(async () => {
	await ledger?.close();
	ledger = await backend.open(backend.freshConfig());
});
afterEach(() => {
	vi.useRealTimers();
});
afterAll(async () => {
	await ledger?.close();
	backend.cleanup();
});

const types = async (requestId: string) => (await ledger.search({ requestId, limit: 100 })).map((e) => e.type);

describe('CCPA acknowledgement deadline (§7021: 10 business days)', () => {
	it('counts Monday to Friday only; GDPR has no separate acknowledgement deadline', () => {
		// Friday 3 Jan 2025: Mon 6 … Fri 10 (5), Mon 13 … Fri 17 (10).
		expect(acknowledgementDueDay('ccpa', '2025-01-03')).toBe('2025-01-17');
		// Saturday 4 Jan: the same ten business days.
		expect(acknowledgementDueDay('ccpa', '2025-01-04')).toBe('2025-01-17');
		// Wednesday 24 Dec 2025 → Wednesday 7 Jan 2026 (holidays are not skipped: never later than the law).
		expect(acknowledgementDueDay('ccpa', '2025-12-24')).toBe('2026-01-07');
		expect(acknowledgementDueDay('gdpr', '2025-01-03')).toBeNull();
	});
});

describe('an access request from intake to close', () => {
	it('walks every step; generating the package does not close it; delivery does not either, Closed does', async () => {
		const now = new Date('2025-01-10T12:00:00Z');
		// The ledger stamps entries with the clock: freeze only Date, so steps happen "on" that day.
		vi.useFakeTimers({ toFake: ['Date'], now });
		const id = 'DSR-L1';
		const r0 = await recordRequestStep(ledger, { step: 'received', requestId: id, kind: 'access', regime: 'ccpa', receivedDay: '2025-01-03', channel: 'web_form' }, { now });
		expect(r0.request).toMatchObject({ status: 'received', channel: 'web_form', acknowledgementDueDay: '2025-01-17', dueDay: '2025-02-17' });
		expect(r0.request.deadlines).toEqual([
			{ kind: 'acknowledgement', dueDay: '2025-01-17', daysLeft: 7, met: false, metAt: null, late: false },
			{ kind: 'delivery', dueDay: '2025-02-17', daysLeft: 38, met: false, metAt: null, late: false },
		]);
		expect(r0.request.nextDeadline).toMatchObject({ kind: 'acknowledgement', daysLeft: 7 });

		const ack = await recordRequestStep(ledger, { step: 'acknowledged', requestId: id, channel: 'email' }, { now });
		expect(ack.request).toMatchObject({ status: 'acknowledged', nextDeadline: { kind: 'delivery' } });
		expect(ack.request.deadlines[0]).toMatchObject({ met: true, late: false });
		expect((await recordRequestStep(ledger, { step: 'acknowledged', requestId: id }, { now })).recorded).toBe(false);

		// Closing now would claim an answer nobody received.
		await expect(recordRequestStep(ledger, { step: 'closed', requestId: id, outcome: 'answered' }, { now })).rejects.toMatchObject({ problem: 'not_delivered' });

		const ver = await recordRequestStep(ledger, { step: 'verified', requestId: id, method: 'email_code', level: 'standard' }, { now });
		expect(ver.request).toMatchObject({ status: 'verified', verification: { method: 'email_code', level: 'standard', dataPoints: 0 } });
		// Same level again: nothing; a stricter level: recorded.
		expect((await recordRequestStep(ledger, { step: 'verified', requestId: id, method: 'email_code', level: 'standard' }, { now })).recorded).toBe(false);
		const high = await recordRequestStep(ledger, { step: 'verified', requestId: id, method: 'email_code', level: 'high', dataPoints: 2 }, { now });
		expect(high).toMatchObject({ recorded: true, request: { verification: { level: 'high', dataPoints: 2 } } });

		// The package is generated: the request stays open (it was closed here before this change).
		await ledger.append({ type: 'dsar.export', requestId: id, data: { packageSha256: 'a'.repeat(64) } });
		expect(await getRequest(ledger, id, { now })).toMatchObject({ closed: false, status: 'verified' });
		expect((await dueRequests(ledger, { withinDays: 60, now })).map((r) => r.requestId)).toEqual([id]);

		const del = await recordRequestStep(ledger, { step: 'delivered', requestId: id, channel: 'download_link', packageSha256: 'B'.repeat(64) }, { now });
		expect(del.request).toMatchObject({ status: 'delivered', deliveryChannel: 'download_link', closed: false, nextDeadline: null });
		expect(del.request.deadlines[1]).toMatchObject({ met: true, metAt: del.request.deliveredAt, late: false });
		// Nothing is due any more, though the request is still open until it is closed.
		expect(await dueRequests(ledger, { withinDays: 60, now })).toEqual([]);

		const closed = await recordRequestStep(ledger, { step: 'closed', requestId: id, outcome: 'answered' }, { now });
		expect(closed.request).toMatchObject({ status: 'closed', closed: true, closedBy: 'request.closed' });
		await expect(recordRequestStep(ledger, { step: 'refused', requestId: id, code: 'excessive' }, { now })).rejects.toMatchObject({ problem: 'closed' });
		expect(await types(id)).toEqual(['request.received', 'request.acknowledged', 'request.verified', 'request.verified', 'dsar.export', 'request.delivered', 'request.closed']);
		const delivered = (await ledger.search({ requestId: id, type: 'request.delivered' }))[0];
		expect(delivered.data).toEqual({ channel: 'download_link', packageSha256: 'b'.repeat(64) });
		expect((await ledger.verify()).ok).toBe(true);
	});

	it('a late acknowledgement is marked late; an unacknowledged CCPA request is due by its acknowledgement day', async () => {
		await recordRequestStep(ledger, { step: 'received', requestId: 'DSR-L2', kind: 'access', regime: 'ccpa', receivedDay: '2025-01-03' }, { now: new Date('2025-01-05T00:00:00Z') });
		const now = new Date('2025-01-20T12:00:00Z');
		vi.useFakeTimers({ toFake: ['Date'], now });
		const due = await dueRequests(ledger, { withinDays: 0, now });
		expect(due.map((r) => [r.requestId, r.nextDeadline?.kind, r.nextDeadline?.daysLeft, r.daysLeft])).toEqual([['DSR-L2', 'acknowledgement', -3, 28]]);
		const ack = await recordRequestStep(ledger, { step: 'acknowledged', requestId: 'DSR-L2' }, { now });
		expect(ack.request.deadlines[0]).toMatchObject({ met: true, late: true });
		expect(await dueRequests(ledger, { withinDays: 0, now })).toEqual([]);
	});
});

describe('refusal', () => {
	it('needs a reason code; a note is checked for personal data; a refusal ends the request', async () => {
		const id = 'DSR-R1';
		await recordRequestStep(ledger, { step: 'received', requestId: id, kind: 'erasure', regime: 'gdpr', receivedDay: '2025-01-03' });
		await expect(recordRequestStep(ledger, { step: 'refused', requestId: id, code: 'because' })).rejects.toMatchObject({ problem: 'bad_input', field: 'code' });
		await expect(recordRequestStep(ledger, { step: 'refused', requestId: id, code: 'other_exemption' })).rejects.toMatchObject({ problem: 'bad_input', field: 'note' });
		// A note naming the person: refused, the message names the kind of data, never the text.
		const err = await recordRequestStep(ledger, { step: 'refused', requestId: id, code: 'legal_claims', note: 'Litigation hold for jane.doe@example.com, call +44 20 7946 0958' }).catch((e: Error) => e);
		expect(err).toMatchObject({ problem: 'personal_data', field: 'note' });
		expect((err as Error).message).toMatch(/^note seems to hold personal data \(.*EMAIL.*\)$/);
		expect((err as Error).message).not.toContain('jane');
		await expect(recordRequestStep(ledger, { step: 'refused', requestId: id, code: 'legal_claims', note: 'x'.repeat(201) })).rejects.toMatchObject({ field: 'note' });
		// A refusal is no longer a Closed outcome.
		await expect(recordRequestStep(ledger, { step: 'closed', requestId: id, outcome: 'refused' })).rejects.toMatchObject({ field: 'outcome' });
		expect(await types(id)).toEqual(['request.received']);

		const r = await recordRequestStep(ledger, { step: 'refused', requestId: id, code: 'legal_claims', note: 'Pending court case, Art. 17(3)(e)' });
		expect(r.request).toMatchObject({ status: 'refused', closed: true, closedBy: 'request.refused', refusal: { code: 'legal_claims' }, nextDeadline: null });
		expect((await ledger.search({ requestId: id, type: 'request.refused' }))[0].data).toEqual({ code: 'legal_claims', note: 'Pending court case, Art. 17(3)(e)' });
		expect((await recordRequestStep(ledger, { step: 'refused', requestId: id, code: 'excessive' })).recorded).toBe(false);
		await expect(recordRequestStep(ledger, { step: 'verified', requestId: id, method: 'email_code', level: 'standard' })).rejects.toMatchObject({ problem: 'closed' });
		await expect(recordRequestStep(ledger, { step: 'delivered', requestId: id, channel: 'email' })).rejects.toMatchObject({ problem: 'closed' });
	});
});

describe('erasure: receipt, confirmation, recipients (Art. 19)', () => {
	it('an incomplete receipt does not close; a complete one does; the confirmation and recipients follow', async () => {
		const id = 'DSR-E1';
		await recordRequestStep(ledger, { step: 'received', requestId: id, kind: 'erasure', regime: 'gdpr', receivedDay: '2025-01-03' });
		await expect(recordRequestStep(ledger, { step: 'recipient_notified', requestId: id, recipient: 'Mailchimp' })).rejects.toMatchObject({ problem: 'no_erasure_receipt' });
		await ledger.append({ type: 'erasure.done', requestId: id, data: { status: 'incomplete' } });
		expect(await getRequest(ledger, id)).toMatchObject({ closed: false });
		await expect(recordRequestStep(ledger, { step: 'closed', requestId: id, outcome: 'answered' })).rejects.toMatchObject({ problem: 'not_delivered' });

		await ledger.append({ type: 'erasure.done', requestId: id, data: { status: 'erased', recipients: ['Mailchimp', 'Salesforce'] } });
		expect(await getRequest(ledger, id)).toMatchObject({ closed: true, closedBy: 'erasure.done', status: 'closed' });
		// The confirmation to the requester (CCPA §7022(e)) is recorded after the receipt closed it.
		const conf = await recordRequestStep(ledger, { step: 'delivered', requestId: id, channel: 'email' });
		expect(conf).toMatchObject({ recorded: true, request: { deliveryChannel: 'email' } });

		await expect(recordRequestStep(ledger, { step: 'recipient_notified', requestId: id, recipient: 'Hubspot' })).rejects.toMatchObject({ problem: 'not_a_recipient' });
		await expect(recordRequestStep(ledger, { step: 'recipient_notified', requestId: id, recipient: 'ops@example.com' })).rejects.toMatchObject({ field: 'recipient' });
		expect((await recordRequestStep(ledger, { step: 'recipient_notified', requestId: id, recipient: 'Mailchimp' })).recorded).toBe(true);
		expect((await recordRequestStep(ledger, { step: 'recipient_notified', requestId: id, recipient: 'mailchimp' })).recorded).toBe(false);
		const last = await recordRequestStep(ledger, { step: 'recipient_notified', requestId: id, recipient: 'Salesforce' });
		expect(last.request.recipientsNotified).toEqual(['Mailchimp', 'Salesforce']);

		await recordRequestStep(ledger, { step: 'received', requestId: 'DSR-A9', kind: 'access', regime: 'gdpr', receivedDay: '2025-01-03' });
		await expect(recordRequestStep(ledger, { step: 'recipient_notified', requestId: 'DSR-A9', recipient: 'Mailchimp' })).rejects.toMatchObject({ problem: 'not_erasure' });
	});
});

describe('the identity gate (requireVerified)', () => {
	it('refuses without a request id, without a verified step, below the level asked; a waiver is recorded with its reason', async () => {
		await expect(requireVerified(ledger, undefined)).rejects.toMatchObject({ problem: 'no_request_id' });
		await expect(requireVerified(ledger, 'DSR-G0')).rejects.toThrow('Request DSR-G0 has no "verified" step in the ledger (it was never recorded as received either)');
		await recordRequestStep(ledger, { step: 'received', requestId: 'DSR-G1', kind: 'access', regime: 'gdpr', receivedDay: '2025-01-03' });
		const err = await requireVerified(ledger, 'DSR-G1').catch((e: Error & { fix?: string }) => e);
		expect(err).toMatchObject({ problem: 'not_verified', message: 'Request DSR-G1 has no "verified" step in the ledger' });
		expect((err as { fix: string }).fix).toContain('Verify Identity');

		await recordRequestStep(ledger, { step: 'verified', requestId: 'DSR-G1', method: 'email_code', level: 'standard' });
		expect(await requireVerified(ledger, 'DSR-G1')).toMatchObject({ verified: true, method: 'email_code', level: 'standard' });
		await expect(requireVerified(ledger, 'DSR-G1', { minimumLevel: 'high' })).rejects.toMatchObject({ problem: 'level_too_low' });

		await expect(requireVerified(ledger, 'DSR-G2', { waive: { reason: 'because' } })).rejects.toMatchObject({ problem: 'bad_waiver' });
		await expect(requireVerified(ledger, 'DSR-G2', { waive: { reason: 'other' } })).rejects.toMatchObject({ problem: 'bad_waiver' });
		await expect(requireVerified(ledger, 'DSR-G2', { waive: { reason: 'other', note: 'asked by bob@example.com' } })).rejects.toMatchObject({ problem: 'bad_waiver' });
		expect(await types('DSR-G2')).toEqual([]);
		expect(await requireVerified(ledger, 'DSR-G2', { waive: { reason: 'authorised_agent', note: 'Agent mandate checked in ticket 4411' } })).toEqual({ verified: false, waived: 'authorised_agent' });
		expect((await ledger.search({ requestId: 'DSR-G2' }))[0]).toMatchObject({ type: 'request.verification_waived', data: { reason: 'authorised_agent', note: 'Agent mandate checked in ticket 4411' } });

		await recordRequestStep(ledger, { step: 'refused', requestId: 'DSR-G1', code: 'excessive' }).catch(() => undefined);
		await recordRequestStep(ledger, { step: 'received', requestId: 'DSR-G3', kind: 'access', regime: 'gdpr', receivedDay: '2025-01-03' });
		await recordRequestStep(ledger, { step: 'refused', requestId: 'DSR-G3', code: 'identity_not_verified' });
		await expect(requireVerified(ledger, 'DSR-G3', { waive: { reason: 'own_initiative' } })).rejects.toMatchObject({ problem: 'refused' });
	});
});

describe('requireOpenRequest, recordDelivery and the urgency order (shared by the nodes)', () => {
	it('requireOpenRequest returns an open request and refuses one never received, closed or refused, with the fix', async () => {
		await expect(requireOpenRequest(ledger, 'DSR-O0')).rejects.toMatchObject({ problem: 'not_received', message: 'Request DSR-O0 was never recorded as received', fix: expect.stringContaining('Track Request') });
		await recordRequestStep(ledger, { step: 'received', requestId: 'DSR-O1', kind: 'access', regime: 'gdpr', receivedDay: '2025-01-03' });
		expect(await requireOpenRequest(ledger, 'DSR-O1')).toMatchObject({ requestId: 'DSR-O1', closed: false });
		await recordRequestStep(ledger, { step: 'refused', requestId: 'DSR-O1', code: 'excessive' });
		await expect(requireOpenRequest(ledger, 'DSR-O1')).rejects.toMatchObject({ problem: 'closed', message: 'Request DSR-O1 is already refused' });
		await recordRequestStep(ledger, { step: 'received', requestId: 'DSR-O2', kind: 'access', regime: 'gdpr', receivedDay: '2025-01-03' });
		await recordRequestStep(ledger, { step: 'closed', requestId: 'DSR-O2', outcome: 'withdrawn' });
		await expect(requireOpenRequest(ledger, 'DSR-O2')).rejects.toMatchObject({ problem: 'closed', message: 'Request DSR-O2 is already closed' });
	});

	it('recordDelivery records the step in the lifecycle, once; a download for a request never received or ended is still recorded, marked; bad input is refused', async () => {
		const sha = 'ab'.repeat(32);
		await recordRequestStep(ledger, { step: 'received', requestId: 'DSR-D1', kind: 'access', regime: 'gdpr', receivedDay: '2025-01-03' });
		expect(await recordDelivery(ledger, { requestId: 'DSR-D1', channel: 'download_link', packageSha256: sha })).toEqual({ recorded: true });
		expect(await recordDelivery(ledger, { requestId: 'DSR-D1', channel: 'download_link', packageSha256: sha })).toEqual({ recorded: false });
		expect((await getRequest(ledger, 'DSR-D1'))?.status).toBe('delivered');
		expect(await recordDelivery(ledger, { requestId: 'DSR-D0', channel: 'download_link' })).toEqual({ recorded: true, outsideLifecycle: 'not_received' });
		const [outside] = await ledger.search({ requestId: 'DSR-D0' });
		expect(outside).toMatchObject({ type: 'request.delivered', data: { channel: 'download_link', outsideLifecycle: 'not_received' } });
		await expect(recordDelivery(ledger, { requestId: 'DSR-D1', channel: 'pigeon' })).rejects.toMatchObject({ problem: 'bad_input', field: 'channel' });
	});

	it('openRequestsByUrgency: open only, next deadline first, then the delivery deadline; delivered ones last; withinDays as dueRequests', () => {
		const r = (requestId: string, next: number | null, daysLeft: number, closed = false) =>
			({ requestId, closed, daysLeft, nextDeadline: next === null ? null : { kind: 'delivery', dueDay: '', daysLeft: next, met: false, metAt: null, late: false } }) as unknown as TrackedRequest;
		const all = [r('delivered', null, 3), r('b', 5, 20), r('closed', 0, 0, true), r('a', 5, 10), r('overdue', -2, -2), r('far', 40, 40)];
		expect(openRequestsByUrgency(all).map((x) => x.requestId)).toEqual(['overdue', 'a', 'b', 'far', 'delivered']);
		expect(openRequestsByUrgency(all, { withinDays: 5 }).map((x) => x.requestId)).toEqual(['overdue', 'a', 'b']);
		expect(() => openRequestsByUrgency(all, { withinDays: -1 })).toThrow('withinDays');
	});
});

// recordRequestStep takes the caller's raw values (as recordDsarExport does): the received date as
// given (date-time with or without offset, Date, empty = today) and the subject's { kind, value }
// identifiers. The core reads the day in the given time zone, refuses a future day and a malformed
// email (the subject reference's rule), and stores only identifier HMACs.
const rawNow = new Date('2025-03-10T23:30:00Z'); // already 11 March in Berlin
const base = { step: 'received' as const, kind: 'access' as const, regime: 'gdpr' as const };

describe('recordRequestStep with raw input', () => {
	it('reads the day in the time zone, hashes the identifiers and stores no identifier', async () => {
		const r = await recordRequestStep(ledger, { ...base, requestId: 'RAW-1', received: '2025-03-10T23:30:00Z', identifiers: [{ kind: 'email', value: ' Jane.Doe@Example.com ' }, { kind: 'externalId', value: '' }] }, { timeZone: 'Europe/Berlin', now: rawNow });
		expect(r.request.receivedDay).toBe('2025-03-11');
		expect(r.request.subjects).toEqual([ledger.hashIdentifier('email', 'jane.doe@example.com')]);
		const rows = JSON.stringify(await ledger.search({ requestId: 'RAW-1', limit: 10 }));
		expect(rows).not.toMatch(/jane/i);
		const found = await ledger.search({ subject: ledger.hashIdentifier('email', 'JANE.DOE@example.com'), limit: 10 });
		expect(found.map((e) => e.requestId)).toEqual(['RAW-1']);
	});

	it('wall time without an offset is that day; empty is today in the time zone', async () => {
		expect((await recordRequestStep(ledger, { ...base, requestId: 'RAW-2', received: '2025-03-01T23:59' }, { timeZone: 'Europe/Berlin', now: rawNow })).request.receivedDay).toBe('2025-03-01');
		expect((await recordRequestStep(ledger, { ...base, requestId: 'RAW-3', received: '' }, { timeZone: 'Europe/Berlin', now: rawNow })).request.receivedDay).toBe('2025-03-11');
	});

	it('refuses a future day, a non-date and a malformed email before anything is written', async () => {
		await expect(recordRequestStep(ledger, { ...base, requestId: 'RAW-4', received: '2025-03-12' }, { timeZone: 'Europe/Berlin', now: rawNow })).rejects.toMatchObject({ field: 'receivedDay', message: 'receivedDay is in the future' });
		await expect(recordRequestStep(ledger, { ...base, requestId: 'RAW-5', received: '2025-02-30' }, { now: rawNow })).rejects.toMatchObject({ field: 'receivedDay', message: 'receivedDay is not a date' });
		// The subject reference's rule: an address in angle brackets is not an email (the node's old, looser rule let it through).
		await expect(recordRequestStep(ledger, { ...base, requestId: 'RAW-6', identifiers: [{ kind: 'email', value: '<jane@example.com>' }] }, { now: rawNow })).rejects.toMatchObject({ field: 'email', code: 'bad_input' });
		await expect(recordRequestStep(ledger, { ...base, requestId: 'RAW-7', identifiers: [{ kind: 'email', value: 'cust-0042' }] }, { now: rawNow })).rejects.toMatchObject({ message: 'email is not an email address' });
		expect(await ledger.search({ limit: 10 })).toEqual([]);
	});
});
