// Identity resolution: id | email | external_id → every Intercom contact of one person.
export { resolveSubject, MAX_MERGE_HOPS, ARCHIVED_NOTICE } from './resolve';
export { normaliseSubjectRef } from './validate';
export { SubjectRefError, MergeChainTooLongError, SubjectLookupMismatchError } from './errors';
export type { SubjectRefProblem } from './errors';
export type { SubjectRef, SubjectContacts, SubjectField, MergeRedirect, NormalisedSubjectRef, ResolveOptions } from './types';
