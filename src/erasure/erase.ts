/**
 * eraseSubject: resolve → legal holds → plan → (dry run stops here) → write-ahead `erasure.intent`
 * → redact the person's parts in shared conversations → delete tickets → delete sole conversations
 * → delete contacts → verify every type → `erasure.done` / `erasure.incomplete` / `erasure.failed`
 * → receipt.
 *
 * Scope by default: everything of the person the API can remove (see README, "Erasure"). Options
 * may narrow it, never silently: what stays is listed in `remaining` with the reason, and the
 * status is then `incomplete`, not `erased`.
 *
 * Crash safety: the intent is durable before the first change and names every contact id and the
 * planned ticket / conversation ids. A later run for the same person finds an intent without
 * `erasure.done` and completes it under the same request id, using the ids from the ledger (a
 * deleted contact can no longer be found by email, nor its tickets by contact id).
 */
import { randomUUID } from 'node:crypto';
import type { Contact, IntercomGateway } from '../intercom';
import { IntercomApiError } from '../intercom';
import type { IdentifierKind, JsonValue, LedgerEntry, LedgerEntryInput } from '../ledger/types';
import { findHold, hasHolds, normaliseHolds, type HoldMatch } from '../retention/holds';
import { resolveSubject, normaliseSubjectRef } from '../subject';
import type { SubjectContacts, SubjectField, SubjectRef } from '../subject';
import { CAVEAT_CSAT, CAVEAT_EXPORTS, CAVEAT_METRICS_PURGED, CAVEAT_OTHER_CONTACTS, CAVEAT_REPORTING, CAVEAT_RESTORABLE } from './caveats';
import { deleteObject, listItems, redactPart, supportsRetainMetrics } from './intercom';
import { checkOverrideReason, checkRecipients } from './receipt';
import { fetchConversation, PersonMatcher, readShared, type Redaction } from './scope';
import type { ContactErasure, ErasureError, ErasureItemType, ErasureOptions, ErasureProgress, ErasureReceipt, ErasureScope, RemainingItem, TypeTally } from './types';
import { verifyContacts, verifyGoneItems, verifyShared } from './verify';

const KIND: Record<SubjectField, IdentifierKind> = { contactId: 'contactId', email: 'email', externalId: 'externalId' };
const TYPES: ErasureItemType[] = ['contacts', 'tickets', 'conversations', 'conversationParts'];

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

const tally = (): TypeTally => ({ found: 0, deleted: 0, alreadyDeleted: 0, deletedWithContact: 0, shared: 0, redacted: 0, alreadyRedacted: 0, remaining: 0 });

/** What the run will touch besides contacts. */
interface Plan {
	tickets: string[];
	conversations: string[];
	shared: string[];
	redactions: Redaction[];
	/** Known before the run starts: what options or Intercom leave in place. */
	remaining: RemainingItem[];
}

function planFromIntent(data: Record<string, JsonValue> | undefined): Pick<Plan, 'tickets' | 'conversations' | 'shared'> {
	const p = (data?.plan ?? {}) as Record<string, JsonValue>;
	const ids = (v: JsonValue | undefined) => (Array.isArray(v) ? v.map(String) : []);
	return { tickets: ids(p.ticketIds), conversations: ids(p.conversationIds), shared: ids(p.sharedConversationIds) };
}

