/**
 * The state of one erasure run, shared by its stages (erase.ts): the checked inputs, what the ledger
 * already knows about the identifier, the receipt being filled in, and the entries written so far.
 * Also how a stage fails: as a value (StageFailure), so the run decides outside any catch.
 */
import { randomUUID } from 'node:crypto';
import type { IntercomGateway } from '../intercom';
import { IntercomApiError } from '../intercom';
import type { IdentifierKind, JsonValue, Ledger, LedgerEntry, LedgerEntryInput } from '../ledger/types';
import { normaliseHolds } from '../retention/holds';
import type { LegalHolds } from '../retention/types';
import { normaliseSubjectRef } from '../subject';
import type { SubjectField, SubjectRef } from '../subject';
import { countsData, errorData, itemsData, scopeOf, statusesData, TYPES } from './ledger-data';
import { checkOverrideReason, checkRecipients } from './receipt';
import type { ErasureError, ErasureOptions, ErasureProgress, ErasureReceipt, ErasureScope, RemainingItem, TypeTally } from './types';

const KIND: Record<SubjectField, IdentifierKind> = { contactId: 'contactId', email: 'email', externalId: 'externalId' };

/** A stage that failed: the run stops and records `erasure.failed`. */
export class StageFailure {
	constructor(
		readonly stage: ErasureError['stage'],
		readonly cause: unknown,
	) {}
}

/** Runs one stage; its failure becomes a value (so the caller decides, outside any catch). */
export async function stage<T>(name: ErasureError['stage'], fn: () => Promise<T>): Promise<T | StageFailure> {
	return await fn().then(
		(value) => value,
		(error: unknown) => new StageFailure(name, error),
	);
}

export function describeFailure(stage: ErasureError['stage'], error: unknown): ErasureError {
	if (error instanceof IntercomApiError) {
		return { stage, status: error.status ?? null, code: error.code ?? null, intercomRequestId: error.requestId ?? null, message: error.message };
	}
	// Anything else (a bug, a network stack error): keep only the error's type, its message may hold data.
	return { stage, status: null, code: 'internal_error', intercomRequestId: null, message: `Unexpected ${error instanceof Error ? error.name : 'error'} during ${stage}` };
}

const tally = (): TypeTally => ({ found: 0, deleted: 0, alreadyDeleted: 0, deletedWithContact: 0, shared: 0, redacted: 0, alreadyRedacted: 0, remaining: 0 });

export interface Run {
	gw: IntercomGateway;
	ref: SubjectRef;
	subject: { field: SubjectField; value: string };
	opts: ErasureOptions;
	ledger: Ledger;
	holds: Required<LegalHolds>;
	overrideReason: string | undefined;
	recipients: string[];
	scope: ErasureScope;
	want: { tickets: boolean; conversations: boolean; redact: boolean };
	now: () => Date;
	dryRun: boolean;
	startedAt: string;
	refHash: string;
	requestId: string;
	/** The open `erasure.intent` of an earlier run for this identifier (crash, fault), if any. */
	openIntent: LedgerEntry | undefined;
	/** Contact ids and subject hashes earlier erasure entries named. */
	knownFromLedger: Set<string>;
	knownSubjects: Set<string>;
	receipt: ErasureReceipt;
	written: LedgerEntry[];
}

/** Every input is checked before anything is sent or written. */
function checkInputs(ref: SubjectRef, opts: ErasureOptions) {
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
	return { subject, ledger, holds, overrideReason, recipients, scope, want };
}

function newReceipt(requestId: string, dryRun: boolean, field: SubjectField, scope: ErasureScope, resumed: boolean, recipients: string[], startedAt: string): ErasureReceipt {
	return {
		requestId,
		status: 'failed',
		dryRun,
		lookup: field,
		scope,
		subjectHashes: [],
		contacts: [],
		externalIds: [],
		counts: { contacts: 0, deleted: 0, alreadyDeleted: 0, failed: 0, pending: 0 },
		items: { contacts: tally(), tickets: tally(), conversations: tally(), conversationParts: tally() },
		remaining: [],
		resumed,
		mergedRedirects: [],
		recipients,
		startedAt,
		finishedAt: startedAt,
		caveats: [],
		ledger: { entries: [] },
	};
}

/** Checks the inputs and reads what the ledger already knows about this identifier: open intents and past erasures. */
export async function openRun(gw: IntercomGateway, ref: SubjectRef, opts: ErasureOptions): Promise<Run> {
	const inputs = checkInputs(ref, opts);
	const { subject, ledger } = inputs;
	const now = opts.now ?? (() => new Date());
	const dryRun = opts.dryRun === true;
	const startedAt = now().toISOString();
	const refHash = ledger.hashIdentifier(KIND[subject.field], subject.value);
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
	const receipt = newReceipt(requestId, dryRun, subject.field, inputs.scope, openIntent !== undefined && !dryRun, inputs.recipients, startedAt);
	return { ...inputs, gw, ref, opts, now, dryRun, startedAt, refHash, requestId, openIntent, knownFromLedger, knownSubjects, receipt, written: [] };
}

export async function append(run: Run, entry: LedgerEntryInput): Promise<LedgerEntry> {
	const e = await run.ledger.append({ ...entry, at: run.now().toISOString() });
	run.written.push(e);
	return e;
}

export async function progress(run: Run, e: ErasureProgress): Promise<void> {
	if (run.opts.onProgress) await run.opts.onProgress(e);
}

export function addRemaining(run: Run, items: RemainingItem[]): void {
	const remaining = run.receipt.remaining;
	for (const x of items) {
		if (!remaining.some((r) => r.type === x.type && r.id === x.id)) remaining.push(x);
	}
}

/** Fills in the receipt's finish time, ledger entries and counts from what the run recorded. */
export function finish(run: Run): ErasureReceipt {
	const receipt = run.receipt;
	receipt.finishedAt = run.now().toISOString();
	receipt.ledger.entries = run.written.map((e) => ({ seq: e.seq, type: e.type, hash: e.hash }));
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
}

/** A stage failed: the receipt says `failed` with the error; the ledger records `erasure.failed`. */
export async function fail(run: Run, error: ErasureError): Promise<ErasureReceipt> {
	const receipt = run.receipt;
	receipt.status = 'failed';
	receipt.error = error;
	finish(run);
	if (!run.dryRun) {
		await append(run, {
			type: 'erasure.failed',
			requestId: run.requestId,
			subjects: receipt.subjectHashes.length ? receipt.subjectHashes : [...run.knownSubjects],
			contactIds: receipt.contacts.map((c) => c.id),
			data: { error: errorData(error), statuses: statusesData(receipt.contacts), counts: countsData(receipt), items: itemsData(receipt) },
		});
		receipt.ledger.entries = run.written.map((e) => ({ seq: e.seq, type: e.type, hash: e.hash }));
	}
	return receipt;
}

/** The plan an open intent recorded (a resumed run uses its ids: deleted contacts can no longer be searched by). */
export function planFromIntent(data: Record<string, JsonValue> | undefined): { tickets: string[]; conversations: string[]; shared: string[] } {
	const p = (data?.plan ?? {}) as Record<string, JsonValue>;
	const ids = (v: JsonValue | undefined) => (Array.isArray(v) ? v.map(String) : []);
	return { tickets: ids(p.ticketIds), conversations: ids(p.conversationIds), shared: ids(p.sharedConversationIds) };
}
