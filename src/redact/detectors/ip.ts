// IPV4 / IPV6. Both read a whole run of address characters once and then judge it, so dotted or
// colon soup (`1.1.1.`×n) costs one pass. IPv4: exactly four decimal octets 0–255 without leading
// zeros; a longer dotted run (1.2.3.4.5, version strings) is not an address. IPv6: RFC 4291 text
// forms (eight groups, or `::` compression, optional trailing IPv4); times (10:30:00) and MAC
// addresses (six groups) are rejected by the group count.
import type { Detector, Span } from '../types';
import type { DigitRuns } from './digits';
import * as chars from './chars';
// Bound once: hot per-character helpers called through a module namespace cost a property (or,
// under tsx/esbuild, a getter) lookup per call — 30 % of the scan in the bench.
const { at, before, isAlpha, isDigit, isHex, isWord } = chars;

/** The four octets of text[s, e) (digits and three dots, checked by the caller): each 1–3 digits, no leading zero, ≤ 255; read in place. */
function octetsAt(text: string, s: number, e: number): boolean {
	let value = 0;
	let len = 0;
	let lead = 0;
	for (let k = s; k <= e; k++) {
		const c = k < e ? text.charCodeAt(k) : 46;
		if (c === 46) {
			if (len === 0 || len > 3 || (len > 1 && lead === 48) || value > 255) return false;
			value = 0;
			len = 0;
			continue;
		}
		if (len === 0) lead = c;
		value = value * 10 + (c - 48);
		len++;
	}
	return true;
}

const DOTTED_QUAD = /^[0-9]+(?:\.[0-9]+){3}$/;
const HEX_GROUP = /^[0-9a-fA-F]+$/;
export function isIpv4(s: string): boolean {
	return DOTTED_QUAD.test(s) && octetsAt(s, 0, s.length);
}

/**
 * A dotted quad that is a version, not an address: glued to "v" (`v10.2.0.4`, caught by `glued`),
 * after a version word in the 7 supported languages (`version 1.2.3.4`, `Build: 4.1.0.12`), or
 * followed by a pre-release / build suffix (`4.12.9.31-rc2`, `1.2.3.4+build7`, `1.2.3.4-SNAPSHOT`).
 * Addresses in logs, URLs (`http://10.0.0.1:8080/`) and after "IP:" labels are unaffected.
 */
const VERSION_WORDS = /(?:\bv|\bver|version|versión|versão|versao|versie|build|release|\brel|firmware|\bfw|patch|revision|\brev)\.?\s*(?:n(?:o|r|º|°)\.?\s*)?[:#]?\s*$/i;
function isVersion(text: string, start: number, runEnd: number): boolean {
	const a = at(text, runEnd);
	if ((a === 45 || a === 43) && isAlpha(at(text, runEnd + 1))) return true;
	if (a === 43 && isDigit(at(text, runEnd + 1))) return true;
	return VERSION_WORDS.test(before(text, start, 24));
}

export const ipv4: Detector<'IPV4'> = {
	type: 'IPV4',
	label: 'IPv4 Address',
	priority: 7,
	digits: true,
	scan(text: string, out: Span[], _env, runs: DigitRuns): void {
		const n = text.length;
		let i = 0;
		for (let r = 0; r < runs.count; r++) {
			if (runs.start[r] < i) continue; // inside the dotted run just judged
			i = runs.start[r];
			// An address starts with 1–3 digits and a dot: most runs stop here, unread.
			if (runs.end[r] - i > 3 || text.charCodeAt(runs.end[r]) !== 46) continue;
			let j = i;
			let dots = 0;
			let lastDot = -1;
			for (; j < n; j++) {
				const d = text.charCodeAt(j);
				if (d === 46) {
					dots++;
					lastDot = j;
				} else if (!isDigit(d)) break;
			}
			let end = j;
			if (lastDot === j - 1) {
				end--; // sentence full stop
				dots--;
			}
			if (dots !== 3 || end - i > 15) {
				i = j;
				continue;
			}
			const prev = at(text, i - 1);
			const after = at(text, j);
			const glued = isWord(prev) || prev === 46 || prev === 45 || isWord(after) || (after === 45 && isDigit(at(text, j + 1)));
			if (!glued && j - i <= 16 && octetsAt(text, i, end) && !isVersion(text, i, j)) {
				out.push({ type: 'IPV4', start: i, end });
			}
			i = j;
		}
	},
};

/** Validates an IPv6 text form (no zone id). */
export function isIpv6(s: string): boolean {
	let body = s;
	let maxGroups = 8;
	const lastColon = s.lastIndexOf(':');
	if (s.indexOf('.', lastColon) > 0) {
		if (!isIpv4(s.slice(lastColon + 1))) return false;
		body = s.slice(0, lastColon + 1) + '0';
		maxGroups = 7;
	}
	const dbl = body.indexOf('::');
	if (dbl !== body.lastIndexOf('::')) return false;
	if (body.includes(':::')) return false;
	const groupsOk = (part: string): number => {
		if (part === '') return 0;
		const gs = part.split(':');
		for (const g of gs) if (g.length < 1 || g.length > 4 || !HEX_GROUP.test(g)) return -1;
		return gs.length;
	};
	if (dbl < 0) return groupsOk(body) === maxGroups;
	const left = groupsOk(body.slice(0, dbl));
	const right = groupsOk(body.slice(dbl + 2));
	if (left < 0 || right < 0) return false;
	return left + right <= maxGroups - 1 && left + right >= 1;
}

/**
 * Without `::` an address has 8 groups (7 colons), or 6 before an IPv4 tail: times (10:30:00) and
 * most colon runs fail here, before isIpv6 slices and splits them.
 */
function couldBeIpv6(text: string, s: number, e: number): boolean {
	let colons = 0;
	for (let k = s; k < e; k++) {
		if (text.charCodeAt(k) !== 58) continue;
		if (text.charCodeAt(k + 1) === 58) return true;
		colons++;
	}
	return colons >= 6;
}

export const ipv6: Detector<'IPV6'> = {
	type: 'IPV6',
	label: 'IPv6 Address',
	priority: 6,
	scan(text: string, out: Span[]): void {
		const n = text.length;
		let from = 0;
		for (;;) {
			const colon = text.indexOf(':', from);
			if (colon < 0) return;
			// Expand to the whole run of hex digits, ':' and '.' around this colon.
			let s = colon;
			while (s > 0 && s > colon - 40 && (isHex(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 58)) s--;
			let e = colon;
			let colons = 0;
			while (e < n && (isHex(text.charCodeAt(e)) || text.charCodeAt(e) === 58 || text.charCodeAt(e) === 46)) {
				if (text.charCodeAt(e) === 58) colons++;
				e++;
			}
			from = e + 1;
			while (e > s && text.charCodeAt(e - 1) === 46) e--;
			const prev = at(text, s - 1);
			const after = at(text, e);
			if (colons < 2 || e - s > 45 || isWord(prev) || isWord(after) || isAlpha(after)) continue;
			// A trailing ':' is punctuation ("fe80::1:") only when the rest is a full address.
			let end = e;
			if (text.charCodeAt(end - 1) === 58 && text.charCodeAt(end - 2) !== 58) end--;
			if (couldBeIpv6(text, s, end) && isIpv6(text.slice(s, end))) out.push({ type: 'IPV6', start: s, end });
		}
	},
};
