/**
 * Whole calendar days in a time zone. Intercom's contact search compares dates by calendar day in the
 * workspace time zone (`<` = before the start of that day, `>` = from the next day), so retention
 * cutoffs are computed as days there, not as "now minus N × 24 h" in UTC.
 */

export interface CalendarDay {
	y: number;
	m: number;
	d: number;
}

function partsIn(timeZone: string, ms: number): CalendarDay & { h: number; min: number; s: number } {
	const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
	const p: Record<string, number> = {};
	for (const part of fmt.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
	return { y: p.year, m: p.month, d: p.day, h: p.hour, min: p.minute, s: p.second };
}

/** The calendar day in `timeZone` that contains instant `ms`. */
export function dayIn(timeZone: string, ms: number): CalendarDay {
	const { y, m, d } = partsIn(timeZone, ms);
	return { y, m, d };
}

/** UNIX seconds of wall-clock y-m-d h:min in `timeZone` (DST-safe: offset re-evaluated at the result). */
export function zonedUnix(timeZone: string, day: CalendarDay, h = 0, min = 0): number {
	const guess = Date.UTC(day.y, day.m - 1, day.d, h, min);
	const offsetAt = (ms: number) => {
		const p = partsIn(timeZone, ms);
		return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(ms / 1000) * 1000;
	};
	let result = guess - offsetAt(guess);
	result = guess - offsetAt(result);
	return Math.floor(result / 1000);
}

/** `day` plus `n` calendar days (n may be negative). */
export function addDays(day: CalendarDay, n: number): CalendarDay {
	const t = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
	return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function isoDay(day: CalendarDay): string {
	return `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}
