/**
 * Request tracking in the audit ledger. Each access or erasure request is a sequence of entries
 * under one request id:
 *
 *   request.received → request.acknowledged → request.verified (or request.verification_waived)
 *   → [request.extended] → request.delivered → request.closed
 *   or request.refused (a reason code), which ends the request.
 *
 * An erasure's own `erasure.done` receipt also ends an erasure request (unless it says the erasure
 * was incomplete or held). Generating an access package (`dsar.export`) does NOT: a package that
 * was never sent answers nothing; the request ends when it is delivered and closed.
 * `dueRequests` lists the open ones with an acknowledgement or delivery deadline within N days.
 */
import type { JsonValue, Ledger, LedgerEntry } from '../ledger';
import { acknowledgementDueDay, computeDeadline, dayOf, daysBetween, parseDay } from './compute';
import type { Day, Deadline, Regime } from './compute';

export const REQUEST_RECEIVED = 'request.received';
export const REQUEST_ACKNOWLEDGED = 'request.acknowledged';
export const REQUEST_VERIFIED = 'request.verified';
export const REQUEST_VERIFICATION_WAIVED = 'request.verification_waived';
export const REQUEST_EXTENDED = 'request.extended';
export const REQUEST_DELIVERED = 'request.delivered';
export const REQUEST_REFUSED = 'request.refused';
export const REQUEST_RECIPIENT_NOTIFIED = 'request.recipient_notified';
export const REQUEST_CLOSED = 'request.closed';

/** Erasure statuses that do not answer the request (the receipt says what is left). */
const UNFINISHED_ERASURE = new Set(['incomplete', 'held', 'failed', 'dry_run']);

export type RequestKind = 'access' | 'erasure';
export type VerificationLevel = 'standard' | 'high';
export type RequestStatus = 'received' | 'acknowledged' | 'verified' | 'delivered' | 'closed' | 'refused';

/** One statutory clock of a request. */
export interface RequestDeadline {
	/** `acknowledgement`: confirm receipt (CCPA §7021, 10 business days); `delivery`: answer the request. */
	kind: 'acknowledgement' | 'delivery';
	dueDay: string;
	/** Days from today (negative = overdue); null once met. */
	daysLeft: number | null;
	met: boolean;
	metAt: string | null;
	/** Met after its due day, or still open past it. */
	late: boolean;
}

export interface TrackedRequest extends Deadline {
	requestId: string;
	kind: RequestKind;
	/** HMACs of the person's identifiers, when given at intake. */
	subjects: string[];
	/** How the request arrived (a code such as `web_form`), when recorded at intake. */
	channel: string | null;
	/** The furthest step reached. */
	status: RequestStatus;
	/** Days from today to the effective (delivery) due day (negative = overdue). */
	daysLeft: number;
	overdue: boolean;
	acknowledgementDueDay: string | null;
	acknowledgedAt: string | null;
	verification: { method: string; level: VerificationLevel; dataPoints: number; at: string } | null;
	/** Work allowed to go ahead without a `verified` step: the recorded reason code. */
	verificationWaived: { reason: string; at: string } | null;
	deliveredAt: string | null;
	deliveryChannel: string | null;
	refusal: { code: string; at: string } | null;
	/** Downstream systems recorded as notified of the erasure (GDPR Art. 19, CCPA §7022(b)). */
	recipientsNotified: string[];
	/** The acknowledgement (CCPA only) and delivery deadlines, with whether and when each was met. */
	deadlines: RequestDeadline[];
	/** The earliest deadline not yet met, or null when all are met. */
	nextDeadline: RequestDeadline | null;
	closed: boolean;
	closedAt: string | null;
	/** The entry type that closed it: `request.closed`, `request.refused` or `erasure.done`. */
	closedBy: string | null;
}

