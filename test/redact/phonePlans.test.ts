// National phone validity: the precompiled number-type patterns (detectors/plans.ts) answer without
// calling libphonenumber-js where its reading is plain; every answer they give must be the library's.
import { parsePhoneNumberFromString } from 'libphonenumber-js/core';
import type { CountryCode, MetadataJson } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/metadata.max.json';
import { describe, expect, it } from 'vitest';
import { validNational } from '../../src/redact';
import { precompiledVerdict } from '../../src/redact/detectors/plans';

const METADATA = metadataJson as unknown as MetadataJson;
const library = (digits: string, country: string): boolean =>
	parsePhoneNumberFromString(digits, { defaultCountry: country as CountryCode, extract: false }, METADATA)?.isValid() ?? false;

describe('national validity (precompiled patterns, library behind them)', () => {
	it.each(['US', 'GB', 'DE', 'FR', 'ES', 'NL', 'BR', 'IT', 'IN', 'AU', 'CA', 'JE', 'MX'])('%s: the precompiled yes and no agree with libphonenumber-js on 3,000 seeded digit strings', (country) => {
		let seed = country.charCodeAt(0) * 31 + country.charCodeAt(1);
		const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		let yes = 0;
		let decided = 0;
		let no = 0;
		for (let k = 0; k < 3000; k++) {
			let d = '';
			for (let i = 6 + Math.floor(rnd() * 8); i > 0; i--) d += Math.floor(rnd() * 10);
			if (rnd() < 0.6) d = `0${d.slice(1)}`; // written nationally, with the trunk prefix
			if (rnd() < 0.1) d = `00${d.slice(2)}`; // the international call prefix
			const verdict = precompiledVerdict(d, country);
			if (verdict !== undefined) {
				decided++;
				if (!verdict) no++;
				expect(library(d, country), `${country} ${d.length} digits`).toBe(verdict);
			}
			if (validNational(d, country)) {
				yes++;
				expect(library(d, country), `${country} ${d.length} digits`).toBe(true);
			}
		}
		// Random digit strings are valid numbers often enough for the check to mean something.
		expect(yes).toBeGreaterThan(20);
		// Where the reading is plain the library is not needed (it is for the other plans).
		if (['DE', 'FR', 'ES', 'NL', 'IT', 'BR'].includes(country)) expect(decided).toBeGreaterThan(25);
		// GB and US share their calling codes: a no there has checked every sharing country's types (Jersey …, Canada …).
		if (['GB', 'US'].includes(country)) expect(no).toBeGreaterThan(25);
	});

	it('finds the national numbers of the issue in their own countries', () => {
		expect(validNational('0301234567', 'DE')).toBe(true);
		expect(validNational('0631582014', 'FR')).toBe(true);
		expect(validNational('612345078', 'ES')).toBe(true);
		expect(validNational('0402213874', 'NL')).toBe(true);
		expect(validNational('2079460958', 'GB')).toBe(false); // GB written nationally needs its 0
		expect(validNational('02079460958', 'GB')).toBe(true);
	});
});
