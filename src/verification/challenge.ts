/**
 * One-time identity challenges bound to a request id: a code (digits) or a link token, sent by the
 * workflow to the address Intercom holds for the person, then checked once.
 *
 * - the secret is random (crypto), stored only as HMAC-SHA256(key, "v1" | request id | method | secret);
 * - checking compares the two HMACs with `timingSafeEqual` (constant time, equal lengths);
 * - attempts are limited per challenge, re-issuing is limited per request;
 * - a challenge expires, and is spent by the first correct answer (atomically, in the store).
 *
 * The key is derived from the ledger secret with its own label, so these hashes can never be
 * confused with the ledger's identifier HMACs.
 */
import { GdprError } from '../util/errors';
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { ChallengeRecord, VerificationStore } from './store';
import { isRequestId } from '../ledger/entries';

export type ChallengeMethod = 'code' | 'link';

export interface IssueOptions {
	requestId: string;
	/** The ledger secret (GdprLedger credential); a challenge-specific key is derived from it. */
	key: string;
	method?: ChallengeMethod;
	/** Minutes until the challenge expires; default 60, 5 to 10 080 (7 days). */
	ttlMinutes?: number;
	/** Wrong answers allowed before the challenge locks; default 5, 1 to 10. */
	maxAttempts?: number;
	/** Digits of a code; default 6, 6 to 10. */
	codeDigits?: number;
	/** Challenges that may be issued for one request in all; default 5. */
	maxIssues?: number;
	/** Intercom contact ids of the person (kept for the data-point check; not personal data). */
	contactIds?: string[];
	now?: Date;
}

export interface IssuedChallenge {
	requestId: string;
	method: ChallengeMethod;
	/** The code or token to send. Returned once; only its keyed hash is stored. */
	secret: string;
	expiresAt: string;
	maxAttempts: number;
	/** This is the n-th challenge for the request. */
	issueCount: number;
}

export type CheckOutcome =
	| { ok: true; method: ChallengeMethod; contactIds: string[] }
	| { ok: false; reason: 'no_challenge' | 'expired' | 'used' | 'locked' | 'wrong'; attemptsLeft: number };

export class ChallengeError extends GdprError {
	declare readonly field: string;
	constructor(
		readonly problem: 'bad_input' | 'too_many_issues',
		field: string,
		message: string,
		fix: string,
	) {
		super(message, { code: problem, field, fix });
		this.name = 'ChallengeError';
	}
}

function deriveKey(key: string): Buffer {
	if (typeof key !== 'string' || key.length < 16) {
		throw new ChallengeError('bad_input', 'key', 'key must be the ledger secret (at least 16 characters)', 'Set the Secret Key in the GDPR Ledger credential.');
	}
	return createHmac('sha256', key).update('intercom-gdpr/identity-challenge/v1').digest();
}

function secretHash(key: Buffer, requestId: string, method: ChallengeMethod, secret: string): string {
	return createHmac('sha256', key).update(`v1\u0000${requestId}\u0000${method}\u0000${secret}`).digest('hex');
}

function intIn(field: string, value: number | undefined, fallback: number, min: number, max: number): number {
	const v = value ?? fallback;
	if (!Number.isInteger(v) || v < min || v > max) {
		throw new ChallengeError('bad_input', field, `${field} must be a whole number from ${min} to ${max}`, `Enter a value between ${min} and ${max}.`);
	}
	return v;
}

function checkRequestId(requestId: unknown): string {
	if (!isRequestId(requestId)) {
		throw new ChallengeError('bad_input', 'requestId', 'requestId may only hold 1–128 letters, digits and _ . : -', 'Use the Request ID of the tracked request (never an email address).');
	}
	return requestId;
}

/** What the person types back: codes are read as digits only (spaces and dashes are forgiven). */
function normaliseAnswer(method: ChallengeMethod, answer: string): string {
	return method === 'code' ? answer.replace(/[\s-]/g, '') : answer.trim();
}

/**
 * Issues a new challenge for `requestId`, replacing any earlier one (whose code stops working).
 * Refused after `maxIssues` challenges for the same request.
 */
