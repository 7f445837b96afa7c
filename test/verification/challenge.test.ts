// One-time identity challenges: expiry, single use, attempt limit, constant-time comparison of
// keyed hashes, re-issue cap, and nothing secret at rest. On a real node:sqlite store in a temp dir.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

// Count the constant-time comparisons (the real function still runs).
const compare = vi.hoisted(() => ({ calls: [] as Array<[number, number]> }));
vi.mock('node:crypto', async (importOriginal) => {
	const real = await importOriginal<typeof import('node:crypto')>();
	return {
		...real,
		timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
			compare.calls.push([a.byteLength, b.byteLength]);
			return real.timingSafeEqual(a, b);
		},
	};
});

import { checkChallenge, issueChallenge, openVerificationStore, purgeExpiredChallenges } from '../../src/verification';
import type { VerificationStore } from '../../src/verification';

const LEDGER_HMAC_INPUT = 'ledger-secret-key-for-tests-0123456789';
const KEY = LEDGER_HMAC_INPUT;
const dir = mkdtempSync(join(tmpdir(), 'verif-'));
let store: VerificationStore;
let n = 0;
let path = '';
beforeEach(async () => {
	await store?.close();
	path = join(dir, `store-${++n}.sqlite`);
	store = openVerificationStore(path);
	compare.calls.length = 0;
});
afterAll(async () => {
	await store?.close();
	rmSync(dir, { recursive: true, force: true });
});

const at = (iso: string) => new Date(iso);

