// The built-in detectors, one file per entity, each with its own validation step. A detector carries
// its type, priority and whether it reads digit runs (see Detector in ../types.ts), so adding one is:
// write the file, add it to BUILT_IN below. Its type joins EntityType, ENTITY_TYPES and DETECTORS.
import type { Detector } from '../types';
import { card } from './card';
import { email } from './email';
import { iban } from './iban';
import { ipv4, ipv6 } from './ip';
import { phone } from './phone';
import { secrets } from './secrets';
import { ssn } from './ssn';
import { urlSecret } from './url';

/** In the order the node lists them; the run order does not matter (overlaps are settled by priority). */
const BUILT_IN = [email, phone, card, iban, ssn, ipv4, ipv6, urlSecret, secrets] as const;

export type BuiltInType = (typeof BUILT_IN)[number]['type'];

export const ENTITY_TYPES: readonly BuiltInType[] = BUILT_IN.map((d) => d.type);

export const DETECTORS = Object.freeze(Object.fromEntries(BUILT_IN.map((d) => [d.type, d]))) as Readonly<Record<BuiltInType, Detector>>;

/** Known-subject matches rank after the typed detectors (the same span found as EMAIL stays EMAIL). */
const SUBJECT_PRIORITY = { SUBJECT_EMAIL: 2.5, SUBJECT_PHONE: 8.5, SUBJECT_ID: 9, SUBJECT_ADDRESS: 9, SUBJECT_NAME: 9.5 };

/** Priority of every built-in finding type: the lower number wins an overlap. */
export const PRIORITY: Readonly<Record<string, number>> = Object.freeze({
	...Object.fromEntries(BUILT_IN.map((d) => [d.type, d.priority])),
	...SUBJECT_PRIORITY,
});
/** A user regex ranks between URL secrets and e-mails. */
export const CUSTOM_PRIORITY = 1.5;

export { luhnValid } from './chars';
export { validCard } from './card';
export { normaliseCountries, validInternational, validNational } from './phone';
export { entropy, looksRandom } from './secrets';
export { ibanChecksumValid, IBAN_LENGTHS } from './iban';
export { isIpv4, isIpv6 } from './ip';
export { ssnValid } from './ssn';
export { digitRuns } from './digits';
export type { DigitRuns } from './digits';
