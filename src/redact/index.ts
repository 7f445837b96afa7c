// The redaction engine: pure functions, no I/O, no n8n. See README.md in this folder.
export { compileRedactor, redactText, redactValue } from './redactor';
export { PRESETS } from './presets';
export type { Preset, PresetName } from './presets';
export { RedactionError } from './types';
export type { CustomDetector, EntityType, FieldRule, Finding, KnownSubject, Operator, RedactionRules, Redactor, ScanContext, TextOptions } from './types';
export { SUBJECT_TYPES } from './types';
export { subjectFromItem, countryCode } from './subject';
export { findSpans } from './text';
export { DETECTORS, ENTITY_TYPES, entropy, looksRandom, validInternational, validNational, luhnValid, ibanChecksumValid, IBAN_LENGTHS, isIpv4, isIpv6, ssnValid } from './detectors';
export { guardPattern, CUSTOM_MAX_REPEAT } from './custom';
export { pseudonym, mask } from './operators';
export { decodeEntities, looksLikeHtml } from './html';
