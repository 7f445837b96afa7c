/**
 * Erasure stages 1–2: resolve the person (every contact now, archived ones this package archived via
 * the ledger, every id the ledger named before), and check legal holds before anything changes.
 */
import type { Contact } from '../intercom';
import { findHold, hasHolds, type HoldMatch } from '../retention/holds';
import { resolveSubject } from '../subject';
import type { SubjectContacts } from '../subject';
import { holdData } from './ledger-data';
import { append, finish, stage, StageFailure, type Run } from './run';
import type { ErasureReceipt } from './types';

/** The person as resolved: live contacts, the ids the run covers, and the identifiers to verify by. */
export interface Resolution {
	live: Map<string, Contact>;
	/** Every contact id of the run: live ones and those the ledger named. */
	ids: string[];
	emails: Set<string>;
	externalIds: Set<string>;
	archivedNotice: string | null | undefined;
}

/**
 * Contacts the ledger named before that search did not return: look each up NOW, before the
 * legal-hold check and the plan, so one found again (Intercom restores) or the survivor of a merge
 * is hold-checked, has its tickets and conversations listed and its name in the matcher like any
 * other. No contact joins the run after planning. Returns the ids found gone.
 */
async function lookUpLedgerContacts(run: Run, live: Map<string, Contact>): Promise<Set<string>> {
	const gone = new Set<string>();
	for (const id of run.knownFromLedger) {
		if (live.has(id)) continue;
		const look = await run.gw.getContact(id);
		if (look.status === 'found') {
			live.set(id, look.value);
			continue;
		}
		gone.add(id);
		if (look.status === 'merged' && !live.has(look.canonicalId) && !run.knownFromLedger.has(look.canonicalId)) {
			const survivor = await run.gw.getContact(look.canonicalId);
			if (survivor.status === 'found') live.set(look.canonicalId, survivor.value);
		}
	}
	return gone;
}

/** Emails, external ids and subject hashes of every live contact (the receipt's subject hashes). */
function identifiersOf(run: Run, live: Map<string, Contact>): { emails: Set<string>; externalIds: Set<string> } {
	const { subject, ledger } = run;
	const emails = new Set<string>(subject.field === 'email' ? [subject.value] : []);
	const externalIds = new Set<string>(subject.field === 'externalId' ? [subject.value] : []);
	const subjects = new Set<string>(run.knownSubjects);
	for (const c of live.values()) {
		if (typeof c.email === 'string' && c.email.trim()) {
			emails.add(c.email.trim().toLowerCase());
			subjects.add(ledger.hashIdentifier('email', c.email));
		}
		if (typeof c.external_id === 'string' && c.external_id.trim()) {
			externalIds.add(c.external_id.trim());
			subjects.add(ledger.hashIdentifier('externalId', c.external_id));
		}
		subjects.add(ledger.hashIdentifier('contactId', c.id));
	}
	run.receipt.subjectHashes = [...subjects];
	run.receipt.externalIds = [...externalIds];
	return { emails, externalIds };
}

/** Stage 1. */
export async function resolveStage(run: Run): Promise<Resolution | StageFailure> {
	const resolved: SubjectContacts | StageFailure = await stage('resolve', async () => await resolveSubject(run.gw, run.ref, { ledger: run.ledger }));
	if (resolved instanceof StageFailure) return resolved;
	const receipt = run.receipt;
	receipt.mergedRedirects = resolved.mergedRedirects;
	const viaLedger = new Set(resolved.viaLedger ?? []);
	const live = new Map<string, Contact>(resolved.contacts.map((c) => [c.id, c]));
	const searched = new Set(live.keys());
	const goneFromLedger = await stage('resolve', async () => await lookUpLedgerContacts(run, live));
	if (goneFromLedger instanceof StageFailure) return goneFromLedger;
	const { emails, externalIds } = identifiersOf(run, live);
	const known = run.knownFromLedger;
	const ids = [...new Set([...live.keys(), ...known])];
	receipt.contacts = ids.map((id) => ({
		id,
		role: live.get(id)?.role,
		status: goneFromLedger.has(id) ? 'already_deleted' : run.dryRun ? 'would_delete' : 'pending',
		source: known.has(id) && !searched.has(id) ? 'ledger' : 'intercom',
		...(viaLedger.has(id) || (live.get(id) as { archived?: unknown } | undefined)?.archived === true ? { archived: true } : {}),
	}));
	return { live, ids, emails, externalIds, archivedNotice: resolved.archivedNotice };
}

/** No contact at all: `not_found`, and never "no record" without saying what search cannot see. */
export async function notFound(run: Run, r: Resolution): Promise<ErasureReceipt> {
	const receipt = run.receipt;
	receipt.status = 'not_found';
	if (r.archivedNotice) receipt.notice = r.archivedNotice;
	finish(run);
	if (!run.dryRun) {
		await append(run, { type: 'erasure.not_found', requestId: run.requestId, subjects: [run.refHash], data: { lookup: run.subject.field, archivedInvisibleToSearch: run.subject.field !== 'contactId' } });
		finish(run);
	}
	return receipt;
}

/**
 * Stage 2: legal holds, checked on every live contact before anything changes. Returns the `held`
 * receipt when a hold stops the run, null to go on (no hold, or a hold overridden with a reason).
 */
export async function holdsStage(run: Run, live: Map<string, Contact>): Promise<ErasureReceipt | StageFailure | null> {
	if (!hasHolds(run.holds)) return null;
	const held = await stage('resolve', async () => {
		for (const c of live.values()) {
			const hold: HoldMatch | null = await findHold(run.gw, c, run.holds);
			if (hold) return hold;
		}
		return null;
	});
	if (held instanceof StageFailure || held === null) return held;
	const receipt = run.receipt;
	if (run.overrideReason === undefined) {
		receipt.status = 'held';
		receipt.hold = held;
		for (const c of receipt.contacts) c.status = 'pending';
		receipt.caveats = [`A legal hold applies (${held.kind} ${held.id}): nothing was deleted. To erase anyway, override the hold with a reason; the ledger records both.`];
		finish(run);
		if (!run.dryRun) {
			const h = holdData(held);
			await append(run, { type: 'erasure.held', requestId: run.requestId, subjects: receipt.subjectHashes, contactIds: h.contactIds, data: { lookup: run.subject.field, hold: h.data } });
			finish(run);
		}
		return receipt;
	}
	receipt.holdOverride = { hold: held, reason: run.overrideReason };
	if (!run.dryRun) {
		const h = holdData(held);
		await append(run, { type: 'erasure.hold_overridden', requestId: run.requestId, subjects: receipt.subjectHashes, contactIds: h.contactIds, data: { hold: h.data, reason: run.overrideReason } });
	}
	return null;
}