export async function issueChallenge(store: VerificationStore, opts: IssueOptions): Promise<IssuedChallenge> {
	const requestId = checkRequestId(opts.requestId);
	const method: ChallengeMethod = opts.method ?? 'code';
	if (method !== 'code' && method !== 'link') throw new ChallengeError('bad_input', 'method', 'method must be "code" or "link"', 'Pick Code or Link.');
	const ttlMinutes = intIn('ttlMinutes', opts.ttlMinutes, 60, 5, 10_080);
	const maxAttempts = intIn('maxAttempts', opts.maxAttempts, 5, 1, 10);
	const digits = intIn('codeDigits', opts.codeDigits, 6, 6, 10);
	const maxIssues = intIn('maxIssues', opts.maxIssues, 5, 1, 20);
	const key = deriveKey(opts.key);
	const now = (opts.now ?? new Date()).getTime();
	const secret =
		method === 'code'
			? Array.from({ length: digits }, () => String(randomInt(0, 10))).join('')
			: randomBytes(32).toString('base64url');
	const record: ChallengeRecord = {
		requestId,
		method,
		secretHash: secretHash(key, requestId, method, secret),
		issuedAt: now,
		expiresAt: now + ttlMinutes * 60_000,
		attempts: 0,
		maxAttempts,
		issueCount: 1,
		usedAt: null,
		contactIds: [...(opts.contactIds ?? [])],
	};
	const issueCount = await store.update(requestId, (current) => {
		const count = (current?.issueCount ?? 0) + 1;
		if (count > maxIssues) {
			throw new ChallengeError(
				'too_many_issues',
				'requestId',
				`Request ${requestId} already had ${maxIssues} verification challenges`,
				'Stop and look at the request: repeated challenges are a sign of someone guessing. Verify the person another way, or refuse the request (identity_not_verified).',
			);
		}
		return { next: { ...record, issueCount: count }, result: count };
	});
	return { requestId, method, secret, expiresAt: new Date(record.expiresAt).toISOString(), maxAttempts, issueCount };
}

/**
 * Checks an answer for `requestId`: constant-time comparison of keyed hashes, then — in the same
 * store transaction — the challenge is spent (correct) or its attempts counted (wrong).
 */
export async function checkChallenge(store: VerificationStore, opts: { requestId: string; key: string; answer: string; now?: Date }): Promise<CheckOutcome> {
	const requestId = checkRequestId(opts.requestId);
	const key = deriveKey(opts.key);
	const answer = typeof opts.answer === 'string' ? opts.answer : '';
	const now = (opts.now ?? new Date()).getTime();
	return await store.update<CheckOutcome>(requestId, (c) => {
		if (!c) return { result: { ok: false, reason: 'no_challenge', attemptsLeft: 0 } };
		if (c.usedAt !== null) return { result: { ok: false, reason: 'used', attemptsLeft: 0 } };
		if (c.attempts >= c.maxAttempts) return { result: { ok: false, reason: 'locked', attemptsLeft: 0 } };
		if (now >= c.expiresAt) return { result: { ok: false, reason: 'expired', attemptsLeft: c.maxAttempts - c.attempts } };
		const expected = Buffer.from(c.secretHash, 'hex');
		const given = Buffer.from(secretHash(key, requestId, c.method, normaliseAnswer(c.method, answer)), 'hex');
		if (given.length === expected.length && timingSafeEqual(given, expected)) {
			return { next: { ...c, usedAt: now }, result: { ok: true, method: c.method, contactIds: c.contactIds } };
		}
		const attempts = c.attempts + 1;
		return { next: { ...c, attempts }, result: { ok: false, reason: attempts >= c.maxAttempts ? 'locked' : 'wrong', attemptsLeft: c.maxAttempts - attempts } };
	});
}

/** Deletes challenges that expired more than `graceMinutes` ago (default 1 day): for the retention schedule. */
export async function purgeExpiredChallenges(store: VerificationStore, opts: { now?: Date; graceMinutes?: number } = {}): Promise<number> {
	const now = (opts.now ?? new Date()).getTime();
	return await store.purge(now - (opts.graceMinutes ?? 1440) * 60_000);
}
