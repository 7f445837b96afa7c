/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` members dropped,
 * only finite numbers. The same entry always serialises to the same bytes, on every backend and
 * Node version, so its hash can be recomputed years later.
 */
export function canonicalJson(value: unknown): string {
	if (value === null) return 'null';
	switch (typeof value) {
		case 'string':
			return JSON.stringify(value);
		case 'boolean':
			return value ? 'true' : 'false';
		case 'number':
			if (!Number.isFinite(value)) throw new TypeError('Ledger entries hold finite numbers only');
			return JSON.stringify(value);
		case 'object': {
			if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
			const obj = value as Record<string, unknown>;
			const keys = Object.keys(obj)
				.filter((k) => obj[k] !== undefined)
				.sort();
			return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
		}
		default:
			throw new TypeError(`Ledger entries cannot hold a ${typeof value}`);
	}
}
