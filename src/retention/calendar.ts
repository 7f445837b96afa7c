// Retention's cutoff day: the generic calendar-day arithmetic is in src/util/calendar.ts.
import { dayIn, zonedUnix, addDays, isoDay } from '../util/calendar';

/**
 * The cutoff of "inactive for at least N days": the first day that still counts as recent is
 * today − N (in the time zone), so a contact qualifies only when its date falls on today − N − 1 or
 * earlier — N whole calendar days without activity, never a day early.
 */
export function inactivityCutoff(timeZone: string, nowMs: number, inactiveDays: number): { cutoffDay: string; cutoffStart: number; searchValue: number } {
	const day = addDays(dayIn(timeZone, nowMs), -inactiveDays);
	return {
		cutoffDay: isoDay(day),
		cutoffStart: zonedUnix(timeZone, day),
		// Any instant inside the cutoff day selects that day; noon stays inside it whatever the DST shift.
		searchValue: zonedUnix(timeZone, day, 12),
	};
}
