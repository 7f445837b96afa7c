// Known-subject redaction: the identifiers of the person a request is about (name and its parts,
// e-mails, phones, ids, address lines) matched in free text case- and diacritics-insensitively.
// Pattern detectors cannot find a name; knowing whose data it is can. Matching is linear per
// identifier: the text is folded once (same length, so offsets stay valid) and each identifier is
// found with indexOf plus a word-boundary check. Also used in reverse by the access package:
// keep the subject's own identifiers, redact everybody else's.
import type { KnownSubject, Span } from './types';
import { RedactionError } from './types';
import * as chars from './detectors/chars';
import { normaliseCountries, phoneCountries } from './detectors/phone';
// Bound once: hot per-character helpers called through a module namespace cost a property (or,
// under tsx/esbuild, a getter) lookup per call — 30 % of the scan in the bench.
const { at, isDigit, isWord } = chars;

/** Particles that are part of a name but never identify anybody on their own. */
const PARTICLES = new Set(['de', 'da', 'do', 'dos', 'das', 'del', 'della', 'di', 'du', 'des', 'la', 'le', 'van', 'von', 'der', 'den', 'ten', 'ter', 'y', 'e', 'and', 'und', 'et', 'mc', 'bin', 'ibn', 'al', 'el']);

const foldCache = new Map<number, string>();

/** Lower case without diacritics, one UTF-16 unit in, one out (so folded offsets = original offsets). */
function foldUnit(c: number): string {
	if (c < 128) return String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
	let f = foldCache.get(c);
	if (f === undefined) {
		const ch = String.fromCharCode(c);
		const base = ch.normalize('NFD')[0].toLowerCase();
		f = base.length === 1 ? base : ch;
		if (foldCache.size < 4096) foldCache.set(c, f);
	}
	return f;
}

export function fold(s: string): string {
	let ascii = true;
	for (let i = 0; i < s.length; i++) {
		if (s.charCodeAt(i) > 127) {
			ascii = false;
			break;
		}
	}
	if (ascii) return s.toLowerCase();
	let out = '';
	for (let i = 0; i < s.length; i++) out += foldUnit(s.charCodeAt(i));
	return out;
}

interface Term {
	folded: string;
	type: string;
}

export interface CompiledSubject {
	terms: Term[];
	emails: Set<string>;
	/** Phone digits without international/trunk prefix, ≥ 7 digits. */
	phones: string[];
	ids: Set<string>;
	countries: string[];
}

/** National significant digits: strips +, 00 and a trunk 0 (good enough to compare two writings). */
export function phoneKey(raw: string): string {
	let d = raw.replace(/\D/g, '');
	if (d.startsWith('00')) d = d.slice(2);
	else if (d.startsWith('0')) d = d.slice(1);
	return d;
}

