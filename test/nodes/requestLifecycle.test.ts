// A request from intake to delivery through the node's operations, against the fake Intercom and a
// real SQLite ledger: Track Request → Verify Identity (issue, wrong answer, right answer + data
// points) → Export behind the identity gate → Publish Package → Serve once → Closed. Erase refuses
// an unverified request. No code, answer or identifier in the ledger; no code in the check output.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute as eraseExecute } from '../../nodes/IntercomGdpr/actions/dataSubject/erase.operation';
import { execute as exportExecute } from '../../nodes/IntercomGdpr/actions/dataSubject/export.operation';
import { execute as publishExecute } from '../../nodes/IntercomGdpr/actions/dataSubject/publishPackage.operation';
import { execute as serveExecute } from '../../nodes/IntercomGdpr/actions/dataSubject/servePackage.operation';
import { execute as verifyExecute } from '../../nodes/IntercomGdpr/actions/dataSubject/verifyIdentity.operation';
import * as ledgerResource from '../../nodes/IntercomGdpr/actions/ledger';
import type { LedgerConfig } from '../../src/ledger';
import { startFakeIntercom } from '../fake-intercom';
import type { FakeIntercom } from '../fake-intercom';
import { dumpLedger, findPii, seededPii } from '../erasure/pii';
import { sqliteBackend } from '../ledger/backends';
import { ledgerExecuteContext } from './context';
import { sevenZip } from '../delivery/tools';

const backend = sqliteBackend();
let fake: FakeIntercom;
const work = join(tmpdir(), `lifecycle-${process.pid}`);
beforeAll(async () => {
	fake = await startFakeIntercom({ seed: 1 });
	mkdirSync(work, { recursive: true });
}, 30_000);
afterAll(async () => {
	await fake.close();
	backend.cleanup();
	rmSync(work, { recursive: true, force: true });
});

/** In-memory binaries, as n8n keeps small files. */
const binaries = {
	async prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> {
		return { data: data.toString('base64'), fileName, mimeType: mimeType ?? 'application/octet-stream', fileSize: String(data.length) };
	},
};

