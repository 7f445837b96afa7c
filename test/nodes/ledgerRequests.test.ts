// Ledger → Track Request / List Requests: a workflow starts the statutory clock (received), extends
// or closes it, and lists what is due — on a real SQLite ledger in a temp dir. Erase with the same
// request id closes the request. No email ever reaches the output or a ledger row.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { execute as eraseExecute } from '../../nodes/IntercomGdpr/actions/dataSubject/erase.operation';
import * as ledgerResource from '../../nodes/IntercomGdpr/actions/ledger';
import { computeDeadline, dayOf, formatDay, listRequests, trackRequest } from '../../src/requests';
import type { LedgerConfig } from '../../src/ledger';
import type { FakeIntercom } from '../fake-intercom';
import { dumpLedger, findPii, seededPii } from '../erasure/pii';
import { sqliteBackend } from '../ledger/backends';
import { eraseParams, ledgerExecuteContext } from './context';
import { useFakeIntercom } from '../support/world';

const backend = sqliteBackend();
const TZ = 'Europe/Berlin';
let fake: FakeIntercom;
useFakeIntercom({ seed: 1 }, (f) => (fake = f), { after: () => backend.cleanup() });
afterEach(() => {
	vi.useRealTimers();
});

/** Freezes only Date (the ledger's timestamps and "today"); timers and I/O run normally. */
function frozenAt(iso: string): void {
	vi.useFakeTimers({ toFake: ['Date'], now: new Date(iso) });
}

function context(cfg: LedgerConfig, itemParams: IDataObject[], continueOnFail = false) {
	const c = ledgerExecuteContext({ itemParams, fake, ledger: cfg, continueOnFail });
	Object.assign(c.ctx, { getTimezone: vi.fn(() => TZ) });
	return c;
}

async function track(cfg: LedgerConfig, itemParams: IDataObject[], continueOnFail = false) {
	const c = context(cfg, itemParams, continueOnFail);
	const out = await ledgerResource.trackRequest.execute.call(c.ctx, c.ctx.getInputData());
	return { out, json: out.map((o) => o.json), hints: c.hints };
}

async function list(cfg: LedgerConfig, params: IDataObject = {}) {
	const c = context(cfg, [{ resource: 'ledger', operation: 'listRequests', filter: 'open', ...params }]);
	const out = await ledgerResource.listRequests.execute.call(c.ctx, c.ctx.getInputData());
	return { out, json: out.map((o) => o.json), hints: c.hints };
}

const received = (requestId: string, extra: IDataObject = {}): IDataObject => ({
	resource: 'ledger',
	operation: 'trackRequest',
	step: 'received',
	requestId,
	kind: 'access',
	regime: 'gdpr',
	receivedDate: '',
	subject: {},
	...extra,
});
const extended = (requestId: string, reason = 'complexity'): IDataObject => ({ resource: 'ledger', operation: 'trackRequest', step: 'extended', requestId, reason });
const closed = (requestId: string, outcome = 'answered'): IDataObject => ({ resource: 'ledger', operation: 'trackRequest', step: 'closed', requestId, outcome });
const refused = (requestId: string, refusalCode: string, refusalNote = ''): IDataObject => ({ resource: 'ledger', operation: 'trackRequest', step: 'refused', requestId, refusalCode, refusalNote });
const stepOf = (requestId: string, step: string, extra: IDataObject = {}): IDataObject => ({ resource: 'ledger', operation: 'trackRequest', step, requestId, ...extra });

async function ledgerRows(cfg: LedgerConfig): Promise<string> {
	return await dumpLedger(await backend.raw(cfg));
}

async function entriesOf(cfg: LedgerConfig) {
	const l = await backend.open(cfg);
	try {
		return await l.search({ limit: 1000 });
	} finally {
		await l.close();
	}
}

