// Identity verification of requesters: one-time codes/links bound to a request id, checked once,
// and the further data points of the stricter level. Results go to the ledger as `request.verified`.
export { issueChallenge, checkChallenge, purgeExpiredChallenges, ChallengeError } from './challenge';
export type { ChallengeMethod, IssueOptions, IssuedChallenge, CheckOutcome } from './challenge';
export { openVerificationStore, VERIFICATION_STORE_FILE } from './store';
export type { VerificationStore, ChallengeRecord } from './store';
export { matchDataPoints, deliveryAddress, DATA_POINT_KINDS } from './dataPoints';
export type { DataPointKind, DataPointResult, DeliveryAddress } from './dataPoints';
