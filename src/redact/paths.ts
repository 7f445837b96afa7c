// Path rules, compiled once into a trie (fast-redact style: parse and plan at setup, then a walk
// that only visits what the plan can match). Syntax:
//   a.b   a["odd key"]   a[0]   a.*  /  a[*]  (any one key or index)   **  (any number of levels)
// The walk keeps the set of trie states active at each value (an NFA without backtracking), so its
// cost is the size of the visited data times the number of rules, whatever the wildcards.
import { RedactionError } from './types';

export type Segment = { kind: 'key'; key: string } | { kind: 'any' } | { kind: 'deep' };

export interface PlanNode<T> {
	keys: Map<string, PlanNode<T>>;
	any?: PlanNode<T>;
	/** Child entered by a `**` segment; it loops on itself for every further level. */
	deep?: PlanNode<T>;
	loops: boolean;
	/** Payloads of rules ending here, with their rule order. */
	ends: { order: number; value: T }[];
}

export function parsePath(path: string, field: string): Segment[] {
	const bad = (why: string): never => {
		throw new RedactionError(`${field}: path "${path}" ${why}`, field);
	};
	if (typeof path !== 'string' || path.trim() === '') bad('is empty');
	const segs: Segment[] = [];
	const p = path.trim();
	let i = 0;
	let expectName = true;
	while (i < p.length) {
		const c = p[i];
		if (c === '[') {
			const close = p.indexOf(']', i);
			if (close < 0) bad('has an unclosed "["');
			let inner = p.slice(i + 1, close).trim();
			if (inner[0] === '"' || inner[0] === "'") {
				const q = inner[0];
				const qEnd = p.indexOf(q + ']', i + 2);
				if (qEnd < 0) bad('has an unclosed quoted key');
				inner = p.slice(p.indexOf(q, i) + 1, qEnd);
				segs.push({ kind: 'key', key: inner });
				i = qEnd + 2;
			} else {
				if (inner === '*') segs.push({ kind: 'any' });
				else if (/^\d+$/.test(inner)) segs.push({ kind: 'key', key: String(Number(inner)) });
				else bad('has a bracket that is not [*], [number] or ["key"]');
				i = close + 1;
			}
			expectName = false;
			continue;
		}
		if (c === '.') {
			if (expectName) bad('has an empty segment');
			expectName = true;
			i++;
			continue;
		}
		if (!expectName) bad('needs a "." between segments');
		let j = i;
		while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
		const name = p.slice(i, j);
		if (name === '**') segs.push({ kind: 'deep' });
		else if (name === '*') segs.push({ kind: 'any' });
		else if (name.includes('*')) bad('uses "*" inside a name (use it as a whole segment)');
		else if (name.includes(']')) bad('has a "]" without "["');
		else segs.push({ kind: 'key', key: name });
		i = j;
		expectName = false;
	}
	if (expectName) bad('ends with "."');
	return segs;
}

export function emptyNode<T>(loops = false): PlanNode<T> {
	return { keys: new Map(), loops, ends: [] };
}

export function addPath<T>(root: PlanNode<T>, segs: Segment[], order: number, value: T): void {
	let node = root;
	for (const s of segs) {
		if (s.kind === 'key') {
			let next = node.keys.get(s.key);
			if (!next) node.keys.set(s.key, (next = emptyNode()));
			node = next;
		} else if (s.kind === 'any') node = node.any ??= emptyNode();
		else node = node.deep ??= emptyNode(true);
	}
	node.ends.push({ order, value });
}

/** Adds `**` children (zero levels) to a state set. */
export function closure<T>(states: PlanNode<T>[]): PlanNode<T>[] {
	const out: PlanNode<T>[] = [];
	const stack = [...states];
	while (stack.length) {
		const s = stack.pop()!;
		if (out.includes(s)) continue;
		out.push(s);
		if (s.deep) stack.push(s.deep);
	}
	return out;
}

/** States after stepping into child `key`. */
export function step<T>(states: readonly PlanNode<T>[], key: string): PlanNode<T>[] {
	const next: PlanNode<T>[] = [];
	for (const s of states) {
		const k = s.keys.get(key);
		if (k) next.push(k);
		if (s.any) next.push(s.any);
		if (s.loops) next.push(s);
	}
	return next.length ? closure(next) : next;
}

/** The first rule (lowest order) ending in any of the states. */
export function firstEnd<T>(states: readonly PlanNode<T>[]): T | undefined {
	let best: { order: number; value: T } | undefined;
	for (const s of states) for (const e of s.ends) if (!best || e.order < best.order) best = e;
	return best?.value;
}

/** Path text for findings: a.b[2]["odd.key"]. */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;
export function childPath(parent: string, key: string, isIndex: boolean): string {
	if (isIndex) return `${parent}[${key}]`;
	if (PLAIN_KEY.test(key)) return parent ? `${parent}.${key}` : key;
	return `${parent}[${JSON.stringify(key)}]`;
}