describe('Ledger → Track Request (received) and List Requests', () => {
	it('starts the clock: 31 Jan GDPR is due on the last day of February; CCPA 45 days; the date is read in the workflow time zone', async () => {
		frozenAt('2025-02-25T12:00:00Z');
		const cfg = backend.freshConfig();
		const { out, json } = await track(cfg, [
			received('DSR-1', { receivedDate: '2025-01-31T00:00:00', subject: { email: ' Alice.Requester@Example.COM ' } }),
			// 23:30 UTC on 20 January is already 21 January in Berlin.
			received('DSR-2', { kind: 'erasure', regime: 'ccpa', receivedDate: '2025-01-20T23:30:00Z', subject: { externalId: 'cust-0042', contactId: '65f0c1a2b3c4d5e6f7a8b9c0' } }),
			received('DSR-3', { receivedDate: '2025-01-10' }),
		]);
		expect(json[0]).toEqual({
			action: 'received',
			recorded: true,
			requestId: 'DSR-1',
			kind: 'access',
			regime: 'gdpr',
			status: 'received',
			channel: null,
			receivedDay: '2025-01-31',
			acknowledgementDueDay: null,
			dueDay: '2025-02-28',
			extendedDueDay: '2025-04-30',
			effectiveDueDay: '2025-02-28',
			extended: false,
			daysLeft: 3,
			overdue: false,
			nextDeadline: { kind: 'delivery', dueDay: '2025-02-28', daysLeft: 3, met: false, metAt: null, late: false },
			deadlines: [{ kind: 'delivery', dueDay: '2025-02-28', daysLeft: 3, met: false, metAt: null, late: false }],
			acknowledgedAt: null,
			verification: null,
			verificationWaived: null,
			deliveredAt: null,
			deliveryChannel: null,
			refusal: null,
			recipientsNotified: [],
			closed: false,
			closedAt: null,
			closedBy: null,
			closedOnTime: null,
			subjectCount: 1,
		});
		// CCPA: acknowledge within 10 business days (§7021): Tuesday 21 January → Tuesday 4 February.
		expect(json[1]).toMatchObject({ requestId: 'DSR-2', kind: 'erasure', regime: 'ccpa', receivedDay: '2025-01-21', acknowledgementDueDay: '2025-02-04', dueDay: '2025-03-07', extendedDueDay: '2025-04-21', daysLeft: 10, subjectCount: 2 });
		expect(json[1].nextDeadline).toMatchObject({ kind: 'acknowledgement', dueDay: '2025-02-04', daysLeft: -21, late: true });
		expect(json[2]).toMatchObject({ requestId: 'DSR-3', dueDay: '2025-02-10', daysLeft: -15, overdue: true, subjectCount: 0 });
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		const open = await list(cfg);
		// Most urgent first by the next unmet deadline: DSR-2 (CCPA) was never acknowledged, due 4 February.
		expect(open.json.map((r) => [r.requestId, r.effectiveDueDay, r.daysLeft, r.overdue, (r.nextDeadline as { kind: string }).kind])).toEqual([
			['DSR-2', '2025-03-07', 10, false, 'acknowledgement'],
			['DSR-3', '2025-02-10', -15, true, 'delivery'],
			['DSR-1', '2025-02-28', 3, false, 'delivery'],
		]);
		expect(Object.keys(open.json[0]).sort()).toEqual(
			[
				'requestId', 'kind', 'regime', 'status', 'channel', 'receivedDay', 'acknowledgementDueDay', 'dueDay', 'extendedDueDay', 'effectiveDueDay', 'extended', 'daysLeft', 'overdue',
				'nextDeadline', 'deadlines', 'acknowledgedAt', 'verification', 'verificationWaived', 'deliveredAt', 'deliveryChannel', 'refusal', 'recipientsNotified',
				'closed', 'closedAt', 'closedBy', 'closedOnTime',
			].sort(),
		);
		expect(open.hints).toEqual([{ message: '3 open, 1 overdue', type: 'warning', location: 'outputPane' }]);
		expect(open.out.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);

		// Ledger → Search by the email finds the request: the ledger holds the HMAC of the normalised email.
		const s = context(cfg, [{ resource: 'ledger', operation: 'search', searchBy: 'email', value: 'alice.requester@example.com', filters: {} }]);
		const [found] = await ledgerResource.search.execute.call(s.ctx, s.ctx.getInputData());
		expect(found.json).toMatchObject({ count: 1, entries: [{ type: 'request.received', requestId: 'DSR-1' }] });

		// No identifier in clear: not in the outputs, not in any ledger table.
		const rows = await ledgerRows(cfg);
		for (const clear of ['alice.requester@example.com', 'cust-0042', '65f0c1a2b3c4d5e6f7a8b9c0']) {
			expect(rows).not.toContain(clear);
			expect(JSON.stringify([json, open.json, found.json]).toLowerCase()).not.toContain(clear);
		}
	});

	it('is idempotent: the same Received twice (a webhook delivered again) returns the existing request and writes nothing', async () => {
		frozenAt('2025-02-25T12:00:00Z');
		const cfg = backend.freshConfig();
		await track(cfg, [received('DSR-9', { receivedDate: '2025-01-31' })]);
		const again = await track(cfg, [received('DSR-9', { receivedDate: '2025-01-31' }), received('DSR-9', { regime: 'ccpa', receivedDate: '2025-02-02' })]);
		expect(again.json[0]).toMatchObject({ recorded: false, requestId: 'DSR-9', regime: 'gdpr', receivedDay: '2025-01-31', dueDay: '2025-02-28' });
		expect(again.json[0]).not.toHaveProperty('differsFromRecorded');
		// A conflicting repeat: the first record stands, and the user is told.
		expect(again.json[1]).toMatchObject({ recorded: false, regime: 'gdpr', receivedDay: '2025-01-31', differsFromRecorded: ['regime', 'receivedDay'] });
		expect(again.hints).toEqual([
			expect.objectContaining({ type: 'warning', message: expect.stringContaining('DSR-9 was already received') }),
			{ type: 'info', location: 'outputPane', message: 'Track Request: 0 recorded, 2 already recorded (ledger unchanged)' },
		]);
		expect((await entriesOf(cfg)).filter((e) => e.type === 'request.received')).toHaveLength(1);
		expect((await list(cfg, { filter: 'all' })).json).toHaveLength(1);
	});

	it('two executions racing both append Received: List Requests still shows the request once (first record wins)', async () => {
		frozenAt('2025-02-25T12:00:00Z');
		const cfg = backend.freshConfig();
		const l = await backend.open(cfg);
		await trackRequest(l, { requestId: 'DSR-R', kind: 'access', regime: 'gdpr', received: '2025-02-01' });
		await trackRequest(l, { requestId: 'DSR-R', kind: 'access', regime: 'ccpa', received: '2025-02-03' });
		expect((await listRequests(l, { timeZone: TZ })).map((r) => [r.requestId, r.regime, r.receivedDay])).toEqual([['DSR-R', 'gdpr', '2025-02-01']]);
		await l.close();
		expect((await list(cfg, { filter: 'all' })).json).toHaveLength(1);
	});
});

