// A tiny seeded PRNG (mulberry32) so the same seed always yields the same workspace.
// No faker: every generated value is obviously fake and reproducible.

export interface Rng {
	next(): number; // [0, 1)
	int(min: number, max: number): number; // inclusive
	pick<T>(items: readonly T[]): T;
	chance(p: number): boolean;
	hex(length: number): string;
	alnum(length: number): string;
}

export function createRng(seed: number): Rng {
	let state = seed >>> 0 || 0x9e3779b9;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
	const chars = (alphabet: string, length: number): string => {
		let out = '';
		for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
		return out;
	};
	return {
		next,
		int,
		pick: (items) => items[Math.floor(next() * items.length)],
		chance: (p) => next() < p,
		hex: (length) => chars('0123456789abcdef', length),
		alnum: (length) => chars('abcdefghijklmnopqrstuvwxyz0123456789', length),
	};
}
