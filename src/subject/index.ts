// Identity resolution: id | email | external_id → every Intercom contact of one person.
export { resolveSubject, MAX_MERGE_HOPS } from './resolve';
export { normaliseSubjectRef } from './validate';
export { SubjectRefError, MergeChainTooLongError } from './errors';
export type { SubjectRefProblem } from './errors';
export type { SubjectRef, SubjectContacts, SubjectField, MergeRedirect, NormalisedSubjectRef } from './types';
