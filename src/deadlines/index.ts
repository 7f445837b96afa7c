// Request deadlines: statutory due dates (GDPR one month + two, CCPA 45 + 45 days) and tracking of
// access/erasure requests in the audit ledger.
export { computeDeadline, addMonths, addDays, daysBetween, dayOf, parseDay, formatDay, REGIMES } from './compute';
export type { Deadline, Regime, Day } from './compute';
export { trackRequest, extendRequest, closeRequest, getRequest, listRequests, dueRequests, REQUEST_RECEIVED, REQUEST_EXTENDED, REQUEST_CLOSED } from './track';
export type { TrackedRequest, RequestKind } from './track';
export { recordRequestStep, RequestStepError } from './step';
export type { RequestStep, RequestStepResult } from './step';
