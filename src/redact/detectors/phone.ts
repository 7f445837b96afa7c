// PHONE: international forms by digit count, national forms by the numbering plans of the chosen
// countries (libphonenumber-js, "max" metadata: validity by number type, not just by length).
// One left-to-right pass: a candidate is a run of digits and phone separators (space - . / ( ))
// that starts at a word boundary; after judging it the scan jumps past the run, so each character
// is looked at a bounded number of times (linear on `1.1.1.`×n or digit runs). Only runs that pass
// the cheap checks (digit count, grouping, no date/IP/IBAN/order-number context, the country's
// possible lengths) reach the library — it never sees the whole text.
// Accepted:
//   +CC …   / 00CC …  8–15 digits after the prefix (E.164 allows at most 15), country code not 0
//   national          valid in one of the countries (defaultCountries + the item's contact country):
//                     `030 1234567`, `06.31.58.20.14`, `612 345 078`, `(11) 91234-5678` …; a bare run
//                     (no separators) needs the trunk 0 or a phone word before it
//   generic           10 digits, or 11 starting with 0 or 1, in phone-like groups (works without countries)
// Rejected: dates (4-2-2 / 2-2-4), dotted quads (IPs, versions), IBAN groups, numbers after
// order/invoice/tracking words (in en, de, fr, es, nl, pt) or `#`, runs glued to letters.
import type { Detector, DetectorEnv, Span } from '../types';
import type { DigitRuns } from './digits';
import * as chars from './chars';
import { validNational } from './plans';

export { normaliseCountries, phoneCountries, validInternational, validNational } from './plans';
// Bound once: hot per-character helpers called through a module namespace cost a property (or,
// under tsx/esbuild, a getter) lookup per call — 30 % of the scan in the bench.
const { at, before, isAlnum, isAlpha, isDigit, isWord } = chars;


const PHONE_WORDS =
	/(?:phone|tel|call|mobile|cell|whatsapp|sms|fax|ring|text me|reach me|contact|handy|mobil|anruf|ruf|rückruf|portable|appel|joindre|teléfono|telefono|móvil|movil|llám|llamar|telefoon|mobiel|bel me|telefone|celular|ligar|contato|zap)[^0-9]{0,12}$/i;
const ORDER_WORDS =
	'order|invoice|ticket|ref|reference|id|account|acct|case|tracking|track|parcel|shipment|po|sku|serial|' +
	'bestellung|bestellnummer|bestell-nr|rechnung|rechnungsnummer|kundennummer|kunden-nr|auftrag|auftragsnummer|sendung|sendungsnummer|paket|vorgang|' +
	'commande|facture|suivi|colis|dossier|' +
	'pedido|factura|albarán|seguimiento|envío|envio|expediente|' +
	'bestelling|bestelnummer|factuur|klantnummer|zending|pakket|' +
	'encomenda|fatura|nota fiscal|rastreio|rastreamento|protocolo|objeto';
/** An order/invoice/tracking word (optionally "number", "no.", "nº" …) or `#` right before the digits. */
const NOT_PHONE_WORDS = new RegExp(
	`(?:\\b(?:${ORDER_WORDS})\\b(?:\\s*(?:number|num|no|nr|nummer|numéro|numero|número|n[º°o])\\.?)?|#|\\bn[º°]|\\bno\\.|\\bnr\\.?)[^a-z0-9]{0,4}$`,
	'i',
);
/** The groups of an IBAN in print format (`DE89 3704 0044 …`): what follows is not a phone number. */
export const IBAN_HEAD = /\b[a-z]{2}\d{2}(?:[ -][a-z0-9]{4})*[ -]$/i;

/**
 * Does text[0, i) end like IBAN_HEAD? Its match always ends in four letters or digits and a space or
 * hyphen, so most positions are answered by five character reads; the regex (case-insensitive,
 * over the window) runs only where it could match (a non-ASCII character there: it decides, as before).
 */
