// Calendar-day arithmetic in the workspace time zone. Intercom's search compares date fields by
// calendar day in the workspace's time zone, not by second and not in UTC.

function partsIn(timeZone: string, ms: number): { y: number; m: number; d: number; h: number; min: number; s: number } {
	const fmt = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	});
	const p: Record<string, number> = {};
	for (const part of fmt.formatToParts(new Date(ms))) {
		if (part.type !== 'literal') p[part.type] = Number(part.value);
	}
	return { y: p.year, m: p.month, d: p.day, h: p.hour, min: p.minute, s: p.second };
}

/** Offset of the zone from UTC at instant `ms`, in ms (local = utc + offset). */
function offsetAt(timeZone: string, ms: number): number {
	const p = partsIn(timeZone, ms);
	const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
	return asUtc - Math.floor(ms / 1000) * 1000;
}

/** UNIX seconds of local wall-clock time y-m-d h:min:s in `timeZone`. */
export function zonedTime(timeZone: string, y: number, m: number, d: number, h = 0, min = 0, s = 0): number {
	const guess = Date.UTC(y, m - 1, d, h, min, s);
	let result = guess - offsetAt(timeZone, guess);
	result = guess - offsetAt(timeZone, result);
	return Math.floor(result / 1000);
}

/** Start (UNIX seconds) of the calendar day containing `unixSeconds`, in `timeZone`. */
export function startOfDay(timeZone: string, unixSeconds: number): number {
	const p = partsIn(timeZone, unixSeconds * 1000);
	return zonedTime(timeZone, p.y, p.m, p.d);
}

/** Start (UNIX seconds) of the calendar day after the one containing `unixSeconds`. */
export function startOfNextDay(timeZone: string, unixSeconds: number): number {
	const p = partsIn(timeZone, unixSeconds * 1000);
	// Date.UTC normalises day overflow (e.g. 31 + 1) to the next month.
	const next = new Date(Date.UTC(p.y, p.m - 1, p.d + 1));
	return zonedTime(timeZone, next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}
