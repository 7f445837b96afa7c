/**
 * eraseSubject: resolve → (dry run stops here) → write-ahead `erasure.intent` → delete conversations
 * and tickets (optional) → delete contacts → verify → `erasure.done` / `erasure.failed` → receipt.
 *
 * Crash safety: the intent is durable before the first DELETE and names every contact id. A later
 * run for the same person finds an intent without `erasure.done` and completes it under the same
 * request id, using the ids from the ledger (a deleted contact can no longer be found by email).
 * Contacts known only from the ledger are checked with GET first, so nothing is deleted twice.
 */
import { randomUUID } from 'node:crypto';
import type { Contact, IntercomGateway } from '../intercom';
import { IntercomApiError } from '../intercom';
import type { IdentifierKind, LedgerEntry, LedgerEntryInput } from '../ledger/types';
import { resolveSubject, normaliseSubjectRef } from '../subject';
import type { SubjectContacts, SubjectField, SubjectRef } from '../subject';
import { CAVEAT_CSAT, CAVEAT_EXPORTS, CAVEAT_METRICS_PURGED, CAVEAT_OTHER_CONTACTS, CAVEAT_REPORTING, CAVEAT_RESTORABLE, CAVEAT_SHARED } from './caveats';
import { deleteObject, listItems, supportsRetainMetrics } from './intercom';
import type { ContactErasure, ErasureError, ErasureOptions, ErasureProgress, ErasureReceipt, ErasureScope, ErasureVerification, ItemCounts } from './types';

const KIND: Record<SubjectField, IdentifierKind> = { contactId: 'contactId', email: 'email', externalId: 'externalId' };

/** A stage that failed: the run stops and records `erasure.failed`. */
class StageFailure {
	constructor(
		readonly stage: ErasureError['stage'],
		readonly cause: unknown,
	) {}
}

/** Runs one stage; its failure becomes a value (so the caller decides, outside any catch). */
async function stage<T>(name: ErasureError['stage'], fn: () => Promise<T>): Promise<T | StageFailure> {
	return await fn().then(
		(value) => value,
		(error: unknown) => new StageFailure(name, error),
	);
}

function describeFailure(stage: ErasureError['stage'], error: unknown): ErasureError {
	if (error instanceof IntercomApiError) {
		return { stage, status: error.status ?? null, code: error.code ?? null, intercomRequestId: error.requestId ?? null, message: error.message };
	}
	// Anything else (a bug, a network stack error): keep only the error's type, its message may hold data.
	return { stage, status: null, code: 'internal_error', intercomRequestId: null, message: `Unexpected ${error instanceof Error ? error.name : 'error'} during ${stage}` };
}

/** The part of a receipt's error that goes into the ledger (no free text). */
function errorData(e: ErasureError) {
	return { stage: e.stage, status: e.status, code: e.code, intercomRequestId: e.intercomRequestId };
}

