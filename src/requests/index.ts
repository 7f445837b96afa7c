// Request deadlines: statutory due dates (GDPR one month + two, CCPA 45 + 45 days, CCPA 10-business-day
// acknowledgement) and the lifecycle of access/erasure requests in the audit ledger.
export { computeDeadline, addMonths, addDays, addBusinessDays, acknowledgementDueDay, CCPA_ACKNOWLEDGE_BUSINESS_DAYS, daysBetween, dayOf, parseDay, formatDay, REGIMES } from './compute';
export type { Deadline, Regime, Day } from './compute';
export {
	trackRequest,
	extendRequest,
	closeRequest,
	getRequest,
	listRequests,
	dueRequests,
	openRequestsByUrgency,
	REQUEST_RECEIVED,
	REQUEST_ACKNOWLEDGED,
	REQUEST_VERIFIED,
	REQUEST_VERIFICATION_WAIVED,
	REQUEST_EXTENDED,
	REQUEST_DELIVERED,
	REQUEST_REFUSED,
	REQUEST_RECIPIENT_NOTIFIED,
	REQUEST_CLOSED,
} from './track';
export type { TrackedRequest, RequestKind, RequestStatus, RequestDeadline, VerificationLevel } from './track';
export { recordRequestStep, requireOpenRequest, recordDelivery, RequestStepError, checkNote, REQUEST_CHANNELS, DELIVERY_CHANNELS, REFUSAL_CODES, CLOSE_OUTCOMES, VERIFICATION_METHODS, WAIVER_REASONS } from './step';
export type { RequestStep, RequestStepResult, RequestStepProblem } from './step';
export { requireVerified, VerificationRequiredError } from './gate';
export type { VerificationGateResult, VerificationGateOptions } from './gate';
