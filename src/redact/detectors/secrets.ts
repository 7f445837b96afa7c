// SECRET: bearer tokens, Intercom access tokens, well-known key formats, and API-key-looking values
// right after key/token/password words. Every pattern is a literal prefix followed by ONE bounded
// character class with nothing after it that can fail — such a regex cannot backtrack, so a global
// scan is linear in the input.
import type { Detector, Span } from '../types';
import { isAlnum } from './chars';

interface SecretPattern {
	re: RegExp;
	/** Capture group holding the secret value (0 = whole match). */
	group: number;
	/** Cheap literal search that must succeed before the pattern runs. */
	hint: (text: string) => boolean;
	/** Extra check on the match (prose like "the token is expired" is not a secret). */
	accept?: (m: RegExpExecArray) => boolean;
}

const TOKEN = '[A-Za-z0-9\\-._~+/]';
const PATTERNS: SecretPattern[] = [
	// Authorization: Bearer <token>
	{ re: new RegExp(`\\b[Bb]earer[ \\t]{1,4}(${TOKEN}{12,512}=*)`, 'g'), group: 1, hint: (t) => t.includes('earer') },
	// Intercom access tokens are base64 of "tok:…" and start with dG9rO.
	{ re: /\bdG9rO[A-Za-z0-9+/]{20,300}={0,2}/g, group: 0, hint: (t) => t.includes('dG9rO') },
	// Well-known vendor key formats (Stripe, GitHub, Slack, AWS access key id, Google API key).
	{ re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,128}/g, group: 0, hint: (t) => t.includes('k_live_') || t.includes('k_test_') },
	{ re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,80}|\bgithub_pat_[A-Za-z0-9_]{40,120}/g, group: 0, hint: (t) => t.includes('gh') && /gh[pousr]_|github_pat_/.test(t) },
	{ re: /\bxox[abprs]-[A-Za-z0-9-]{10,120}/g, group: 0, hint: (t) => t.includes('xox') },
	{ re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, group: 0, hint: (t) => t.includes('AKIA') || t.includes('ASIA') },
	{ re: /\bAIza[0-9A-Za-z_-]{35}/g, group: 0, hint: (t) => t.includes('AIza') },
];

const KEY_WORD = /^(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|client[_-]?secret|secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|password|passwd|pwd|passcode)$/i;
const VALUE_MAX = 256;

function isKeyChar(c: number): boolean {
	return isAlnum(c) || c === 95 || c === 45;
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
	const n = text.length;
	const take = (keyEnd: number, valueFrom: number, viaIs: boolean): void => {
		let k = keyEnd;
		if (k > 0 && (text.charCodeAt(k - 1) === 34 || text.charCodeAt(k - 1) === 39)) k--;
		let ks = k;
		while (ks > 0 && k - ks < 24 && isKeyChar(text.charCodeAt(ks - 1))) ks--;
		if (ks === k || (ks > 0 && isKeyChar(text.charCodeAt(ks - 1))) || !KEY_WORD.test(text.slice(ks, k))) return;
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
	};
	for (let p = 0; p < n; p++) {
		const c = text.charCodeAt(p);
		if (c !== 58 && c !== 61) {
			// Jump to the next ':' or '=' natively.
			ANCHOR.lastIndex = p;
			const m = ANCHOR.exec(text);
			if (!m) break;
			p = m.index - 1;
			continue;
		}
		let k = p;
		while (k > 0 && p - k < 3 && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 9)) k--;
		take(k, p + 1, false);
	}
	for (let p = text.indexOf(' is '); p >= 0; p = text.indexOf(' is ', p + 4)) take(p, p + 4, true);
}
const ANCHOR = /[:=]/g;

export const secrets: Detector = {
	type: 'SECRET',
	scan(text: string, out: Span[]): void {
		scanKeyValues(text, out);
		for (const { re, group, accept, hint } of PATTERNS) {
			if (!hint(text)) continue;
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
