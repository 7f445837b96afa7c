// Custom detectors: a user regex. JavaScript's RegExp has no timeout, so a bad pattern could hang
// the n8n worker (Presidio's timeout, by contrast, skips the pattern — failing open). We refuse
// what can backtrack catastrophically and bound what could still be slow:
//   1. static check — no back-references, no quantified group that itself contains a variable
//      quantifier or an alternation (star height > 1: `(a+)+`, `(a|a)*`), no quantifier inside a
//      lookaround (`(?=.*x)`, Presidio's IN_PAN quadratic);
//   2. rewrite — every unbounded quantifier (`*`, `+`, `{n,}`) becomes bounded (`{0,64}` …), so one
//      match attempt costs a bounded amount of work and a global scan is linear;
//   3. probe — the rewritten pattern runs on adversarial strings made of its own characters; a pattern
//      that is still slow there (overlapping adjacent quantifiers) is refused.
import { CUSTOM_PRIORITY } from './detectors';
import type { CustomDetector, Detector, Span } from './types';
import { RedactionError } from './types';

/** Longest run one quantifier may match after the rewrite. */
export const CUSTOM_MAX_REPEAT = 64;
const PROBE_LENGTH = 16_384;
/** Adjacent overlapping repetitions multiply backtracking (64^k per start): allow only a few. */
const MAX_VARIABLE_REPEATS = 4;
const PROBE_BUDGET_MS = 400;

interface Frame {
	variableQuantifier: boolean;
	alternation: boolean;
	lookaround: boolean;
}

/** Checks and rewrites a pattern source; throws RedactionError naming `field` on refusal. */
export function guardPattern(source: string, field: string): string {
	const refuse = (why: string): never => {
		throw new RedactionError(`${field}: the pattern ${why}, which can make matching take exponential or quadratic time`, 'custom.pattern');
	};
	const stack: Frame[] = [{ variableQuantifier: false, alternation: false, lookaround: false }];
	let out = '';
	let variableRepeats = 0;
	let lastAtom: Frame | 'atom' | null = null; // what a following quantifier applies to
	let i = 0;
	const n = source.length;
	while (i < n) {
		const c = source[i];
		if (c === '\\') {
			const next = source[i + 1] ?? '';
			if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) refuse('uses a back-reference');
			// \u{…}, \x.., \p{…} keep their braces
			let len = 2;
			if ((next === 'p' || next === 'P' || next === 'u') && source[i + 2] === '{') len = source.indexOf('}', i) - i + 1;
			if (len < 2) refuse('has an unterminated escape');
			out += source.slice(i, i + len);
			i += len;
			lastAtom = 'atom';
			continue;
		}
		if (c === '[') {
			let j = i + 1;
			if (source[j] === '^') j++;
			if (source[j] === ']') j++;
			while (j < n && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
			if (j >= n) refuse('has an unterminated character class');
			out += source.slice(i, j + 1);
			i = j + 1;
			lastAtom = 'atom';
			continue;
		}
		if (c === '(') {
			const look = /^\(\?<?[=!]/.test(source.slice(i, i + 4));
			stack.push({ variableQuantifier: false, alternation: false, lookaround: look });
			let head = '(';
			if (source[i + 1] === '?') {
				const m = /^\(\?(?:[:=!]|<[=!]|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i, i + 40));
				if (!m) refuse('has an unsupported group');
				head = m![0];
			}
			out += head;
			i += head.length;
			lastAtom = null;
			continue;
		}
		if (c === ')') {
			const frame = stack.pop();
			if (!frame || stack.length === 0) refuse('has an unbalanced parenthesis');
			if (frame!.lookaround && frame!.variableQuantifier) refuse('repeats inside a lookaround');
			const parent = stack[stack.length - 1];
			parent.variableQuantifier ||= frame!.variableQuantifier;
			out += ')';
			i++;
			lastAtom = frame!;
			continue;
		}
		if (c === '|') {
			stack[stack.length - 1].alternation = true;
			out += c;
			i++;
			lastAtom = null;
			continue;
		}
		if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(source.slice(i, i + 24)))) {
			if (lastAtom === null) refuse('has a quantifier with nothing to repeat');
			let min: number;
			let max: number;
			let len = 1;
			if (c === '*') [min, max] = [0, Infinity];
			else if (c === '+') [min, max] = [1, Infinity];
			else if (c === '?') [min, max] = [0, 1];
			else {
				const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24))!;
				len = m[0].length;
				min = Number(m[1]);
				max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
			}
			if (min > CUSTOM_MAX_REPEAT || (max !== Infinity && max > CUSTOM_MAX_REPEAT * 4)) refuse(`repeats more than ${CUSTOM_MAX_REPEAT * 4} times`);
			const repeats = max > 1;
			if (lastAtom !== 'atom' && repeats) {
				if (lastAtom!.variableQuantifier) refuse('repeats a group that itself contains a variable repetition (nested quantifier)');
				if (lastAtom!.alternation) refuse('repeats a group that contains an alternation');
			}
			if (min !== max) {
				stack[stack.length - 1].variableQuantifier = true;
				if (max > 1 && ++variableRepeats > MAX_VARIABLE_REPEATS) {
					refuse(`has more than ${MAX_VARIABLE_REPEATS} variable repetitions (+, *, {m,n})`);
				}
			}
			const bounded = max === Infinity ? `{${min},${Math.max(min, CUSTOM_MAX_REPEAT)}}` : source.slice(i, i + len);
			out += bounded;
			i += len;
			if (source[i] === '?') {
				out += '?';
				i++;
			}
			lastAtom = null;
			continue;
		}
		out += c;
		i++;
		lastAtom = 'atom';
	}
	if (stack.length !== 1) refuse('has an unbalanced parenthesis');
	return out;
}

