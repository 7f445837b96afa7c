/**
 * What Enforce does to one selected contact: delete it through the erasure flow (eraseSubject by
 * contact id, contact scope) or archive it (with a `retention.archived` entry carrying the HMACs of
 * its identifiers), after checking the ledger for an earlier run that handled it already.
 */
import type { IntercomGateway } from '../intercom';
import { IntercomApiError } from '../intercom';
import type { Ledger } from '../ledger';
import { eraseSubject } from '../erasure';
import { candidateIdentifiers } from './select';
import type { ContactOutcome, ContactResult, EnforceOptions, RetentionCandidate } from './types';

export const RETENTION_ARCHIVED = 'retention.archived';
/** A contact deleted by retention whose person is still in Intercom as another contact (shared email). */
export const RETENTION_DELETED = 'retention.deleted';

/** Auth and permission problems stop the run: every further call would fail the same way. */
export function isFatal(status: number | null | undefined): boolean {
	return status === 401 || status === 403;
}

export async function alreadyHandled(ledger: Ledger, c: RetentionCandidate): Promise<boolean> {
	const history = await ledger.search({ contactId: c.id, newestFirst: true, limit: 50 });
	for (const e of history) {
		if (e.type === 'erasure.done' || e.type === RETENTION_DELETED) return true; // contact ids are never reused: deleted is final
		if (e.type === RETENTION_ARCHIVED && c.action === 'archive') {
			// Archived before the person was last seen = they came back (Intercom unarchived them): archive again.
			const seen = c.lastSeenAt ? Date.parse(c.lastSeenAt) : 0;
			if (Date.parse(e.at) >= seen) return true;
		}
	}
	return false;
}

export interface Outcome {
	outcome: ContactOutcome;
	requestId: string | null;
	/** Delete: items of the contact the erasure left (see its receipt under requestId). */
	remaining?: number;
	error?: ContactResult['error'];
	fatal?: boolean;
}

export async function deleteOne(gw: IntercomGateway, c: RetentionCandidate, runId: string, opts: EnforceOptions): Promise<Outcome> {
	// The erasure's request id is stored in clear: never the contact id. A keyed hash of it (the
	// ledger's identifier key) is stable, unreadable without the key, and already among the erasure's
	// subject hashes; a crashed run's open intent is found by that subject, not by this id.
	const requestId = `${runId}.c${opts.ledger.hashIdentifier('contactId', c.id).slice(0, 16)}`;
	// Retention deletes one contact, not a person: contact scope verifies THIS contact is gone and does
	// not fail when another contact (a user sharing a lead's email) still exists; it counts them.
	const receipt = await eraseSubject(gw, { contactId: c.id }, { ledger: opts.ledger, requestId, now: opts.now, scope: 'contact' });
	// An intent left open by an earlier crashed run is completed under its own request id.
	const rid = receipt.requestId;
	switch (receipt.status) {
		case 'erased': {
			const others = receipt.verification?.otherContactsRemain ?? 0;
			if (others > 0) {
				// Say so in the ledger under the run: the person is still in Intercom as another contact.
				await opts.ledger.append({
					type: RETENTION_DELETED,
					requestId: runId,
					contactIds: [c.id],
					data: { rule: c.rule, erasureRequestId: rid, contactGone: true, otherContactsRemain: others },
					at: (opts.now ?? (() => new Date()))().toISOString(),
				});
			}
			return { outcome: 'deleted', requestId: rid };
		}
		case 'incomplete': {
			// Counted as deleted only when the erasure's own check found the contact gone (by id, and not
			// found by search): then what remains is something else of it (a part another person wrote),
			// and those items travel with the result. A contact still found is not deleted: failed.
			const v = receipt.verification;
			if (v?.contactsGone === true && v.erasedContactsUnsearchable !== false) return { outcome: 'deleted', requestId: rid, remaining: receipt.remaining.length };
			return { outcome: 'failed', requestId: rid, error: { status: null, code: 'contact_still_found', intercomRequestId: null }, fatal: false };
		}
		case 'already_erased':
		case 'not_found':
			return { outcome: 'already_handled', requestId: rid };
		default: {
			const e = receipt.error;
			return { outcome: 'failed', requestId: rid, error: { status: e?.status ?? null, code: e?.code ?? null, intercomRequestId: e?.intercomRequestId ?? null }, fatal: isFatal(e?.status) };
		}
	}
}

export async function archiveOne(gw: IntercomGateway, c: RetentionCandidate, runId: string, opts: EnforceOptions, now: () => Date): Promise<Outcome> {
	try {
		await gw.request('POST', `/contacts/${encodeURIComponent(c.id)}/archive`);
	} catch (error) {
		if (error instanceof IntercomApiError && error.status === 404) return { outcome: 'already_handled', requestId: null };
		if (error instanceof IntercomApiError) {
			return { outcome: 'failed', requestId: null, error: { status: error.status ?? null, code: error.code ?? null, intercomRequestId: error.requestId ?? null }, fatal: isFatal(error.status) };
		}
		return { outcome: 'failed', requestId: null, error: { status: null, code: 'internal_error', intercomRequestId: null } };
	}
	// The identifiers' HMACs: Intercom's search never returns archived contacts, so a later export or
	// erasure by email / external id finds this contact through the ledger, then by id.
	const ids = candidateIdentifiers.get(c);
	const subjects = [opts.ledger.hashIdentifier('contactId', c.id)];
	if (ids?.email) subjects.push(opts.ledger.hashIdentifier('email', ids.email));
	if (ids?.externalId) subjects.push(opts.ledger.hashIdentifier('externalId', ids.externalId));
	await opts.ledger.append({ type: RETENTION_ARCHIVED, requestId: runId, subjects, contactIds: [c.id], data: { rule: c.rule, matchedBy: c.matchedBy }, at: now().toISOString() });
	return { outcome: 'archived', requestId: null };
}

