// SECRET: bearer tokens, Intercom access tokens, well-known key formats, and API-key-looking values
// right after key/token/password words (in en, de, fr, es, nl, pt), and generic high-entropy strings
// (hex/base64/base62 runs of ≥ 32 characters) near such a word or in `name=value` form. Native
// `indexOf` searches find the anchors (':', '=', "is ", "Bearer", "xox") and a skip search the long
// runs of key characters; each known-format pattern (a literal prefix, then ONE bounded character
// class) is tried, sticky, only where a match can start, so the scan is linear and never searches
// the text once per pattern.
import type { Detector, Span } from '../types';
import * as chars from './chars';
// Bound once: hot per-character helpers called through a module namespace cost a property (or,
// under tsx/esbuild, a getter) lookup per call — 30 % of the scan in the bench.
const { isAlnum, isDigit, isJsSpace, isWord } = chars;

/**
 * A known key format: a literal prefix at a word start, then ONE bounded character class. Sticky
 * (`y`): it is tried only at the few places a match can start (see prefixesIn), never searched for.
 */
interface PrefixPattern {
	re: RegExp;
	/** The first characters a match can start with (none: not tried in runs, see SLACK_PATTERN). */
	first: string;
}

const TOKEN = '[A-Za-z0-9\\-._~+/]';
/** Slack (`xoxb-` + 10) is the one shorter than RUN_PREFIXED: found by its literal (scanAnchors), not in runs. */
const SLACK_PATTERN: PrefixPattern = { re: /xox[abprs]-[A-Za-z0-9-]{10,120}/y, first: '' };
/** Authorization: Bearer <token> — tried at each "Bearer" / "bearer". */
const BEARER = new RegExp(`[Bb]earer[ \\t]{1,4}(${TOKEN}{12,512}=*)`, 'y');
/**
 * Every match of these lies inside one run of ≥ 20 key characters (base64 padding `=` aside; Slack's
 * ≥ 15 is found by its literal instead), so they are tried only in such runs, at a run start or after
 * a `-`, `+` or `/` inside it (the only word starts, `\b`, a run has).
 */
const PREFIXED: PrefixPattern[] = [
	// Intercom access tokens are base64 of "tok:…" and start with dG9rO.
	{ re: /dG9rO[A-Za-z0-9+/]{20,300}={0,2}/y, first: 'd' },
	// Well-known vendor key formats (Stripe, GitHub, Slack, AWS access key id, Google API key).
	{ re: /(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,128}/y, first: 'srp' },
	{ re: /(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,80}|github_pat_[A-Za-z0-9_]{40,120}/y, first: 'g' },
	SLACK_PATTERN,
	{ re: /(?:AKIA|ASIA)[0-9A-Z]{16}\b/y, first: 'A' },
	{ re: /AIza[0-9A-Za-z_-]{35}/y, first: 'A' },
];
/** Pattern indexes by the code of a match's first character. */
const BY_FIRST: number[][] = Array.from({ length: 128 }, () => []);
PREFIXED.forEach((p, k) => {
	for (const c of p.first) BY_FIRST[c.charCodeAt(0)].push(k);
});
/** Where the last match of each pattern ended in the string being scanned: like a global regex, a pattern's matches never overlap. */
const lastEnd = new Int32Array(PREFIXED.length);
/** lastEnd holds a match of the previous string: clear it before the next (most strings have none). */
let lastEndDirty = false;

const KEY_WORD =
	/^(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|client[_-]?secret|secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|password|passwd|pwd|passcode|passwort|kennwort|schlüssel|mot[_-]?de[_-]?passe|mdp|jeton|contraseña|contrasena|clave|wachtwoord|sleutel|senha|chave)$/i;
const VALUE_MAX = 256;
const LETTERS_ONLY = /^[A-Za-z]+$/;
/** The last letters of the key words (KEY_WORD), lower-cased: a lookup per anchor before anything is read backwards. */
const KEY_LAST = new Uint8Array(128);
for (const c of 'yntdelpa') KEY_LAST[c.charCodeAt(0)] = 1;

function isKeyChar(c: number): boolean {
	return isWord(c) || c === 45;
}

function isValueChar(c: number): boolean {
	// [A-Za-z0-9\-._~+/=!@#$%^&*]
	return isAlnum(c) || (c >= 33 && c <= 47 && c !== 34 && c !== 39 && c !== 40 && c !== 41 && c !== 44) || c === 61 || c === 64 || c === 94 || c === 95 || c === 126;
}

/**
 * `api_key: value`, `token=value` at the ':' / '=' at `p` (spaces before it allowed): the key word is
 * read backwards (≤ 24 chars) and the value forwards (≤ 256), bounded work per anchor.
 */
function keyValueAt(text: string, p: number, out: Span[]): void {
	let k = p;
	while (k > 0 && p - k < 3 && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 9)) k--;
	takeKeyValue(text, k, p + 1, false, out);
}

