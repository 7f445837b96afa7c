/**
 * enforceRetention: the same selection as planRetention, then each candidate is deleted through the
 * erasure flow (eraseSubject by contact id: write-ahead intent → delete → verify → ledger) or
 * archived (a `retention.archived` entry), in batches, honouring the per-run cap and the cancel
 * signal (contact-actions.ts does one contact). The run ends with one `retention.run` entry: counts
 * per rule, cutoffs, policy hash.
 *
 * Idempotent: a contact the ledger already shows as erased (or archived after it was last seen) is
 * reported as `already_handled` and not counted again; Intercom's search can still list a contact
 * for a few minutes after it was deleted.
 */
import { randomUUID } from 'node:crypto';
import type { IntercomGateway } from '../intercom';
import { IntercomApiError } from '../intercom';
import { alreadyHandled, archiveOne, deleteOne, type Outcome } from './contact-actions';
import { enforceItemRules } from './item-enforce';
import type { ItemRunReport } from './item-types';
import { policyHash } from './policy';
import { openRetentionPlan, type RetentionPlan } from './select';
import type { ContactResult, EnforceOptions, NormalisedPolicy, RetentionCandidate, RetentionCounts, RetentionPolicy, RetentionReport } from './types';

export { RETENTION_ARCHIVED, RETENTION_DELETED } from './contact-actions';
export const RETENTION_RUN = 'retention.run';
const DEFAULT_BATCH = 25;

const zero = (): RetentionCounts => ({ candidates: 0, deleted: 0, archived: 0, alreadyHandled: 0, failed: 0, heldBack: 0 });

/** One Enforce run over contacts: its inputs, counts and how it stopped. */
interface ContactRun {
	gw: IntercomGateway;
	opts: EnforceOptions;
	runId: string;
	now: () => Date;
	dryRun: boolean;
	cap: number;
	batchSize: number;
	counts: RetentionCounts;
	perRule: Record<string, RetentionCounts>;
	contacts: ContactResult[];
	/** deleted + archived (+ would_*): what the cap counts. */
	acted: number;
	stoppedBy: RetentionReport['stoppedBy'];
	runError?: RetentionReport['error'];
}

function bump(run: ContactRun, rule: string, key: keyof RetentionCounts): void {
	run.counts[key]++;
	(run.perRule[rule] ??= zero())[key]++;
}

async function actOn(run: ContactRun, c: RetentionCandidate): Promise<Outcome> {
	if (await alreadyHandled(run.opts.ledger, c)) return { outcome: 'already_handled', requestId: null };
	if (run.dryRun) return { outcome: c.action === 'delete' ? 'would_delete' : 'would_archive', requestId: null };
	if (c.action === 'delete') return await deleteOne(run.gw, c, run.runId, run.opts);
	return await archiveOne(run.gw, c, run.runId, run.opts, run.now);
}

/** Handles one candidate; returns false when the run must stop (the token or its permissions were refused). */
async function handleCandidate(run: ContactRun, c: RetentionCandidate): Promise<boolean> {
	bump(run, c.rule, 'candidates');
	const result = await actOn(run, c);
	if (result.outcome === 'deleted') bump(run, c.rule, 'deleted');
	else if (result.outcome === 'archived') bump(run, c.rule, 'archived');
	else if (result.outcome === 'already_handled') bump(run, c.rule, 'alreadyHandled');
	else if (result.outcome === 'failed') bump(run, c.rule, 'failed');
	if (result.outcome === 'deleted' || result.outcome === 'archived' || result.outcome.startsWith('would_')) run.acted++;
	run.contacts.push({
		id: c.id,
		rule: c.rule,
		action: c.action,
		outcome: result.outcome,
		requestId: result.requestId,
		...(result.remaining ? { remaining: result.remaining } : {}),
		...(result.error ? { error: result.error } : {}),
	});
	await run.opts.onProgress?.({ handled: run.acted, cap: run.cap, outcome: result.outcome, contactId: c.id });
	if (!result.fatal) return true;
	run.stoppedBy = 'aborted';
	run.runError = { status: result.error?.status ?? null, code: result.error?.code ?? null, message: 'Intercom refused the token or its permissions: the run stopped' };
	return false;
}

async function nextBatch(run: ContactRun, iterator: AsyncIterator<RetentionCandidate>): Promise<RetentionCandidate[]> {
	const batch: RetentionCandidate[] = [];
	while (batch.length < run.batchSize && run.acted + batch.length < run.cap) {
		const n = await iterator.next();
		if (n.done) break;
		batch.push(n.value);
	}
	return batch;
}

/** The batches, until every candidate is handled, the cap is reached, the execution is cancelled or a fatal error. */
async function loop(run: ContactRun, iterator: AsyncIterator<RetentionCandidate>): Promise<void> {
	const signal = run.opts.signal;
	for (;;) {
		if (signal?.aborted) return void (run.stoppedBy = 'cancelled');
		if (run.acted >= run.cap) return void (run.stoppedBy = 'cap');
		const batch = await nextBatch(run, iterator);
		if (batch.length === 0) {
			if (signal?.aborted) run.stoppedBy = 'cancelled';
			return;
		}
		for (const c of batch) {
			if (signal?.aborted) return void (run.stoppedBy = 'cancelled');
			if (!(await handleCandidate(run, c))) return;
		}
	}
}

