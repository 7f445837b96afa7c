// The built-in detectors, one file per entity, each with its own validation step.
import type { Detector, EntityType } from '../types';
import { card } from './card';
import { email } from './email';
import { iban } from './iban';
import { ipv4, ipv6 } from './ip';
import { phone } from './phone';
import { secrets } from './secrets';
import { ssn } from './ssn';
import { urlSecret } from './url';

export const DETECTORS: Readonly<Record<EntityType, Detector>> = {
	EMAIL: email,
	PHONE: phone,
	CARD: card,
	IBAN: iban,
	US_SSN: ssn,
	IPV4: ipv4,
	IPV6: ipv6,
	URL_SECRET: urlSecret,
	SECRET: secrets,
};

/**
 * When two detectors claim overlapping text, the lower number wins (a secret in a URL beats the
 * e-mail-looking `user@host` around it; a card beats the phone-looking digit groups).
 */
export const PRIORITY: Readonly<Record<string, number>> = {
	SECRET: 0,
	URL_SECRET: 1,
	EMAIL: 2,
	IBAN: 3,
	CARD: 4,
	US_SSN: 5,
	IPV6: 6,
	IPV4: 7,
	PHONE: 8,
	// Known-subject matches: after the typed detectors (the same span found as EMAIL stays EMAIL).
	SUBJECT_EMAIL: 2.5,
	SUBJECT_PHONE: 8.5,
	SUBJECT_ID: 9,
	SUBJECT_ADDRESS: 9,
	SUBJECT_NAME: 9.5,
};
export const CUSTOM_PRIORITY = 1.5;

export { luhnValid } from './chars';
export { validCard } from './card';
export { normaliseCountries, validInternational, validNational } from './phone';
export { entropy, looksRandom } from './secrets';
export { ibanChecksumValid, IBAN_LENGTHS } from './iban';
export { isIpv4, isIpv6 } from './ip';
export { ssnValid } from './ssn';
