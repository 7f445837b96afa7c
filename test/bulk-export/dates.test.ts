import { describe, expect, it } from 'vitest';
import { toUnixRange } from '../../src/bulk-export';
import { IntercomInputError } from '../../src/intercom';

const NOW = Date.parse('2026-03-15T10:00:00Z');
const now = (): number => NOW;

function fieldOf(fn: () => unknown): string {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(IntercomInputError);
		return `${(e as IntercomInputError).field}: ${(e as Error).message}`;
	}
	throw new Error('expected an error');
}

describe('toUnixRange (inclusive whole days, UTC)', () => {
	it('covers the first second of "from" to the last second of "to"', () => {
		expect(toUnixRange({ from: '2026-03-01', to: '2026-03-02' }, now)).toEqual({
			after: Date.parse('2026-03-01T00:00:00Z') / 1000,
			before: Date.parse('2026-03-02T23:59:59Z') / 1000,
		});
	});

	it('takes the date part of ISO date-times and Date objects (what n8n date fields hold)', () => {
		const r = toUnixRange({ from: '2026-03-01T17:30:00.000+01:00', to: new Date('2026-03-10T05:00:00Z') }, now);
		expect(r.after).toBe(Date.parse('2026-03-01T00:00:00Z') / 1000);
		expect(r.before).toBe(Date.parse('2026-03-10T23:59:59Z') / 1000);
	});

	it('allows one day (from = to) and today as the end', () => {
		const r = toUnixRange({ from: '2026-03-15', to: '2026-03-15' }, now);
		expect(r.before - r.after).toBe(86_399);
	});

	it('requires both dates', () => {
		expect(fieldOf(() => toUnixRange({ to: '2026-03-01' }, now))).toMatch(/^from: Invalid from: it is missing/);
		expect(fieldOf(() => toUnixRange({ from: '2026-03-01', to: '' }, now))).toMatch(/^to: .*missing/);
	});

	it('rejects "from" after "to", naming the fix', () => {
		expect(fieldOf(() => toUnixRange({ from: '2026-03-05', to: '2026-03-04' }, now))).toMatch(/^from: .*later than the "to" date.*Swap/);
	});

	it('rejects an end in the future (tomorrow) but not today', () => {
		expect(fieldOf(() => toUnixRange({ from: '2026-03-01', to: '2026-03-16' }, now))).toMatch(/^to: .*in the future/);
	});

	it('rejects what is not a real date', () => {
		expect(fieldOf(() => toUnixRange({ from: '2026-02-30', to: '2026-03-01' }, now))).toMatch(/^from: .*not a real calendar day/);
		expect(fieldOf(() => toUnixRange({ from: 'last week', to: '2026-03-01' }, now))).toMatch(/^from: .*not a date/);
	});
});