function probe(re: RegExp, source: string, field: string): void {
	const literals = [...new Set(source.replace(/\\./g, '').replace(/[^\x21-\x7e]/g, ''))].slice(0, 12);
	const alphabet = [...new Set(['a', '1', ' ', '.', '@', '-', 'A', '_', ...literals])];
	const started = performance.now();
	// Growing lengths, budget checked after every run: a slow pattern is caught on a short probe.
	for (let len = 64; len <= PROBE_LENGTH; len *= 4) {
		for (const ch of alphabet) {
			for (const s of [ch.repeat(len), (ch + 'a1').repeat(Math.ceil(len / 3))]) {
				re.lastIndex = 0;
				let m: RegExpExecArray | null;
				while ((m = re.exec(s)) !== null) if (m[0] === '') re.lastIndex++;
				if (performance.now() - started > PROBE_BUDGET_MS) {
					throw new RedactionError(`${field}: the pattern is too slow on repetitive input (overlapping repetitions); make it more specific`, 'custom.pattern');
				}
			}
		}
	}
}

function tryRegExp(source: string, flags: string): RegExp | undefined {
	try {
		return new RegExp(source, flags);
	} catch {
		return undefined;
	}
}

/** Compiles a guarded custom detector. Throws RedactionError (naming the detector) on refusal. */
export function compileCustom(def: CustomDetector, index: number): Detector {
	const field = `Custom detector ${def.name ? `"${def.name}"` : index + 1}`;
	if (!def.name || !/^[A-Za-z][A-Za-z0-9_ -]{0,39}$/.test(def.name)) {
		throw new RedactionError(`${field}: the name must start with a letter and use letters, digits, space, _ or - (at most 40)`, 'custom.name');
	}
	if (!def.pattern) throw new RedactionError(`${field}: the pattern is empty`, 'custom.pattern');
	const flags = def.flags ?? '';
	if (!/^[imsu]*$/.test(flags)) throw new RedactionError(`${field}: flags may only be i, m, s and u`, 'custom.flags');
	const source = guardPattern(def.pattern, field);
	const re = tryRegExp(source, `${flags}g`);
	if (!re) throw new RedactionError(`${field}: the pattern is not a valid JavaScript regular expression`, 'custom.pattern');
	if (re.test('')) throw new RedactionError(`${field}: the pattern matches an empty string`, 'custom.pattern');
	probe(re, def.pattern, field);
	const type = def.name.toUpperCase().replace(/[ -]/g, '_');
	return {
		type,
		priority: CUSTOM_PRIORITY,
		scan(text: string, out: Span[]): void {
			re.lastIndex = 0;
			let m: RegExpExecArray | null;
			while ((m = re.exec(text)) !== null) {
				if (m[0] === '') {
					re.lastIndex++;
					continue;
				}
				out.push({ type, start: m.index, end: m.index + m[0].length });
			}
		},
	};
}
