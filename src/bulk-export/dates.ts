/**
 * The date range of an export job, checked before anything is sent to Intercom. Intercom selects
 * whole days, inclusive at both ends (docs of POST /export/content/data); we send the first second
 * of `from` and the last second of `to`, in UTC.
 */
import { IntercomInputError } from '../intercom';
import type { DayRange } from './types';

const DAY = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;
const DAY_SECONDS = 86_400;

/** UNIX seconds of 00:00:00 UTC of the given day, or undefined when it is not a real date. */
function dayStart(field: string, v: unknown): number {
	if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
		throw new IntercomInputError(field, 'it is missing', `Set the ${field} date (YYYY-MM-DD); both ends of the range are required.`);
	}
	let y: number, m: number, d: number;
	if (v instanceof Date) {
		if (Number.isNaN(v.getTime())) throw new IntercomInputError(field, 'it is not a valid date', 'Use a date like 2025-03-10.');
		[y, m, d] = [v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate()];
	} else {
		const match = typeof v === 'string' ? DAY.exec(v.trim()) : null;
		if (!match) throw new IntercomInputError(field, 'it is not a date', 'Use a date like 2025-03-10 (or an ISO date-time; its date part is used).');
		[y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
	}
	const t = Date.UTC(y, m - 1, d);
	const back = new Date(t);
	if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
		throw new IntercomInputError(field, 'it is not a real calendar day', 'Check the month and day.');
	}
	return t / 1000;
}

/**
 * `{from, to}` → `{after, before}` in UNIX seconds. Rules: both required; `from` not after `to`
 * (the same day is a one-day export); `to` not later than today (UTC).
 */
export function toUnixRange(range: Partial<DayRange> | undefined, now: () => number = Date.now): { after: number; before: number } {
	const after = dayStart('from', range?.from);
	const toStart = dayStart('to', range?.to);
	if (after > toStart) {
		throw new IntercomInputError('from', 'it is later than the "to" date', 'Swap the dates: "from" must be on or before "to" (both days are included).');
	}
	const todayStart = Math.floor(now() / 1000 / DAY_SECONDS) * DAY_SECONDS;
	if (toStart > todayStart) {
		throw new IntercomInputError('to', 'it is in the future', 'Use today or an earlier day: Intercom can only export messages already sent.');
	}
	return { after, before: toStart + DAY_SECONDS - 1 };
}
