import { GdprError } from '../util/errors';
// Public types of the redaction engine. Pure data: no n8n, no I/O.
import type { BuiltInType } from './detectors';
import type { DigitRuns } from './detectors/digits';

/**
 * Built-in entity types a text detector can report: the `type` of each entry of the detector list
 * (`detectors/index.ts`), so adding a detector there adds its type here.
 */
export type EntityType = BuiltInType;

/** Finding types of known-subject matches (see KnownSubject). */
export const SUBJECT_TYPES = ['SUBJECT_NAME', 'SUBJECT_EMAIL', 'SUBJECT_PHONE', 'SUBJECT_ID', 'SUBJECT_ADDRESS'] as const;

/**
 * One thing the engine found and changed. It says where (path + offsets in the original string) and
 * what kind — never the value itself, so findings can be logged and stored safely.
 */
export interface Finding {
	/** Entity type (EMAIL, CARD, …), a custom detector's name, or FIELD for a whole-field rule. */
	type: string;
	/** Path of the value inside the item, e.g. `conversation_parts[3].body`; '' for a bare string. */
	path: string;
	/** Start offset (UTF-16 code units) in the original string; 0 for whole-field rules. */
	start: number;
	/** End offset (exclusive) in the original string. */
	end: number;
	/** What was done: remove | replace | mask | hmac | drop (minimise) | oversize. */
	action: string;
	/** 'key' when the finding is in an object key (the key was renamed); absent for values. */
	in?: 'key';
}

/**
 * The person a request is about. Their identifiers are matched in free text case- and
 * diacritics-insensitively ("José Núñez" also matches "JOSE NUNEZ"), which no pattern detector can do
 * for names. Build it from an Intercom contact with `subjectFromContact`.
 */
export interface KnownSubject {
	/** Full name; its parts (≥ 2 letters, without particles like "de", "van") are matched too. */
	name?: string;
	emails?: readonly string[];
	/** Any format: compared by digits (the last 8+ national digits). */
	phones?: readonly string[];
	/** External ids, user ids: matched as whole words. */
	ids?: readonly string[];
	/** Street lines, postcode + city … matched as whole phrases. */
	addressLines?: readonly string[];
	/** ISO 3166-1 alpha-2 code of the person's country: its national phone formats are recognised too. */
	country?: string;
}

/**
 * Per-call context: things that differ per item while the rules stay compiled.
 *   subject        — the known subject of this item (see KnownSubject)
 *   subjectMode    — 'redact' (default): redact the subject's identifiers as well as all detected PII;
 *                    'keep': keep the subject's own identifiers and redact everybody else's (used by the
 *                    access package, so a DSAR export shows the requester their own data but not other people's)
 *   countries      — extra ISO 3166-1 alpha-2 codes for national phone formats (e.g. the contact's country)
 */
export interface ScanContext {
	subject?: KnownSubject;
	subjectMode?: 'redact' | 'keep';
	countries?: readonly string[];
}

/** How a found span or a matched field is rewritten. */
export type Operator =
	| { kind: 'remove' }
	/** `text` omitted → `[TYPE]` label, e.g. `[EMAIL]`. */
	| { kind: 'replace'; text?: string }
	/** Keep the last `keep` characters, the rest become `char` (default `*`). */
	| { kind: 'mask'; keep?: number; char?: string }
	/** HMAC-SHA256(key, value) pseudonym: same value + key → same token in every item and run. */
	| { kind: 'hmac' };

/** A rule on a path: `email`, `custom_attributes.*`, `conversation_parts[*].body`, `**.phone`. */
export interface FieldRule {
	path: string;
	/** remove/replace/mask/hmac the whole value, `scan` its strings with the detectors, `keep` it as is. */
	action: 'remove' | 'replace' | 'mask' | 'hmac' | 'scan' | 'keep';
	/** For replace: fixed text; omitted → `[label]` (label defaults to `REDACTED`). */
	text?: string;
	/** Label used in `[LABEL]` and as the finding type; default `FIELD`. */
	label?: string;
	/** For mask: characters kept at the end (default 4). */
	keep?: number;
}

