/**
 * enforceRetention: the same selection as planRetention, then each candidate is deleted through the
 * erasure flow (eraseSubject by contact id: write-ahead intent → delete → verify → ledger) or
 * archived (a `retention.archived` entry), in batches, honouring the per-run cap and the cancel
 * signal. The run ends with one `retention.run` entry: counts per rule, cutoffs, policy hash.
 *
 * Idempotent: a contact the ledger already shows as erased (or archived after it was last seen) is
 * reported as `already_handled` and not counted again; Intercom's search can still list a contact
 * for a few minutes after it was deleted.
 */
import { randomUUID } from 'node:crypto';
import { eraseSubject } from '../erasure';
import type { IntercomGateway } from '../intercom';
import { IntercomApiError } from '../intercom';
import type { Ledger } from '../ledger';
import { candidateIdentifiers, openRetentionPlan } from './select';
import { policyHash } from './policy';
import type { ContactOutcome, ContactResult, EnforceOptions, NormalisedPolicy, RetentionCandidate, RetentionCounts, RetentionPolicy, RetentionReport } from './types';

export const RETENTION_RUN = 'retention.run';
export const RETENTION_ARCHIVED = 'retention.archived';
/** A contact deleted by retention whose person is still in Intercom as another contact (shared email). */
export const RETENTION_DELETED = 'retention.deleted';
const DEFAULT_BATCH = 25;

const zero = (): RetentionCounts => ({ candidates: 0, deleted: 0, archived: 0, alreadyHandled: 0, failed: 0, heldBack: 0 });

/** Auth and permission problems stop the run: every further call would fail the same way. */
function isFatal(status: number | null | undefined): boolean {
	return status === 401 || status === 403;
}

async function alreadyHandled(ledger: Ledger, c: RetentionCandidate): Promise<boolean> {
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

interface Outcome {
	outcome: ContactOutcome;
	requestId: string | null;
	/** Delete: items of the contact the erasure left (see its receipt under requestId). */
	remaining?: number;
	error?: ContactResult['error'];
	fatal?: boolean;
}

async function deleteOne(gw: IntercomGateway, c: RetentionCandidate, runId: string, opts: EnforceOptions): Promise<Outcome> {
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

async function archiveOne(gw: IntercomGateway, c: RetentionCandidate, runId: string, opts: EnforceOptions, now: () => Date): Promise<Outcome> {
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

export async function enforceRetention(gw: IntercomGateway, input: RetentionPolicy | NormalisedPolicy | string, opts: EnforceOptions): Promise<RetentionReport> {
	if (!opts || !opts.ledger || typeof opts.ledger.append !== 'function') throw new TypeError('enforceRetention needs opts.ledger (openLedger(...))');
	const now = opts.now ?? (() => new Date());
	const dryRun = opts.dryRun === true;
	const runId = opts.runId ?? `retention-${randomUUID()}`;
	const startedAt = now().toISOString();
	const counts = zero();
	const perRule: Record<string, RetentionCounts> = {};
	const bump = (rule: string, key: keyof RetentionCounts) => {
		counts[key]++;
		(perRule[rule] ??= zero())[key]++;
	};
	const plan = await openRetentionPlan(gw, input, {
		now,
		perPage: opts.perPage,
		signal: opts.signal,
		onHeld: ({ rule }) => bump(rule, 'heldBack'),
	});
	const policy = plan.policy;
	for (const r of policy.rules) perRule[r.name] = zero();
	const cap = policy.maxContactsPerRun;
	const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH));
	const contacts: ContactResult[] = [];
	let stoppedBy: RetentionReport['stoppedBy'] = 'completed';
	let runError: RetentionReport['error'];
	let acted = 0; // deleted + archived (+ would_*): what the cap counts

	const iterator = plan.candidates[Symbol.asyncIterator]();
	const nextBatch = async (): Promise<RetentionCandidate[]> => {
		const batch: RetentionCandidate[] = [];
		while (batch.length < batchSize && acted + batch.length < cap) {
			const n = await iterator.next();
			if (n.done) break;
			batch.push(n.value);
		}
		return batch;
	};

	try {
		outer: for (;;) {
			if (opts.signal?.aborted) {
				stoppedBy = 'cancelled';
				break;
			}
			if (acted >= cap) {
				stoppedBy = 'cap';
				break;
			}
			const batch = await nextBatch();
			if (batch.length === 0) {
				if (opts.signal?.aborted) stoppedBy = 'cancelled';
				break;
			}
			for (const c of batch) {
				if (opts.signal?.aborted) {
					stoppedBy = 'cancelled';
					break outer;
				}
				bump(c.rule, 'candidates');
				let result: Outcome;
				if (await alreadyHandled(opts.ledger, c)) result = { outcome: 'already_handled', requestId: null };
				else if (dryRun) result = { outcome: c.action === 'delete' ? 'would_delete' : 'would_archive', requestId: null };
				else if (c.action === 'delete') result = await deleteOne(gw, c, runId, opts);
				else result = await archiveOne(gw, c, runId, opts, now);
				if (result.outcome === 'deleted') bump(c.rule, 'deleted');
				else if (result.outcome === 'archived') bump(c.rule, 'archived');
				else if (result.outcome === 'already_handled') bump(c.rule, 'alreadyHandled');
				else if (result.outcome === 'failed') bump(c.rule, 'failed');
				if (result.outcome === 'deleted' || result.outcome === 'archived' || result.outcome.startsWith('would_')) acted++;
				contacts.push({
					id: c.id,
					rule: c.rule,
					action: c.action,
					outcome: result.outcome,
					requestId: result.requestId,
					...(result.remaining ? { remaining: result.remaining } : {}),
					...(result.error ? { error: result.error } : {}),
				});
				await opts.onProgress?.({ handled: acted, cap, outcome: result.outcome, contactId: c.id });
				if (result.fatal) {
					stoppedBy = 'aborted';
					runError = { status: result.error?.status ?? null, code: result.error?.code ?? null, message: 'Intercom refused the token or its permissions: the run stopped' };
					break outer;
				}
			}
		}
	} catch (error) {
		// A search page failed (after the gateway's retries): record how far the run got, then report.
		stoppedBy = 'aborted';
		runError =
			error instanceof IntercomApiError
				? { status: error.status ?? null, code: error.code ?? null, message: error.message }
				: { status: null, code: 'internal_error', message: `Unexpected ${error instanceof Error ? error.name : 'error'} while selecting contacts` };
	} finally {
		await iterator.return?.(undefined);
	}
	const report: RetentionReport = {
		runId,
		dryRun,
		stoppedBy,
		timeZone: plan.timeZone,
		cutoffs: plan.cutoffs,
		policyHash: policyHash(policy),
		counts,
		perRule,
		contacts,
		startedAt,
		finishedAt: now().toISOString(),
		...(runError ? { error: runError } : {}),
	};
	if (!dryRun) {
		const entry = await opts.ledger.append({
			type: RETENTION_RUN,
			requestId: runId,
			data: {
				stoppedBy,
				timeZone: plan.timeZone,
				policyHash: report.policyHash,
				maxContactsPerRun: cap,
				cutoffs: plan.cutoffs.map((c) => ({ rule: c.rule, cutoffDay: c.cutoffDay })),
				counts: { ...counts },
				perRule: Object.entries(perRule).map(([rule, v]) => ({ rule, ...v })),
				...(runError ? { error: { status: runError.status, code: runError.code } } : {}),
			},
			at: report.finishedAt,
		});
		report.ledgerEntry = { seq: entry.seq, hash: entry.hash };
	}
	return report;
}
