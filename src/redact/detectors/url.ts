// URL_SECRET: credentials or tokens inside URLs — the `user:password@` part of the authority, and
// values of query/fragment parameters whose names say secret (token, access_token, api_key, sig …).
// Anchored on "://" (indexOf); each URL is read once up to its end and the search resumes after
// it, so a string of `a://a://…` stays linear (redact-pii's url pattern is quadratic there).
import type { Detector, Span } from '../types';
import * as chars from './chars';
// Bound once: hot per-character helpers called through a module namespace cost a property (or,
// under tsx/esbuild, a getter) lookup per call — 30 % of the scan in the bench.
const { isAlnum, isAlpha } = chars;

const SECRET_PARAMS = new Set([
	'token', 'access_token', 'accesstoken', 'refresh_token', 'id_token', 'auth', 'auth_token', 'authorization',
	'api_key', 'apikey', 'api-key', 'key', 'secret', 'client_secret', 'password', 'passwd', 'pwd', 'pass',
	'sig', 'signature', 'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'session', 'sessionid',
	'session_id', 'sid', 'code', 'otp', 'jwt', 'private_token', 'hash',
]);

/** Sentence punctuation after a URL, not part of it. (Hot regexes are module constants: a literal in a function body builds a new RegExp per evaluation.) */
const TRAILING_PUNCTUATION = /[.,;:!?)\]]/;
function isUrlChar(c: number): boolean {
	// Stop at whitespace, quotes, angle brackets and backtick: the ends of a URL in prose or markup.
	return c > 32 && c !== 34 && c !== 39 && c !== 60 && c !== 62 && c !== 96 && c !== 127;
}

export const urlSecret: Detector<'URL_SECRET'> = {
	type: 'URL_SECRET',
	label: 'URL Credentials and Tokens',
	priority: 1,
	scan(text: string, out: Span[]): void {
		const n = text.length;
		let from = 0;
		for (;;) {
			const mark = text.indexOf('://', from);
			if (mark < 0) return;
			let s = mark;
			while (s > 0 && mark - s < 32 && (isAlnum(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 43 || text.charCodeAt(s - 1) === 45 || text.charCodeAt(s - 1) === 46)) s--;
			let e = mark + 3;
			while (e < n && isUrlChar(text.charCodeAt(e))) e++;
			from = e;
			if (s === mark || !isAlpha(text.charCodeAt(s))) continue;
			// Trailing sentence punctuation is not part of the URL.
			while (e > mark + 3 && TRAILING_PUNCTUATION.test(text[e - 1])) e--;
			const hostStart = mark + 3;
			let hostEnd = hostStart;
			while (hostEnd < e && !'/?#'.includes(text[hostEnd])) hostEnd++;
			let atSign = -1;
			for (let k = hostStart; k < hostEnd; k++) if (text.charCodeAt(k) === 64) atSign = k;
			if (atSign > hostStart) out.push({ type: 'URL_SECRET', start: hostStart, end: atSign });
			// Query and fragment parameters: name=value pairs split on & and ;.
			let q = hostEnd;
			while (q < e && text[q] !== '?' && text[q] !== '#') q++;
			let p = q + 1;
			while (p < e) {
				let amp = p;
				while (amp < e && text[amp] !== '&' && text[amp] !== ';' && text[amp] !== '#' && text[amp] !== '?') amp++;
				let eq = p;
				while (eq < amp && text[eq] !== '=') eq++;
				if (eq > p && eq < amp && amp > eq + 1) {
					const name = decodeName(text.slice(p, eq));
					if (SECRET_PARAMS.has(name)) out.push({ type: 'URL_SECRET', start: eq + 1, end: amp });
				}
				p = amp + 1;
			}
		}
	},
};

function decodeName(raw: string): string {
	try {
		return decodeURIComponent(raw).toLowerCase();
	} catch {
		return raw.toLowerCase();
	}
}
