// Data Subject → Export: the operation's real execute() against the fake Intercom (the lead wires it
// into the router; here we call it directly with the hand-made context).
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { description, execute } from '../../nodes/IntercomGdpr/actions/dataSubject/export.operation';
import { startFakeIntercom, type FakeIntercom } from '../fake-intercom';
import { executeContext, fakeCredential } from './context';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../../src/ledger';
import { createIntercom } from '../../src/intercom';
import { enforceRetention } from '../../src/retention';
import { addRetentionFixtures, NOW, ONLY_FIXTURES } from '../retention/fixtures';

let fake: FakeIntercom;
let fx: FakeIntercom['workspace']['fixtures'];

// Every export is recorded in the audit ledger (GdprLedger credential): a real SQLite file per run.
const LEDGER_HMAC_INPUT = ['export', 'test', 'ledger', 'not', 'secret'].join('-');
let ledgerDir: string;
let ledgerPath: string;

beforeAll(async () => {
	fake = await startFakeIntercom({ rateLimitPerWindow: 100_000 });
	ledgerDir = mkdtempSync(join(tmpdir(), 'dsar-node-ledger-'));
});
afterAll(async () => {
	await fake.close();
	rmSync(ledgerDir, { recursive: true, force: true });
});
beforeEach(() => {
	fake.reset();
	fx = fake.workspace.fixtures;
	ledgerPath = join(ledgerDir, `ledger-${Math.random().toString(36).slice(2)}.sqlite`);
});

function exportParams(mode: 'list' | 'id' | 'email' | 'externalId', value: string, extra: IDataObject = {}): IDataObject {
	// These tests are about the package; the identity gate (default: a verified request) has its own tests (test/nodes/requestLifecycle.test.ts).
	return {
		resource: 'dataSubject',
		operation: 'export',
		subject: { __rl: true, mode, value },
		requestId: '',
		regime: 'gdpr',
		controller: 'Example GmbH, Hauptstraße 1, 10115 Berlin',
		dpoContact: 'Data protection officer, Hauptstraße 1, 10115 Berlin',
		outputFormat: 'zip',
		binaryPropertyName: 'data',
		options: {},
		art15: {},
		dataMap: {},
		ccpa: {},
		identityVerification: 'waived',
		unverifiedReason: 'verified_outside_ledger',
		...extra,
	};
}

/** n8n's prepareBinaryData keeps small files base64 in memory; enough for a test. */
async function prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> {
	return { data: data.toString('base64'), fileName, mimeType: mimeType ?? 'application/octet-stream', fileSize: String(data.length) };
}

async function run(itemParams: IDataObject[], opts: { continueOnFail?: boolean; token?: string } = {}) {
	const harness = executeContext({
		itemParams,
		credential: fakeCredential(fake.url, opts.token ?? fake.token),
		ledgerCredential: { backend: 'sqlite', sqlitePath: ledgerPath, secretKey: LEDGER_HMAC_INPUT },
		continueOnFail: opts.continueOnFail,
	});
	(harness.ctx as unknown as { helpers: unknown }).helpers = { prepareBinaryData };
	const items = harness.ctx.getInputData();
	const output = await execute.call(harness.ctx, items);
	return { output, hints: harness.hints };
}

const bytes = (item: INodeExecutionData, prop = 'data') => Buffer.from(item.binary![prop].data, 'base64');