/** A user regex detector. Checked for catastrophic backtracking before use (see custom.ts). */
export interface CustomDetector {
	name: string;
	pattern: string;
	/** Extra flags; `g` is always added. Allowed: i, m, s, u. */
	flags?: string;
}

export interface TextOptions {
	/** Built-in detectors to run; default all. */
	detectors?: readonly EntityType[];
	custom?: readonly CustomDetector[];
	/** Operator for found spans; default replace with `[TYPE]`. */
	operator?: Operator;
	/** Per-type operator overriding `operator`. */
	operators?: Partial<Record<string, Operator>>;
	/** 'auto' (default): treat the string as HTML when it looks like markup. */
	html?: 'auto' | 'always' | 'never';
	/** Key for the hmac operator. Required when any operator is hmac. */
	hmacKey?: string;
	/** Longest string scanned (UTF-16 units); default 2 MiB. */
	maxLength?: number;
	/**
	 * What to do with a longer string. Both choices fail closed: 'redact' (default) replaces the whole
	 * string with `[OVERSIZE]`, 'error' throws RedactionError. Nothing is ever passed through unscanned.
	 */
	onOversize?: 'redact' | 'error';
	/**
	 * ISO 3166-1 alpha-2 codes of the countries whose national phone formats are recognised
	 * (`030 1234567` with DE, `06 31 58 20 14` with FR). International forms (+CC, 00CC) are always found.
	 */
	defaultCountries?: readonly string[];
	/** Known subject for every call (a per-call ScanContext.subject takes precedence). */
	subject?: KnownSubject;
	/** See ScanContext.subjectMode; default 'redact'. */
	subjectMode?: 'redact' | 'keep';
}

export interface RedactionRules extends TextOptions {
	fields?: readonly FieldRule[];
	/**
	 * Which strings the detectors scan: 'all' (default) every string not handled by a field rule;
	 * 'rules' only values under a `scan` field rule; 'none' no text scanning.
	 */
	scan?: 'all' | 'rules' | 'none';
	/** Minimise mode: keep only these paths (and what is under them); everything else is dropped. */
	allow?: readonly string[];
}

export interface Redactor {
	/** Redacts a copy of `value`; the input is never mutated (untouched branches are shared). */
	redact(value: unknown, ctx?: ScanContext): { value: unknown; findings: Finding[] };
	/** Scans one string with the compiled detectors. */
	redactText(text: string, path?: string, ctx?: ScanContext): { text: string; findings: Finding[] };
}

/** A span a detector found: [start, end) in the scanned string. */
export interface Span {
	type: string;
	start: number;
	end: number;
}

/**
 * A detector scans the whole string once, in linear time, and pushes validated spans. It carries
 * everything the engine needs to know about it, so a new detector is one file plus one entry in the
 * list in `detectors/index.ts`.
 */
export interface Detector<T extends string = string> {
	type: T;
	/** Name shown in the PII Redact node's Detectors list (built-in detectors). */
	label?: string;
	/** When two detectors claim overlapping text the lower number wins (a card beats phone-looking groups). */
	priority: number;
	/**
	 * Starts at a run of ASCII digits: the engine finds the runs once per string for all such
	 * detectors (`detectors/digits.ts`) and skips them when the string has no digit.
	 */
	digits?: boolean;
	/** Cheap native pre-check: when it does not match, the string cannot contain this entity. */
	trigger?: RegExp;
	/** `runs` is the shared digit-run index (empty unless `digits` is set). */
	scan(text: string, out: Span[], env: DetectorEnv, runs: DigitRuns): void;
}

/** What a detector may need beyond the text: the phone countries in effect for this call. */
export interface DetectorEnv {
	countries: readonly string[];
}

/** Bad rules or options; `field` names the setting, never the data. */
export class RedactionError extends GdprError {
	declare readonly field: string;
	constructor(message: string, field: string) {
		super(message, { code: 'bad_input', field });
		this.name = 'RedactionError';
	}
}
