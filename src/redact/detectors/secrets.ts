// SECRET: bearer tokens, Intercom access tokens, well-known key formats, and API-key-looking values
// right after key/token/password words (in en, de, fr, es, nl, pt), and generic high-entropy strings
// (hex/base64/base62 runs of ≥ 32 characters) near such a word or in `name=value` form. Every pattern is a literal prefix followed by ONE bounded
// character class with nothing after it that can fail — such a regex cannot backtrack, so a global
// scan is linear in the input.
import type { Detector, Span } from '../types';
import * as chars from './chars';
// Bound once: hot per-character helpers called through a module namespace cost a property (or,
// under tsx/esbuild, a getter) lookup per call — 30 % of the scan in the bench.
const { isAlnum, isDigit, isWord } = chars;

interface SecretPattern {
	re: RegExp;
	/** Capture group holding the secret value (0 = whole match). */
	group: number;
	/** Cheap literal search that must succeed before the pattern runs. */
	hint: (text: string) => boolean;
	/** Extra check on the match (prose like "the token is expired" is not a secret). */
	accept?: (m: RegExpExecArray) => boolean;
	/** Every match holds a run of ≥ 15 key characters: skipped when the text has none (see scanRuns). */
	inRun: boolean;
}

const TOKEN = '[A-Za-z0-9\\-._~+/]';
const PATTERNS: SecretPattern[] = [
	// Authorization: Bearer <token>
	{ re: new RegExp(`\\b[Bb]earer[ \\t]{1,4}(${TOKEN}{12,512}=*)`, 'g'), group: 1, hint: (t) => t.includes('Bearer') || t.includes('bearer'), inRun: false },
	// Intercom access tokens are base64 of "tok:…" and start with dG9rO.
	{ re: /\bdG9rO[A-Za-z0-9+/]{20,300}={0,2}/g, group: 0, hint: (t) => t.includes('dG9rO'), inRun: true },
	// Well-known vendor key formats (Stripe, GitHub, Slack, AWS access key id, Google API key).
	{ re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,128}/g, group: 0, hint: (t) => t.includes('_') && (t.includes('k_live_') || t.includes('k_test_')), inRun: true },
	{ re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,80}|\bgithub_pat_[A-Za-z0-9_]{40,120}/g, group: 0, hint: (t) => t.includes('_') && /gh[pousr]_|github_pat_/.test(t), inRun: true },
	{ re: /\bxox[abprs]-[A-Za-z0-9-]{10,120}/g, group: 0, hint: (t) => t.includes('xox'), inRun: true },
	{ re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, group: 0, hint: (t) => t.includes('AKIA') || t.includes('ASIA'), inRun: true },
	{ re: /\bAIza[0-9A-Za-z_-]{35}/g, group: 0, hint: (t) => t.includes('AIza'), inRun: true },
];

const KEY_WORD =
	/^(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|client[_-]?secret|secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|password|passwd|pwd|passcode|passwort|kennwort|schlüssel|mot[_-]?de[_-]?passe|mdp|jeton|contraseña|contrasena|clave|wachtwoord|sleutel|senha|chave)$/i;
const VALUE_MAX = 256;
const KEY_LAST = new Set([...'yntdelpa'].map((c) => c.charCodeAt(0)));

function isKeyChar(c: number): boolean {
	return isWord(c) || c === 45;
}

function isValueChar(c: number): boolean {
	// [A-Za-z0-9\-._~+/=!@#$%^&*]
	return isAlnum(c) || (c >= 33 && c <= 47 && c !== 34 && c !== 39 && c !== 40 && c !== 41 && c !== 44) || c === 61 || c === 64 || c === 94 || c === 95 || c === 126;
}

/**
 * `api_key: value`, `token=value`, `password is value`: anchored on each ':' / '=' (and " is "),
 * the key word is read backwards (≤ 24 chars) and the value forwards (≤ 256): bounded work per anchor.
 */
function scanKeyValues(text: string, out: Span[]): void {
	// Anchors in order, each found by a native indexOf that resumes where it stopped (linear).
	let colon = text.indexOf(':');
	let eq = text.indexOf('=');
	while (colon >= 0 || eq >= 0) {
		let p: number;
		if (eq < 0 || (colon >= 0 && colon < eq)) {
			p = colon;
			colon = text.indexOf(':', p + 1);
		} else {
			p = eq;
			eq = text.indexOf('=', p + 1);
		}
		let k = p;
		while (k > 0 && p - k < 3 && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 9)) k--;
		takeKeyValue(text, k, p + 1, false, out);
	}
	for (let p = text.indexOf(' is '); p >= 0; p = text.indexOf(' is ', p + 4)) takeKeyValue(text, p, p + 4, true, out);
}