export async function eraseSubject(gw: IntercomGateway, ref: SubjectRef, opts: ErasureOptions): Promise<ErasureReceipt> {
	const subject = normaliseSubjectRef(ref); // bad input → SubjectRefError before anything else
	const { ledger } = opts;
	if (!ledger || typeof ledger.append !== 'function') throw new TypeError('eraseSubject needs opts.ledger (openLedger(...))');
	const now = opts.now ?? (() => new Date());
	const progress = async (e: ErasureProgress) => {
		if (opts.onProgress) await opts.onProgress(e);
	};
	const scope = scopeOf(subject.field, opts.scope);
	const dryRun = opts.dryRun === true;
	const startedAt = now().toISOString();
	const refHash = ledger.hashIdentifier(KIND[subject.field], subject.value);
	const written: LedgerEntry[] = [];
	const append = async (entry: LedgerEntryInput) => {
		const e = await ledger.append({ ...entry, at: now().toISOString() });
		written.push(e);
		return e;
	};

	// What the ledger already knows about this identifier: open intents (crash, fault) and past erasures.
	const history = await ledger.search({ subject: refHash, limit: 10_000 });
	const doneIds = new Set(history.filter((e) => e.type === 'erasure.done').map((e) => e.requestId));
	const openIntent = [...history].reverse().find((e) => e.type === 'erasure.intent' && !doneIds.has(e.requestId));
	const requestId = openIntent?.requestId ?? opts.requestId ?? randomUUID();
	const knownFromLedger = new Set<string>();
	const knownSubjects = new Set<string>([refHash]);
	for (const e of history) {
		if (e.type === 'erasure.intent' || e.type === 'erasure.done' || e.type === 'erasure.failed') {
			e.contactIds.forEach((id) => knownFromLedger.add(id));
			e.subjects.forEach((s) => knownSubjects.add(s));
		}
	}

	const receipt: ErasureReceipt = {
		requestId,
		status: 'failed',
		dryRun,
		lookup: subject.field,
		scope,
		subjectHashes: [],
		contacts: [],
		externalIds: [],
		counts: { contacts: 0, deleted: 0, alreadyDeleted: 0, failed: 0, pending: 0 },
		resumed: openIntent !== undefined && !dryRun,
		mergedRedirects: [],
		startedAt,
		finishedAt: startedAt,
		caveats: [],
		ledger: { entries: [] },
	};
	const finish = (): ErasureReceipt => {
		receipt.finishedAt = now().toISOString();
		receipt.ledger.entries = written.map((e) => ({ seq: e.seq, type: e.type, hash: e.hash }));
		const c = receipt.counts;
		c.contacts = receipt.contacts.length;
		c.deleted = receipt.contacts.filter((x) => x.status === 'deleted').length;
		c.alreadyDeleted = receipt.contacts.filter((x) => x.status === 'already_deleted').length;
		c.failed = receipt.contacts.filter((x) => x.status === 'failed').length;
		c.pending = receipt.contacts.filter((x) => x.status === 'pending').length;
		return receipt;
	};
	const fail = async (error: ErasureError): Promise<ErasureReceipt> => {
		receipt.status = 'failed';
		receipt.error = error;
		finish();
		if (!dryRun) {
			await append({
				type: 'erasure.failed',
				requestId,
				subjects: receipt.subjectHashes.length ? receipt.subjectHashes : [...knownSubjects],
				contactIds: receipt.contacts.map((c) => c.id),
				data: { error: errorData(error), results: resultsData(receipt.contacts), counts: countsData(receipt) },
			});
			receipt.ledger.entries = written.map((e) => ({ seq: e.seq, type: e.type, hash: e.hash }));
		}
		return receipt;
	};

	const run = async (): Promise<ErasureReceipt | StageFailure> => {
		// 1. Resolve: every contact of the person now, plus every id the ledger named before.
		const resolved: SubjectContacts | StageFailure = await stage('resolve', async () => await resolveSubject(gw, ref));
		if (resolved instanceof StageFailure) return resolved;
		receipt.mergedRedirects = resolved.mergedRedirects;
		const live = new Map<string, Contact>(resolved.contacts.map((c) => [c.id, c]));
		const emails = new Set<string>(subject.field === 'email' ? [subject.value] : []);
		const externalIds = new Set<string>(subject.field === 'externalId' ? [subject.value] : []);
		const subjects = new Set<string>(knownSubjects);
		for (const c of resolved.contacts) {
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
		receipt.subjectHashes = [...subjects];
		receipt.externalIds = [...externalIds];
		const ids = [...new Set([...live.keys(), ...knownFromLedger])];
		receipt.contacts = ids.map((id) => ({ id, role: live.get(id)?.role, status: dryRun ? 'would_delete' : 'pending', source: live.has(id) ? 'intercom' : 'ledger' }));

		if (ids.length === 0) {
			receipt.status = 'not_found';
			finish();
			if (!dryRun) {
				await append({ type: 'erasure.not_found', requestId, subjects: [refHash], data: { lookup: subject.field } });
				finish();
			}
			return receipt;
		}

		// 2. Plan: conversations and tickets to delete one by one (only those of this person alone).
		const ownIds = new Set(ids);
		const plan = { conversations: [] as string[], tickets: [] as string[], shared: 0 };
		const planned = await stage('plan', async () => {
			for (const [kind, wanted] of [['conversations', opts.deleteConversations], ['tickets', opts.deleteTickets]] as const) {
				if (!wanted) continue;
				const seen = new Set<string>();
				for (const contactId of live.keys()) {
					for (const item of await listItems(gw, kind, contactId)) {
						if (seen.has(item.id)) continue;
						seen.add(item.id);
						if (item.contactIds.every((id) => ownIds.has(id))) plan[kind].push(item.id);
						else plan.shared++;
					}
				}
			}
		});
		if (planned instanceof StageFailure) return planned;
		const counts = (found: number): ItemCounts => ({ found, deleted: 0, alreadyDeleted: 0, sharedSkipped: 0 });
		if (opts.deleteConversations) receipt.counts.conversations = counts(plan.conversations.length);
		if (opts.deleteTickets) receipt.counts.tickets = counts(plan.tickets.length);
		if (plan.shared > 0) {
			// Shared items are counted once, on conversations when both kinds are on.
			(receipt.counts.conversations ?? receipt.counts.tickets)!.sharedSkipped = plan.shared;
		}

		if (dryRun) {
			// Contacts known only from the ledger: say whether they still exist (GET), delete nothing.
			for (const c of receipt.contacts) {
				if (c.source !== 'ledger') continue;
				const look = await stage('resolve', async () => await gw.getContact(c.id));
				if (look instanceof StageFailure) return look;
				c.status = look.status === 'found' ? 'would_delete' : 'already_deleted';
			}
			receipt.status = 'dry_run';
			receipt.caveats = caveats(opts, gw, plan.shared);
			return finish();
		}

		// 3. Write-ahead: durable before the first DELETE.
		const intent = await append({
			type: 'erasure.intent',
			requestId,
			subjects: receipt.subjectHashes,
			contactIds: ids,
			data: {
				lookup: subject.field,
				scope,
				resumed: receipt.resumed,
				plan: { contacts: ids.length, conversations: plan.conversations.length, tickets: plan.tickets.length, sharedSkipped: plan.shared },
				options: { deleteConversations: !!opts.deleteConversations, deleteTickets: !!opts.deleteTickets },
			},
		});
		await progress({ step: 'intent_recorded', requestId, seq: intent.seq });

		// 4. Delete: conversations and tickets first (found through the contact), then the contacts.
		const purgeMetrics = opts.purgeConversationMetrics !== false && supportsRetainMetrics(gw.apiVersion);
		const deleted = await stage('delete', async () => {
			for (const id of plan.conversations) {
				const outcome = await deleteObject(gw, `/conversations/${encodeURIComponent(id)}`, purgeMetrics ? { retain_metrics: false } : undefined);
				bump(receipt.counts.conversations!, outcome);
				(receipt.conversationIds ??= []).push(id);
				await progress({ step: 'conversation_deleted', id, status: outcome });
			}
			for (const id of plan.tickets) {
				const outcome = await deleteObject(gw, `/tickets/${encodeURIComponent(id)}`);
				bump(receipt.counts.tickets!, outcome);
				(receipt.ticketIds ??= []).push(id);
				await progress({ step: 'ticket_deleted', id, status: outcome });
			}
			for (let i = 0; i < receipt.contacts.length; i++) {
				const c = receipt.contacts[i];
				if (c.source === 'ledger') {
					// Known from an earlier run: delete only if it is (still, or again: Intercom restores) there.
					const look = await gw.getContact(c.id);
					if (look.status === 'merged' && !ownIds.has(look.canonicalId)) {
						ownIds.add(look.canonicalId);
						receipt.contacts.push({ id: look.canonicalId, status: 'pending', source: 'intercom' });
					}
					if (look.status !== 'found') {
						c.status = 'already_deleted';
						await progress({ step: 'contact_deleted', contactId: c.id, status: 'already_deleted' });
						continue;
					}
				}
				c.status = 'failed'; // until Intercom confirms; a failure leaves it here (then reported as pending)
				c.status = await deleteObject(gw, `/contacts/${encodeURIComponent(c.id)}`);
				await progress({ step: 'contact_deleted', contactId: c.id, status: c.status });
			}
		});
		if (deleted instanceof StageFailure) return deleted;

		// 5. Verify: every id answers 404/410, searches by email and external id find nothing.
		const verification = await stage('verify', async () => await verifyGone(gw, scope, receipt.contacts.map((c) => c.id), emails, externalIds, now));
		if (verification instanceof StageFailure) return verification;
		receipt.verification = verification;
		await progress({ step: 'verified', ok: verification.ok });
		receipt.caveats = caveats(opts, gw, plan.shared, verification.otherContactsRemain);
		if (!verification.ok) {
			const what = scope === 'person' ? 'the person' : 'an erased contact';
			return await fail({ stage: 'verify', status: null, code: 'verification_failed', intercomRequestId: null, message: `Intercom still returns ${what} after the deletes (see verification)` });
		}

		// 6. Record and answer.
		finish();
		const anything = receipt.counts.deleted + (receipt.counts.conversations?.deleted ?? 0) + (receipt.counts.tickets?.deleted ?? 0);
		receipt.status = anything > 0 ? 'erased' : 'already_erased';
		await append({
			type: 'erasure.done',
			requestId,
			subjects: receipt.subjectHashes,
			contactIds: receipt.contacts.map((c) => c.id),
			data: {
				status: receipt.status,
				resumed: receipt.resumed,
				results: resultsData(receipt.contacts),
				counts: countsData(receipt),
				conversationIds: receipt.conversationIds ?? [],
				ticketIds: receipt.ticketIds ?? [],
				verification: { ...verification },
				retainMetrics: !purgeMetrics,
				startedAt,
			},
		});
		return finish();
	};

	const outcome = await run();
	if (outcome instanceof StageFailure) {
		// A contact whose DELETE failed is still there: a re-run picks it up.
		for (const c of receipt.contacts) if (c.status === 'failed') c.status = 'pending';
		return await fail(describeFailure(outcome.stage, outcome.cause));
	}
	return outcome;
}

function bump(c: ItemCounts, outcome: 'deleted' | 'already_deleted'): void {
	if (outcome === 'deleted') c.deleted++;
	else c.alreadyDeleted++;
}

function resultsData(contacts: ContactErasure[]) {
	return contacts.map((c) => ({ contactId: c.id, status: c.status }));
}

function countsData(r: ErasureReceipt) {
	const c = r.counts;
	const items = (x?: ItemCounts) => (x ? { ...x } : null);
	return { contacts: c.contacts, deleted: c.deleted, alreadyDeleted: c.alreadyDeleted, failed: c.failed, pending: c.pending, conversations: items(c.conversations), tickets: items(c.tickets) };
}

function caveats(opts: ErasureOptions, gw: IntercomGateway, shared: number, otherContacts = 0): string[] {
	const out = [CAVEAT_RESTORABLE, CAVEAT_CSAT, CAVEAT_REPORTING];
	if (opts.deleteConversations && opts.purgeConversationMetrics !== false && supportsRetainMetrics(gw.apiVersion)) out.push(CAVEAT_METRICS_PURGED);
	if (shared > 0) out.push(CAVEAT_SHARED(shared));
	if (otherContacts > 0) out.push(CAVEAT_OTHER_CONTACTS(otherContacts));
	out.push(CAVEAT_EXPORTS);
	return out;
}

/**
 * The scope an erasure verifies (see ErasureScope). Contact scope only for a contact id: an erasure
 * by email or external id that passed while contacts with that email remain would be a false receipt.
 */
function scopeOf(field: SubjectField, wanted: ErasureScope | undefined): ErasureScope {
	if (wanted === undefined) return field === 'contactId' ? 'contact' : 'person';
	if (wanted !== 'person' && wanted !== 'contact') throw new TypeError('eraseSubject: scope must be "person" or "contact"');
	if (wanted === 'contact' && field !== 'contactId') {
		throw new TypeError('eraseSubject: scope "contact" needs a contactId reference; an erasure by email or external id always covers the whole person');
	}
	return wanted;
}

/** Contacts a search returns (ids only); enough to tell erased from other contacts, bounded. */
const MAX_VERIFY_HITS = 500;

async function searchIds(gw: IntercomGateway, query: object): Promise<string[]> {
	const ids: string[] = [];
	for await (const c of gw.searchContacts(query, { perPage: 50 })) {
		ids.push(c.id);
		if (ids.length >= MAX_VERIFY_HITS) break;
	}
	return ids;
}

async function verifyGone(
	gw: IntercomGateway,
	scope: ErasureScope,
	contactIds: string[],
	emails: Set<string>,
	externalIds: Set<string>,
	now: () => Date,
): Promise<ErasureVerification> {
	const erased = new Set(contactIds);
	const others = new Set<string>();
	let erasedFound = false;
	const sort = (ids: string[]) => {
		for (const id of ids) {
			if (erased.has(id)) erasedFound = true;
			else others.add(id);
		}
	};
	let contactsGone = true;
	for (const id of contactIds) {
		const look = await gw.getContact(id);
		if (look.status === 'found') contactsGone = false;
		// Contact scope: the erased contact must not be found by search either (the API's other door).
		if (scope === 'contact') sort(await searchIds(gw, { field: 'id', operator: '=', value: id }));
	}
	let emailSearchEmpty: boolean | null = null;
	for (const email of emails) {
		const hits = await searchIds(gw, { field: 'email', operator: '=', value: email });
		sort(hits);
		emailSearchEmpty = (emailSearchEmpty ?? true) && hits.length === 0;
	}
	let externalIdSearchEmpty: boolean | null = null;
	for (const externalId of externalIds) {
		const hits = await searchIds(gw, { field: 'external_id', operator: '=', value: externalId });
		const direct = await gw.getContactByExternalId(externalId);
		if (direct.status === 'found') hits.push(direct.value.id);
		sort(hits);
		externalIdSearchEmpty = (externalIdSearchEmpty ?? true) && hits.length === 0;
	}
	const ok =
		scope === 'person'
			? contactsGone && emailSearchEmpty !== false && externalIdSearchEmpty !== false
			: contactsGone && !erasedFound;
	return {
		ok,
		scope,
		contactsGone,
		emailSearchEmpty,
		externalIdSearchEmpty,
		erasedContactsUnsearchable: scope === 'contact' ? !erasedFound : null,
		otherContactsRemain: others.size,
		checkedAt: now().toISOString(),
	};
}
