// Custom detectors: a user regex. JavaScript's RegExp has no timeout, so a bad pattern could hang
// the n8n worker (Presidio's timeout, by contrast, skips the pattern — failing open). We refuse
// what can backtrack catastrophically and bound what could still be slow — all by reading the
// pattern, never by timing it (a timed probe refuses good patterns on a busy machine):
//   1. static check — no back-references, no quantified group that itself contains a variable
//      quantifier or an alternation (star height > 1: `(a+)+`, `(a|a)*`), no quantifier inside a
//      lookaround (`(?=.*x)`, Presidio's IN_PAN quadratic), at most 4 variable repetitions;
//   2. rewrite — every unbounded quantifier (`*`, `+`, `{n,}`) becomes bounded (`{0,64}` …), so one
//      match attempt costs a bounded amount of work and a global scan is linear;
//   3. overlap count — adjacent repetitions that can match the same characters (`\w+\w+\w+@`) make
//      a failing attempt try every way of splitting a run between them: the product of their
//      choices. Which characters an atom matches is decided by the engine itself on a sample
//      alphabet; a chain whose product exceeds two unbounded repetitions (65 × 65) is refused.
import { CUSTOM_PRIORITY } from './detectors';
import type { CustomDetector, Detector, Span } from './types';
import { RedactionError } from './types';

/** Longest run one quantifier may match after the rewrite. */
export const CUSTOM_MAX_REPEAT = 64;
/** Adjacent overlapping repetitions multiply backtracking (64^k per start): allow only a few. */
const MAX_VARIABLE_REPEATS = 4;
/** Split choices allowed in one chain of overlapping repetitions: two unbounded ones (`\w*\w*`). */
const CHAIN_BUDGET = (CUSTOM_MAX_REPEAT + 1) ** 2;

/** Adjacent variable repetitions that can match the same characters, with the product of their choices. */
interface Chain {
	cost: number;
	set: bigint;
}
const NO_CHAIN: Chain = { cost: 0, set: 0n };

interface Frame {
	variableQuantifier: boolean;
	alternation: boolean;
	lookaround: boolean;
	/** Characters any atom inside may match. */
	set: bigint;
	/** The chain before the group opened (a branch or a repeated group starts from it). */
	chainAtOpen: Chain;
}

/** What a following quantifier applies to: an atom's character set, or a closed group. */
type Atom = { set: bigint } | Frame;

class Guard {
	out = '';
	i = 0;
	stack: Frame[] = [{ variableQuantifier: false, alternation: false, lookaround: false, set: 0n, chainAtOpen: NO_CHAIN }];
	variableRepeats = 0;
	/** The atom or group just read, until a quantifier (or anything else) settles it. */
	last: Atom | null = null;
	chain: Chain = NO_CHAIN;
	private readonly sets = new Map<string, bigint>();
	private readonly alphabet: string[];

	constructor(
		readonly source: string,
		readonly field: string,
		private readonly flags: string,
	) {
		// Printable ASCII, common whitespace and letters beyond ASCII, and every literal of the pattern.
		const base = ' \t\n\u00a0éßñü中' + Array.from({ length: 95 }, (_, k) => String.fromCharCode(32 + k)).join('');
		this.alphabet = [...new Set([...base, ...source])];
	}

	refuse(why: string): never {
		throw new RedactionError(`${this.field}: the pattern ${why}, which can make matching take exponential or quadratic time`, 'custom.pattern');
	}

	/** The sample characters `atom` matches, as a bit set (the engine decides, flags included). */
	setOf(atom: string): bigint {
		let set = this.sets.get(atom);
		if (set !== undefined) return set;
		set = 0n;
		const re = tryRegExp(`^(?:${atom})$`, this.flags.replace(/[gm]/g, ''));
		this.alphabet.forEach((ch, k) => {
			if (!re || re.test(ch)) set! |= 1n << BigInt(k); // an atom the engine cannot read alone may match anything
		});
		this.sets.set(atom, set);
		return set;
	}

	/** An atom or group repeated min..max times joins, starts or breaks the chain of overlapping repetitions. */
	repeat(set: bigint, min: number, max: number): void {
		if (max <= 1 || min === max) {
			// Fixed (or optional) atoms do not multiply choices; a required one no repetition can match ends the chain.
			if (min >= 1 && (set & this.chain.set) === 0n) this.chain = NO_CHAIN;
			return;
		}
		const choices = max - min + 1;
		const joins = this.chain.cost > 0 && (set & this.chain.set) !== 0n;
		this.chain = joins ? { cost: this.chain.cost * choices, set: this.chain.set | set } : { cost: choices, set };
		if (this.chain.cost > CHAIN_BUDGET) {
			throw new RedactionError(
				`${this.field}: the pattern is too slow on repetitive input: adjacent repetitions can match the same characters (like \\w+\\w+\\w+), so a failed match tries every way to split a run between them; make them specific or bound them (e.g. {1,8})`,
				'custom.pattern',
			);
		}
	}

	/** The atom just read had no quantifier: it is matched once. */
	settle(): void {
		if (this.last && !('lookaround' in this.last)) this.repeat(this.last.set, 1, 1);
		this.last = null;
	}

	atom(text: string): void {
		this.settle();
		const set = this.setOf(text);
		this.stack[this.stack.length - 1].set |= set;
		this.out += text;
		this.last = { set };
	}
}

