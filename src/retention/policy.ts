/**
 * Retention policy: JSON Schema (retention-policy.schema.json, published with the package) checked
 * with ajv, plus the rules a schema cannot say (Intercom's 15-filter limit, unique rule names, a real
 * time zone). Every problem names its path, e.g. `rules[1].inactiveDays must be ≥ 1`; values are
 * never echoed (a filter value may be an email address).
 */
import { GdprError } from '../util/errors';
import { createHash } from 'node:crypto';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { canonicalJson } from '../util/canonical';
import schema from './retention-policy.schema.json';
import type { ItemRule, NormalisedItemRule } from './item-types';
import type { NormalisedPolicy, RetentionPolicy, RetentionRule } from './types';

export const retentionPolicySchema: object = schema;
export const DEFAULT_MAX_CONTACTS_PER_RUN = 500;
export const DEFAULT_MAX_ITEMS_PER_RUN = 500;
/** Intercom: at most 15 filters in one AND/OR group. */
export const MAX_FILTERS_PER_GROUP = 15;

export interface PolicyProblem {
	path: string;
	message: string;
}

export class RetentionPolicyError extends GdprError {
	readonly problems: PolicyProblem[];
	constructor(problems: PolicyProblem[]) {
		super(`The retention policy is not valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, {
			code: 'invalid_policy',
			field: problems[0]?.path,
			fix: 'Correct the policy at the path(s) named; the JSON Schema is retention-policy.schema.json in the package.',
		});
		this.name = 'RetentionPolicyError';
		this.problems = problems;
	}
}

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
	if (!compiled) {
		const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: false });
		compiled = ajv.compile(schema);
	}
	return compiled;
}

/** `/rules/1/inactiveDays` → `rules[1].inactiveDays`. */
export function jsonPath(pointer: string): string {
	const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
	let out = '';
	for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
	return out === '' ? 'policy' : out;
}

function describe(e: ErrorObject): PolicyProblem {
	const path = jsonPath(e.instancePath);
	const p = e.params as Record<string, unknown>;
	const child = (name: unknown) => (path === 'policy' ? String(name) : `${path}.${String(name)}`);
	switch (e.keyword) {
		case 'minimum':
			return { path, message: `must be ≥ ${String(p.limit)}` };
		case 'maximum':
			return { path, message: `must be ≤ ${String(p.limit)}` };
		case 'type':
			return { path, message: `must be ${p.type === 'integer' ? 'a whole number' : `of type ${String(p.type)}`}` };
		case 'enum':
			return { path, message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
		case 'const':
			return { path, message: `must be ${JSON.stringify(p.allowedValue)}` };
		case 'required':
			return { path: child(p.missingProperty), message: 'is required' };
		case 'additionalProperties':
			return { path: child(p.additionalProperty), message: 'is not a known setting (check the spelling)' };
		case 'pattern':
			return { path, message: 'has characters that are not allowed (letters, digits, _ . - only)' };
		case 'minItems':
			return { path, message: `must have at least ${String(p.limit)} item(s)` };
		case 'maxItems':
			return { path, message: `must have at most ${String(p.limit)} item(s)` };
		case 'minLength':
			return { path, message: 'must not be empty' };
		case 'maxLength':
			return { path, message: `must be at most ${String(p.limit)} characters` };
		case 'oneOf':
			return { path, message: 'must be a filter {field, operator, value} or a group {operator: "AND"|"OR", value: [filters]}' };
		default:
			return { path, message: e.message ?? 'is not valid' };
	}
}

/** Keeps one readable problem per place: a failed oneOf hides the errors of its branches. */
function problemsOf(errors: ErrorObject[]): PolicyProblem[] {
	const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath);
	// `if` only says its `then` failed: the `then` errors themselves name the field.
	const kept = errors.filter((e) => e.keyword !== 'if').filter((e) => e.keyword === 'oneOf' || !oneOfPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)));
	const seen = new Set<string>();
	const out: PolicyProblem[] = [];
	for (const e of kept) {
		const d = describe(e);
		const key = `${d.path} ${d.message}`;
		if (!seen.has(key)) {
			seen.add(key);
			out.push(d);
		}
	}
	return out;
}

function validTimeZone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

/** Validates a policy (object or JSON text) and fills in defaults. Throws RetentionPolicyError. */
export function validatePolicy(input: unknown): NormalisedPolicy {
	const NOT_JSON = Symbol('not json');
	const parse = (text: string): unknown => {
		try {
			return JSON.parse(text);
		} catch {
			return NOT_JSON;
		}
	};
	const policy: unknown = typeof input === 'string' ? parse(input) : renormalised(input);
	if (policy === NOT_JSON) throw new RetentionPolicyError([{ path: 'policy', message: 'is not valid JSON' }]);
	const validate = validator();
	if (!validate(policy)) throw new RetentionPolicyError(problemsOf(validate.errors ?? []));
	const p = policy as RetentionPolicy;
	const problems: PolicyProblem[] = [];
	const holds = {
		tagIds: [...(p.exclusions?.tagIds ?? [])],
		segmentIds: [...(p.exclusions?.segmentIds ?? [])],
		companyIds: [...(p.exclusions?.companyIds ?? [])],
		contactIds: [...(p.exclusions?.contactIds ?? [])],
	};
	const names = new Set<string>();
	const rules: NormalisedPolicy['rules'] = [];
	const itemRules: NormalisedItemRule[] = [];
	for (const [i, r] of p.rules.entries()) {
		const name = r.name ?? `rule-${i + 1}`;
		if (names.has(name)) problems.push({ path: `rules[${i}].name`, message: 'is used by an earlier rule (names must be unique)' });
		names.add(name);
		if (isItemRule(r)) itemRules.push({ ...r, name });
		else rules.push(contactRule(r, i, name, holds, problems));
	}
	if (p.timeZone !== undefined && !validTimeZone(p.timeZone)) problems.push({ path: 'timeZone', message: 'is not an IANA time zone (e.g. "Europe/Berlin")' });
	if (problems.length) throw new RetentionPolicyError(problems);
	return {
		version: 1,
		rules,
		exclusions: holds,
		maxContactsPerRun: p.maxContactsPerRun ?? DEFAULT_MAX_CONTACTS_PER_RUN,
		...(p.timeZone ? { timeZone: p.timeZone } : {}),
		// Only when there are item rules: a policy of contact rules keeps the hash it had.
		...(itemRules.length > 0 ? { itemRules, maxItemsPerRun: p.maxItemsPerRun ?? DEFAULT_MAX_ITEMS_PER_RUN } : {}),
	};
}

/**
 * A policy validatePolicy already returned (Preview and Enforce take either) keeps its item rules
 * beside the contact rules: put them back in `rules` so it validates (and normalises) the same again.
 */
function renormalised(input: unknown): unknown {
	if (typeof input !== 'object' || input === null || !Array.isArray((input as NormalisedPolicy).itemRules)) return input;
	const { itemRules, ...rest } = input as NormalisedPolicy;
	return { ...rest, rules: [...(Array.isArray(rest.rules) ? rest.rules : []), ...(itemRules ?? [])] };
}

function isItemRule(r: RetentionRule | ItemRule): r is ItemRule {
	return r.target === 'conversations' || r.target === 'tickets' || r.target === 'attributes';
}

/** A contact rule with defaults; checks Intercom's 15-filter limit. */
function contactRule(r: RetentionRule, i: number, name: string, holds: NormalisedPolicy['exclusions'], problems: PolicyProblem[]): NormalisedPolicy['rules'][number] {
	const filters = r.filters ?? [];
	// role + date + extra filters + one `!=` per held tag and segment, in one AND group.
	const used = (r.role === 'both' ? 0 : 1) + 1 + filters.length + holds.tagIds.length + holds.segmentIds.length;
	if (used > MAX_FILTERS_PER_GROUP) {
		problems.push({
			path: `rules[${i}].filters`,
			message: `with the held tags and segments makes ${used} search filters; Intercom allows ${MAX_FILTERS_PER_GROUP} (use fewer filters, or one segment as the hold)`,
		});
	}
	return { name, role: r.role, inactiveDays: r.inactiveDays, neverSeen: r.neverSeen ?? 'byCreatedAt', action: r.action, filters };
}

/** SHA-256 of the normalised policy (canonical JSON: keys sorted; lists keep their order), recorded with each run: which policy ran. */
export function policyHash(policy: NormalisedPolicy): string {
	// The ledger's canonical JSON (sorted keys, no whitespace): the same bytes the ledger hashes.
	return createHash('sha256').update(canonicalJson(policy)).digest('hex');
}