function phonesMatch(a: string, b: string): boolean {
	if (a.length < 7 || b.length < 7) return false;
	return a.length >= b.length ? a.endsWith(b) : b.endsWith(a);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const list = (v: unknown, field: string): string[] => {
	if (v === undefined || v === null) return [];
	if (!Array.isArray(v)) throw new RedactionError(`subject.${field} must be a list of strings`, `subject.${field}`);
	return v.map(str).filter((x): x is string => x !== undefined);
};

export function compileSubject(s: KnownSubject | undefined): CompiledSubject | undefined {
	if (s === undefined || s === null) return undefined;
	if (typeof s !== 'object') throw new RedactionError('subject must be an object with name, emails, phones, ids, addressLines', 'subject');
	const terms: Term[] = [];
	const add = (value: string, type: string, min: number): void => {
		const f = fold(value.trim());
		if (f.length >= min && !terms.some((t) => t.folded === f)) terms.push({ folded: f, type });
	};
	const name = str(s.name);
	if (name) {
		add(name, 'SUBJECT_NAME', 2);
		for (const part of name.split(/[\s,]+/)) {
			if (PARTICLES.has(fold(part))) continue;
			add(part, 'SUBJECT_NAME', 2);
			if (part.includes('-')) for (const p of part.split('-')) if (!PARTICLES.has(fold(p))) add(p, 'SUBJECT_NAME', 2);
		}
	}
	const emails = list(s.emails, 'emails');
	for (const e of emails) {
		add(e, 'SUBJECT_EMAIL', 3);
		// The local part alone ("jane.doe") identifies the person in signatures and URLs.
		const local = e.slice(0, e.indexOf('@'));
		if (local.length >= 4 && /[._-]/.test(local)) add(local, 'SUBJECT_EMAIL', 4);
	}
	const ids = list(s.ids, 'ids');
	for (const id of ids) add(id, 'SUBJECT_ID', 3);
	for (const line of list(s.addressLines, 'addressLines')) add(line, 'SUBJECT_ADDRESS', 4);
	// Longest first: "Jane Doe" is reported as one span, not as "Jane" + "Doe".
	terms.sort((a, b) => b.folded.length - a.folded.length);
	const country = str(s.country);
	return {
		terms,
		emails: new Set(emails.map((e) => e.toLowerCase())),
		phones: list(s.phones, 'phones').map(phoneKey).filter((p) => p.length >= 7),
		ids: new Set(ids.map(fold)),
		countries: country ? normaliseCountries([country], 'subject.country') : [],
	};
}

/** Spans of the subject's identifiers in `text` (folded once; each identifier found by indexOf). */
export function findSubjectSpans(text: string, cs: CompiledSubject, out: Span[]): void {
	if (cs.terms.length) {
		const folded = fold(text);
		for (const t of cs.terms) {
			let from = 0;
			for (;;) {
				const i = folded.indexOf(t.folded, from);
				if (i < 0) break;
				const e = i + t.folded.length;
				if (!isWord(at(folded, i - 1)) && !isWord(at(folded, e))) out.push({ type: t.type, start: i, end: e });
				from = i + 1;
			}
		}
	}
	if (cs.phones.length) {
		// Digit runs (with phone separators) compared by their national digits: any writing matches.
		const n = text.length;
		let i = 0;
		while (i < n) {
			const c = text.charCodeAt(i);
			if (!isDigit(c) && !(c === 43 && isDigit(at(text, i + 1)))) {
				i++;
				continue;
			}
			let j = i + 1;
			let last = isDigit(c) ? i + 1 : i;
			while (j < n) {
				const d = text.charCodeAt(j);
				if (isDigit(d)) last = j + 1;
				else if (!(d === 32 || d === 45 || d === 46 || d === 47 || d === 40 || d === 41)) break;
				j++;
			}
			if (!isWord(at(text, i - 1)) && !isWord(at(text, last))) {
				const key = phoneKey(text.slice(i, last));
				if (cs.phones.some((p) => phonesMatch(p, key))) out.push({ type: 'SUBJECT_PHONE', start: i, end: last });
			}
			i = j;
		}
	}
}

/** Keep mode: is this detected value one of the subject's own identifiers? */
export function isSubjectValue(type: string, value: string, cs: CompiledSubject): boolean {
	if (type === 'EMAIL') return cs.emails.has(value.toLowerCase());
	if (type === 'PHONE') {
		const key = phoneKey(value);
		return cs.phones.some((p) => phonesMatch(p, key));
	}
	return cs.ids.has(fold(value));
}

let regionCodes: Map<string, string> | undefined;

/**
 * ISO 3166-1 alpha-2 code for an Intercom `location.country` ("Germany", "Brazil", "United Kingdom")
 * or a code; undefined when unknown. Names come from the runtime's CLDR data (Intl.DisplayNames),
 * in English and the six other supported languages.
 */
export function countryCode(value: unknown): string | undefined {
	const v = str(value);
	if (!v) return undefined;
	if (/^[A-Za-z]{2}$/.test(v)) return phoneCountries().includes(v.toUpperCase()) ? v.toUpperCase() : undefined;
	if (!regionCodes) {
		regionCodes = new Map();
		// Only current countries with a phone numbering plan (no "DD" East Germany for "Germany").
		const codes = phoneCountries();
		for (const lang of ['en', 'de', 'fr', 'es', 'nl', 'pt']) {
			let names: Intl.DisplayNames;
			try {
				names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
			} catch {
				continue;
			}
			for (const code of codes) {
				let name: string | undefined;
				try {
					name = names.of(code);
				} catch {
					name = undefined;
				}
				if (name && !regionCodes.has(fold(name))) regionCodes.set(fold(name), code);
			}
		}
		for (const [alias, code] of [['usa', 'US'], ['united states of america', 'US'], ['uk', 'GB'], ['great britain', 'GB'], ['england', 'GB'], ['scotland', 'GB'], ['wales', 'GB'], ['holland', 'NL']] as const) regionCodes.set(alias, code);
	}
	return regionCodes.get(fold(v));
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
	v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * The known subject of an Intercom item: a contact (`type: "contact"`: name, email, phone,
 * external_id, location), or a conversation (its `source.author` when that is a user or lead, and
 * any embedded contact objects). Undefined for other items.
 */
export function subjectFromItem(item: unknown): KnownSubject | undefined {
	const it = obj(item);
	if (!it) return undefined;
	const fromContact = (c: Record<string, unknown>): KnownSubject => {
		const loc = obj(c.location);
		const country = countryCode(loc?.country_code ?? loc?.country);
		const address = [loc?.city, loc?.region].map(str).filter((x): x is string => !!x);
		return {
			...(str(c.name) ? { name: str(c.name) } : {}),
			emails: [str(c.email)].filter((x): x is string => !!x),
			phones: [str(c.phone), str(c.formatted_phone)].filter((x): x is string => !!x),
			ids: [str(c.external_id), str(c.user_id)].filter((x): x is string => !!x),
			addressLines: address.filter((a) => a.length >= 4),
			...(country ? { country } : {}),
		};
	};
	if (it.type === 'contact') return fromContact(it);
	if (it.type === 'conversation') {
		const merged = { name: undefined as string | undefined, country: undefined as string | undefined, emails: [] as string[], phones: [] as string[], ids: [] as string[], addressLines: [] as string[] };
		const author = obj(obj(it.source)?.author);
		const people: Record<string, unknown>[] = [];
		if (author && (author.type === 'user' || author.type === 'lead' || author.type === 'contact')) people.push(author);
		const embedded = obj(it.contacts)?.contacts;
		if (Array.isArray(embedded)) for (const c of embedded) if (obj(c)) people.push(obj(c)!);
		if (obj(it.contact)) people.push(obj(it.contact)!);
		for (const p of people) {
			const s = fromContact(p);
			merged.name ??= s.name;
			merged.country ??= s.country;
			merged.emails.push(...(s.emails ?? []));
			merged.phones.push(...(s.phones ?? []));
			merged.ids.push(...(s.ids ?? []));
			merged.addressLines.push(...(s.addressLines ?? []));
		}
		if (!people.length) return undefined;
		const { name, country, ...rest } = merged;
		return { ...(name ? { name } : {}), ...(country ? { country } : {}), ...rest };
	}
	return undefined;
}