describe('Data Subject → Export', () => {
	it('exports the lead and the user behind one email as one ZIP named after the request, with a summary free of personal data', async () => {
		const { output, hints } = await run([exportParams('email', fx.sharedEmail, { requestId: 'DSAR-2026-0042' })]);
		expect(output).toHaveLength(1);
		const [item] = output;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ found: true, status: 'exported', requestId: 'DSAR-2026-0042', contactCount: 2, incomplete: false, fileName: 'DSAR-2026-0042.zip' });
		expect((item.json.contacts as IDataObject[]).map((c) => c.id).sort()).toEqual([fx.sharedEmailLeadId, fx.sharedEmailUserId].sort());
		expect(JSON.stringify(item.json)).not.toContain(fx.sharedEmail);
		expect(item.binary!.data).toMatchObject({ fileName: 'DSAR-2026-0042.zip', mimeType: 'application/zip' });
		const zip = unzipSync(new Uint8Array(bytes(item)));
		const manifest = JSON.parse(strFromU8(zip['manifest.json'])) as { files: Array<{ name: string; sha256: string }> };
		for (const f of manifest.files) expect(createHash('sha256').update(zip[f.name]).digest('hex')).toBe(f.sha256);
		expect((item.json.files as IDataObject[]).map((f) => f.name)).toEqual(expect.arrayContaining(['subject.json', 'index.html', 'contacts.csv']));
		const subject = JSON.parse(strFromU8(zip['subject.json'])) as { contacts: Array<{ profile: { email: string } }> };
		expect(subject.contacts.map((c) => c.profile.email)).toEqual([fx.sharedEmail, fx.sharedEmail]);
		expect(hints[0].message).toMatch(/^1 of 1 subject exported/);
	});

	it('records the delivered package in the audit ledger: request id, contact ids, sha256, and no email', async () => {
		const { output } = await run([exportParams('email', fx.sharedEmail, { requestId: 'DSAR-2026-0043' })]);
		const sha256 = createHash('sha256').update(bytes(output[0])).digest('hex');
		expect(output[0].json.packageSha256).toBe(sha256);
		const ledger = await openLedger({ kind: 'sqlite', path: ledgerPath, key: LEDGER_HMAC_INPUT });
		try {
			const entries = await ledger.search({ subject: ledger.hashIdentifier('email', fx.sharedEmail) });
			const exported = entries.filter((e) => e.type === 'dsar.export');
			expect(exported).toHaveLength(1);
			expect(exported[0]).toMatchObject({ requestId: 'DSAR-2026-0043' });
			const raw = JSON.stringify(exported[0]);
			expect(raw).toContain(sha256);
			expect(raw).toContain(fx.sharedEmailLeadId);
			expect(raw).not.toContain(fx.sharedEmail);
			expect((await ledger.verify()).ok).toBe(true);
		} finally {
			await ledger.close();
		}
	});

	it('puts email and name into the summary only when asked', async () => {
		const { output } = await run([exportParams('id', fx.userId, { options: { includePersonalData: true } })]);
		expect((output[0].json.contacts as IDataObject[])[0]).toMatchObject({ id: fx.userId, email: fx.userEmail });
	});

	it('outputs subject.json alone when "JSON Only" is chosen, into the named binary field', async () => {
		const { output } = await run([exportParams('id', fx.userId, { requestId: 'R-9', outputFormat: 'json', binaryPropertyName: 'package' })]);
		expect(output[0].binary!.package).toMatchObject({ fileName: 'R-9.json', mimeType: 'application/json' });
		const doc = JSON.parse(bytes(output[0], 'package').toString('utf8')) as { schema: string; requestId: string };
		expect(doc).toMatchObject({ schema: 'dsar-package.v1', requestId: 'R-9' });
	});

	it('answers "no contact found" for an unknown person, without a file', async () => {
		const { output, hints } = await run([exportParams('email', fx.unknownEmail)]);
		expect(output[0].json).toMatchObject({ found: false, status: 'no_contact_found', contactCount: 0 });
		// Not found is not "no record": what the lookup cannot see (archived contacts) and how to look.
		expect(output[0].json.notice).toMatch(/search never returns archived contacts.*by contact ID/s);
		expect(output[0].binary).toBeUndefined();
		expect(hints[0].message).toMatch(/1 with no contact found/);
	});

	it('exports a person whose only contact Retention archived: found through the ledger the node opens, then by id', async () => {
		const rx = addRetentionFixtures(fake);
		const ledger = await openLedger({ kind: 'sqlite', path: ledgerPath, key: LEDGER_HMAC_INPUT });
		try {
			const policy = { rules: [{ name: 'archive-old', role: 'user' as const, inactiveDays: 10, action: 'archive' as const, filters: [ONLY_FIXTURES] }] };
			await enforceRetention(createIntercom({ token: fake.token, baseUrl: fake.url }), policy, { ledger, now: () => NOW });
		} finally {
			await ledger.close();
		}
		const archived = rx.seenJustBefore;
		expect(fake.workspace.contacts.get(archived.id)?.archived).toBe(true);
		const { output } = await run([exportParams('email', archived.email, { outputFormat: 'json' })]);
		expect(output[0].json).toMatchObject({ found: true, status: 'exported', contacts: [{ id: archived.id, role: 'user' }] });
		const doc = JSON.parse(bytes(output[0]).toString('utf8')) as { subject: { found: boolean; archivedNotice?: string } };
		expect(doc.subject).toMatchObject({ found: true, archivedNotice: expect.stringMatching(/search never returns archived contacts/) });
	});

	it('writes the Art. 15 texts from the node parameters into the package', async () => {
		const { output } = await run([
			exportParams('id', fx.userId, {
				outputFormat: 'json',
				controller: 'Example GmbH, privacy@example.com',
				art15: { purposes: 'Answering your support requests.' },
				dataMap: { recipient: [{ name: 'Intercom, Inc.', role: 'processor', country: 'USA', safeguard: 'EU-US DPF' }] },
				options: { retentionPolicy: 'closed conversations: 365 days', ledgerRetention: '6 years' },
			}),
		]);
		const doc = JSON.parse(bytes(output[0]).toString('utf8')) as { art15: Record<string, string> };
		expect(doc.art15.controller).toBe('Example GmbH, privacy@example.com');
		expect(doc.art15.dpo).toMatch(/Data protection officer/);
		expect(doc.art15.purposes).toBe('Answering your support requests.');
		expect(doc.art15.recipients).toMatch(/^Intercom, Inc\. \(processor; USA; EU-US DPF\)\. Intercom hosts this workspace in the United States/);
		expect(doc.art15.retention).toMatch(/365 days.*6 years/);
		expect(doc.art15.complaint).toMatch(/supervisory authority/);
	});

	it('under CCPA: the regime parameter withholds the ID document, and the review output says what blocks sending', async () => {
		const { output } = await run([exportParams('id', fx.fileAttributeContactId, { regime: 'ccpa', outputFormat: 'review', options: { language: 'de', timeZone: 'Europe/Berlin' } })]);
		const json = output[0].json as IDataObject & { review: { blockers: string[]; withheld: unknown[]; redactionTotal: number } };
		expect(json.regime).toBe('ccpa');
		expect(json.review.blockers.join(' ')).toMatch(/sold or shared/);
		expect(json.review.withheld).toContainEqual(expect.objectContaining({ section: 'files', category: 'government_id' }));
		const zip = unzipSync(new Uint8Array(bytes(output[0])));
		expect(Object.keys(zip).some((n) => n.startsWith('files/') && n.includes('id'))).toBe(false);
		const html = strFromU8(zip['index.html']);
		expect(html).toContain('<html lang="de">');
		expect(html).toMatch(/Gespeichert, aber nicht offengelegt/);
		expect(html).toMatch(/\+0[12]:00/); // dates in Europe/Berlin
	});

	it('passes n8n\'s cancel signal: a stopped execution stops the export', async () => {
		const stop = new AbortController();
		stop.abort();
		const harness = executeContext({
			itemParams: [exportParams('id', fx.userId)],
			credential: fakeCredential(fake.url, fake.token),
			ledgerCredential: { backend: 'sqlite', sqlitePath: ledgerPath, secretKey: LEDGER_HMAC_INPUT },
		});
		Object.assign(harness.ctx, { helpers: { prepareBinaryData }, getExecutionCancelSignal: () => stop.signal });
		const error = (await execute.call(harness.ctx, harness.ctx.getInputData()).catch((e: unknown) => e)) as Error;
		expect(error).toBeInstanceOf(Error);
		expect(fake.requests.filter((r) => r.path.startsWith('/contacts') || r.path.startsWith('/conversations'))).toHaveLength(0);
	});

	it('says which section is missing when tickets are not allowed, and warns in a hint', async () => {
		fake.failNext({ status: 403, code: 'forbidden', pathPattern: '^/tickets', count: 10 });
		const { output, hints } = await run([exportParams('id', fx.ticketContactId)]);
		expect(output[0].json).toMatchObject({ status: 'exported_with_omissions', incomplete: true });
		expect(output[0].json.omissions).toEqual([expect.objectContaining({ section: 'tickets', status: 403 })]);
		expect(hints.some((h) => h.type === 'warning' && /missing sections/.test(h.message))).toBe(true);
	});

	it('fails on a missing permission when "On Missing Permission" is "Fail"', async () => {
		fake.failNext({ status: 403, code: 'forbidden', pathPattern: '^/tickets', count: 10 });
		const error = (await run([exportParams('id', fx.ticketContactId, { options: { onRestricted: 'fail' } })]).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('403');
	});

	it('flags a conversation over the 500-part cap in the summary and a hint', async () => {
		const { output, hints } = await run([exportParams('id', fx.longConversationContactId)]);
		expect(output[0].json.truncatedConversations).toEqual([fx.longConversationId]);
		expect(hints.some((h) => /500 most recent/.test(h.message))).toBe(true);
	});

	describe('bad input, checked before any request', () => {
		it('names the malformed field and the item', async () => {
			const error = (await run([exportParams('email', 'not-an-email')]).catch((e: unknown) => e)) as NodeOperationError;
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Subject email address is not valid [item 0]');
			expect(fake.requests).toHaveLength(0);
		});

		it('rejects a request id that cannot name a file', async () => {
			const error = (await run([exportParams('id', fx.userId, { requestId: '../../etc/x' })]).catch((e: unknown) => e)) as NodeOperationError;
			expect(error.message).toBe('Request ID is not valid [item 0]');
			expect(error.description).toMatch(/requestId/);
			expect(fake.requests).toHaveLength(0);
		});

		it('requires the controller and the DPO contact unless test mode, naming the field', async () => {
			const error = (await run([exportParams('id', fx.userId, { controller: '' })]).catch((e: unknown) => e)) as NodeOperationError;
			expect(error.message).toBe('Controller is not valid [item 0]');
			expect(error.description).toMatch(/test mode/);
			const dpo = (await run([exportParams('id', fx.userId, { dpoContact: ' ' })]).catch((e: unknown) => e)) as NodeOperationError;
			expect(dpo.message).toBe('DPO Contact is not valid [item 0]');
			const map = (await run([exportParams('id', fx.userId, { dataMap: { recipient: [{ name: 'X', role: 'processor' }, { name: '', role: '' }] } })]).catch((e: unknown) => e)) as NodeOperationError;
			expect(map.message).toBe('Recipients (Data Map) 2 is not valid [item 0]');
			expect(fake.requests).toHaveLength(0);
			const { output } = await run([exportParams('id', fx.userId, { controller: '', dpoContact: '', options: { testMode: true } })]);
			expect(output[0].json).toMatchObject({ testMode: true, found: true });
		});

		it('names the option the core refused, not the Request ID', async () => {
			const error = (await run([exportParams('id', fx.userId, { options: { onRestricted: 'maybe' } })]).catch((e: unknown) => e)) as NodeOperationError;
			expect(error.message).toBe('Options → On Missing Permission is not valid [item 0]');
			expect(error.description).toMatch(/onRestricted/);
			expect(fake.requests).toHaveLength(0);
		});

		it('with Continue On Fail: an error item for the bad one, packages for the others, each paired', async () => {
			const { output } = await run([exportParams('id', fx.userId), exportParams('id', 'xyz'), exportParams('email', fx.leadEmail)], { continueOnFail: true });
			expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(output[1].json.error).toBe('Subject contact ID is not valid [item 1]');
			expect(output[0].binary!.data.fileName).toMatch(/^dsar-\d{8}T\d{6}Z-1\.zip$/);
			expect(output[2].binary!.data.fileName).toMatch(/^dsar-\d{8}T\d{6}Z-3\.zip$/);
		});
	});

	it('points at the credential when the token is refused', async () => {
		const error = (await run([exportParams('id', fx.userId)], { token: 'wrong' }).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.description).toMatch(/credential/);
	});

	it('shows its fields only for Data Subject → Export', () => {
		for (const p of description) expect(p.displayOptions?.show).toMatchObject({ resource: ['dataSubject'], operation: ['export'] });
		expect(description.map((p) => p.name)).toEqual(['subject', 'requestId', 'regime', 'controller', 'dpoContact', 'outputFormat', 'binaryPropertyName', 'options', 'art15', 'dataMap', 'ccpa', 'identityVerification', 'unverifiedReason', 'unverifiedNote']);
	});
});