export async function eraseSubject(gw: IntercomGateway, ref: SubjectRef, opts: ErasureOptions): Promise<ErasureReceipt> {
	// Every input is checked before anything is sent or written.
	const subject = normaliseSubjectRef(ref); // bad input → SubjectRefError
	const { ledger } = opts ?? ({} as ErasureOptions);
	if (!ledger || typeof ledger.append !== 'function') throw new TypeError('eraseSubject needs opts.ledger (openLedger(...))');
	const holds = normaliseHolds(opts.legalHolds);
	const overrideReason = checkOverrideReason(opts.overrideLegalHold);
	const recipients = checkRecipients(opts.notifyRecipients);
	const scope = scopeOf(subject.field, opts.scope);
	const want = {
		tickets: opts.deleteTickets !== false,
		conversations: opts.deleteConversations !== false,
		redact: opts.redactSharedConversations !== false,
	};
	const now = opts.now ?? (() => new Date());
	const progress = async (e: ErasureProgress) => {
		if (opts.onProgress) await opts.onProgress(e);
	};
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
		if (e.type.startsWith('erasure.') && e.type !== 'erasure.not_found' && e.type !== 'erasure.held') {
			e.contactIds.forEach((id) => knownFromLedger.add(id));
			e.subjects.forEach((s) => knownSubjects.add(s));
		}
	}
	const fromIntent = planFromIntent(openIntent?.data);

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
		items: { contacts: tally(), tickets: tally(), conversations: tally(), conversationParts: tally() },
		remaining: [],
		resumed: openIntent !== undefined && !dryRun,
		mergedRedirects: [],
		recipients,
		startedAt,
		finishedAt: startedAt,
		caveats: [],
		ledger: { entries: [] },
	};
	const addRemaining = (items: RemainingItem[]) => {
		for (const x of items) {
			if (!receipt.remaining.some((r) => r.type === x.type && r.id === x.id)) receipt.remaining.push(x);
		}
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
		const ct = receipt.items.contacts;
		ct.found = c.contacts;
		ct.deleted = c.deleted;
		ct.alreadyDeleted = c.alreadyDeleted;
		for (const t of TYPES) receipt.items[t].remaining = receipt.remaining.filter((r) => r.type === t).length;
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
				data: { error: errorData(error), statuses: statusesData(receipt.contacts), counts: countsData(receipt), items: itemsData(receipt) },
			});
			receipt.ledger.entries = written.map((e) => ({ seq: e.seq, type: e.type, hash: e.hash }));
		}
		return receipt;
	};

	const run = async (): Promise<ErasureReceipt | StageFailure> => {
		// 1. Resolve: every contact of the person now (archived ones this package archived via the ledger),
		// plus every id the ledger named before.
		const resolved: SubjectContacts | StageFailure = await stage('resolve', async () => await resolveSubject(gw, ref, { ledger }));
		if (resolved instanceof StageFailure) return resolved;
		receipt.mergedRedirects = resolved.mergedRedirects;
		const viaLedger = new Set(resolved.viaLedger ?? []);
		const live = new Map<string, Contact>(resolved.contacts.map((c) => [c.id, c]));
		const searched = new Set(live.keys());
		// Contacts the ledger named before that search did not return: look each up NOW, before the
		// legal-hold check and the plan, so one found again (Intercom restores) or the survivor of a
		// merge is hold-checked, has its tickets and conversations listed and its name in the matcher
		// like any other. No contact joins the run after planning.
		const goneFromLedger = new Set<string>();
		const lookedUp = await stage('resolve', async () => {
			for (const id of knownFromLedger) {
				if (live.has(id)) continue;
				const look = await gw.getContact(id);
				if (look.status === 'found') {
					live.set(id, look.value);
					continue;
				}
				goneFromLedger.add(id);
				if (look.status === 'merged' && !live.has(look.canonicalId) && !knownFromLedger.has(look.canonicalId)) {
					const survivor = await gw.getContact(look.canonicalId);
					if (survivor.status === 'found') live.set(look.canonicalId, survivor.value);
				}
			}
		});
		if (lookedUp instanceof StageFailure) return lookedUp;
		const emails = new Set<string>(subject.field === 'email' ? [subject.value] : []);
		const externalIds = new Set<string>(subject.field === 'externalId' ? [subject.value] : []);
		const subjects = new Set<string>(knownSubjects);
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
		receipt.subjectHashes = [...subjects];
		receipt.externalIds = [...externalIds];
		const ids = [...new Set([...live.keys(), ...knownFromLedger])];
		receipt.contacts = ids.map((id) => ({
			id,
			role: live.get(id)?.role,
			status: goneFromLedger.has(id) ? 'already_deleted' : dryRun ? 'would_delete' : 'pending',
			source: knownFromLedger.has(id) && !searched.has(id) ? 'ledger' : 'intercom',
			...(viaLedger.has(id) || (live.get(id) as { archived?: unknown } | undefined)?.archived === true ? { archived: true } : {}),
		}));

		if (ids.length === 0) {
			receipt.status = 'not_found';
			// Never "no record" without saying what search cannot see.
			if (resolved.archivedNotice) receipt.notice = resolved.archivedNotice;
			finish();
			if (!dryRun) {
				await append({ type: 'erasure.not_found', requestId, subjects: [refHash], data: { lookup: subject.field, archivedInvisibleToSearch: subject.field !== 'contactId' } });
				finish();
			}
			return receipt;
		}

		// 2. Legal holds: checked on every live contact before anything changes.
		if (hasHolds(holds)) {
			let hold: HoldMatch | null = null;
			const held = await stage('resolve', async () => {
				for (const c of live.values()) {
					hold = await findHold(gw, c, holds);
					if (hold) return hold;
				}
				return null;
			});
			if (held instanceof StageFailure) return held;
			if (held && overrideReason === undefined) {
				receipt.status = 'held';
				receipt.hold = held;
				for (const c of receipt.contacts) c.status = 'pending';
				receipt.caveats = [`A legal hold applies (${held.kind} ${held.id}): nothing was deleted. To erase anyway, override the hold with a reason; the ledger records both.`];
				finish();
				if (!dryRun) {
					await append({ type: 'erasure.held', requestId, subjects: receipt.subjectHashes, contactIds: holdData(held).contactIds, data: { lookup: subject.field, hold: holdData(held).data } });
					finish();
				}
				return receipt;
			}
			if (held && overrideReason !== undefined) {
				receipt.holdOverride = { hold: held, reason: overrideReason };
				if (!dryRun) await append({ type: 'erasure.hold_overridden', requestId, subjects: receipt.subjectHashes, contactIds: holdData(held).contactIds, data: { hold: holdData(held).data, reason: overrideReason } });
			}
		}

		// 3. Plan: tickets, conversations of this person alone, shared conversations (read to find the parts).
		const ownIds = new Set(ids);
		const matcher = new PersonMatcher([...live.values()]);
		const plan: Plan = { tickets: [], conversations: [], shared: [], redactions: [], remaining: [] };
		const planned = await stage('plan', async () => {
			const seen = { tickets: new Set<string>(fromIntent.tickets), conversations: new Set<string>([...fromIntent.conversations, ...fromIntent.shared]) };
			plan.tickets.push(...fromIntent.tickets);
			plan.conversations.push(...fromIntent.conversations);
			plan.shared.push(...fromIntent.shared);
			for (const kind of ['tickets', 'conversations'] as const) {
				for (const contactId of live.keys()) {
					for (const item of await listItems(gw, kind, contactId)) {
						if (seen[kind].has(item.id)) continue;
						seen[kind].add(item.id);
						const alone = item.contactIds.every((id) => ownIds.has(id));
						if (kind === 'tickets') {
							if (alone) plan.tickets.push(item.id);
							else plan.remaining.push({ type: 'tickets', id: item.id, reason: 'shared_with_other_people' });
						} else if (alone) plan.conversations.push(item.id);
						else plan.shared.push(item.id);
					}
				}
			}
			for (const id of plan.shared) {
				const conv = await fetchConversation(gw, id);
				if (!conv) continue;
				const r = readShared(conv, ownIds, matcher);
				plan.redactions.push(...r.redactions);
				receipt.items.conversationParts.alreadyRedacted += r.alreadyRedacted;
				plan.remaining.push(...r.remaining);
			}
		});
		if (planned instanceof StageFailure) return planned;
		const it = receipt.items;
		it.tickets.found = plan.tickets.length + plan.remaining.filter((r) => r.type === 'tickets').length;
		it.conversations.found = plan.conversations.length + plan.shared.length;
		it.conversations.shared = plan.shared.length;
		it.conversationParts.found = plan.redactions.length + it.conversationParts.alreadyRedacted + plan.remaining.filter((r) => r.type === 'conversationParts' && r.reason !== 'beyond_part_cap').length;
		addRemaining(plan.remaining);
		if (!want.tickets) addRemaining(plan.tickets.map((id) => ({ type: 'tickets', id, reason: 'excluded_by_option' })));
		if (!want.redact) addRemaining(plan.redactions.map((x) => ({ type: 'conversationParts', id: x.id, conversationId: x.conversationId, reason: 'excluded_by_option' })));
		// Sole conversations left by option: Intercom removes them with the contact (help center); verification decides.

		if (dryRun) {
			// Contacts known from the ledger were looked up before the plan: gone ones say already_deleted.
			receipt.status = 'dry_run';
			receipt.caveats = caveats(opts, gw, receipt, 0, resolved.archivedNotice);
			return finish();
		}

		// 4. Write-ahead: durable before the first change, with every id a resumed run needs.
		const intent = await append({
			type: 'erasure.intent',
			requestId,
			subjects: receipt.subjectHashes,
			contactIds: ids,
			data: {
				lookup: subject.field,
				scope,
				resumed: receipt.resumed,
				plan: {
					contacts: ids.length,
					ticketIds: want.tickets ? plan.tickets : [],
					conversationIds: want.conversations ? plan.conversations : [],
					sharedConversationIds: plan.shared,
					redactions: want.redact ? plan.redactions.length : 0,
				},
				options: { deleteConversations: want.conversations, deleteTickets: want.tickets, redactSharedConversations: want.redact },
				recipients,
			},
		});
		await progress({ step: 'intent_recorded', requestId, seq: intent.seq });

		// 5. Change: redactions first (while the contact still exists), tickets, sole conversations, then contacts.
		const purgeMetrics = opts.purgeConversationMetrics !== false && supportsRetainMetrics(gw.apiVersion);
		const changed = await stage('delete', async () => {
			if (want.redact) {
				for (const x of plan.redactions) {
					const outcome = await redactPart(gw, x.conversationId, x.kind, x.id);
					if (outcome === 'redacted') it.conversationParts.redacted++;
					else if (outcome === 'not_redactable') addRemaining([{ type: 'conversationParts', id: x.id, conversationId: x.conversationId, reason: 'not_redactable' }]);
					const touched = (receipt.redactedConversationIds ??= []);
					if (!touched.includes(x.conversationId)) touched.push(x.conversationId);
					await progress({ step: 'part_redacted', conversationId: x.conversationId, id: x.id, status: outcome });
				}
			}
			if (want.tickets) {
				for (const id of plan.tickets) {
					const r = await deleteObject(gw, `/tickets/${encodeURIComponent(id)}`);
					bump(it.tickets, r.outcome);
					(receipt.ticketIds ??= []).push(id);
					await progress({ step: 'ticket_deleted', id, status: r.outcome });
				}
			}
			if (want.conversations) {
				for (const id of plan.conversations) {
					const r = await deleteObject(gw, `/conversations/${encodeURIComponent(id)}`, purgeMetrics ? { retain_metrics: false } : undefined);
					bump(it.conversations, r.outcome);
					(receipt.conversationIds ??= []).push(id);
					await progress({ step: 'conversation_deleted', id, status: r.outcome });
				}
			}
			for (let i = 0; i < receipt.contacts.length; i++) {
				const c = receipt.contacts[i];
				// Looked up gone before the plan (contacts known from the ledger): nothing to delete.
				if (c.status === 'already_deleted') {
					await progress({ step: 'contact_deleted', contactId: c.id, status: 'already_deleted' });
					continue;
				}
				c.status = 'failed'; // until Intercom confirms; a failure leaves it here (then reported as pending)
				const r = await deleteObject(gw, `/contacts/${encodeURIComponent(c.id)}`);
				c.status = r.outcome;
				if (r.answerLost) c.answerLost = true;
				await progress({ step: 'contact_deleted', contactId: c.id, status: c.status });
			}
		});
		if (changed instanceof StageFailure) return changed;

		// 6. Verify every type.
		const contactIds = receipt.contacts.map((c) => c.id);
		const verified = await stage('verify', async () => {
			const contacts = await verifyContacts(gw, scope, contactIds, emails, externalIds);
			const tickets = await verifyGoneItems(gw, 'tickets', plan.tickets, contactIds, ownIds);
			const conversations = await verifyGoneItems(gw, 'conversations', plan.conversations, contactIds, ownIds);
			const shared = await verifyShared(gw, plan.shared, ownIds, matcher);
			return { contacts, tickets, conversations, shared };
		});
		if (verified instanceof StageFailure) return verified;
		const v = verified;
		addRemaining(v.contacts.remaining);
		addRemaining(v.tickets.stillThere.map((id) => ({ type: 'tickets', id, reason: want.tickets ? 'still_found_after_delete' : 'excluded_by_option' })));
		addRemaining(v.conversations.stillThere.map((id) => ({ type: 'conversations', id, reason: want.conversations ? 'still_found_after_delete' : 'excluded_by_option' })));
		addRemaining(v.shared.remaining);
		if (!want.conversations) {
			const still = new Set(v.conversations.stillThere);
			it.conversations.deletedWithContact = plan.conversations.filter((id) => !still.has(id)).length;
		}
		const anyLeft = (t: ErasureItemType) => receipt.remaining.some((r) => r.type === t);
		receipt.verification = {
			ok: v.contacts.ok && receipt.remaining.length === 0,
			scope,
			contactsGone: v.contacts.contactsGone,
			emailSearchEmpty: v.contacts.emailSearchEmpty,
			externalIdSearchEmpty: v.contacts.externalIdSearchEmpty,
			erasedContactsUnsearchable: v.contacts.erasedContactsUnsearchable,
			otherContactsRemain: v.contacts.otherContactsRemain,
			ticketsGone: !anyLeft('tickets'),
			conversationsGone: !anyLeft('conversations'),
			partsRedacted: plan.shared.length === 0 && !anyLeft('conversationParts') ? null : !anyLeft('conversationParts'),
			checkedAt: now().toISOString(),
		};
		await progress({ step: 'verified', ok: receipt.verification.ok });
		receipt.caveats = caveats(opts, gw, receipt, v.contacts.otherContactsRemain, resolved.archivedNotice);

		// 7. Record and answer.
		finish();
		const anything = receipt.counts.deleted + it.tickets.deleted + it.conversations.deleted + it.conversationParts.redacted;
		receipt.status = !receipt.verification.ok ? 'incomplete' : anything > 0 ? 'erased' : 'already_erased';
		await append({
			// `erasure.done` closes the request (Track Request); an incomplete one stays open for a re-run.
			type: receipt.status === 'incomplete' ? 'erasure.incomplete' : 'erasure.done',
			requestId,
			subjects: receipt.subjectHashes,
			contactIds,
			data: {
				status: receipt.status,
				resumed: receipt.resumed,
				statuses: statusesData(receipt.contacts),
				counts: countsData(receipt),
				items: itemsData(receipt),
				remaining: remainingData(receipt.remaining, contactIds),
				conversationIds: receipt.conversationIds ?? [],
				ticketIds: receipt.ticketIds ?? [],
				redactedConversationIds: receipt.redactedConversationIds ?? [],
				answersLost: receipt.contacts.filter((c) => c.answerLost).length,
				verification: { ...receipt.verification },
				retainMetrics: !purgeMetrics,
				recipients,
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

function bump(c: TypeTally, outcome: 'deleted' | 'already_deleted'): void {
	if (outcome === 'deleted') c.deleted++;
	else c.alreadyDeleted++;
}

/*
 * Contact ids in the ledger live only in an entry's sealed `contactIds` field (encrypted at rest,
 * see src/ledger/keys.ts). What `data` says about contacts refers to them by position in that field,
 * or counts them: `data` is stored as it is, and an id in clear there would undo the sealing.
 */

/** Each contact's status, in the order of the entry's `contactIds`. */
function statusesData(contacts: ContactErasure[]): string[] {
	return contacts.map((c) => c.status);
}

/**
 * What remains, for the ledger: tickets, conversations and parts by their Intercom ids (not personal
 * data); contacts by their position in `contactIds`, or `null` for another contact a search still
 * returns (its id is not kept at all).
 */
function remainingData(remaining: RemainingItem[], contactIds: string[]): JsonValue[] {
	return remaining.map((r): JsonValue => {
		if (r.type !== 'contacts') return { type: r.type, id: r.id, conversationId: r.conversationId ?? null, reason: r.reason };
		const position = contactIds.indexOf(r.id);
		return { type: r.type, position: position >= 0 ? position : null, reason: r.reason };
	});
}

/** A hold for the ledger: a contact-id hold by its position in the entry's `contactIds` (the rule's id IS the person's). */
function holdData(hold: HoldMatch): { data: { [k: string]: JsonValue }; contactIds: string[] } {
	if (hold.kind === 'contactId') return { data: { kind: hold.kind, position: 0 }, contactIds: [hold.id] };
	return { data: { kind: hold.kind, id: hold.id }, contactIds: [] };
}

function countsData(r: ErasureReceipt) {
	const c = r.counts;
	return { contacts: c.contacts, deleted: c.deleted, alreadyDeleted: c.alreadyDeleted, failed: c.failed, pending: c.pending };
}

function itemsData(r: ErasureReceipt): { [k: string]: JsonValue } {
	const out: { [k: string]: JsonValue } = {};
	for (const t of TYPES) out[t] = { ...r.items[t] };
	return out;
}

function caveats(opts: ErasureOptions, gw: IntercomGateway, r: ErasureReceipt, otherContacts: number, archivedNotice: string | null | undefined): string[] {
	const out = [CAVEAT_RESTORABLE, CAVEAT_CSAT, CAVEAT_REPORTING];
	if (opts.deleteConversations !== false && opts.purgeConversationMetrics !== false && supportsRetainMetrics(gw.apiVersion)) out.push(CAVEAT_METRICS_PURGED);
	if (r.items.conversations.shared > 0) {
		out.push(
			`${r.items.conversations.shared} conversation(s) also involve other people and were kept: the person's own messages (and the first message when they wrote it) were redacted, and teammates' messages naming them; Intercom keeps who took part and when.`,
		);
	}
	if (otherContacts > 0) out.push(CAVEAT_OTHER_CONTACTS(otherContacts));
	if (archivedNotice) out.push(archivedNotice);
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
