// Ledger → Verify / Search, the GdprLedger credential and its node-side test, on both backends.
import type { ICredentialTestFunctions } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { GdprLedger } from '../../credentials/GdprLedger.credentials';
import { execute as eraseExecute } from '../../nodes/IntercomGdpr/actions/dataSubject/erase.operation';
import * as ledgerResource from '../../nodes/IntercomGdpr/actions/ledger';
import { gdprLedgerTest, ledgerConfigFrom } from '../../nodes/shared/transport/ledger';
import { recordDsarExport } from '../../src/ledger';
import type { FakeIntercom } from '../fake-intercom';
import { findPii, seededPii } from '../erasure/pii';
import { testKey } from '../ledger/backends';
import { fakeIntercomAndLedgers } from '../support/world';
import { eraseParams, ledgerCredential, ledgerExecuteContext } from './context';

let fake: FakeIntercom;
const env = fakeIntercomAndLedgers({ seed: 1 }, { onStart: (f) => (fake = f) });

const verifyParams = (options = {}) => ({ resource: 'ledger', operation: 'verify', options });
const searchParams = (searchBy: string, value: string, filters = {}) => ({ resource: 'ledger', operation: 'search', searchBy, value, filters });

describe.each(env.backends.map((b) => [b.name, b] as const))('Ledger resource (ledger on %s)', (_name, b) => {
	it('Verify reports an intact chain with an anchor; a tampered entry → ok: false, the first broken link and a warning', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = b.freshConfig();
		const erase = ledgerExecuteContext({ itemParams: [eraseParams('email', fx.userEmail)], fake, ledger: cfg });
		await eraseExecute.call(erase.ctx, erase.ctx.getInputData());

		const v = ledgerExecuteContext({ itemParams: [verifyParams(), verifyParams()], fake, ledger: cfg });
		const [item] = await ledgerResource.verify.execute.call(v.ctx, v.ctx.getInputData());
		// Entry 1 is the recorded decision to erase without a verified request (eraseParams' waiver).
		expect(item.json).toMatchObject({ backend: b.name, ok: true, entries: 3, lastSeq: 3 });
		expect(item.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(v.hints[0].message).toMatch(/Ledger intact: 3 entries/);
		const anchor = item.json.anchor as { seq: number };
		expect(anchor.seq).toBe(3);

		const withAnchor = ledgerExecuteContext({ itemParams: [verifyParams({ anchor: JSON.stringify(anchor) })], fake, ledger: cfg });
		expect((await ledgerResource.verify.execute.call(withAnchor.ctx, withAnchor.ctx.getInputData()))[0].json).toMatchObject({ ok: true, anchorChecked: true });

		const raw = await b.raw(cfg);
		await raw.query("UPDATE {t}ledger_entries SET body = replace(body, '\"erased\"', '\"already_erased\"') WHERE seq = 3");
		await raw.close();
		const broken = ledgerExecuteContext({ itemParams: [verifyParams()], fake, ledger: cfg });
		const [bad] = await ledgerResource.verify.execute.call(broken.ctx, broken.ctx.getInputData());
		expect(bad.json).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'hash_mismatch' } });
		expect(broken.hints[0]).toMatchObject({ type: 'danger' });
		const strict = ledgerExecuteContext({ itemParams: [verifyParams({ failWhenBroken: true })], fake, ledger: cfg });
		await expect(ledgerResource.verify.execute.call(strict.ctx, strict.ctx.getInputData())).rejects.toThrow(/The ledger is broken at entry 3/);
		const badAnchor = ledgerExecuteContext({ itemParams: [verifyParams({ anchor: '{"seq":1}' })], fake, ledger: cfg });
		await expect(ledgerResource.verify.execute.call(badAnchor.ctx, badAnchor.ctx.getInputData())).rejects.toThrow(/Anchor is not/);
		// Continue On Fail: the broken ledger becomes one error item paired with the first input item.
		const lenient = ledgerExecuteContext({ itemParams: [verifyParams({ failWhenBroken: true }), verifyParams()], fake, ledger: cfg, continueOnFail: true });
		const [errorOut, ...rest] = await ledgerResource.verify.execute.call(lenient.ctx, lenient.ctx.getInputData());
		expect(rest).toEqual([]);
		expect(errorOut.pairedItem).toEqual({ item: 0 });
		expect(errorOut.json.error).toMatch(/^The ledger is broken at entry 3/);
	});

	it('Verify speaks plain English about one entry ("1 entry", not "1 entries")', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = b.freshConfig();
		const l = await b.open(cfg);
		await recordDsarExport(l, { requestId: 'DSAR-1', subject: { kind: 'email', value: fx.sharedEmail }, contactIds: [fx.sharedEmailLeadId], counts: { contacts: 1 }, packageSha256: 'a'.repeat(64) });
		await l.close();
		const v = ledgerExecuteContext({ itemParams: [verifyParams()], fake, ledger: cfg });
		await ledgerResource.verify.execute.call(v.ctx, v.ctx.getInputData());
		expect(v.hints[0].message).toMatch(/^Ledger intact: 1 entry, \d+ signed checkpoints?\./);
		expect(v.hints[0].message).not.toMatch(/1 entries|1 signed checkpoints/);
	});

	it('Search by email answers "did we erase this person?" without the email in the output', async () => {
		const fx = fake.workspace.fixtures;
		const cfg = b.freshConfig();
		const erase = ledgerExecuteContext({ itemParams: [eraseParams('externalId', fx.userExternalId, { options: { requestId: 'DSR-7' } })], fake, ledger: cfg });
		await eraseExecute.call(erase.ctx, erase.ctx.getInputData());
		const l = await b.open(cfg);
		await recordDsarExport(l, { requestId: 'DSAR-3', subject: { kind: 'email', value: fx.sharedEmail }, contactIds: [fx.sharedEmailLeadId], counts: { contacts: 1 }, packageSha256: 'a'.repeat(64) });
		await l.close();

		const s = ledgerExecuteContext({
			itemParams: [searchParams('email', ` ${fx.userEmail.toUpperCase()} `), searchParams('email', fx.unknownEmail), searchParams('requestId', 'DSR-7', { type: 'erasure.done' }), searchParams('recent', '', { limit: 2 }), searchParams('email', fx.sharedEmail), searchParams('contactId', fx.userId)],
			fake,
			ledger: cfg,
		});
		const out = await ledgerResource.search.execute.call(s.ctx, s.ctx.getInputData());
		expect(out[0].json).toMatchObject({ query: { by: 'email' }, count: 2, erased: true, exported: false });
		expect((out[0].json.entries as Array<{ type: string }>).map((e) => e.type)).toEqual(['erasure.intent', 'erasure.done']);
		expect(out[0].json.lastErasureAt).toBe((out[0].json.entries as Array<{ at: string }>)[1].at);
		expect(out[1].json).toMatchObject({ count: 0, erased: false, entries: [] });
		expect(out[2].json).toMatchObject({ count: 1, erased: true, query: { by: 'requestId', requestId: 'DSR-7' } });
		expect((out[3].json.entries as Array<{ seq: number }>).map((e) => e.seq)).toEqual([4, 3]);
		expect(out[4].json).toMatchObject({ count: 1, erased: false, exported: true });
		expect(out[5].json).toMatchObject({ count: 2, erased: true });
		expect(out.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		expect(findPii(JSON.stringify(out), seededPii(1, fake.token))).toEqual([]);
		expect(JSON.stringify(out)).not.toContain(fx.userExternalId);

		const empty = ledgerExecuteContext({ itemParams: [searchParams('email', '  ')], fake, ledger: cfg });
		await expect(ledgerResource.search.execute.call(empty.ctx, empty.ctx.getInputData())).rejects.toThrow('Value is empty [item 0]');
	});

	it('the credential test (node methods.credentialTest) opens the ledger and reports the wrong key', async () => {
		const cfg = b.freshConfig();
		const ok = await gdprLedgerTest.call({} as ICredentialTestFunctions, { id: '1', name: 'l', type: 'gdprLedger', data: ledgerCredential(cfg) });
		expect(ok).toEqual({ status: 'OK', message: `Ledger ready (${b.name}, 0 entries)` });
		const wrong = await gdprLedgerTest.call({} as ICredentialTestFunctions, { id: '1', name: 'l', type: 'gdprLedger', data: { ...ledgerCredential(cfg), secretKey: testKey('another') } });
		expect(wrong).toMatchObject({ status: 'Error', message: expect.stringMatching(/different secret key/) });
		const short = await gdprLedgerTest.call({} as ICredentialTestFunctions, { id: '1', name: 'l', type: 'gdprLedger', data: { ...ledgerCredential(cfg), secretKey: 'x' } });
		expect(short).toMatchObject({ status: 'Error', message: expect.stringMatching(/^Ledger secret key is missing or shorter than 16 characters\. Set a long random secret key/) });
	});
});

