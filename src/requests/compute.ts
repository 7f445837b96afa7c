/**
 * Statutory response deadlines, as calendar days.
 * - GDPR Art. 12(3): one month from receipt, extendable by two further months. A period in months
 *   ends on the same day-of-month; when that month is shorter, on its last day (Regulation
 *   1182/71 Art. 3(2)(c)): 31 January + 1 month → 28 (or 29) February.
 * - CCPA (Cal. Civ. Code §1798.130(a)(2)): 45 calendar days, extendable once by another 45.
 * - CCPA acknowledgement (Cal. Code Regs. tit. 11 §7021(a)): confirm receipt within 10 business
 *   days. Business days here are Monday–Friday; public holidays are NOT skipped, so the day we
 *   compute is never later than the statutory one (a holiday can only make the real deadline later).
 *   The GDPR has no separate acknowledgement deadline (Art. 12(3): "without undue delay").
 */

import { addDays, type CalendarDay, dayIn, isoDay } from '../util/calendar';

export type Regime = 'gdpr' | 'ccpa';
export const REGIMES: Regime[] = ['gdpr', 'ccpa'];

/** A calendar day; the same arithmetic as retention's workspace-day cutoffs (util/calendar.ts). */
export type Day = CalendarDay;
/** `formatDay` is retention's `isoDay` (YYYY-MM-DD) under the name this module has always exported. */
export { addDays, isoDay as formatDay };

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDay(text: string): Day | undefined {
	const m = DAY_RE.exec(text);
	if (!m) return undefined;
	const day = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
	const t = new Date(Date.UTC(day.y, day.m - 1, day.d));
	return t.getUTCFullYear() === day.y && t.getUTCMonth() + 1 === day.m && t.getUTCDate() === day.d ? day : undefined;
}

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Same day-of-month `n` months later, clamped to the month's last day (31 Jan + 1 → end of Feb). */
export function addMonths(day: Day, n: number): Day {
	const index = day.y * 12 + (day.m - 1) + n;
	const y = Math.floor(index / 12);
	const m = (index % 12) + 1;
	return { y, m, d: Math.min(day.d, daysInMonth(y, m)) };
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: Day, b: Day): number {
	return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

/** The calendar day of an instant in a time zone (default UTC). */
export function dayOf(instant: Date | string | number, timeZone = 'UTC'): Day {
	const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
	if (!Number.isFinite(ms)) throw new RangeError('receivedAt is not a date');
	return dayIn(timeZone, ms);
}

/** `day` plus `n` business days (Monday–Friday; holidays are not known here, see above). */
export function addBusinessDays(day: Day, n: number): Day {
	let d = day;
	let left = n;
	while (left > 0) {
		d = addDays(d, 1);
		const weekday = new Date(Date.UTC(d.y, d.m - 1, d.d)).getUTCDay();
		if (weekday !== 0 && weekday !== 6) left--;
	}
	return d;
}

/** CCPA §7021(a): 10 business days to confirm receipt. */
export const CCPA_ACKNOWLEDGE_BUSINESS_DAYS = 10;

/** The day by which receipt must be confirmed, or null when the regime sets no separate deadline (GDPR). */
export function acknowledgementDueDay(regime: Regime, receivedDay: string): string | null {
	if (regime !== 'ccpa') return null;
	const day = parseDay(receivedDay);
	if (!day) throw new RangeError('receivedDay is not a calendar day (YYYY-MM-DD)');
	return isoDay(addBusinessDays(day, CCPA_ACKNOWLEDGE_BUSINESS_DAYS));
}

export interface Deadline {
	regime: Regime;
	/** Day the request was received (YYYY-MM-DD). */
	receivedDay: string;
	/** Due without extension. */
	dueDay: string;
	/** Latest possible due day with the statutory extension (tell the person within the first period, with reasons). */
	extendedDueDay: string;
	/** The due day that applies now: `extendedDueDay` when extended, else `dueDay`. */
	effectiveDueDay: string;
	extended: boolean;
}

/** Due dates for a request received on `received` (a YYYY-MM-DD day, or an instant read in `timeZone`). */
export function computeDeadline(opts: { regime: Regime; received: string | Date | number; extended?: boolean; timeZone?: string }): Deadline {
	if (!REGIMES.includes(opts.regime)) throw new RangeError('regime must be "gdpr" or "ccpa"');
	const day = typeof opts.received === 'string' && DAY_RE.test(opts.received) ? parseDay(opts.received) : dayOf(opts.received, opts.timeZone);
	if (!day) throw new RangeError('received is not a calendar day (YYYY-MM-DD)');
	const due = opts.regime === 'gdpr' ? addMonths(day, 1) : addDays(day, 45);
	const extendedDue = opts.regime === 'gdpr' ? addMonths(day, 3) : addDays(day, 90);
	const extended = opts.extended === true;
	return {
		regime: opts.regime,
		receivedDay: isoDay(day),
		dueDay: isoDay(due),
		extendedDueDay: isoDay(extendedDue),
		effectiveDueDay: isoDay(extended ? extendedDue : due),
		extended,
	};
}