/** The key word ending at `keyEnd` (read backwards, ≤ 24) and its value from `valueFrom` (≤ 256). */
function takeKeyValue(text: string, keyEnd: number, valueFrom: number, viaIs: boolean, out: Span[]): void {
	const n = text.length;
	let k = keyEnd;
	if (k > 0 && (text.charCodeAt(k - 1) === 34 || text.charCodeAt(k - 1) === 39)) k--;
	// Every key word ends in one of these letters: most anchors (times, URLs, "Tel:") stop here, unread.
	const last = k > 0 ? text.charCodeAt(k - 1) | 32 : 0;
	if (last >= 128 || KEY_LAST[last] !== 1) return;
	let ks = k;
	while (ks > 0 && k - ks < 24 && isKeyChar(text.charCodeAt(ks - 1))) ks--;
	if (k - ks < 3) return;
	if ((ks > 0 && isKeyChar(text.charCodeAt(ks - 1))) || !KEY_WORD.test(text.slice(ks, k))) return;
	let v = valueFrom;
	while (v < n && v - valueFrom < 3 && (text.charCodeAt(v) === 32 || text.charCodeAt(v) === 9)) v++;
	if (v < n && (text.charCodeAt(v) === 34 || text.charCodeAt(v) === 39)) v++;
	let e = v;
	while (e < n && e - v < VALUE_MAX && isValueChar(text.charCodeAt(e))) e++;
	if (e - v < 6) return;
	const value = text.slice(v, e);
	// Prose ("the token is expired", "password: reset") is not a secret.
	if (LETTERS_ONLY.test(value) && (value.length < 16 || viaIs)) return;
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
	/(?:key|token|secret|passw|pwd|credential|bearer|auth|signing|private|api|schlüssel|schluessel|kennwort|geheim|zugang|clé|cle\b|mot de passe|jeton|identifiant|clave|contraseña|contrasena|llave|sleutel|wachtwoord|chave|senha|segredo|credencia)/i;
/** Names in `name=value` whose value is a digest or an id, not a secret. */
const DIGEST_NAMES = /(?:hash|sha\d*|md5|checksum|digest|commit|etag|integrity|uuid|guid|^id|_id|-id)$/i;
const isNameChar = (c: number): boolean => isAlnum(c) || c === 95 || c === 46 || c === 45;
const isQuote = (c: number): boolean => c === 34 || c === 39;

/**
 * The name of a `name=value` / `name: value` / `"name": "value"` pair that ends `ctx`, read
 * backwards — what /([a-z_][\w.-]{0,40})["']?\s{0,2}[:=]\s{0,2}["']?$/i captures, without a
 * regex that retries every start position. undefined when `ctx` does not end that way.
 */
function kvName(ctx: string): string | undefined {
	let e = ctx.length;
	if (e > 0 && isQuote(ctx.charCodeAt(e - 1))) e--;
	for (let k = 0; k < 2 && e > 0 && isJsSpace(ctx.charCodeAt(e - 1)); k++) e--;
	if (e === 0 || (ctx.charCodeAt(e - 1) !== 58 && ctx.charCodeAt(e - 1) !== 61)) return undefined;
	e--;
	for (let k = 0; k < 2 && e > 0 && isJsSpace(ctx.charCodeAt(e - 1)); k++) e--;
	if (e > 0 && isQuote(ctx.charCodeAt(e - 1))) e--;
	let s = e;
	while (s > 0 && isNameChar(ctx.charCodeAt(s - 1))) s--;
	// The leftmost start within 41 characters whose first character is [a-z_].
	for (let p = Math.max(s, e - 41); p < e; p++) {
		const c = ctx.charCodeAt(p);
		if (((c | 32) >= 97 && (c | 32) <= 122) || c === 95) return ctx.slice(p, e);
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
	let n = value.length;
	while (n > 0 && value.charCodeAt(n - 1) === 61) n--; // base64 padding
	const v = n === value.length ? value : value.slice(0, n);
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

/** The shortest run of key characters a known-prefix match holds (AKIA + 16), Slack's aside. */
const RUN_PREFIXED = 20;
/** Slack tokens: the pattern tried at each "xox" that starts a word. */
const SLACK = PREFIXED.indexOf(SLACK_PATTERN);

/** The known-prefix patterns at each word start of the run [s, e) of key characters. */
function prefixesIn(text: string, s: number, e: number, out: Span[]): void {
	for (let p = s; p < e; p++) {
		// A word starts at the run's start or after a '+', '-' or '/' inside it.
		if (p > s) {
			const b = text.charCodeAt(p - 1);
			if (b !== 43 && b !== 45 && b !== 47) continue;
		}
		const ks = BY_FIRST[text.charCodeAt(p)];
		for (let x = 0; x < ks.length; x++) tryPrefixed(text, ks[x], p, out);
	}
}

/** Pattern k, sticky at p, unless its previous match in this string covers p. */
function tryPrefixed(text: string, k: number, p: number, out: Span[]): void {
	if (p < lastEnd[k]) return;
	const re = PREFIXED[k].re;
	re.lastIndex = p;
	if (!re.test(text)) return;
	out.push({ type: 'SECRET', start: p, end: re.lastIndex });
	lastEnd[k] = re.lastIndex;
	lastEndDirty = true;
}

/**
 * "Bearer"/"bearer" at `p` (a word start), then spaces or tabs and the token: the token. (Unlike a
 * global regex this also takes a token after a "bearer" inside the previous token: more, not less.)
 */
function bearerAt(text: string, p: number, out: Span[]): void {
	if (p > 0 && isAsciiWord(text.charCodeAt(p - 1))) return;
	BEARER.lastIndex = p;
	const m = BEARER.exec(text);
	if (m === null) return;
	out.push({ type: 'SECRET', start: BEARER.lastIndex - m[1].length, end: BEARER.lastIndex });
}
/** A word character for the regex `\b` (ASCII letters, digits, `_`). */
const isAsciiWord = (c: number): boolean => isAlnum(c) || c === 95;

function judgeRun(text: string, start: number, runEnd: number, out: Span[]): void {
	if (runEnd - start > RUN_MAX) return; // base64 blobs (images, attachments) are data, not keys
	let s = start;
	let e = runEnd;
	while (e < text.length && e - runEnd < 2 && text[e] === '=') e++; // base64 padding
	while (s < e && (text[s] === '/' || text[s] === '+' || text[s] === '-')) s++;
	if (s === start && isWord(text.charCodeAt(s - 1))) return; // glued to a non-ASCII word
	// Context first (cheap, and most long runs in prose have none), then the entropy of the value.
	// The window is matched case-insensitively (/i) rather than lower-cased: no copy per long run.
	const ctx = text.slice(Math.max(0, s - 48), s);
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

/**
 * Runs of ≥ 20 key characters, found like a Boyer-Moore search for "20 key characters": the last
 * character of the window [i, i + 20) is read first, then backwards; at the first character that is
 * not a key character the window moves past it, so in prose a probe costs the few letters back to a
 * word's start and moves the window 15–20 characters. Characters already known to be key
 * characters (`known`) are not read again: each is read at most once. A window read through to `i`
 * is a run, measured forward to its end; it holds the known prefixes (≥ 20), a generic secret (≥ 32),
 * both judged as the run is found.
 */
function scanRuns(text: string, out: Span[]): void {
	const n = text.length;
	const m = RUN_PREFIXED;
	let i = 0; // a run can start here: text[i - 1] is not a key character (or i = 0)
	let known = 0; // text[i, known) are key characters already read
	while (i + m <= n) {
		const last = i + m - 1;
		let p = last;
		while (p >= known && isRunChar(text.charCodeAt(p))) p--;
		if (p >= known) {
			// text[p] is not a key character and text(p, last] are.
			i = p + 1;
			known = last + 1;
			continue;
		}
		let e = i + m;
		while (e < n && isRunChar(text.charCodeAt(e))) e++;
		prefixesIn(text, i, e, out);
		if (e - i >= RUN_MIN) judgeRun(text, i, e, out);
		i = known = e + 1; // text[e] is not a key character (or e = n)
	}
}
const isRunChar = (c: number): boolean => c < 128 && RUN_CHAR[c] === 1;

/**
 * Every anchor of this detector, found in ONE native regex search: ':' and '=' (`api_key: value`,
 * `token=value`), "is " (`password is value`), "Bearer"/"bearer" and Slack's "xox". The anchor is
 * told by the last character matched. One search costs less than six indexOf passes, each of which
 * pays a call per string and stops at every 'i' or 'b'.
 */
const ANCHOR = /[:=]|is |[Bb]earer|xox/g;

function scanAnchors(text: string, out: Span[]): void {
	ANCHOR.lastIndex = 0;
	while (ANCHOR.test(text)) {
		const e = ANCHOR.lastIndex;
		const c = text.charCodeAt(e - 1);
		if (c === 58 || c === 61) keyValueAt(text, e - 1, out);
		else if (c === 32) {
			// "is " after a space: the key word ends before that space.
			const p = e - 3;
			if (p > 0 && text.charCodeAt(p - 1) === 32) takeKeyValue(text, p - 1, e, true, out);
		} else if (c === 114) bearerAt(text, e - 6, out);
		else if (e === 3 || !isAsciiWord(text.charCodeAt(e - 4))) tryPrefixed(text, SLACK, e - 3, out);
	}
}

export const secrets: Detector<'SECRET'> = {
	type: 'SECRET',
	label: 'Secret (Bearer, Intercom and API Tokens)',
	priority: 0,
	scan(text: string, out: Span[]): void {
		if (lastEndDirty) {
			lastEnd.fill(0);
			lastEndDirty = false;
		}
		scanAnchors(text, out);
		scanRuns(text, out);
	},
};
