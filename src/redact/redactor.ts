// compileRedactor: rules → a Redactor that is compiled once and then applied to many items.
// Copy-on-write walk: the input is never mutated; untouched branches are shared with the output.
import { mask, pseudonym, validateOperator } from './operators';
import type { PlanNode } from './paths';
import { addPath, childPath, closure, emptyNode, firstEnd, parsePath, step } from './paths';
import type { PreparedContext, TextScanner } from './text';
import { subjectFromItem } from './subject';
import { compileText } from './text';
import type { FieldRule, Finding, RedactionRules, Redactor, ScanContext } from './types';
import { RedactionError } from './types';

const FIELD_ACTIONS = ['remove', 'replace', 'mask', 'hmac', 'scan', 'keep'];
const MAX_DEPTH = 256;

/** No path in the message: object keys of the item can be personal data (e.g. a map keyed by email). */
const tooDeep = (): RedactionError =>
	new RedactionError(`The value is nested more than ${MAX_DEPTH} levels deep; flatten it or redact a part of it`, 'value');
const REMOVE = Symbol('remove');

function isPlainObject(v: unknown): v is Record<string, unknown> {
	if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
	const proto = Object.getPrototypeOf(v) as unknown;
	return proto === Object.prototype || proto === null;
}

/** Own-property write that cannot touch a prototype, even for a key named __proto__. */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function validateField(rule: FieldRule, i: number, hmacKey: string | undefined): void {
	const field = `Field rule ${i + 1}`;
	if (!rule || typeof rule !== 'object') throw new RedactionError(`${field}: must be an object with a path and an action`, 'fields');
	if (!FIELD_ACTIONS.includes(rule.action)) {
		throw new RedactionError(`${field}: unknown action "${String(rule.action)}" (use ${FIELD_ACTIONS.join(', ')})`, 'fields.action');
	}
	if (rule.action === 'mask' || rule.action === 'hmac') validateOperator({ kind: rule.action, keep: rule.keep }, field, hmacKey);
	if (rule.label !== undefined && !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(rule.label)) {
		throw new RedactionError(`${field}: the label must be letters, digits or _ (at most 40), e.g. EMAIL`, 'fields.label');
	}
}

/** The compiled rules a walk needs: the text scanner and the hmac key. */
interface Compiled {
	text: TextScanner;
	key: string | undefined;
}

function applyRule(c: Compiled, rule: FieldRule, v: unknown, path: string, findings: Finding[]): unknown {
	const label = rule.label ?? 'FIELD';
	const asText = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;
	const finding = (action: string): void => {
		findings.push({ type: label, path, start: 0, end: asText?.length ?? 0, action });
	};
	switch (rule.action) {
		case 'remove':
			finding('remove');
			return REMOVE;
		case 'replace':
			finding('replace');
			return rule.text ?? `[${rule.label ?? 'REDACTED'}]`;
		case 'mask':
			finding('mask');
			return asText === undefined ? `[${rule.label ?? 'REDACTED'}]` : mask(asText, rule.keep ?? 4);
		case 'hmac':
			finding('hmac');
			return pseudonym(c.key!, asText ?? JSON.stringify(v) ?? '', asText === undefined ? 'JSON' : undefined);
		default:
			return v;
	}
}

/** A key that cannot hold personal data: letters, `_`, `$`, `-`, then at most 4 digits. */
const plainKey = (k: string): boolean => k.length <= 64 && /^[A-Za-z_$][A-Za-z_$-]*[0-9]{0,4}$/.test(k);

/**
 * The key as it may appear in a path: keys can be personal data (a map keyed by e-mail), and
 * findings paths and error messages must never carry a detected value.
 */
function pathKey(c: Compiled, k: string, ctx: PreparedContext): string {
	if (plainKey(k) && !ctx.subject) return k;
	try {
		return c.text.redact(k, '', [], ctx);
	} catch {
		return '[KEY]';
	}
}

