// Secure delivery: the encrypted ZIP is opened by ANOTHER implementation (7-Zip, p7zip-full's `7z`),
// Info-ZIP `unzip` is shown unable to (documented in the README); publish/claim hands a package
// out once, refuses expired and second downloads, and the retention purge deletes what expired.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
	it('7-Zip lists ONE entry, package.zip, as AES-256 and extracts it with the passphrase; the plain ZIP inside holds every file byte for byte; a wrong one fails', async () => {
		const pkg = await encryptFiles(files);
		expect(pkg.passphrase).toMatch(/^[2-9a-hjkmnp-z]{5}(-[2-9a-hjkmnp-z]{5}){4}$/);
		expect(pkg.sha256).toBe(sha(pkg.zip));
		expect(pkg.files).toBe(3);
		const path = join(dir, 'p.zip');
		writeFileSync(path, pkg.zip);
		// Nothing of the content is readable in the file.
		expect(Buffer.from(pkg.zip).toString('latin1')).not.toContain('jane@example.com');

		const listing = sevenZip(['l', '-slt', `-p${pkg.passphrase}`, path]);
		expect([...listing.matchAll(/^Path = (.+)$/gm)].map((m) => m[1]).slice(1)).toEqual(['package.zip']); // the first Path is the archive
		expect([...listing.matchAll(/^Method = (.+)$/gm)].map((m) => m[1])).toEqual(['AES-256 Deflate']);
		expect([...listing.matchAll(/^Encrypted = (.)$/gm)].map((m) => m[1])).toEqual(['+']);

		const out = join(dir, 'out');
		sevenZip(['x', `-p${pkg.passphrase}`, `-o${out}`, '-y', path]);
		expect(sha(readFileSync(join(out, 'package.zip')))).toBe(pkg.plainSha256);
		// The inner ZIP is a plain one: 7-Zip and Info-ZIP unzip open it without a passphrase.
		sevenZip(['x', `-o${join(out, 'inner')}`, '-y', join(out, 'package.zip')]);
		for (const f of files) expect(sha(readFileSync(join(out, 'inner', f.name)))).toBe(sha(f.data));
		const unz = runTool('unzip', ['-o', '-d', join(out, 'inner-unzip'), join(out, 'package.zip')]);
		expect(unz.status).toBe(0);
		for (const f of files) expect(sha(readFileSync(join(out, 'inner-unzip', f.name)))).toBe(sha(f.data));

		const wrong = runTool('7z', ['x', '-pnot-the-passphrase', `-o${join(dir, 'wrong')}`, '-y', path]);
		expect(wrong.status).not.toBe(0);
		expect(wrong.output).toMatch(/Wrong password/i);
	});

	it('no file name of the package is readable in the encrypted bytes (a ZIP encrypts contents, not names): not an attachment name, not a contact id', async () => {
		const contactId = '6650f1a2b3c4d5e6f7a8b9c0';
		const named = [
			{ name: 'manifest.json', data: enc.encode('{"files":[]}') },
			{ name: `files/${contactId}/Jane_Doe_passport.pdf`, data: enc.encode('%PDF-1.4 passport scan') },
			{ name: `files/${contactId}/José_Núñez_invoice.png`, data: enc.encode('PNG bytes') },
		];
		const plain = zipSync(Object.fromEntries(named.map((f) => [f.name, f.data])));
		// The plain ZIP shows them (the reason for the wrapping):
		expect(Buffer.from(plain).toString('latin1')).toContain('Jane_Doe_passport.pdf');
		for (const pkg of [await encryptZip(plain), await encryptFiles(named)]) {
			const bytes = Buffer.from(pkg.zip);
			for (const needle of ['Jane_Doe_passport', 'Jane', 'passport', contactId, 'manifest.json', 'files/', 'Jos', 'invoice']) {
				expect(bytes.includes(Buffer.from(needle, 'latin1')), needle).toBe(false);
				expect(bytes.includes(Buffer.from(needle, 'utf8')), needle).toBe(false);
			}
			expect(bytes.includes(Buffer.from('package.zip'))).toBe(true);
			expect(pkg.files).toBe(3);
			const back = await decryptZip(pkg.zip, pkg.passphrase);
			expect(back.map((f) => f.name).sort()).toEqual(named.map((f) => f.name).sort());
		}
	});

	it('Info-ZIP unzip 6.0 cannot open WinZip AES (it only knows ZipCrypto): the README says so', async () => {
		const pkg = await encryptFiles(files.slice(0, 1));
		const path = join(dir, 'u.zip');
		writeFileSync(path, pkg.zip);
		const r = runTool('unzip', ['-P', pkg.passphrase, '-d', join(dir, 'unz'), path]);
		expect(r.status).not.toBe(0);
		expect(r.output).toContain('need PK compat. v5.1');
		expect(existsSync(join(dir, 'unz', 'package.zip'))).toBe(false);
	});

	it('re-packs Export\'s plain ZIP: same files, now encrypted; the library opens it again with the passphrase', async () => {
		const plain = zipSync(Object.fromEntries(files.map((f) => [f.name, f.data])));
		const pkg = await encryptZip(plain, { passphrase: 'correct horse battery staple' });
		expect(pkg).toMatchObject({ files: 3, plainSha256: sha(plain) });
		expect(Object.keys(pkg).sort()).toEqual(['files', 'passphrase', 'plainSha256', 'sha256', 'zip']); // no entry names
		const back = await decryptZip(pkg.zip, 'correct horse battery staple');
		expect(back.map((f) => [f.name, sha(f.data)]).sort()).toEqual(files.map((f) => [f.name, sha(f.data)]).sort());
		await expect(decryptZip(pkg.zip, 'wrong horse battery staple')).rejects.toThrow();
		await expect(encryptZip(enc.encode('not a zip'))).rejects.toThrow('not a ZIP');
		await expect(encryptZip(zipSync({}))).rejects.toThrow('holds no file');
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

	it('a claim that cannot read the file hands nothing out: the next click is not told "already downloaded", and the link works once the file is readable', () => {
		const f = join(dir, 'unreadable');
		const p = publishPackage({ folder: f, requestId: 'DSR-R1', data, fileName: 'DSR-R1.zip' });
		const bin = join(f, readdirSync(f).find((n) => n.endsWith('.bin'))!);
		renameSync(bin, `${bin}.away`);
		mkdirSync(bin); // reading a directory fails (EISDIR): the file cannot be read
		expect(claimPackage({ folder: f, token: p.token })).toEqual({ status: 'not_found', requestId: 'DSR-R1' });
		expect(claimPackage({ folder: f, token: p.token }).status).not.toBe('already_downloaded');
		rmSync(bin, { recursive: true });
		renameSync(`${bin}.away`, bin);
		const ok = claimPackage({ folder: f, token: p.token });
		expect(ok.status === 'ok' && Buffer.from(ok.data).toString()).toBe('encrypted bytes');
		expect(claimPackage({ folder: f, token: p.token })).toEqual({ status: 'already_downloaded', requestId: 'DSR-R1' });
	});

	it('"already downloaded" only when a download was recorded: a claim under way (or left half-done) is not one', () => {
		const f = join(dir, 'inflight');
		const p = publishPackage({ folder: f, requestId: 'DSR-R2', data, fileName: 'DSR-R2.zip', now: new Date('2026-01-01T00:00:00Z') });
		const meta = join(f, readdirSync(f).find((n) => n.endsWith('.json'))!);
		renameSync(meta, meta.replace(/\.json$/, '.claimed.json')); // the claim's rename, nothing after it
		expect(claimPackage({ folder: f, token: p.token, now: new Date('2026-01-02T00:00:00Z') })).toEqual({ status: 'not_found', requestId: 'DSR-R2' });
		expect(claimPackage({ folder: f, token: p.token, now: new Date('2026-01-09T00:00:00Z') })).toEqual({ status: 'expired', requestId: 'DSR-R2' });
		// Unreadable metadata: not found, then and later, and nothing is left behind.
		const g = join(dir, 'broken-meta');
		const q = publishPackage({ folder: g, requestId: 'DSR-R3', data, fileName: 'DSR-R3.zip' });
		writeFileSync(join(g, readdirSync(g).find((n) => n.endsWith('.json'))!), '{ broken');
		expect(claimPackage({ folder: g, token: q.token })).toEqual({ status: 'not_found' });
		expect(claimPackage({ folder: g, token: q.token })).toEqual({ status: 'not_found' });
		expect(readdirSync(g)).toEqual([]);
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