describe('Ledger → Track Request (extended, closed) and the List filters', () => {
	it('extends within the first period, refuses after it, closes with an outcome; repeats are no-ops', async () => {
		frozenAt('2025-02-25T12:00:00Z');
		const cfg = backend.freshConfig();
		await track(cfg, [received('DSR-A', { receivedDate: '2025-01-31' }), received('DSR-B', { kind: 'erasure', receivedDate: '2025-01-10' }), received('DSR-C', { regime: 'ccpa', receivedDate: '2025-02-20' })]);

		const ext = await track(cfg, [extended('DSR-A', 'number_of_requests'), extended('DSR-A')]);
		expect(ext.json[0]).toMatchObject({ action: 'extended', recorded: true, extended: true, dueDay: '2025-02-28', effectiveDueDay: '2025-04-30', daysLeft: 64 });
		expect(ext.json[1]).toMatchObject({ action: 'extended', recorded: false, effectiveDueDay: '2025-04-30' });
		// DSR-B's first month ended on 10 February: an extension now would hide that it is overdue.
		await expect(track(cfg, [extended('DSR-B')])).rejects.toThrow('Request DSR-B cannot be extended: its first period ended on 2025-02-10 [item 0]');

		const due = await list(cfg, { filter: 'dueWithin', withinDays: 7 });
		expect(due.json.map((r) => r.requestId)).toEqual(['DSR-B']);
		expect(due.hints[0]).toEqual({ message: '3 open, 1 overdue (1 listed: due within 7 days or overdue)', type: 'warning', location: 'outputPane' });
		expect((await list(cfg, { filter: 'dueWithin', withinDays: 64 })).json.map((r) => r.requestId)).toEqual(['DSR-B', 'DSR-C', 'DSR-A']);

		frozenAt('2025-02-26T09:00:00Z');
		// Closing as answered needs the answer delivered first; a refusal is its own step.
		await expect(track(cfg, [closed('DSR-B', 'answered')])).rejects.toThrow('Request DSR-B cannot be closed as answered: nothing was delivered to the person [item 0]');
		await expect(track(cfg, [closed('DSR-B', 'refused')])).rejects.toThrow('A refusal is recorded with the Refused step, not as a Closed outcome [item 0]');
		const close = await track(cfg, [refused('DSR-B', 'legal_claims', 'Court case pending'), closed('DSR-B', 'answered')]);
		expect(close.json[0]).toMatchObject({ action: 'refused', recorded: true, status: 'refused', refusal: { code: 'legal_claims' }, closed: true, closedBy: 'request.refused', closedAt: '2025-02-26T09:00:00.000Z', closedOnTime: false, daysLeft: null, overdue: false });
		expect(close.json[1]).toMatchObject({ recorded: false, closedAt: '2025-02-26T09:00:00.000Z' });
		await expect(track(cfg, [extended('DSR-B')])).rejects.toThrow('Request DSR-B is already refused [item 0]');

		const entries = await entriesOf(cfg);
		expect(entries.map((e) => [e.type, e.requestId, e.data.reason ?? e.data.outcome ?? null])).toEqual([
			['request.received', 'DSR-A', null],
			['request.received', 'DSR-B', null],
			['request.received', 'DSR-C', null],
			['request.extended', 'DSR-A', 'number_of_requests'],
			['request.refused', 'DSR-B', null],
		]);
		expect(entries[4].data).toEqual({ code: 'legal_claims', note: 'Court case pending' });

		const all = await list(cfg, { filter: 'all' });
		expect(all.json.map((r) => [r.requestId, r.closed])).toEqual([['DSR-B', true], ['DSR-A', false], ['DSR-C', false]]);
		const open = await list(cfg);
		expect(open.json.map((r) => r.requestId)).toEqual(['DSR-C', 'DSR-A']);
		expect(open.hints[0]).toMatchObject({ message: '2 open, 0 overdue', type: 'info' });
		const l = await backend.open(cfg);
		expect((await l.verify()).ok).toBe(true);
		await l.close();
	});

	it('an erasure.done under the same request id (Data Subject → Erase) closes the request on time', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = backend.freshConfig();
		const today = formatDay(dayOf(new Date(), TZ));
		const [intake] = (await track(cfg, [received('DSR-ERASE-1', { kind: 'erasure', subject: { email: fx.userEmail } })])).json;
		const expected = computeDeadline({ regime: 'gdpr', received: today });
		expect(intake).toMatchObject({ receivedDay: today, dueDay: expected.dueDay, daysLeft: expect.any(Number), overdue: false, closed: false });

		const erase = ledgerExecuteContext({ itemParams: [eraseParams('email', fx.userEmail, { options: { requestId: 'DSR-ERASE-1' } })], fake, ledger: cfg });
		const receipt = await eraseExecute.call(erase.ctx, erase.ctx.getInputData());
		expect(receipt[0].json).toMatchObject({ requestId: 'DSR-ERASE-1' });

		const all = await list(cfg, { filter: 'all' });
		expect(all.json).toEqual([expect.objectContaining({ requestId: 'DSR-ERASE-1', closed: true, closedBy: 'erasure.done', closedOnTime: true, daysLeft: null })]);
		expect((await list(cfg)).json).toEqual([]);
		const again = await track(cfg, [closed('DSR-ERASE-1')]);
		expect(again.json[0]).toMatchObject({ recorded: false, closedBy: 'erasure.done' });

		// The seeded emails, names, phones and the token appear in no output and no ledger row.
		const pii = seededPii(1, fake.token);
		expect(findPii(JSON.stringify([intake, all.json, again.json]), pii)).toEqual([]);
		expect(findPii(await ledgerRows(cfg), pii)).toEqual([]);
	});
});