async function enforceContacts(run: ContactRun, plan: RetentionPlan): Promise<void> {
	const iterator = plan.candidates[Symbol.asyncIterator]();
	try {
		await loop(run, iterator);
	} catch (error) {
		// A search page failed (after the gateway's retries): record how far the run got, then report.
		run.stoppedBy = 'aborted';
		run.runError =
			error instanceof IntercomApiError
				? { status: error.status ?? null, code: error.code ?? null, message: error.message }
				: { status: null, code: 'internal_error', message: `Unexpected ${error instanceof Error ? error.name : 'error'} while selecting contacts` };
	} finally {
		await iterator.return?.(undefined);
	}
}

/** The item rules' part of the `retention.run` entry: counts and cutoffs, no ids. */
function itemsData(items: ItemRunReport) {
	return {
		stoppedBy: items.stoppedBy,
		maxItemsPerRun: items.maxItemsPerRun,
		cutoffs: items.cutoffs.map((c) => ({ ...c })),
		counts: { ...items.counts },
		perRule: Object.entries(items.perRule).map(([rule, v]) => ({ rule, ...v })),
		...(items.error ? { error: { status: items.error.status, code: items.error.code } } : {}),
	};
}

/**
 * Rules for conversations, tickets and attributes, after the contacts (a contact deleted first takes
 * its conversations with it). Not after a cancel or a refused token. Their own cap.
 */
async function enforceItems(run: ContactRun, plan: RetentionPlan): Promise<ItemRunReport | undefined> {
	if (!plan.policy.itemRules?.length || run.stoppedBy === 'aborted' || run.stoppedBy === 'cancelled') return undefined;
	const items = await enforceItemRules(run.gw, plan.policy, { ledger: run.opts.ledger, runId: run.runId, now: run.now, dryRun: run.dryRun, timeZone: plan.timeZone, signal: run.opts.signal });
	if (items.stoppedBy === 'aborted' || items.stoppedBy === 'cancelled') {
		run.stoppedBy = items.stoppedBy;
		if (items.error) run.runError = items.error;
	}
	return items;
}

/** The `retention.run` entry: counts per rule, cutoffs, policy hash (no personal data). */
async function recordRun(run: ContactRun, plan: RetentionPlan, report: RetentionReport): Promise<void> {
	const entry = await run.opts.ledger.append({
		type: RETENTION_RUN,
		requestId: run.runId,
		data: {
			stoppedBy: run.stoppedBy,
			timeZone: plan.timeZone,
			policyHash: report.policyHash,
			maxContactsPerRun: run.cap,
			cutoffs: plan.cutoffs.map((c) => ({ rule: c.rule, cutoffDay: c.cutoffDay })),
			counts: { ...run.counts },
			perRule: Object.entries(run.perRule).map(([rule, v]) => ({ rule, ...v })),
			...(run.runError ? { error: { status: run.runError.status, code: run.runError.code } } : {}),
			...(report.items ? { items: itemsData(report.items) } : {}),
		},
		at: report.finishedAt,
	});
	report.ledgerEntry = { seq: entry.seq, hash: entry.hash };
}

export async function enforceRetention(gw: IntercomGateway, input: RetentionPolicy | NormalisedPolicy | string, opts: EnforceOptions): Promise<RetentionReport> {
	if (!opts || !opts.ledger || typeof opts.ledger.append !== 'function') throw new TypeError('enforceRetention needs opts.ledger (openLedger(...))');
	const now = opts.now ?? (() => new Date());
	const runId = opts.runId ?? `retention-${randomUUID()}`;
	const startedAt = now().toISOString();
	const run: ContactRun = { gw, opts, runId, now, dryRun: opts.dryRun === true, cap: 0, batchSize: Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH)), counts: zero(), perRule: {}, contacts: [], acted: 0, stoppedBy: 'completed' };
	const plan = await openRetentionPlan(gw, input, { now, perPage: opts.perPage, signal: opts.signal, onHeld: ({ rule }) => bump(run, rule, 'heldBack') });
	for (const r of plan.policy.rules) run.perRule[r.name] = zero();
	run.cap = plan.policy.maxContactsPerRun;
	await enforceContacts(run, plan);
	const items = await enforceItems(run, plan);
	const report: RetentionReport = {
		runId,
		dryRun: run.dryRun,
		stoppedBy: run.stoppedBy,
		timeZone: plan.timeZone,
		cutoffs: plan.cutoffs,
		policyHash: policyHash(plan.policy),
		counts: run.counts,
		perRule: run.perRule,
		contacts: run.contacts,
		startedAt,
		finishedAt: now().toISOString(),
		...(run.runError ? { error: run.runError } : {}),
		...(items ? { items } : {}),
	};
	if (!run.dryRun) await recordRun(run, plan, report);
	return report;
}
