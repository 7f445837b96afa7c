// Secure delivery: the encrypted ZIP is opened by ANOTHER implementation (7-Zip, p7zip-full's `7z`),
// Info-ZIP `unzip` is shown unable to (documented in the README); publish/claim hands a package
// out once, refuses expired and second downloads, and the retention purge deletes what expired.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { runTool, sevenZip } from './tools';
import { claimPackage, decryptZip, encryptFiles, encryptZip, generatePassphrase, publishPackage, purgeExpiredPackages } from '../../src/delivery';

const dir = mkdtempSync(join(tmpdir(), 'delivery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const files = [
	{ name: 'subject.json', data: enc.encode(JSON.stringify({ name: 'Jane Requester', email: 'jane@example.com' }).repeat(50)) },
	{ name: 'conversations.csv', data: enc.encode('id,body\n1,"hello, world"\n') },
	{ name: 'manifest.json', data: enc.encode('{"files":[]}') },
];

describe('AES-256 encrypted ZIP', () => {
	it('7-Zip lists every entry as AES-256 and extracts them byte for byte with the passphrase; a wrong one fails', async () => {
		const pkg = await encryptFiles(files);
		expect(pkg.passphrase).toMatch(/^[2-9a-hjkmnp-z]{5}(-[2-9a-hjkmnp-z]{5}){4}$/);
		expect(pkg.sha256).toBe(sha(pkg.zip));
		const path = join(dir, 'p.zip');
		writeFileSync(path, pkg.zip);
		// Nothing of the content is readable in the file.
		expect(Buffer.from(pkg.zip).toString('latin1')).not.toContain('jane@example.com');

		const listing = sevenZip(['l', '-slt', `-p${pkg.passphrase}`, path]);
		const methods = [...listing.matchAll(/^Method = (.+)$/gm)].map((m) => m[1]);
		expect(methods).toEqual(['AES-256 Deflate', 'AES-256 Deflate', 'AES-256 Deflate']);
		expect([...listing.matchAll(/^Encrypted = (.)$/gm)].map((m) => m[1])).toEqual(['+', '+', '+']);

		const out = join(dir, 'out');
		sevenZip(['x', `-p${pkg.passphrase}`, `-o${out}`, '-y', path]);
		for (const f of files) expect(sha(readFileSync(join(out, f.name)))).toBe(sha(f.data));

		const wrong = runTool('7z', ['x', '-pnot-the-passphrase', `-o${join(dir, 'wrong')}`, '-y', path]);
		expect(wrong.status).not.toBe(0);
		expect(wrong.output).toMatch(/Wrong password/i);
	});

	it('Info-ZIP unzip 6.0 cannot open WinZip AES (it only knows ZipCrypto): the README says so', async () => {
		const pkg = await encryptFiles(files.slice(0, 1));
		const path = join(dir, 'u.zip');
		writeFileSync(path, pkg.zip);
		const r = runTool('unzip', ['-P', pkg.passphrase, '-d', join(dir, 'unz'), path]);
		expect(r.status).not.toBe(0);
		expect(r.output).toContain('need PK compat. v5.1');
		expect(existsSync(join(dir, 'unz', 'subject.json'))).toBe(false);
	});

	it('re-packs Export\'s plain ZIP: same files, now encrypted; the library opens it again with the passphrase', async () => {
		const plain = zipSync(Object.fromEntries(files.map((f) => [f.name, f.data])));
		const pkg = await encryptZip(plain, { passphrase: 'correct horse battery staple' });
		expect(pkg.entries.sort()).toEqual(files.map((f) => f.name).sort());
		const back = await decryptZip(pkg.zip, 'correct horse battery staple');
		expect(back.map((f) => [f.name, sha(f.data)]).sort()).toEqual(files.map((f) => [f.name, sha(f.data)]).sort());
		await expect(decryptZip(pkg.zip, 'wrong horse battery staple')).rejects.toThrow();
		await expect(encryptZip(enc.encode('not a zip'))).rejects.toThrow('not a ZIP');
		await expect(encryptFiles(files, { passphrase: 'short' })).rejects.toThrow('passphrase');
	});

	it('passphrases differ every time', () => {
		expect(new Set(Array.from({ length: 50 }, generatePassphrase)).size).toBe(50);
	});
});

describe('publish and claim (single use, expiring)', () => {
	const folder = join(dir, 'published');
	const data = enc.encode('encrypted bytes');

	it('one download, then "already downloaded"; the file is gone from disk; names do not reveal the token', () => {
		const p = publishPackage({ folder, requestId: 'DSR-P1', data, fileName: 'DSR-P1.zip', plainSha256: 'c'.repeat(64), now: new Date('2026-01-01T00:00:00Z') });
		expect(p).toMatchObject({ requestId: 'DSR-P1', expiresAt: '2026-01-08T00:00:00.000Z', size: data.byteLength, sha256: sha(data) });
		expect(p.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(readdirSync(folder).join(' ')).not.toContain(p.token);
		expect(statSync(folder).mode & 0o777).toBe(0o700);

		const first = claimPackage({ folder, token: p.token, now: new Date('2026-01-02T00:00:00Z') });
		expect(first).toMatchObject({ status: 'ok', requestId: 'DSR-P1', fileName: 'DSR-P1.zip', sha256: sha(data), plainSha256: 'c'.repeat(64) });
		expect(first.status === 'ok' && Buffer.from(first.data).toString()).toBe('encrypted bytes');
		expect(readdirSync(folder).filter((f) => f.endsWith('.bin'))).toEqual([]);
		expect(claimPackage({ folder, token: p.token, now: new Date('2026-01-02T00:01:00Z') })).toEqual({ status: 'already_downloaded', requestId: 'DSR-P1' });
	});

	it('refuses after the expiry and deletes the file; unknown and malformed tokens are "not found"', () => {
		const p = publishPackage({ folder, requestId: 'DSR-P2', data, fileName: 'DSR-P2.zip', ttlDays: 1, now: new Date('2026-01-01T00:00:00Z') });
		expect(claimPackage({ folder, token: p.token, now: new Date('2026-01-02T00:00:00Z') })).toEqual({ status: 'expired', requestId: 'DSR-P2' });
		expect(claimPackage({ folder, token: p.token, now: new Date('2026-01-02T00:00:01Z') })).toEqual({ status: 'expired', requestId: 'DSR-P2' });
		const neverIssued = 'A'.repeat(43);
		expect(claimPackage({ folder, token: neverIssued })).toEqual({ status: 'not_found' });
		const traversal = '../../etc/passwd';
		expect(claimPackage({ folder, token: traversal })).toEqual({ status: 'not_found' });
	});

	it('two downloads racing: exactly one gets the file', () => {
		const p = publishPackage({ folder, requestId: 'DSR-P3', data, fileName: 'DSR-P3.zip' });
		const results = [claimPackage({ folder, token: p.token }), claimPackage({ folder, token: p.token })];
		expect(results.map((r) => r.status).sort()).toEqual(['already_downloaded', 'ok']);
	});

	it('the retention purge deletes expired packages nobody fetched, and old tombstones, nothing else', () => {
		const f = join(dir, 'purge');
		const old = publishPackage({ folder: f, requestId: 'DSR-O', data, fileName: 'o.zip', ttlDays: 1, now: new Date('2026-01-01T00:00:00Z') });
		publishPackage({ folder: f, requestId: 'DSR-N', data, fileName: 'n.zip', ttlDays: 7, now: new Date('2026-01-01T00:00:00Z') });
		const fetched = publishPackage({ folder: f, requestId: 'DSR-F', data, fileName: 'f.zip', ttlDays: 1, now: new Date('2026-01-01T00:00:00Z') });
		claimPackage({ folder: f, token: fetched.token, now: new Date('2026-01-01T12:00:00Z') });
		expect(purgeExpiredPackages({ folder: f, now: new Date('2026-01-03T00:00:00Z') })).toEqual({ packages: 1, tombstones: 1 });
		expect(readdirSync(f).filter((n) => n.endsWith('.bin'))).toHaveLength(1);
		expect(claimPackage({ folder: f, token: old.token, now: new Date('2026-01-03T00:00:00Z') })).toEqual({ status: 'not_found' });
		expect(purgeExpiredPackages({ folder: join(dir, 'missing') })).toEqual({ packages: 0, tombstones: 0 });
	});

	it('refuses bad input', () => {
		expect(() => publishPackage({ folder, requestId: 'a@b.c', data, fileName: 'x.zip' })).toThrow('requestId');
		expect(() => publishPackage({ folder, requestId: 'DSR-X', data, fileName: '../x.zip' })).toThrow('fileName');
		expect(() => publishPackage({ folder, requestId: 'DSR-X', data, fileName: 'x.zip', ttlDays: 90 })).toThrow('ttlDays');
		expect(() => publishPackage({ folder, requestId: 'DSR-X', data: new Uint8Array(), fileName: 'x.zip' })).toThrow('empty');
	});
});

describe('purgeExpiredRequestFiles (for the retention schedule)', () => {
	it('deletes expired packages and day-old expired challenges in the work folder, nothing current', async () => {
		const { openVerificationStore, issueChallenge } = await import('../../src/verification');
		const { purgeExpiredRequestFiles, PUBLISHED_FOLDER } = await import('../../src/delivery');
		const folder = join(dir, 'work');
		const store = openVerificationStore(join(folder, 'intercom-gdpr-verification.sqlite'));
		const LEDGER_HMAC_INPUT = 'ledger-secret-key-for-tests-0123456789';
		await issueChallenge(store, { requestId: 'DSR-OLD', key: LEDGER_HMAC_INPUT, ttlMinutes: 5, now: new Date('2026-01-01T00:00:00Z') });
		await issueChallenge(store, { requestId: 'DSR-NEW', key: LEDGER_HMAC_INPUT, ttlMinutes: 60, now: new Date('2026-01-03T00:00:00Z') });
		await store.close();
		publishPackage({ folder: join(folder, PUBLISHED_FOLDER), requestId: 'DSR-OLD', data: enc.encode('x'), fileName: 'o.zip', ttlDays: 1, now: new Date('2026-01-01T00:00:00Z') });
		publishPackage({ folder: join(folder, PUBLISHED_FOLDER), requestId: 'DSR-NEW', data: enc.encode('y'), fileName: 'n.zip', ttlDays: 7, now: new Date('2026-01-03T00:00:00Z') });
		expect(await purgeExpiredRequestFiles({ folder, now: new Date('2026-01-03T00:30:00Z') })).toEqual({ packages: 1, tombstones: 0, challenges: 1 });
		expect(await purgeExpiredRequestFiles({ folder, now: new Date('2026-01-03T00:30:00Z') })).toEqual({ packages: 0, tombstones: 0, challenges: 0 });
		expect(await purgeExpiredRequestFiles({ folder: join(dir, 'nothing-here') })).toEqual({ packages: 0, tombstones: 0, challenges: 0 });
	});
});
