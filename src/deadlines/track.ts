/**
 * Request tracking in the audit ledger: each access or erasure request gets a `request.received`
 * entry (regime, kind, received day, due day), optionally `request.extended`, and is closed by
 * `request.closed` — or by the work itself: `erasure.done` / `dsar.export` under the same request id.
 * `dueRequests` lists the open ones due within N days or overdue (what the trigger emits).
 */
import type { Ledger, LedgerEntry } from '../ledger';
import { computeDeadline, dayOf, daysBetween, parseDay } from './compute';
import type { Day, Deadline, Regime } from './compute';

export const REQUEST_RECEIVED = 'request.received';
export const REQUEST_EXTENDED = 'request.extended';
export const REQUEST_CLOSED = 'request.closed';
/** Entries that close a request with the same request id. */
const CLOSING = new Set([REQUEST_CLOSED, 'erasure.done', 'dsar.export']);

export type RequestKind = 'access' | 'erasure';

export interface TrackedRequest extends Deadline {
	requestId: string;
	kind: RequestKind;
	/** HMACs of the person's identifiers, when given at intake. */
	subjects: string[];
	/** Days from today to the effective due day (negative = overdue). */
	daysLeft: number;
	overdue: boolean;
	closed: boolean;
	closedAt: string | null;
	/** The entry type that closed it: `request.closed`, `erasure.done` or `dsar.export`. */
	closedBy: string | null;
}

export async function trackRequest(
	ledger: Ledger,
	req: { requestId: string; kind: RequestKind; regime: Regime; received: string | Date; timeZone?: string; subjects?: string[] },
): Promise<LedgerEntry> {
	if (req.kind !== 'access' && req.kind !== 'erasure') throw new RangeError('kind must be "access" or "erasure"');
	const d = computeDeadline({ regime: req.regime, received: req.received, timeZone: req.timeZone });
	return await ledger.append({
		type: REQUEST_RECEIVED,
		requestId: req.requestId,
		subjects: req.subjects,
		data: { kind: req.kind, regime: d.regime, receivedDay: d.receivedDay, dueDay: d.dueDay, extendedDueDay: d.extendedDueDay },
	});
}

/** Records the statutory extension (GDPR: two more months; CCPA: 45 more days). `reason` is a short code. */
export async function extendRequest(ledger: Ledger, requestId: string, reason = 'complexity'): Promise<LedgerEntry> {
	return await ledger.append({ type: REQUEST_EXTENDED, requestId, data: { reason } });
}

export async function closeRequest(ledger: Ledger, requestId: string, outcome = 'answered'): Promise<LedgerEntry> {
	return await ledger.append({ type: REQUEST_CLOSED, requestId, data: { outcome } });
}

/** The state of one request from its `request.received` entry and every entry with its request id. */
function stateOf(r: LedgerEntry, entries: LedgerEntry[], today: Day): TrackedRequest {
	const extended = entries.some((e) => e.type === REQUEST_EXTENDED && e.seq > r.seq);
	const closing = entries.find((e) => CLOSING.has(e.type) && e.seq > r.seq);
	const data = r.data as { kind: RequestKind; regime: Regime; receivedDay: string };
	const d = computeDeadline({ regime: data.regime, received: data.receivedDay, extended });
	const due = parseDay(d.effectiveDueDay);
	const daysLeft = due ? daysBetween(today, due) : 0;
	return {
		...d,
		requestId: r.requestId,
		kind: data.kind,
		subjects: r.subjects,
		daysLeft,
		overdue: daysLeft < 0,
		closed: closing !== undefined,
		closedAt: closing?.at ?? null,
		closedBy: closing?.type ?? null,
	};
}

/**
 * One request's current state, or undefined when no `request.received` was recorded for the id.
 * When the same id was received twice (two executions racing), the first entry counts.
 */
export async function getRequest(ledger: Ledger, requestId: string, opts: { now?: Date; timeZone?: string } = {}): Promise<TrackedRequest | undefined> {
	const entries = await ledger.search({ requestId, limit: 10_000 });
	const received = entries.find((e) => e.type === REQUEST_RECEIVED);
	return received ? stateOf(received, entries, dayOf(opts.now ?? new Date(), opts.timeZone)) : undefined;
}

/** Every tracked request with its current state (oldest received first; one per request id). */
export async function listRequests(ledger: Ledger, opts: { now?: Date; timeZone?: string } = {}): Promise<TrackedRequest[]> {
	const today = dayOf(opts.now ?? new Date(), opts.timeZone);
	const received = await ledger.search({ type: REQUEST_RECEIVED, limit: 10_000 });
	const out: TrackedRequest[] = [];
	const seen = new Set<string>();
	for (const r of received) {
		// A repeated `request.received` (e.g. two executions racing) is the same request: first one wins.
		if (seen.has(r.requestId)) continue;
		seen.add(r.requestId);
		const entries = await ledger.search({ requestId: r.requestId, limit: 10_000 });
		out.push(stateOf(r, entries, today));
	}
	return out;
}

/** Open requests due within `withinDays` days (inclusive) or already overdue, most urgent first. */
export async function dueRequests(ledger: Ledger, opts: { withinDays: number; now?: Date; timeZone?: string }): Promise<TrackedRequest[]> {
	if (!Number.isInteger(opts.withinDays) || opts.withinDays < 0) throw new RangeError('withinDays must be a whole number ≥ 0');
	const all = await listRequests(ledger, opts);
	return all.filter((r) => !r.closed && r.daysLeft <= opts.withinDays).sort((a, b) => a.daysLeft - b.daysLeft);
}