describe('GdprLedger credential', () => {
	const cred = new GdprLedger();
	it('offers SQLite (default, path optional) or Postgres fields, and a secret key as a password field', () => {
		expect(cred.name).toBe('gdprLedger');
		const byName = Object.fromEntries(cred.properties.map((p) => [p.name, p]));
		expect(Object.keys(byName)).toEqual(['backend', 'sqlitePath', 'host', 'port', 'database', 'user', 'password', 'schema', 'ssl', 'secretKey']);
		expect(byName.backend.default).toBe('sqlite');
		expect(byName.sqlitePath.displayOptions).toEqual({ show: { backend: ['sqlite'] } });
		for (const f of ['host', 'port', 'database', 'user', 'password', 'schema', 'ssl']) expect(byName[f].displayOptions).toEqual({ show: { backend: ['postgres'] } });
		expect(byName.password.typeOptions).toEqual({ password: true });
		expect(byName.secretKey.typeOptions).toEqual({ password: true });
		expect(cred.icon).toEqual({ light: 'file:../icons/gdprLedger.svg', dark: 'file:../icons/gdprLedger.dark.svg' });
	});

	it('maps to the core config: default SQLite file in the n8n user folder; Postgres with SSL modes', () => {
		const prev = process.env.N8N_USER_FOLDER;
		process.env.N8N_USER_FOLDER = '/srv/n8n-home';
		try {
			expect(ledgerConfigFrom({ backend: 'sqlite', sqlitePath: '', secretKey: 'k' })).toEqual({ kind: 'sqlite', path: '/srv/n8n-home/.n8n/intercom-gdpr-ledger.sqlite', key: 'k' });
		} finally {
			if (prev === undefined) delete process.env.N8N_USER_FOLDER;
			else process.env.N8N_USER_FOLDER = prev;
		}
		expect(ledgerConfigFrom({ backend: 'sqlite', sqlitePath: ' /data/l.sqlite ', secretKey: 'k' })).toMatchObject({ path: '/data/l.sqlite' });
		expect(ledgerConfigFrom({ backend: 'postgres', host: 'db', port: 5433, database: 'n8n', user: 'u', password: 'p', schema: 'audit', ssl: 'verify', secretKey: 'k' })).toEqual({
			kind: 'postgres',
			key: 'k',
			schema: 'audit',
			connection: { host: 'db', port: 5433, database: 'n8n', user: 'u', password: 'p', ssl: { rejectUnauthorized: true } },
		});
	});

	it('the Ledger resource offers Verify and Search, shown only for resource "ledger"', () => {
		const op = ledgerResource.description[0];
		expect(op.displayOptions).toEqual({ show: { resource: ['ledger'] } });
		expect(op.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['listRequests', 'search', 'trackRequest', 'verify']);
		for (const p of ledgerResource.description.slice(1)) expect(p.displayOptions?.show?.resource).toEqual(['ledger']);
	});
});