export async function trackRequest(
	ledger: Ledger,
	req: { requestId: string; kind: RequestKind; regime: Regime; received: string | Date; timeZone?: string; subjects?: string[]; channel?: string },
): Promise<LedgerEntry> {
	if (req.kind !== 'access' && req.kind !== 'erasure') throw new RangeError('kind must be "access" or "erasure"');
	const d = computeDeadline({ regime: req.regime, received: req.received, timeZone: req.timeZone });
	const data: { [k: string]: JsonValue } = { kind: req.kind, regime: d.regime, receivedDay: d.receivedDay, dueDay: d.dueDay, extendedDueDay: d.extendedDueDay };
	const ack = acknowledgementDueDay(d.regime, d.receivedDay);
	if (ack) data.acknowledgementDueDay = ack;
	if (req.channel) data.channel = req.channel;
	return await ledger.append({ type: REQUEST_RECEIVED, requestId: req.requestId, subjects: req.subjects, data });
}

/** Records the statutory extension (GDPR: two more months; CCPA: 45 more days). `reason` is a short code. */
export async function extendRequest(ledger: Ledger, requestId: string, reason = 'complexity'): Promise<LedgerEntry> {
	return await ledger.append({ type: REQUEST_EXTENDED, requestId, data: { reason } });
}

