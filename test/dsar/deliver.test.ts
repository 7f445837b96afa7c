// Issue 15 point 1 for access requests: deliverDsarPackage (index.ts) does what Data Subject → Export
// does — export, file, sha256, review, and the dsar.export ledger entry — so a script outside n8n
// gets the node's behaviour. Real HTTP to the fake, a real node:sqlite ledger.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createIntercom, deliverDsarPackage, openLedger } from '../../index';
import type { Ledger } from '../../src/ledger';
import { startFakeIntercom, type FakeIntercom } from '../fake-intercom';
import { CONTROLLER } from './helpers';

const LEDGER_TEST_KEY = ['deliver-test', 'throwaway-ledger', '0123456789'].join('-'); // a throwaway ledger
let fake: FakeIntercom;
let dir: string;
let ledger: Ledger;
beforeAll(async () => {
	fake = await startFakeIntercom({ rateLimitPerWindow: 100_000 });
	dir = mkdtempSync(join(tmpdir(), 'dsar-deliver-'));
	ledger = await openLedger({ kind: 'sqlite', path: join(dir, 'ledger.sqlite'), key: LEDGER_TEST_KEY });
});
afterAll(async () => {
	await ledger.close();
	await fake.close();
	rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url });

describe('deliverDsarPackage', () => {
	it('zip / review: the file, its manifest, the reviewer’s view, and a ledger entry with the same sha256', async () => {
		const email = fake.workspace.fixtures.userEmail;
		const d = await deliverDsarPackage(gw(), { email }, { ...CONTROLLER, requestId: 'LIB-DSAR-1', format: 'review', ledger });
		expect(d.found).toBe(true);
		expect(d.file).toMatchObject({ name: 'LIB-DSAR-1.zip', mimeType: 'application/zip' });
		expect(d.file!.sha256).toBe(createHash('sha256').update(d.file!.data).digest('hex'));
		const names = Object.keys(unzipSync(d.file!.data));
		expect(d.files!.map((f) => f.name).sort()).toEqual(names.filter((n) => n !== 'manifest.json').sort());
		expect(d.review?.blockers).toEqual([]);
		const [entry] = await ledger.search({ type: 'dsar.export', requestId: 'LIB-DSAR-1' });
		expect(entry.data.packageSha256).toBe(d.file!.sha256);
		expect(entry.seq).toBe(d.ledgerEntry!.seq);
		expect(JSON.stringify(entry)).not.toContain(email); // the identifier is stored as its HMAC only
	});

	it('json: subject.json alone; not found: no file and nothing recorded', async () => {
		const j = await deliverDsarPackage(gw(), { contactId: fake.workspace.fixtures.leadId }, { ...CONTROLLER, requestId: 'LIB-DSAR-2', format: 'json', ledger });
		expect(j.file?.name).toBe('LIB-DSAR-2.json');
		expect(JSON.parse(Buffer.from(j.file!.data).toString('utf8')).requestId).toBe('LIB-DSAR-2');
		const none = await deliverDsarPackage(gw(), { email: fake.workspace.fixtures.unknownEmail }, { ...CONTROLLER, requestId: 'LIB-DSAR-3', ledger });
		expect(none).toMatchObject({ found: false });
		expect(none.file).toBeUndefined();
		expect(await ledger.search({ requestId: 'LIB-DSAR-3' })).toEqual([]);
	});

	it('refuses an unknown format before any request to Intercom', async () => {
		await expect(deliverDsarPackage(gw(), { email: 'a@example.com' }, { ...CONTROLLER, format: 'pdf' as never })).rejects.toThrow(/format/);
		expect(fake.requests).toEqual([]);
	});
});