type Op = (this: never, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;
async function run(op: Op, cfg: LedgerConfig, itemParams: IDataObject[], inputs?: INodeExecutionData[], continueOnFail = false) {
	const c = ledgerExecuteContext({ itemParams, fake, ledger: cfg, continueOnFail });
	const items = inputs ?? c.ctx.getInputData();
	Object.assign(c.ctx, {
		getInputData: () => items,
		getTimezone: () => 'UTC',
		helpers: {
			...binaries,
			getBinaryDataBuffer: async (i: number, field: string) => Buffer.from(items[i].binary?.[field]?.data ?? '', 'base64'),
		},
	});
	const out = await (op as unknown as (this: unknown, i: INodeExecutionData[]) => Promise<INodeExecutionData[]>).call(c.ctx, items);
	return { out, json: out.map((o) => o.json), hints: c.hints };
}

const track = (requestId: string, step: string, extra: IDataObject = {}) => ({ resource: 'ledger', operation: 'trackRequest', requestId, step, ...extra });
const verifyIssue = (requestId: string, email: string, extra: IDataObject = {}) => ({
	resource: 'dataSubject',
	operation: 'verifyIdentity',
	verificationStep: 'issue',
	requestId,
	subject: { __rl: true, mode: 'email', value: email },
	method: 'code',
	ttlMinutes: 60,
	maxAttempts: 5,
	...extra,
});
const verifyCheck = (requestId: string, answer: string, extra: IDataObject = {}) => ({ resource: 'dataSubject', operation: 'verifyIdentity', verificationStep: 'check', requestId, answer, requiredDataPoints: 0, dataPoints: {}, ...extra });
const exportParams = (requestId: string, email: string, extra: IDataObject = {}) => ({
	resource: 'dataSubject',
	operation: 'export',
	subject: { __rl: true, mode: 'email', value: email },
	requestId,
	regime: 'gdpr',
	controller: 'Example GmbH, Hauptstraße 1, 10115 Berlin',
	dpoContact: 'Data protection officer, Hauptstraße 1, 10115 Berlin',
	outputFormat: 'zip',
	binaryPropertyName: 'data',
	options: {},
	art15: {},
	...extra,
});

describe('an access request from intake to a single download', () => {
	it('verifies the requester at the stricter level, exports, publishes, serves once and closes; the ledger shows every step', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = { ...backend.freshConfig(), path: join(work, 'a', 'ledger.sqlite') } as LedgerConfig;
		const id = 'DSR-E2E-1';
		await run(ledgerResource.trackRequest.execute as Op, cfg, [track(id, 'received', { kind: 'access', regime: 'ccpa', channel: 'web_form', receivedDate: '', subject: { email: fx.userEmail } })]);
		await run(ledgerResource.trackRequest.execute as Op, cfg, [track(id, 'acknowledged', { deliveryChannel: 'email' })]);

		// Unverified: Export refuses before any call to Intercom, naming what is missing.
		const before = fake.requests.length;
		await expect(run(exportExecute as Op, cfg, [exportParams(id, fx.userEmail)])).rejects.toThrow(`Request ${id} has no "verified" step in the ledger [item 0]`);
		expect(fake.requests.length).toBe(before);

		// Issue: the code goes to the address Intercom holds, and the output says the typed one differs.
		const issued = await run(verifyExecute as Op, cfg, [verifyIssue(id, fx.userEmail, { typedEmail: 'someone.else@example.org', linkBaseUrl: 'https://n8n.example.com/webhook-waiting/123' })]);
		expect(issued.json[0]).toMatchObject({ requestId: id, issued: true, method: 'code', sendTo: fx.userEmail, addressDiffersFromTyped: true, leadOnly: false, attemptsAllowed: 5, issueCount: 1 });
		const code = issued.json[0].code as string;
		expect(code).toMatch(/^\d{6}$/);
		expect(issued.hints.map((h) => h.message).join(' ')).toMatch(/waiting execution, code included.*n8n Execution → Purge by this Request ID/);
		expect(issued.json[0].link).toBe(`https://n8n.example.com/webhook-waiting/123?code=${code}`);
		expect(issued.hints.map((h) => h.message).join(' ')).toMatch(/not the one Intercom holds/);

		const wrong = await run(verifyExecute as Op, cfg, [verifyCheck(id, code === '000000' ? '111111' : '000000')]);
		expect(wrong.json[0]).toEqual({ requestId: id, verified: false, reason: 'wrong', attemptsLeft: 4 });

		const ok = await run(verifyExecute as Op, cfg, [verifyCheck(id, code, { requiredDataPoints: 2, dataPoints: { externalId: fx.userExternalId, name: ` ${fx.userName.toUpperCase()} ` } })]);
		expect(ok.json[0]).toEqual({ requestId: id, verified: true, method: 'email_code', level: 'high', dataPointsMatched: 2, dataPointsRequired: 2, status: 'verified' });
		const again = await run(verifyExecute as Op, cfg, [verifyCheck(id, code)]);
		expect(again.json[0]).toMatchObject({ verified: false, reason: 'used' });

		const exported = await run(exportExecute as Op, cfg, [exportParams(id, fx.userEmail)]);
		expect(exported.json[0]).toMatchObject({ requestId: id, fileName: `${id}.zip` });
		const plainSha = exported.json[0].packageSha256 as string;

		// Generating the package did not close the request.
		const listed = await run(ledgerResource.listRequests.execute as Op, cfg, [{ resource: 'ledger', operation: 'listRequests', filter: 'all' }]);
		expect(listed.json[0]).toMatchObject({ requestId: id, status: 'verified', closed: false, verification: { method: 'email_code', level: 'high', dataPoints: 2 } });

		const published = await run(publishExecute as Op, cfg, [{ resource: 'dataSubject', operation: 'publishPackage', requestId: id, binaryPropertyName: 'data', deliverAs: 'link', downloadUrl: 'https://n8n.example.com/webhook/dsar-download', ttlDays: 7 }], exported.out);
		const p = published.json[0];
		expect(p).toMatchObject({ requestId: id, encryption: 'AES-256 (WinZip AES)', plainSha256: plainSha, fileName: `${id}.zip` });
		// A count, never the names inside (an attachment's name can be personal data).
		expect(p.files).toBeGreaterThan(1);
		expect(p).not.toHaveProperty('entries');
		// The waiting execution keeps the passphrase: the hint says so and how to delete it.
		expect(published.hints.map((h) => h.message).join(' ')).toMatch(/waiting execution, passphrase included.*n8n Execution → Purge by this Request ID/);
		expect(p.link).toMatch(/^https:\/\/n8n\.example\.com\/webhook\/dsar-download\?token=[A-Za-z0-9_-]{43}$/);
		const token = new URL(p.link as string).searchParams.get('token') as string;

		const served = await run(serveExecute as Op, cfg, [{ resource: 'dataSubject', operation: 'servePackage', token, binaryPropertyName: 'data' }]);
		expect(served.json[0]).toEqual({ served: true, requestId: id, fileName: `${id}.zip`, sha256: p.sha256 });
		const zip = Buffer.from(served.out[0].binary?.data.data as string, 'base64');
		expect(createHash('sha256').update(zip).digest('hex')).toBe(p.sha256);
		// 7-Zip opens it with the passphrase: one entry, package.zip, which is Export's ZIP byte for byte;
		// manifest.json in it lists every other file with its sha256.
		const zipPath = join(work, 'served.zip');
		writeFileSync(zipPath, zip);
		sevenZip(['x', `-p${p.passphrase as string}`, `-o${join(work, 'outer')}`, '-y', zipPath]);
		expect(readdirSync(join(work, 'outer'))).toEqual(['package.zip']);
		expect(createHash('sha256').update(readFileSync(join(work, 'outer', 'package.zip'))).digest('hex')).toBe(plainSha);
		sevenZip(['x', `-o${join(work, 'served')}`, '-y', join(work, 'outer', 'package.zip')]);
		const manifest = JSON.parse(readFileSync(join(work, 'served', 'manifest.json'), 'utf8')) as { files: Array<{ name: string; sha256: string }> };
		expect(manifest.files.length).toBeGreaterThan(1);
		for (const f of manifest.files) expect(createHash('sha256').update(readFileSync(join(work, 'served', f.name))).digest('hex'), f.name).toBe(f.sha256);

		const second = await run(serveExecute as Op, cfg, [{ resource: 'dataSubject', operation: 'servePackage', token, binaryPropertyName: 'data' }]);
		expect(second.json[0]).toEqual({ served: false, reason: 'already_downloaded', requestId: id });
		expect(second.out[0].binary).toBeUndefined();

		const closed = await run(ledgerResource.trackRequest.execute as Op, cfg, [track(id, 'closed', { outcome: 'answered' })]);
		expect(closed.json[0]).toMatchObject({ status: 'closed', deliveryChannel: 'download_link', closedOnTime: true, deadlines: [{ kind: 'acknowledgement', met: true }, { kind: 'delivery', met: true }] });

		const l = await backend.open(cfg);
		const entries = await l.search({ requestId: id, limit: 100 });
		expect(entries.map((e) => e.type)).toEqual(['request.received', 'request.acknowledged', 'request.verified', 'dsar.export', 'request.delivered', 'request.closed']);
		expect(entries[2].data).toEqual({ method: 'email_code', level: 'high', dataPoints: 2 });
		expect(entries[4].data).toEqual({ channel: 'download_link', packageSha256: plainSha });
		expect((await l.verify()).ok).toBe(true);
		await l.close();

		// Nothing secret or personal at rest or in the check outputs.
		const rows = await dumpLedger(await backend.raw(cfg));
		for (const secret of [code, token, p.passphrase as string, fx.userExternalId]) expect(rows).not.toContain(secret);
		expect(findPii(rows, seededPii(1, fake.token))).toEqual([]);
		expect(JSON.stringify([wrong.json, ok.json, again.json, served.json, second.json])).not.toContain(code);
		const store = readFileSync(join(work, 'a', 'intercom-gdpr-verification.sqlite')).toString('latin1');
		expect(store).not.toContain(code);
	});

	it('a data point that does not match keeps the level from being reached: not verified, the code is spent', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = { ...backend.freshConfig(), path: join(work, 'b', 'ledger.sqlite') } as LedgerConfig;
		await run(ledgerResource.trackRequest.execute as Op, cfg, [track('DSR-DP', 'received', { kind: 'access', regime: 'gdpr', receivedDate: '' })]);
		const issued = await run(verifyExecute as Op, cfg, [verifyIssue('DSR-DP', fx.userEmail)]);
		const res = await run(verifyExecute as Op, cfg, [verifyCheck('DSR-DP', issued.json[0].code as string, { requiredDataPoints: 1, dataPoints: { externalId: fx.userExternalId, name: 'Somebody Else' } })]);
		expect(res.json[0]).toEqual({ requestId: 'DSR-DP', verified: false, reason: 'data_points_mismatch', dataPointsMatched: 1, dataPointsRequired: 1, mismatchedKinds: ['name'], attemptsLeft: 0 });
		const l = await backend.open(cfg);
		expect((await l.search({ requestId: 'DSR-DP' })).map((e) => e.type)).toEqual(['request.received']);
		await l.close();
	});

	it('refuses to issue for a request never received, and says when Intercom has no such person (nothing issued)', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = { ...backend.freshConfig(), path: join(work, 'c', 'ledger.sqlite') } as LedgerConfig;
		await expect(run(verifyExecute as Op, cfg, [verifyIssue('DSR-NONE', fx.userEmail)])).rejects.toThrow('Request DSR-NONE was never recorded as received [item 0]');
		await run(ledgerResource.trackRequest.execute as Op, cfg, [track('DSR-U', 'received', { kind: 'access', regime: 'gdpr', receivedDate: '' })]);
		const r = await run(verifyExecute as Op, cfg, [verifyIssue('DSR-U', fx.unknownEmail ?? 'nobody-here@example.invalid')]);
		// One reason whatever Intercom holds (a workflow may forward the item to the requester); the operator's hint says why.
		expect(r.json[0]).toEqual({ requestId: 'DSR-U', issued: false, reason: 'not_issued' });
		expect(r.hints).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'warning', message: expect.stringContaining('Request DSR-U: no code issued, no Intercom contact matches') })]));
		expect(JSON.stringify(r.hints)).not.toContain(fx.unknownEmail);
	});
});