/** The key word ending at `keyEnd` (read backwards, ≤ 24) and its value from `valueFrom` (≤ 256). */
function takeKeyValue(text: string, keyEnd: number, valueFrom: number, viaIs: boolean, out: Span[]): void {
	const n = text.length;
	let k = keyEnd;
	if (k > 0 && (text.charCodeAt(k - 1) === 34 || text.charCodeAt(k - 1) === 39)) k--;
	let ks = k;
	while (ks > 0 && k - ks < 24 && isKeyChar(text.charCodeAt(ks - 1))) ks--;
	// Every key word ends in one of these letters: most anchors (times, URLs, "Tel:") stop here, unsliced.
	if (k - ks < 3 || !KEY_LAST.has(text.charCodeAt(k - 1) | 32)) return;
	if ((ks > 0 && isKeyChar(text.charCodeAt(ks - 1))) || !KEY_WORD.test(text.slice(ks, k))) return;
	let v = valueFrom;
	while (v < n && v - valueFrom < 3 && (text.charCodeAt(v) === 32 || text.charCodeAt(v) === 9)) v++;
	if (v < n && (text.charCodeAt(v) === 34 || text.charCodeAt(v) === 39)) v++;
	let e = v;
	while (e < n && e - v < VALUE_MAX && isValueChar(text.charCodeAt(e))) e++;
	if (e - v < 6) return;
	const value = text.slice(v, e);
	// Prose ("the token is expired", "password: reset") is not a secret.
	if (/^[A-Za-z]+$/.test(value) && (value.length < 16 || viaIs)) return;
	out.push({ type: 'SECRET', start: v, end: e });
}

/** Runs that can be an encoded key: hex, base64 (+ / =), base64url / base62 (_ -). */
/** Characters of an encoded key: hex, base64 (+ /), base64url / base62 (_ -); a lookup table per code unit. */
const RUN_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) RUN_CHAR[c] = isAlnum(c) || c === 43 || c === 47 || c === 95 || c === 45 ? 1 : 0;
const RUN_MIN = 32;
const RUN_MAX = 512;
/** Words that make a nearby random string a secret, in en, de, fr, es, nl, pt. */
const CONTEXT =
	/(?:key|token|secret|passw|pwd|credential|bearer|auth|signing|private|api|schlüssel|schluessel|kennwort|geheim|zugang|clé|cle\b|mot de passe|jeton|identifiant|clave|contraseña|contrasena|llave|sleutel|wachtwoord|chave|senha|segredo|credencia)/;
/** Names in `name=value` whose value is a digest or an id, not a secret. */
const DIGEST_NAMES = /(?:hash|sha\d*|md5|checksum|digest|commit|etag|integrity|uuid|guid|^id|_id|-id)$/;
/** JavaScript's `\s`. */
const isSpaceRe = (c: number): boolean =>
	(c >= 9 && c <= 13) || c === 32 || c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279;
const isNameChar = (c: number): boolean => isAlnum(c) || c === 95 || c === 46 || c === 45;
const isQuote = (c: number): boolean => c === 34 || c === 39;

/**
 * The name of a `name=value` / `name: value` / `"name": "value"` pair that ends `ctx`, read
 * backwards — what /([a-z_][\w.-]{0,40})["']?\s{0,2}[:=]\s{0,2}["']?$/ captures, without a
 * regex that retries every start position. undefined when `ctx` does not end that way.
 */
function kvName(ctx: string): string | undefined {
	let e = ctx.length;
	if (e > 0 && isQuote(ctx.charCodeAt(e - 1))) e--;
	for (let k = 0; k < 2 && e > 0 && isSpaceRe(ctx.charCodeAt(e - 1)); k++) e--;
	if (e === 0 || (ctx.charCodeAt(e - 1) !== 58 && ctx.charCodeAt(e - 1) !== 61)) return undefined;
	e--;
	for (let k = 0; k < 2 && e > 0 && isSpaceRe(ctx.charCodeAt(e - 1)); k++) e--;
	if (e > 0 && isQuote(ctx.charCodeAt(e - 1))) e--;
	let s = e;
	while (s > 0 && isNameChar(ctx.charCodeAt(s - 1))) s--;
	// The leftmost start within 41 characters whose first character is [a-z_].
	for (let p = Math.max(s, e - 41); p < e; p++) {
		const c = ctx.charCodeAt(p);
		if ((c >= 97 && c <= 122) || c === 95) return ctx.slice(p, e);
	}
	return undefined;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
	// A count per UTF-16 unit in a reused table; each count is read and cleared at the unit's first
	// occurrence, so the sum runs in first-occurrence order and nothing is allocated.
	for (let i = 0; i < s.length; i++) COUNTS[s.charCodeAt(i)]++;
	let h = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		const k = COUNTS[c];
		if (k === 0) continue;
		COUNTS[c] = 0;
		const p = k / s.length;
		h -= p * Math.log2(p);
	}
	return h;
}
const COUNTS = new Uint32Array(65536);