/** A key scanned like a value: its redacted form (unique among `used`), or the key itself. */
function redactKey(c: Compiled, k: string, path: string, used: Set<string>, findings: Finding[], ctx: PreparedContext): string {
	if (plainKey(k) && !ctx.subject) return k;
	const keyFindings: Finding[] = [];
	let red: string;
	try {
		red = c.text.redact(k, path, keyFindings, ctx);
	} catch {
		red = '[KEY]';
		keyFindings.push({ type: 'OVERSIZE', path, start: 0, end: k.length, action: 'replace' });
	}
	if (red === k) return k;
	let outKey = red;
	for (let n = 2; used.has(outKey); n++) outKey = `${red}#${n}`;
	used.add(outKey);
	const at = childPath(path, outKey, false);
	for (const f of keyFindings) findings.push({ ...f, path: at, in: 'key' });
	return outKey;
}

/** Where a walk is: rule states, path, whether strings are scanned, findings, depth and context. */
interface At {
	states: PlanNode<FieldRule>[];
	path: string;
	scanning: boolean;
	findings: Finding[];
	depth: number;
	ctx: PreparedContext;
}

const below = (at: At, key: string, isIndex: boolean, shownKey = key): At => ({
	...at,
	states: at.states.length ? step(at.states, key) : at.states,
	path: childPath(at.path, shownKey, isIndex),
	depth: at.depth + 1,
});

/**
 * Object keys are scanned like values: a key with personal data is renamed to its redacted form
 * (made unique with #2, #3 … when two keys redact alike) and its value is still walked under it.
 */
function walkObject(c: Compiled, v: Record<string, unknown>, at: At): unknown {
	let changed = false;
	const entries: [string, unknown][] = [];
	const keys = Object.keys(v);
	const used = new Set(keys);
	for (const k of keys) {
		const cur = v[k];
		const outKey = at.scanning ? redactKey(c, k, at.path, used, at.findings, at.ctx) : k;
		const r = walk(c, cur, below(at, k, false, outKey !== k ? outKey : pathKey(c, k, at.ctx)));
		if (r !== cur || outKey !== k) changed = true;
		if (r !== REMOVE) entries.push([outKey, r]);
	}
	if (!changed) return v;
	const out: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {};
	for (const [k, r] of entries) put(out, k, r);
	return out;
}

function walk(c: Compiled, v: unknown, at: At): unknown {
	if (v === null || v === undefined) return v;
	if (at.states.length) {
		const rule = firstEnd(at.states);
		if (rule) {
			if (rule.action === 'keep') return v;
			if (rule.action !== 'scan') return applyRule(c, rule, v, at.path, at.findings);
			at = { ...at, scanning: true };
		}
	}
	if (typeof v === 'string') return at.scanning ? c.text.redact(v, at.path, at.findings, at.ctx) : v;
	if (typeof v === 'number' || typeof v === 'bigint') return at.scanning ? c.text.redactNumber(v, at.path, at.findings, at.ctx) : v;
	if (typeof v !== 'object') return v;
	if (!at.scanning && at.states.length === 0) return v; // nothing below can match: share the branch
	if (at.depth > MAX_DEPTH) throw tooDeep();
	if (Array.isArray(v)) {
		let out: unknown[] | undefined;
		for (let i = 0; i < v.length; i++) {
			const r = walk(c, v[i], below(at, String(i), true));
			if (r !== v[i] && !out) out = v.slice(0, i);
			if (out && r !== REMOVE) out.push(r);
		}
		return out ?? v;
	}
	if (!isPlainObject(v)) return v;
	return walkObject(c, v, at);
}

function minimise(c: Compiled, v: unknown, states: PlanNode<true>[], path: string, findings: Finding[], depth: number, ctx: PreparedContext): unknown {
	if (firstEnd(states)) return v;
	if (depth > MAX_DEPTH) throw tooDeep();
	if (Array.isArray(v)) {
		const out: unknown[] = [];
		v.forEach((item, i) => {
			const p = childPath(path, String(i), true);
			const cs = step(states, String(i));
			if (cs.length) {
				const r = minimise(c, item, cs, p, findings, depth + 1, ctx);
				if (r !== REMOVE) out.push(r);
			} else findings.push({ type: 'MINIMISED', path: p, start: 0, end: 0, action: 'drop' });
		});
		return out;
	}
	if (isPlainObject(v)) {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(v)) {
			const p = childPath(path, pathKey(c, k, ctx), false);
			const cs = step(states, k);
			const r = cs.length ? minimise(c, v[k], cs, p, findings, depth + 1, ctx) : REMOVE;
			if (r === REMOVE) {
				if (!cs.length) findings.push({ type: 'MINIMISED', path: p, start: 0, end: 0, action: 'drop' });
			} else put(out, k, r);
		}
		return out;
	}
	// A primitive on the way to an allowed path, but not itself allowed.
	findings.push({ type: 'MINIMISED', path, start: 0, end: 0, action: 'drop' });
	return REMOVE;
}

