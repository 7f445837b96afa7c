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

/** Does the library read a national number of this plan plainly (see precompiledValid)? */
function ownReading(np: NumberingPlan, country: string): boolean {
	if (np.nationalPrefixTransformRule() || np.leadingDigits()) return false;
	const sharing = (metadata as unknown as { getCountryCodesForCallingCode(cc: string): string[] | undefined }).getCountryCodesForCallingCode(np.callingCode());
	return sharing?.[0] === country;
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
			types: ownReading(np, country) ? compileTypes(np) : [],
			idd: np.IDDPrefix() ? new RegExp(`^(?:${np.IDDPrefix()})`) : undefined,
			forParsing: np.nationalPrefixForParsing() ? new RegExp(`^(?:${np.nationalPrefixForParsing()})`) : undefined,
		};
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
	if (precompiledValid(digits, plan)) return true;
	const parsed = parsePhoneNumberFromString(digits, { defaultCountry: plan.country, extract: false }, METADATA);
	return parsed !== undefined && parsed.isValid();
}

/**
 * The library's validity test on precompiled patterns, for plans where its reading of a national
 * number is plain: what matches the national prefix for parsing is cut off (no transform rule) and
 * the country is the first of its calling code (so the library assigns the number to it). Only a
 * yes is trusted; a no goes to the library, which also handles what this does not (a cut that
 * leaves no valid pattern, numbers written with the international call prefix).
 */
function precompiledValid(digits: string, plan: Plan): boolean {
	if (plan.types.length === 0 || (plan.idd && plan.idd.test(digits))) return false;
	const cut = plan.forParsing?.exec(digits);
	const nsn = cut ? digits.slice(cut[0].length) : digits;
	if (!plan.pattern.test(nsn)) return false;
	for (const t of plan.types) if (t.lengths.includes(nsn.length) && t.re.test(nsn)) return true;
	return false;
}

/** Is `digits` (country code first, no + or 00) a valid international number? */
export function validInternational(digits: string): boolean {
	if (digits.length < 8 || digits.length > 15 || digits[0] === '0') return false;
	const parsed = parsePhoneNumberFromString(`+${digits}`, METADATA);
	return parsed !== undefined && parsed.isValid();
}