describe('Publish and Serve around the request state', () => {
	it('publishes only for an open request (the core\'s rule, named with its fix); a download after the request ended is still recorded, outside the lifecycle', async () => {
		const cfg = { ...backend.freshConfig(), path: join(work, 'e', 'ledger.sqlite') } as LedgerConfig;
		const plain = zipSync({ 'manifest.json': new TextEncoder().encode('{"files":[]}'), 'subject.json': new TextEncoder().encode('{}') });
		const input: INodeExecutionData[] = [{ json: {}, binary: { data: { data: Buffer.from(plain).toString('base64'), mimeType: 'application/zip', fileName: 'p.zip' } } }];
		const publish = (requestId: string) => ({ resource: 'dataSubject', operation: 'publishPackage', requestId, binaryPropertyName: 'data', deliverAs: 'link', downloadUrl: 'https://n8n.example.com/webhook/dsar-download', ttlDays: 7 });
		const never = await run(publishExecute as Op, cfg, [publish('DSR-NOPE')], input, true);
		expect(never.json[0]).toMatchObject({ error: 'Request DSR-NOPE was never recorded as received [item 0]', description: expect.stringContaining('Track Request') });

		await run(ledgerResource.trackRequest.execute as Op, cfg, [track('DSR-PC', 'received', { kind: 'access', regime: 'gdpr', receivedDate: '' })]);
		const published = await run(publishExecute as Op, cfg, [publish('DSR-PC')], input);
		expect(published.json[0]).toMatchObject({ requestId: 'DSR-PC', files: 2, plainSha256: createHash('sha256').update(plain).digest('hex') });
		const token = new URL(published.json[0].link as string).searchParams.get('token') as string;
		await run(ledgerResource.trackRequest.execute as Op, cfg, [track('DSR-PC', 'closed', { outcome: 'withdrawn' })]);

		const served = await run(serveExecute as Op, cfg, [{ resource: 'dataSubject', operation: 'servePackage', token, binaryPropertyName: 'data' }]);
		expect(served.json[0]).toMatchObject({ served: true, requestId: 'DSR-PC' });
		const l = await backend.open(cfg);
		const entries = await l.search({ requestId: 'DSR-PC', limit: 100 });
		expect(entries.map((e) => e.type)).toEqual(['request.received', 'request.closed', 'request.delivered']);
		expect(entries[2].data).toEqual({ channel: 'download_link', packageSha256: createHash('sha256').update(plain).digest('hex'), outsideLifecycle: 'closed' });
		await l.close();

		await expect(run(publishExecute as Op, cfg, [publish('DSR-PC')], input)).rejects.toThrow('Request DSR-PC is already closed [item 0]');
	});
});