describe('issue and check a code', () => {
	it('a correct code verifies once; the second use is refused; spaces and dashes are forgiven', async () => {
		const issued = await issueChallenge(store, { requestId: 'DSR-1', key: KEY, contactIds: ['c1', 'c2'], now: at('2026-01-01T10:00:00Z') });
		expect(issued).toMatchObject({ requestId: 'DSR-1', method: 'code', expiresAt: '2026-01-01T11:00:00.000Z', maxAttempts: 5, issueCount: 1 });
		expect(issued.secret).toMatch(/^\d{6}$/);
		const typed = `${issued.secret.slice(0, 3)} - ${issued.secret.slice(3)}`;
		expect(await checkChallenge(store, { requestId: 'DSR-1', key: KEY, answer: typed, now: at('2026-01-01T10:30:00Z') })).toEqual({ ok: true, method: 'code', contactIds: ['c1', 'c2'] });
		expect(await checkChallenge(store, { requestId: 'DSR-1', key: KEY, answer: issued.secret, now: at('2026-01-01T10:31:00Z') })).toEqual({ ok: false, reason: 'used', attemptsLeft: 0 });
	});

	it('is bound to its request id and to the key', async () => {
		const a = await issueChallenge(store, { requestId: 'DSR-A', key: KEY });
		await issueChallenge(store, { requestId: 'DSR-B', key: KEY });
		expect(await checkChallenge(store, { requestId: 'DSR-B', key: KEY, answer: a.secret })).toMatchObject({ ok: false, reason: 'wrong', attemptsLeft: 4 });
		expect(await checkChallenge(store, { requestId: 'DSR-A', key: `${KEY}-other`, answer: a.secret })).toMatchObject({ ok: false, reason: 'wrong' });
		expect(await checkChallenge(store, { requestId: 'DSR-none', key: KEY, answer: a.secret })).toEqual({ ok: false, reason: 'no_challenge', attemptsLeft: 0 });
	});

	it('expires: a correct code after the expiry is refused', async () => {
		const c = await issueChallenge(store, { requestId: 'DSR-2', key: KEY, ttlMinutes: 15, now: at('2026-01-01T10:00:00Z') });
		expect(await checkChallenge(store, { requestId: 'DSR-2', key: KEY, answer: c.secret, now: at('2026-01-01T10:15:00Z') })).toEqual({ ok: false, reason: 'expired', attemptsLeft: 5 });
		// Purged by the retention schedule a day after expiry, not before.
		expect(await purgeExpiredChallenges(store, { now: at('2026-01-02T10:14:00Z') })).toBe(0);
		expect(await purgeExpiredChallenges(store, { now: at('2026-01-02T10:16:00Z') })).toBe(1);
		expect(await checkChallenge(store, { requestId: 'DSR-2', key: KEY, answer: c.secret })).toMatchObject({ reason: 'no_challenge' });
	});

	it('locks after the allowed wrong attempts; then even the right code is refused', async () => {
		const c = await issueChallenge(store, { requestId: 'DSR-3', key: KEY, maxAttempts: 3 });
		const wrong = c.secret === '000000' ? '111111' : '000000';
		expect(await checkChallenge(store, { requestId: 'DSR-3', key: KEY, answer: wrong })).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 2 });
		expect(await checkChallenge(store, { requestId: 'DSR-3', key: KEY, answer: '' })).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 1 });
		expect(await checkChallenge(store, { requestId: 'DSR-3', key: KEY, answer: 'x'.repeat(5000) })).toEqual({ ok: false, reason: 'locked', attemptsLeft: 0 });
		expect(await checkChallenge(store, { requestId: 'DSR-3', key: KEY, answer: c.secret })).toEqual({ ok: false, reason: 'locked', attemptsLeft: 0 });
	});

	it('compares in constant time: every answer, of any length, becomes a 32-byte keyed hash compared with timingSafeEqual', async () => {
		const c = await issueChallenge(store, { requestId: 'DSR-4', key: KEY, maxAttempts: 10 });
		for (const answer of ['1', '12345', 'x'.repeat(10_000), c.secret]) await checkChallenge(store, { requestId: 'DSR-4', key: KEY, answer });
		expect(compare.calls).toEqual([
			[32, 32],
			[32, 32],
			[32, 32],
			[32, 32],
		]);
	});

	it('a new challenge replaces the old one (whose code stops working); re-issuing is capped per request', async () => {
		const first = await issueChallenge(store, { requestId: 'DSR-5', key: KEY, maxIssues: 2 });
		const second = await issueChallenge(store, { requestId: 'DSR-5', key: KEY, maxIssues: 2 });
		expect(second.issueCount).toBe(2);
		await expect(issueChallenge(store, { requestId: 'DSR-5', key: KEY, maxIssues: 2 })).rejects.toMatchObject({ problem: 'too_many_issues', message: 'Request DSR-5 already had 2 verification challenges' });
		if (first.secret !== second.secret) {
			expect(await checkChallenge(store, { requestId: 'DSR-5', key: KEY, answer: first.secret })).toMatchObject({ ok: false, reason: 'wrong' });
		}
		expect(await checkChallenge(store, { requestId: 'DSR-5', key: KEY, answer: second.secret })).toMatchObject({ ok: true });
	});

	it('links: a 256-bit URL-safe token, checked the same way', async () => {
		const c = await issueChallenge(store, { requestId: 'DSR-6', key: KEY, method: 'link' });
		expect(c.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(await checkChallenge(store, { requestId: 'DSR-6', key: KEY, answer: c.secret.slice(0, 42) })).toMatchObject({ reason: 'wrong' });
		expect(await checkChallenge(store, { requestId: 'DSR-6', key: KEY, answer: ` ${c.secret} ` })).toEqual({ ok: true, method: 'link', contactIds: [] });
	});

	it('two checks of the right code at once: exactly one succeeds', async () => {
		const c = await issueChallenge(store, { requestId: 'DSR-7', key: KEY });
		const other = openVerificationStore(path);
		const results = await Promise.all([checkChallenge(store, { requestId: 'DSR-7', key: KEY, answer: c.secret }), checkChallenge(other, { requestId: 'DSR-7', key: KEY, answer: c.secret })]);
		await other.close();
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.find((r) => !r.ok)).toMatchObject({ reason: 'used' });
	});

	it('refuses bad input naming the field, and an email as request id', async () => {
		await expect(issueChallenge(store, { requestId: 'alice@example.com', key: KEY })).rejects.toMatchObject({ field: 'requestId' });
		await expect(issueChallenge(store, { requestId: 'DSR-8', key: 'short' })).rejects.toMatchObject({ field: 'key' });
		await expect(issueChallenge(store, { requestId: 'DSR-8', key: KEY, ttlMinutes: 1 })).rejects.toMatchObject({ field: 'ttlMinutes' });
		await expect(issueChallenge(store, { requestId: 'DSR-8', key: KEY, maxAttempts: 100 })).rejects.toMatchObject({ field: 'maxAttempts' });
		await expect(issueChallenge(store, { requestId: 'DSR-8', key: KEY, codeDigits: 4 })).rejects.toMatchObject({ field: 'codeDigits' });
	});
});

describe('nothing secret at rest', () => {
	it('the store files hold neither the code nor the key, only a keyed hash', async () => {
		const secrets: string[] = [];
		for (let i = 0; i < 5; i++) secrets.push((await issueChallenge(store, { requestId: `DSR-S${i}`, key: KEY, codeDigits: 10 })).secret);
		const link = await issueChallenge(store, { requestId: 'DSR-SL', key: KEY, method: 'link' });
		await store.close();
		const bytes = readdirSync(dir)
			.filter((f) => f.startsWith(`store-${n}.sqlite`))
			.map((f) => readFileSync(join(dir, f)).toString('latin1'))
			.join('');
		expect(bytes.length).toBeGreaterThan(0);
		for (const s of [...secrets, link.secret, KEY]) expect(bytes).not.toContain(s);
		store = openVerificationStore(path);
	});
});