describe('Export: Include Outbound Messages (content export, workspace-wide)', () => {
	it('passes the option to the core: a content export already running is stated in the summary and the package', async () => {
		const today = Math.floor(Date.now() / 1000);
		const running = await fetch(`${fake.url}/export/content/data`, {
			method: 'POST',
			headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({ created_at_after: today - 5 * 86_400, created_at_before: today - 86_400 }),
		});
		expect(running.status).toBe(200);
		const { output } = await run([exportParams('email', fx.userEmail, { options: { includeOutbound: true, outboundSince: '2024-01-01' } })]);
		expect(output[0].json.outbound).toMatchObject({ status: 'not_included', rows: 0, range: { from: '2024-01-01' } });
		expect(String((output[0].json.outbound as IDataObject).reason)).toMatch(/Another content export is running/);
		expect(output[0].json.status).toBe('exported_with_omissions');
		const files = unzipSync(Buffer.from((output[0].binary!.data as IBinaryData).data, 'base64'));
		expect(JSON.parse(strFromU8(files['subject.json'])).outbound.status).toBe('not_included');
		expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/export/content/data')).toHaveLength(2);
	});

	it('off by default: no content export job is started', async () => {
		const { output } = await run([exportParams('email', fx.userEmail)]);
		expect(output[0].json.outbound).toBeUndefined();
		expect(fake.requests.some((r) => r.path.startsWith('/export/content'))).toBe(false);
	});

	it('a bad "Outbound Messages Since" fails before any request, naming the field', async () => {
		const error = await run([exportParams('email', fx.userEmail, { options: { includeOutbound: true, outboundSince: '01/02/2024' } })]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/Options → Outbound Messages Since is not valid/);
		expect(fake.requests).toEqual([]);
	});
});