/** `\x`, `\u{…}`, `\p{…}`: one atom (or an assertion such as \b, which matches no character). */
function readEscape(g: Guard): void {
	const { source, i } = g;
	const next = source[i + 1] ?? '';
	if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) g.refuse('uses a back-reference');
	let len = 2;
	if ((next === 'p' || next === 'P' || next === 'u') && source[i + 2] === '{') len = source.indexOf('}', i) - i + 1;
	if (len < 2) g.refuse('has an unterminated escape');
	const text = source.slice(i, i + len);
	g.i += len;
	if (next === 'b' || next === 'B') {
		g.settle();
		g.out += text;
	} else g.atom(text);
}

function readClass(g: Guard): void {
	const { source, i } = g;
	let j = i + 1;
	if (source[j] === '^') j++;
	if (source[j] === ']') j++;
	while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
	if (j >= source.length) g.refuse('has an unterminated character class');
	g.i = j + 1;
	g.atom(source.slice(i, j + 1));
}

function openGroup(g: Guard): void {
	g.settle();
	const { source, i } = g;
	let head = '(';
	if (source[i + 1] === '?') {
		const m = /^\(\?(?:[:=!]|<[=!]|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i, i + 40));
		if (!m) g.refuse('has an unsupported group');
		head = m[0];
	}
	const lookaround = /^\(\?<?[=!]/.test(head);
	g.stack.push({ variableQuantifier: false, alternation: false, lookaround, set: 0n, chainAtOpen: g.chain });
	g.out += head;
	g.i += head.length;
}

function closeGroup(g: Guard): void {
	g.settle();
	const frame = g.stack.pop();
	if (!frame || g.stack.length === 0) g.refuse('has an unbalanced parenthesis');
	if (frame.lookaround && frame.variableQuantifier) g.refuse('repeats inside a lookaround');
	const parent = g.stack[g.stack.length - 1];
	parent.variableQuantifier ||= frame.variableQuantifier;
	parent.set |= frame.set;
	if (frame.lookaround) g.chain = frame.chainAtOpen; // matches no characters of its own
	g.out += ')';
	g.i++;
	g.last = frame;
}

function alternation(g: Guard): void {
	g.settle();
	const frame = g.stack[g.stack.length - 1];
	frame.alternation = true;
	g.chain = frame.chainAtOpen; // each branch starts where the group started
	g.out += '|';
	g.i++;
}

/** `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}` (+ lazy `?`): checked, then bounded. */
function readQuantifier(g: Guard): void {
	const { source, i } = g;
	const c = source[i];
	if (g.last === null) g.refuse('has a quantifier with nothing to repeat');
	let [min, max, len] = c === '*' ? [0, Infinity, 1] : c === '+' ? [1, Infinity, 1] : c === '?' ? [0, 1, 1] : [0, 0, 0];
	if (c === '{') {
		const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24))!;
		len = m[0].length;
		min = Number(m[1]);
		max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
	}
	if (min > CUSTOM_MAX_REPEAT || (max !== Infinity && max > CUSTOM_MAX_REPEAT * 4)) g.refuse(`repeats more than ${CUSTOM_MAX_REPEAT * 4} times`);
	const last = g.last;
	if ('lookaround' in last && max > 1) {
		if (last.variableQuantifier) g.refuse('repeats a group that itself contains a variable repetition (nested quantifier)');
		if (last.alternation) g.refuse('repeats a group that contains an alternation');
	}
	if (min !== max) {
		g.stack[g.stack.length - 1].variableQuantifier = true;
		if (max > 1 && ++g.variableRepeats > MAX_VARIABLE_REPEATS) g.refuse(`has more than ${MAX_VARIABLE_REPEATS} variable repetitions (+, *, {m,n})`);
	}
	const bounded = max === Infinity ? Math.max(min, CUSTOM_MAX_REPEAT) : max;
	// A repeated group is one unit of the chain that was current when it opened.
	if ('lookaround' in last) g.chain = last.chainAtOpen;
	g.repeat(last.set, min, bounded);
	g.out += max === Infinity ? `{${min},${bounded}}` : source.slice(i, i + len);
	g.i += len;
	if (source[g.i] === '?') {
		g.out += '?';
		g.i++;
	}
	g.last = null;
}

/** Checks and rewrites a pattern source; throws RedactionError naming `field` on refusal. */
export function guardPattern(source: string, field: string, flags = ''): string {
	const g = new Guard(source, field, flags);
	while (g.i < source.length) {
		const c = source[g.i];
		if (c === '\\') readEscape(g);
		else if (c === '[') readClass(g);
		else if (c === '(') openGroup(g);
		else if (c === ')') closeGroup(g);
		else if (c === '|') alternation(g);
		else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(source.slice(g.i, g.i + 24)))) readQuantifier(g);
		else if (c === '^' || c === '$') {
			g.settle();
			g.out += c;
			g.i++;
		} else {
			g.i++;
			g.atom(c);
		}
	}
	g.settle();
	if (g.stack.length !== 1) g.refuse('has an unbalanced parenthesis');
	return g.out;
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
	const source = guardPattern(def.pattern, field, flags);
	const re = tryRegExp(source, `${flags}g`);
	if (!re) throw new RedactionError(`${field}: the pattern is not a valid JavaScript regular expression`, 'custom.pattern');
	if (re.test('')) throw new RedactionError(`${field}: the pattern matches an empty string`, 'custom.pattern');
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
