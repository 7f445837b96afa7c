/**
 * Dates as ISO 8601 in a chosen IANA time zone, with its offset: `2026-03-10T14:05:09+01:00`.
 * Intercom sends UNIX seconds (most fields), milliseconds (some), or ISO strings (event summary).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function fmt(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
		formatters.set(timeZone, f);
	}
	return f;
}

export function isoInZone(ms: number, timeZone = 'UTC'): string {
	const parts = Object.fromEntries(fmt(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
	const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
	const offsetMin = Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
	const sign = offsetMin >= 0 ? '+' : '-';
	const abs = Math.abs(offsetMin);
	const off = offsetMin === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
	return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${off}`;
}

/** A date-like value (seconds, milliseconds, ISO string) → ISO in the zone; '' when it is not a date. */
export function dateValue(v: unknown, timeZone = 'UTC'): string {
	if (typeof v === 'number' && Number.isFinite(v) && v > 0) return isoInZone(v < 1e12 ? v * 1000 : v, timeZone);
	if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) return isoInZone(Date.parse(v), timeZone);
	return typeof v === 'string' ? v : '';
}

/** Field names that hold dates in Intercom's objects (`created_at`, `vip_since`, …). */
export const isDateKey = (k: string): boolean => /(_at|_since|_date)$/.test(k) || k === 'first' || k === 'last';