describe('validation before any write', () => {
	const cases: Array<[string, IDataObject, string]> = [
		['empty request id', received('  '), 'Request ID is empty [item 0]'],
		['an email as request id', received('alice@example.com'), 'Request ID may only hold 1–128 letters, digits and _ . : - [item 0]'],
		['a request id with spaces', received('DSR 1'), 'Request ID may only hold'],
		['an unknown kind', received('DSR-1', { kind: 'deletion' }), 'Kind must be Access or Erasure [item 0]'],
		['an unknown regime', received('DSR-1', { regime: 'lgpd' }), 'Regime must be GDPR or CCPA [item 0]'],
		['a day that does not exist', received('DSR-1', { receivedDate: '2025-02-30' }), 'Received Date is not a date [item 0]'],
		['not a date', received('DSR-1', { receivedDate: 'last tuesday' }), 'Received Date is not a date [item 0]'],
		['a future date', received('DSR-1', { receivedDate: '2099-01-01' }), 'Received Date is in the future [item 0]'],
		['an id in the email field', received('DSR-1', { subject: { email: 'cust-0042' } }), 'Subject Email is not an email address [item 0]'],
		['an unknown step', { ...received('DSR-1'), step: 'reopened' }, 'Action must be one of the listed steps [item 0]'],
		['extending a request never received', extended('DSR-404'), 'Request DSR-404 was never recorded as received [item 0]'],
		['closing a request never received', closed('DSR-404'), 'Request DSR-404 was never recorded as received [item 0]'],
		['a free-text reason', extended('DSR-1', 'the person is annoying'), 'Reason must be one of the listed codes [item 0]'],
		['a free-text outcome', closed('DSR-1', 'sent to alice@example.com'), 'Outcome must be one of the listed codes [item 0]'],
		['a refusal note naming the person', refused('DSR-1', 'excessive', 'alice@example.com asked 9 times'), 'Refusal Note seems to hold personal data (EMAIL) [item 0]'],
		['a refusal without a code', refused('DSR-1', ''), 'Refusal Reason must be one of the listed codes [item 0]'],
		['a recipient that is an address', stepOf('DSR-1', 'recipient_notified', { recipient: 'alice@example.com' }), 'Recipient must be a system name'],
		['an unknown delivery channel', stepOf('DSR-1', 'delivered', { deliveryChannel: 'pigeon' }), 'Channel must be one of the listed codes [item 0]'],
		['an unknown verification method', stepOf('DSR-1', 'verified', { method: 'vibes', level: 'high' }), 'Method must be one of the listed codes [item 0]'],
	];

	it.each(cases)('%s → an error naming the field, nothing written, no value echoed', async (_label, params, message) => {
		const cfg = backend.freshConfig();
		const error = await track(cfg, [params]).then(
			() => undefined,
			(e: unknown) => e as Error & { description?: string },
		);
		expect(error?.message).toContain(message);
		expect(`${error?.message} ${error?.description ?? ''}`).not.toMatch(/alice@|cust-0042|annoying/);
		expect(await entriesOf(cfg)).toEqual([]);
	});

	it('with Continue On Fail: the bad item becomes an error item, the others are recorded', async () => {
		const cfg = backend.freshConfig();
		const { out, hints } = await track(cfg, [received('DSR-OK-1'), received('bad id!'), received('DSR-OK-2')], true);
		expect(out.map((o) => [o.json.requestId ?? null, o.pairedItem])).toEqual([
			['DSR-OK-1', { item: 0 }],
			[null, { item: 1 }],
			['DSR-OK-2', { item: 2 }],
		]);
		expect(out[1].json.error).toMatch(/^Request ID may only hold/);
		expect((await entriesOf(cfg)).map((e) => e.requestId)).toEqual(['DSR-OK-1', 'DSR-OK-2']);
		expect(hints).toEqual([{ type: 'warning', location: 'outputPane', message: 'Track Request: 2 recorded, 1 not recorded (see the error items)' }]);
	});

	it('List Requests refuses a negative Within Days; with Continue On Fail it returns one error item', async () => {
		const cfg = backend.freshConfig();
		await expect(list(cfg, { filter: 'dueWithin', withinDays: -1 })).rejects.toThrow('Within Days must be a whole number ≥ 0 [item 0]');
		const c = context(cfg, [{ resource: 'ledger', operation: 'listRequests', filter: 'dueWithin', withinDays: 1.5 }], true);
		const out = await ledgerResource.listRequests.execute.call(c.ctx, c.ctx.getInputData());
		expect(out).toEqual([{ json: expect.objectContaining({ error: expect.stringContaining('Within Days') }), pairedItem: { item: 0 } }]);
	});
});

