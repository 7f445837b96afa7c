import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { dayOf, formatDay } from '../../../../../src/requests';
import type { TrackedRequest } from '../../../../../src/requests';

/** The workflow's time zone (calendar days and "today" are read in it), UTC when n8n gives none. */
export function workflowTimeZone(ctx: IExecuteFunctions): string {
	const tz = ctx.getTimezone();
	return typeof tz === 'string' && tz !== '' ? tz : 'UTC';
}

/**
 * A request as an output item: dates, steps and state, no identifiers (not even their HMACs) and
 * no free text. `daysLeft` / `overdue` only mean something while the request is open; for a closed
 * one, `closedOnTime` says whether it was closed by its due day.
 */
export function requestJson(r: TrackedRequest, timeZone: string): IDataObject {
	const closedDay = r.closedAt ? formatDay(dayOf(r.closedAt, timeZone)) : null;
	return {
		requestId: r.requestId,
		kind: r.kind,
		regime: r.regime,
		status: r.status,
		channel: r.channel,
		receivedDay: r.receivedDay,
		acknowledgementDueDay: r.acknowledgementDueDay,
		dueDay: r.dueDay,
		extendedDueDay: r.extendedDueDay,
		effectiveDueDay: r.effectiveDueDay,
		extended: r.extended,
		daysLeft: r.closed ? null : r.daysLeft,
		overdue: !r.closed && r.overdue,
		nextDeadline: r.closed || !r.nextDeadline ? null : { ...r.nextDeadline },
		deadlines: r.deadlines.map((d) => ({ ...d })),
		acknowledgedAt: r.acknowledgedAt,
		verification: r.verification ? { ...r.verification } : null,
		verificationWaived: r.verificationWaived ? { ...r.verificationWaived } : null,
		deliveredAt: r.deliveredAt,
		deliveryChannel: r.deliveryChannel,
		refusal: r.refusal ? { ...r.refusal } : null,
		recipientsNotified: [...r.recipientsNotified],
		closed: r.closed,
		closedAt: r.closedAt,
		closedBy: r.closedBy,
		closedOnTime: closedDay === null ? null : closedDay <= r.effectiveDueDay,
	};
}