/** Field rules and the allow-list compiled to path-trie start states. */
function compilePlans(rules: RedactionRules): { rootStates: PlanNode<FieldRule>[]; allowStates?: PlanNode<true>[] } {
	const fields = rules.fields ?? [];
	const root = emptyNode<FieldRule>();
	fields.forEach((rule, i) => {
		validateField(rule, i, rules.hmacKey);
		addPath(root, parsePath(rule.path, `Field rule ${i + 1}`), i, rule);
	});
	const rootStates = fields.length ? closure([root]) : [];
	if (!rules.allow) return { rootStates };
	const allowRoot = emptyNode<true>();
	rules.allow.forEach((p, i) => addPath(allowRoot, parsePath(p, `Allowed field ${i + 1}`), i, true));
	return { rootStates, allowStates: closure([allowRoot]) };
}

export function compileRedactor(rules: RedactionRules = {}): Redactor {
	if (rules === null || typeof rules !== 'object') throw new RedactionError('Rules must be an object', 'rules');
	const text = compileText(rules);
	const scanAll = (rules.scan ?? 'all') === 'all';
	if (rules.scan !== undefined && !['all', 'rules', 'none'].includes(rules.scan)) {
		throw new RedactionError('scan must be "all", "rules" or "none"', 'scan');
	}
	const { rootStates, allowStates } = compilePlans(rules);
	const c: Compiled = { text, key: rules.hmacKey };
	return {
		redact(value: unknown, scanContext?: ScanContext): { value: unknown; findings: Finding[] } {
			const findings: Finding[] = [];
			// An Intercom contact (or conversation with its contact) brings its country's phone formats.
			const country = subjectFromItem(value)?.country;
			const ctx = text.prepare(country ? { ...scanContext, countries: [...(scanContext?.countries ?? []), country] } : scanContext);
			let v = value;
			if (allowStates) {
				v = minimise(c, v, allowStates, '', findings, 0, ctx);
				if (v === REMOVE) v = isPlainObject(value) ? {} : null;
			}
			let out = walk(c, v, { states: rootStates, path: '', scanning: scanAll, findings, depth: 0, ctx });
			if (out === REMOVE) out = null;
			return { value: out, findings };
		},
		redactText(t: string, path = '', scanContext?: ScanContext): { text: string; findings: Finding[] } {
			const findings: Finding[] = [];
			return { text: text.redact(t, path, findings, text.prepare(scanContext)), findings };
		},
	};
}

const compiledRules = new WeakMap<object, Redactor>();

/** One-shot form of compileRedactor(rules).redact(value); reuses the compiled rules for the same object. */
export function redactValue(value: unknown, rules: RedactionRules = {}): { value: unknown; findings: Finding[] } {
	let r = compiledRules.get(rules);
	if (!r) compiledRules.set(rules, (r = compileRedactor(rules)));
	return r.redact(value);
}

const defaultText = compileText({});
const compiledText = new WeakMap<object, ReturnType<typeof compileText>>();

/** Scans one string with the detectors. Pure; the compiled options are reused for the same object. */
export function redactText(text: string, opts?: RedactionRules, ctx?: ScanContext): { text: string; findings: Finding[] } {
	let t = defaultText;
	if (opts) {
		const cached = compiledText.get(opts);
		if (cached) t = cached;
		else compiledText.set(opts, (t = compileText(opts)));
	}
	const findings: Finding[] = [];
	return { text: t.redact(text, '', findings, ctx ? t.prepare(ctx) : undefined), findings };
}