describe('node description and the request-intake example', () => {
	const shownFor = (operation: string) =>
		new Set([
			'resource',
			'operation',
			...ledgerResource.description
				.filter((p: INodeProperties) => p.displayOptions?.show?.resource?.includes('ledger') && (p.displayOptions?.show?.operation ?? [operation]).includes(operation))
				.map((p) => p.name),
		]);

	it('the Ledger resource offers List Requests and Track Request next to Search and Verify', () => {
		const op = ledgerResource.description[0];
		expect(op.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['listRequests', 'search', 'trackRequest', 'verify']);
		expect([...shownFor('trackRequest')]).toEqual([
			'resource', 'operation', 'step', 'requestId', 'kind', 'regime', 'receivedDate', 'channel', 'subject', 'deliveryChannel', 'packageSha256',
			'method', 'level', 'dataPoints', 'reason', 'refusalCode', 'refusalNote', 'recipient', 'outcome',
		]);
		expect([...shownFor('listRequests')]).toEqual(['resource', 'operation', 'filter', 'withinDays']);
		expect(typeof ledgerResource.trackRequest.execute).toBe('function');
		expect(typeof ledgerResource.listRequests.execute).toBe('function');
	});

	it('examples/request-intake.json: Start → Request Fields (Set) → Track Request → List Requests, with defined parameters only', () => {
		const wf = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'request-intake.json'), 'utf8')) as {
			id: string;
			nodes: Array<{ name: string; type: string; parameters: IDataObject; credentials?: IDataObject }>;
			connections: Record<string, { main: Array<Array<{ node: string }>> }>;
		};
		const next = (from: string) => (wf.connections[from]?.main[0] ?? []).map((c) => c.node);
		expect(next('Start')).toEqual(['Request Fields']);
		expect(next('Request Fields')).toEqual(['Track Request']);
		expect(next('Track Request')).toEqual(['List Requests']);
		const ours = wf.nodes.filter((n) => n.type === 'n8n-nodes-intercom-gdpr.intercomGdpr');
		expect(ours.map((n) => n.parameters.operation)).toEqual(['trackRequest', 'listRequests']);
		for (const node of ours) {
			expect(node.parameters.resource).toBe('ledger');
			for (const name of Object.keys(node.parameters)) expect(shownFor(node.parameters.operation as string), `${node.name}.${name}`).toContain(name);
			expect(node.credentials?.gdprLedger).toEqual({ id: 'icGdprLedgerCrd1', name: 'GDPR Ledger (sandbox)' });
		}
	});
});
