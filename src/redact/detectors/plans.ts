// Phone numbering plans: national validity per country and international validity, by
// libphonenumber-js ("max" metadata: validity by number type, not just by length), behind cheap
// gates (trunk prefix, possible lengths, the general pattern) so the library sees few candidates.
import { Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import type { CountryCode, MetadataJson } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import { RedactionError } from '../types';

const METADATA = metadataJson as unknown as MetadataJson;

/** Per country: possible national lengths and trunk prefix, read once from the metadata. */
interface Plan {
	country: CountryCode;
	lengths: Set<number>;
	prefix: string;
	/** The plan's general national-number pattern: a superset of its valid numbers, ~1 µs to test. */
	pattern: RegExp;
	/**
	 * The number types (fixed line, mobile, toll free …) with their patterns and lengths, compiled
	 * once — what the library's isValid() tests, without building a RegExp per test. Empty when the
	 * library's own reading of a national number is needed (see precompiledValid).
	 */
	types: { re: RegExp; lengths: readonly number[] }[];
	/** The international call prefix (00, 011 …): such a number is read as international by the library. */
	idd: RegExp | undefined;
	/** What the library strips from the front of a national number (the trunk prefix, …). */
	forParsing: RegExp | undefined;
	/** No other country shares the calling code (the library cannot assign a number elsewhere). */
	unique: boolean;
	/**
	 * The number-type patterns of the other countries that share the calling code (Jersey, Guernsey
	 * and the Isle of Man for GB; Canada and the Caribbean for US): the library may assign a national
	 * number to any of them, so a number none of them matches is invalid without asking it.
	 */
	others: RegExp[];
	/** A carrier code in the national prefix rewrites the number (Brazil): then the library reads it. */
	transform: boolean;
}
interface NumberingPlan {
	possibleLengths(): number[];
	nationalPrefix?(): string | undefined;
	nationalNumberPattern(): string;
	nationalPrefixForParsing(): string | undefined;
	nationalPrefixTransformRule(): string | undefined;
	IDDPrefix(): string | undefined;
	callingCode(): string;
	leadingDigits(): string | undefined;
	type(t: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}
const TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

/** The countries that share this plan's calling code, the main one first. */
function sharing(np: NumberingPlan): string[] {
	return (metadata as unknown as { getCountryCodesForCallingCode(cc: string): string[] | undefined }).getCountryCodesForCallingCode(np.callingCode()) ?? [];
}

function compileTypes(np: NumberingPlan): Plan['types'] {
	const out: Plan['types'] = [];
	for (const name of TYPES) {
		const t = np.type(name);
		if (!t || !t.pattern()) continue;
		out.push({ re: new RegExp(`^(?:${t.pattern()})$`), lengths: t.possibleLengths() ?? np.possibleLengths() });
	}
	return out;
}

const plans = new Map<string, Plan | null>();
let metadata: Metadata | undefined;

function planOf(country: string): Plan | null {
	let p = plans.get(country);
	if (p !== undefined) return p;
	metadata ??= new Metadata(METADATA);
	p = null;
	if (Object.prototype.hasOwnProperty.call(METADATA.countries, country)) {
		metadata.selectNumberingPlan(country as CountryCode);
		const np = metadata.numberingPlan as unknown as NumberingPlan;
		const prefix = np.nationalPrefix?.() ?? '';
		p = {
			country: country as CountryCode,
			lengths: new Set(np.possibleLengths()),
			prefix,
			pattern: new RegExp(`^(?:${np.nationalNumberPattern()})$`),
			// The library assigns a number to the main country of a calling code by its types.
			types: !np.leadingDigits() && sharing(np)[0] === country ? compileTypes(np) : [],
			unique: sharing(np).length === 1,
			others: [],
			transform: Boolean(np.nationalPrefixTransformRule()),
			idd: np.IDDPrefix() ? new RegExp(`^(?:${np.IDDPrefix()})`) : undefined,
			forParsing: np.nationalPrefixForParsing() ? new RegExp(`^(?:${np.nationalPrefixForParsing()})`) : undefined,
		};
	}
	if (p && !p.unique && p.types.length > 0) {
		for (const other of sharing(metadata.numberingPlan as unknown as NumberingPlan)) {
			if (other === country) continue;
			metadata.selectNumberingPlan(other as CountryCode);
			for (const t of compileTypes(metadata.numberingPlan as unknown as NumberingPlan)) p.others.push(t.re);
		}
	}
	plans.set(country, p);
	return p;
}

/** ISO 3166-1 alpha-2 codes that have a numbering plan in the metadata. */
export function phoneCountries(): string[] {
	return Object.keys(METADATA.countries).filter((c) => /^[A-Z]{2}$/.test(c) && c !== '001');
}

/** Upper-cased, de-duplicated ISO 3166-1 alpha-2 codes; an unknown code is a clear error, never ignored. */
export function normaliseCountries(list: readonly string[] | undefined, field: string): string[] {
	const out: string[] = [];
	for (const raw of list ?? []) {
		const c = String(raw).trim().toUpperCase();
		if (c === '') continue;
		if (!/^[A-Z]{2}$/.test(c) || !planOf(c)) {
			throw new RedactionError(`${field}: "${String(raw).slice(0, 8)}" is not an ISO 3166-1 alpha-2 country code with a phone numbering plan (e.g. DE, FR, GB)`, field);
		}
		if (!out.includes(c)) out.push(c);
	}
	return out;
}

const TRUNK_OPTIONAL = new Set(['BR', 'AR', 'CO', 'MX', 'PE', 'CL']);

/** Is `digits` (national form, trunk prefix included if written) a valid number of `country`? */
export function validNational(digits: string, country: string): boolean {
	const plan = planOf(country);
	if (!plan) return false;
	const hasTrunk = plan.prefix !== '' && digits.startsWith(plan.prefix);
	// Written nationally, a number of a trunk-prefix country starts with it (030 …, 06 …); without it
	// a digit run is a postcode or an order number. Brazil is the exception: (11) 91234-5678.
	if (plan.prefix === '0' && !hasTrunk && !TRUNK_OPTIONAL.has(plan.country)) return false;
	const nsn = hasTrunk ? digits.length - plan.prefix.length : digits.length;
	// Cheap length gate before the library (most candidates stop here).
	if (!plan.lengths.has(nsn) && !plan.lengths.has(digits.length)) return false;
	// The country's general pattern before the full parse: most wrong-country candidates stop here.
	if (!plan.pattern.test(hasTrunk ? digits.slice(plan.prefix.length) : digits) && !plan.pattern.test(digits)) return false;
	const verdict = precompiledVerdict(digits, plan);
	if (verdict !== undefined) return verdict;
	const parsed = parsePhoneNumberFromString(digits, { defaultCountry: plan.country, extract: false }, METADATA);
	return parsed !== undefined && parsed.isValid();
}

/**
 * The library's validity test on precompiled patterns, where its reading of a national number is
 * plain: no international call prefix, what matches the national prefix for parsing is cut off (a
 * carrier code that rewrites the number leaves it to the library), the country is the main one of
 * its calling code, and the rest matches the general pattern. Yes when a number type matches. No
 * only when the calling code is the country's alone and the length is possible (the library then
 * reads the same digits and can assign them nowhere else). Otherwise undefined: ask the library.
 */
export function precompiledVerdict(digits: string, country: string): boolean | undefined;
export function precompiledVerdict(digits: string, plan: Plan): boolean | undefined;
export function precompiledVerdict(digits: string, which: Plan | string): boolean | undefined {
	const plan = typeof which === 'string' ? planOf(which) : which;
	if (!plan || plan.types.length === 0 || (plan.idd && plan.idd.test(digits))) return undefined;
	const cut = plan.forParsing?.exec(digits);
	if (cut && plan.transform && cut.length > 1 && cut[cut.length - 1]) return undefined;
	const nsn = cut ? digits.slice(cut[0].length) : digits;
	if (!plan.pattern.test(nsn)) return undefined;
	for (const t of plan.types) if (t.lengths.includes(nsn.length) && t.re.test(nsn)) return true;
	if (!plan.lengths.has(nsn.length)) return undefined;
	if (plan.unique) return false;
	// Shared calling code: invalid only if no type of any sharing country matches at all (lengths aside).
	for (const t of plan.types) if (t.re.test(nsn)) return undefined;
	for (const re of plan.others) if (re.test(nsn)) return undefined;
	return false;
}

/** Is `digits` (country code first, no + or 00) a valid international number? */
export function validInternational(digits: string): boolean {
	if (digits.length < 8 || digits.length > 15 || digits[0] === '0') return false;
	const parsed = parsePhoneNumberFromString(`+${digits}`, METADATA);
	return parsed !== undefined && parsed.isValid();
}