/** Random-looking: digits and letters mixed, and close to the entropy of random text of its alphabet. */
export function looksRandom(value: string): boolean {
	const v = value.replace(/=+$/, '');
	if (v.length < 32) return false;
	let digits = 0;
	let letters = 0;
	let hexOnly = true;
	for (let i = 0; i < v.length; i++) {
		const c = v.charCodeAt(i);
		if (isDigit(c)) digits++;
		else if (isAlnum(c)) {
			letters++;
			if (!((c >= 97 && c <= 102) || (c >= 65 && c <= 70))) hexOnly = false;
		} else hexOnly = false;
	}
	if (digits === 0 || letters === 0) return false;
	const h = entropy(v);
	// Random hex of 32+ chars scores ~3.7 bits (max 4); random base62/64 ~4.6+ (max 5.9–6).
	return hexOnly ? h >= 3.0 : h >= 4.0;
}

/**
 * Generic secrets: each run of ≥ 32 key characters (one native search, no backtracking) that looks
 * random and has a key word within 48 characters before it, or is the value of `name=value` /
 * `"name": "value"`. Commit hashes and checksums in prose, UUIDs without a key word, and digests
 * named hash/sha/checksum/id are left alone.
 */
function scanRuns(text: string, out: Span[]): boolean {
	// Stride search: a run of ≥ m key characters that starts in [i, i + m - 1] covers i + m - 1. So
	// only that character is probed; when it is not a key character the next m are skipped unread,
	// and when it is, its run is measured (back to i at most, forward to its end). m is 15 until the
	// first run of ≥ 15 is seen (the known-prefix patterns need one), then 32 (the generic secrets).
	// Invariant: i is 0 or follows a non-key character. Each character is read at most twice.
	const n = text.length;
	let long = false;
	let m = RUN_PREFIXED;
	let i = 0;
	while (i + m <= n) {
		const probe = i + m - 1;
		if (!isRunChar(text.charCodeAt(probe))) {
			i = probe + 1;
			continue;
		}
		let s = probe;
		while (s > i && isRunChar(text.charCodeAt(s - 1))) s--;
		let e = probe + 1;
		while (e < n && isRunChar(text.charCodeAt(e))) e++;
		if (e - s >= RUN_PREFIXED) {
			long = true;
			m = RUN_MIN;
		}
		if (e - s >= RUN_MIN) judgeRun(text, s, e, out);
		i = e + 1;
	}
	return long;
}
/** The shortest run of key characters a known-prefix match holds (`xoxb-` + 10). */
const RUN_PREFIXED = 15;
const isRunChar = (c: number): boolean => c < 128 && RUN_CHAR[c] === 1;

function judgeRun(text: string, start: number, runEnd: number, out: Span[]): void {
	if (runEnd - start > RUN_MAX) return; // base64 blobs (images, attachments) are data, not keys
	let s = start;
	let e = runEnd;
	while (e < text.length && e - runEnd < 2 && text[e] === '=') e++; // base64 padding
	while (s < e && (text[s] === '/' || text[s] === '+' || text[s] === '-')) s++;
	if (s === start && isWord(text.charCodeAt(s - 1))) return; // glued to a non-ASCII word
	// Context first (cheap, and most long runs in prose have none), then the entropy of the value.
	const ctx = text.slice(Math.max(0, s - 48), s).toLowerCase();
	// `name=value` / `name: value` / `"name": "value"` right before the run.
	const kv = kvName(ctx);
	if (kv !== undefined && DIGEST_NAMES.test(kv)) return;
	const keyWord = CONTEXT.test(ctx);
	if (kv === undefined && !keyWord) return;
	const value = text.slice(s, e);
	if (!looksRandom(value) || (UUID.test(value) && !keyWord)) return;
	while (e > s && text[e - 1] === '.') e--;
	out.push({ type: 'SECRET', start: s, end: e });
}

export const secrets: Detector<'SECRET'> = {
	type: 'SECRET',
	label: 'Secret (Bearer, Intercom and API Tokens)',
	priority: 0,
	scan(text: string, out: Span[]): void {
		scanKeyValues(text, out);
		const long = scanRuns(text, out);
		// Each pattern behind a native literal search (includes): most texts have none of the prefixes.
		for (const { re, group, accept, hint, inRun } of PATTERNS) {
			if ((inRun && !long) || !hint(text)) continue;
			re.lastIndex = 0;
			let m: RegExpExecArray | null;
			while ((m = re.exec(text)) !== null) {
				if (accept && !accept(m)) continue;
				const value = m[group];
				const start = m.index + m[0].length - value.length;
				out.push({ type: 'SECRET', start, end: start + value.length });
			}
		}
	},
};