export async function closeRequest(ledger: Ledger, requestId: string, outcome = 'answered'): Promise<LedgerEntry> {
	return await ledger.append({ type: REQUEST_CLOSED, requestId, data: { outcome } });
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Whether an entry ends the request (a work entry counts only when it really answered it). */
function closes(e: LedgerEntry, kind: RequestKind): boolean {
	if (e.type === REQUEST_CLOSED || e.type === REQUEST_REFUSED) return true;
	return kind === 'erasure' && e.type === 'erasure.done' && !UNFINISHED_ERASURE.has(String(e.data.status ?? ''));
}

function deadline(kind: RequestDeadline['kind'], dueDay: string, metAt: string | null, today: Day, timeZone: string | undefined): RequestDeadline {
	const due = parseDay(dueDay);
	const metDay = metAt ? dayOf(metAt, timeZone) : undefined;
	const daysLeft = metAt || !due ? null : daysBetween(today, due);
	return {
		kind,
		dueDay,
		daysLeft,
		met: metAt !== null,
		metAt,
		late: due ? (metDay ? daysBetween(due, metDay) > 0 : daysBetween(today, due) < 0) : false,
	};
}

/** The state of one request from its `request.received` entry and every entry with its request id. */
function stateOf(r: LedgerEntry, entries: LedgerEntry[], today: Day, timeZone?: string): TrackedRequest {
	const after = entries.filter((e) => e.seq > r.seq);
	const first = (type: string) => after.find((e) => e.type === type);
	const data = r.data as { kind: RequestKind; regime: Regime; receivedDay: string; channel?: string };
	const extended = first(REQUEST_EXTENDED) !== undefined;
	const closing = after.find((e) => closes(e, data.kind));
	const acknowledged = first(REQUEST_ACKNOWLEDGED);
	// The strongest verification recorded (a later `high` outranks an earlier `standard`).
	const verifications = after.filter((e) => e.type === REQUEST_VERIFIED);
	const verified = verifications.find((e) => e.data.level === 'high') ?? verifications[0];
	const waived = first(REQUEST_VERIFICATION_WAIVED);
	const delivered = first(REQUEST_DELIVERED);
	const refused = first(REQUEST_REFUSED);
	const erasureDone = data.kind === 'erasure' ? after.find((e) => e.type === 'erasure.done' && !UNFINISHED_ERASURE.has(String(e.data.status ?? ''))) : undefined;
	const d = computeDeadline({ regime: data.regime, received: data.receivedDay, extended });
	const due = parseDay(d.effectiveDueDay);
	const daysLeft = due ? daysBetween(today, due) : 0;
	const ackDue = acknowledgementDueDay(data.regime, data.receivedDay);
	// Any answer stops the delivery clock: the package or confirmation delivered, the erasure's
	// receipt, a refusal (which must also be given within the period), or a close (e.g. withdrawn).
	const answeredAt = [delivered, erasureDone, refused, closing].map((e) => e?.at).filter((a): a is string => !!a).sort()[0] ?? null;
	const deadlines: RequestDeadline[] = [];
	// Acknowledging is implied by any later step that reached the person.
	if (ackDue) deadlines.push(deadline('acknowledgement', ackDue, acknowledged?.at ?? answeredAt, today, timeZone));
	deadlines.push(deadline('delivery', d.effectiveDueDay, answeredAt, today, timeZone));
	const open = deadlines.filter((x) => !x.met);
	const status: RequestStatus = refused
		? 'refused'
		: closing
			? 'closed'
			: delivered
				? 'delivered'
				: verified
					? 'verified'
					: acknowledged
						? 'acknowledged'
						: 'received';
	const recipients = [...new Set(after.filter((e) => e.type === REQUEST_RECIPIENT_NOTIFIED).map((e) => String(e.data.recipient)))];
	return {
		...d,
		requestId: r.requestId,
		kind: data.kind,
		subjects: r.subjects,
		channel: str(data.channel),
		status,
		daysLeft,
		overdue: daysLeft < 0,
		acknowledgementDueDay: ackDue,
		acknowledgedAt: acknowledged?.at ?? null,
		verification: verified
			? { method: String(verified.data.method), level: verified.data.level === 'high' ? 'high' : 'standard', dataPoints: Number(verified.data.dataPoints ?? 0), at: verified.at }
			: null,
		verificationWaived: waived ? { reason: String(waived.data.reason), at: waived.at } : null,
		deliveredAt: delivered?.at ?? null,
		deliveryChannel: delivered ? str(delivered.data.channel) : null,
		refusal: refused ? { code: String(refused.data.code), at: refused.at } : null,
		recipientsNotified: recipients,
		deadlines,
		nextDeadline: open.sort((a, b) => (a.daysLeft ?? 0) - (b.daysLeft ?? 0))[0] ?? null,
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
	return received ? stateOf(received, entries, dayOf(opts.now ?? new Date(), opts.timeZone), opts.timeZone) : undefined;
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
		out.push(stateOf(r, entries, today, opts.timeZone));
	}
	return out;
}

/** Days to the next unmet deadline (an unacknowledged CCPA request is due by its acknowledgement day); none left: last. */
const urgency = (r: TrackedRequest) => r.nextDeadline?.daysLeft ?? Number.POSITIVE_INFINITY;

/**
 * The open requests of `requests`, most urgent first (by their next deadline, then by the delivery
 * deadline); with `withinDays`, only those with a deadline not yet met due within that many days
 * (inclusive) or already overdue. Stable: requests equally urgent keep their order.
 */
export function openRequestsByUrgency(requests: readonly TrackedRequest[], opts: { withinDays?: number } = {}): TrackedRequest[] {
	const { withinDays } = opts;
	if (withinDays !== undefined && (!Number.isInteger(withinDays) || withinDays < 0)) throw new RangeError('withinDays must be a whole number ≥ 0');
	// A request whose answer was delivered has nothing left to miss, though it stays open until closed.
	return requests.filter((r) => !r.closed && (withinDays === undefined || urgency(r) <= withinDays)).sort((a, b) => urgency(a) - urgency(b) || a.daysLeft - b.daysLeft);
}

/**
 * Open requests with a deadline not yet met (acknowledgement or delivery) due within `withinDays`
 * days (inclusive) or already overdue, most urgent first (by their next deadline).
 */
export async function dueRequests(ledger: Ledger, opts: { withinDays: number; now?: Date; timeZone?: string }): Promise<TrackedRequest[]> {
	if (!Number.isInteger(opts.withinDays) || opts.withinDays < 0) throw new RangeError('withinDays must be a whole number ≥ 0');
	return openRequestsByUrgency(await listRequests(ledger, opts), { withinDays: opts.withinDays });
}