export function followsIbanHead(text: string, i: number): boolean {
	const sep = at(text, i - 1);
	if ((sep !== 32 && sep !== 45) || i < 5) return false;
	for (let k = i - 5; k < i - 1; k++) {
		const c = text.charCodeAt(k);
		if (!(isAlnum(c) || c >= 128)) return false;
	}
	return IBAN_HEAD.test(before(text, i, 40));
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

function isSep(c: number): boolean {
	return c === 32 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41;
}

function startsCandidate(text: string, i: number): boolean {
	const c = text.charCodeAt(i);
	const next = at(text, i + 1);
	if (c === 43 /* + */ || c === 40 /* ( */) {
		if (!isDigit(next)) return false;
	} else if (!isDigit(c)) return false;
	const prev = at(text, i - 1);
	// Glued to a word, a decimal point, a code like ORD-, a hash, currency or another sign: not a phone.
	return !(isWord(prev) || prev === 46 || prev === 45 || prev === 47 || prev === 35 || prev === 43 || prev === 36 ||
		prev === 8364 || prev === 163 || prev === 37 || prev === 41 || prev === 44);
}

interface Shape {
	digits: string;
	groups: number[];
	dotsOnly: boolean;
}

/** The one Shape isPhone reads: refilled per candidate (isPhone is never re-entered), nothing allocated but the digits. */
const SHAPE: Shape = { digits: '', groups: [], dotsOnly: false };

/**
 * The candidate from text[s] (its first digit, or the '+' / '(' before it) over the digit runs
 * first..last: groups and digits from the run list, and only the separators between runs read.
 */
function shapeOf(text: string, s: number, runs: DigitRuns, first: number, last: number): Shape {
	const { start, end } = runs;
	// Digits gathered a group at a time (one slice per group, not one string per digit).
	let digits = '';
	const groups = SHAPE.groups;
	groups.length = 0;
	let dots = 0;
	let others = text.charCodeAt(s) === 40 ? 1 : 0; // a leading '(' counts, a leading '+' does not
	for (let x = first; x <= last; x++) {
		digits += text.slice(start[x], end[x]);
		groups.push(end[x] - start[x]);
		if (x === last) break;
		for (let p = end[x]; p < start[x + 1]; p++) {
			if (text.charCodeAt(p) === 46) dots++;
			else others++;
		}
	}
	SHAPE.digits = digits;
	SHAPE.dotsOnly = dots > 0 && others === 0;
	return SHAPE;
}

function looksLikeDate(sh: Shape): boolean {
	const [a, b, c] = sh.groups;
	// 2026-12-03, 03.12.2026, 03/12/26 — exactly three groups (06 31 58 20 14 is a French number, not a date).
	if (sh.groups.length < 3) return false;
	if ((a === 4 && b <= 2 && c <= 2) || (a <= 2 && b <= 2 && c === 4)) return true; // a time may follow
	return sh.groups.length === 3 && a <= 2 && b <= 2 && c === 2;
}

const isDottedQuad = (sh: Shape): boolean => sh.dotsOnly && sh.groups.length === 4 && sh.groups.every((g) => g <= 3);

function genericNational(sh: Shape, bareWithWord: boolean): boolean {
	const n = sh.digits.length;
	if (n < 10 || n > 11) return false;
	if (n === 11 && sh.digits[0] !== '0' && sh.digits[0] !== '1') return false;
	if (sh.groups.length === 1) return bareWithWord;
	// Phone-like grouping: a leading 1 or 0 trunk digit may stand alone, the rest are 2–5 digit groups.
	for (let k = 0; k < sh.groups.length; k++) {
		const g = sh.groups[k];
		if (k === 0 && g === 1 && (sh.digits[0] === '1' || sh.digits[0] === '0')) continue;
		if (g < 2 || g > 5) return false;
	}
	return true;
}

/** Cheap shape checks first (no allocation); context words only for runs that could be a phone. */
function isPhone(text: string, s: number, runs: DigitRuns, first: number, last: number, countries: readonly string[]): boolean {
	const sh = shapeOf(text, s, runs, first, last);
	const n = sh.digits.length;
	const plus = text.charCodeAt(s) === 43;
	const intl = plus || (sh.digits.startsWith('00') && sh.groups[0] <= 4 && n >= 10);
	if (intl) {
		const national = plus ? sh.digits : sh.digits.slice(2);
		if (national.length < 8 || national.length > 15 || national.charCodeAt(0) === 48) return false;
		if (isDottedQuad(sh) || (!plus && sh.groups.length <= 1)) return false;
	} else {
		if (n < 7 || n > 12) return false;
		if (looksLikeDate(sh) || isDottedQuad(sh)) return false;
		// ZIP+4 (12345-6789) and Brazilian CEP (01310-100) are postcodes.
		if (sh.groups.length === 2 && sh.groups[0] === 5 && (sh.groups[1] === 4 || sh.groups[1] === 3) && text.charCodeAt(s + 5) === 45) return false;
	}
	if (followsIbanHead(text, s)) return false;
	if (!plus && NOT_PHONE_WORDS.test(before(text, s, 24))) return false;
	if (intl) return true;
	const bare = sh.groups.length === 1;
	const word = bare && PHONE_WORDS.test(before(text, s, 30));
	if (genericNational(sh, word)) return true;
	if (countries.length === 0) return false;
	if (bare && !word && sh.digits[0] !== '0') return false;
	if (!bare) for (const g of sh.groups) if (g > 8) return false;
	for (const c of countries) if (validNational(sh.digits, c)) return true;
	return false;
}

export const phone: Detector<'PHONE'> = {
	type: 'PHONE',
	label: 'Phone Number',
	priority: 8,
	digits: true,
	scan(text: string, out: Span[], env: DetectorEnv, runs: DigitRuns): void {
		const n = text.length;
		const { count, start, end } = runs;
		let i = 0;
		for (let r = 0; r < count; r++) {
			const rs = start[r];
			if (rs < i) continue; // inside the run just judged
			// Most runs are short and end the number there (`12 items`, `14:30`, `v2`): a phone has ≥ 7
			// digits, so a run of < 7 that no separator + digit (or a second separator) continues is
			// skipped before any other read.
			const re = end[r];
			if (re - rs < 7) {
				const a = at(text, re);
				if (!isSep(a)) continue;
				const b = at(text, re + 1);
				if (!isDigit(b) && !isSep(b)) continue;
			}
			// A candidate starts at a run of digits, or at the '+' / '(' right before one.
			const lead = at(text, rs - 1);
			if (rs - 1 >= i && (lead === 43 || lead === 40) && startsCandidate(text, rs - 1)) i = rs - 1;
			else if (startsCandidate(text, rs)) i = rs;
			else continue;
			const c = text.charCodeAt(i);
			// Consume the candidate: digit runs (from the run list, not re-read) and the separators
			// between them, at most 3 in a row. A digit after separators starts the next free run.
			let k = r;
			let j = rs;
			let digits = 0;
			let lastDigitEnd = -1;
			for (;;) {
				digits += end[k] - j;
				j = lastDigitEnd = end[k];
				let sepRun = 0;
				let stop = false;
				while (j < n) {
					const d = text.charCodeAt(j);
					if (!isSep(d)) break;
					// ". " / "-\n" ends a sentence: the digits after it are not the same number.
					if ((d === 46 && isSpace(at(text, j + 1))) || ++sepRun > 3) {
						stop = true;
						break;
					}
					j++;
				}
				if (stop || k + 1 >= count || start[k + 1] !== j) break;
				k++;
			}
			const e = lastDigitEnd;
			const after = at(text, e);
			const glued = isAlpha(after) ? !(after === 120 && isDigit(at(text, e + 1))) : isWord(after);
			// Digit soup longer than any phone is never one; a run glued to letters is a code.
			if (digits >= 7 && digits <= 17 && !glued && isPhone(text, i, runs, r, k, env.countries)) {
				// "(0113 496 0659)": the bracket around the number is not part of it; "(11) 91234-5678" keeps its.
				out.push({ type: 'PHONE', start: c === 40 && text.lastIndexOf(')', e) < i ? i + 1 : i, end: e });
			}
			i = Math.max(j, i + 1);
		}
	},
};