describe('Erase behind the identity gate', () => {
	it('refuses an unverified request before any call to Intercom; a waiver goes ahead and is recorded with its reason', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = { ...backend.freshConfig(), path: join(work, 'd', 'ledger.sqlite') } as LedgerConfig;
		const erase = (extra: IDataObject) => ({ resource: 'dataSubject', operation: 'erase', subject: { __rl: true, mode: 'email', value: fx.leadEmail }, dryRun: false, options: { requestId: 'DSR-ER' }, ...extra });
		const before = fake.requests.length;
		await expect(run(eraseExecute as Op, cfg, [erase({})])).rejects.toThrow('Request DSR-ER has no "verified" step in the ledger (it was never recorded as received either) [item 0]');
		await expect(run(eraseExecute as Op, cfg, [erase({ identityVerification: 'waived', unverifiedReason: 'other', unverifiedNote: 'agent is jane.roe@example.org' })])).rejects.toThrow(/Unverified Reason Note seems to hold personal data/);
		expect(fake.requests.length).toBe(before);
		// A dry run is not gated: it deletes nothing and records nothing.
		const dry = await run(eraseExecute as Op, cfg, [erase({ dryRun: true })]);
		expect(dry.json[0]).toMatchObject({ status: 'dry_run' });

		const done = await run(eraseExecute as Op, cfg, [erase({ identityVerification: 'waived', unverifiedReason: 'authorised_agent', unverifiedNote: 'Mandate checked in ticket 4411' })]);
		expect(done.json[0]).toMatchObject({ requestId: 'DSR-ER', status: 'erased' });
		const l = await backend.open(cfg);
		const entries = await l.search({ requestId: 'DSR-ER' });
		expect(entries[0]).toMatchObject({ type: 'request.verification_waived', data: { reason: 'authorised_agent', note: 'Mandate checked in ticket 4411' } });
		await l.close();
	});
});
