/**
 * eraseSubject: resolve → legal holds → plan → (dry run stops here) → write-ahead `erasure.intent`
 * → redact the person's parts in shared conversations → delete tickets → delete sole conversations
 * → delete contacts → verify every type → `erasure.done` / `erasure.incomplete` / `erasure.failed`
 * → receipt.
 *
 * Each stage lives in its own file: run.ts (inputs, ledger history, receipt, failure as a value),
 * stage-resolve.ts (1 resolve, 2 holds), stage-plan.ts (3 plan), stage-change.ts (4 intent,
 * 5 change), stage-verify.ts (6 verify, 7 record). See README.md in this folder.
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
import type { IntercomGateway } from '../intercom';
import type { SubjectRef } from '../subject';
import { caveats } from './ledger-data';
import { describeFailure, fail, finish, openRun, StageFailure, type Run } from './run';
import { changeStage, intentStage } from './stage-change';
import { planStage } from './stage-plan';
import { holdsStage, notFound, resolveStage } from './stage-resolve';
import { recordStage, verifyStage } from './stage-verify';
import type { ErasureOptions, ErasureReceipt } from './types';

async function runStages(run: Run): Promise<ErasureReceipt | StageFailure> {
	const resolved = await resolveStage(run);
	if (resolved instanceof StageFailure) return resolved;
	if (resolved.ids.length === 0) return await notFound(run, resolved);
	const held = await holdsStage(run, resolved.live);
	if (held !== null) return held;
	const plan = await planStage(run, resolved.live, resolved.ids);
	if (plan instanceof StageFailure) return plan;
	if (run.dryRun) {
		// Contacts known from the ledger were looked up before the plan: gone ones say already_deleted.
		run.receipt.status = 'dry_run';
		run.receipt.caveats = caveats(run.opts, run.gw, run.receipt, 0, resolved.archivedNotice);
		return finish(run);
	}
	await intentStage(run, plan, resolved.ids);
	const changed = await changeStage(run, plan);
	if (changed instanceof StageFailure) return changed;
	const verified = await verifyStage(run, plan, resolved);
	if (verified instanceof StageFailure) return verified;
	return await recordStage(run);
}

export async function eraseSubject(gw: IntercomGateway, ref: SubjectRef, opts: ErasureOptions): Promise<ErasureReceipt> {
	const run = await openRun(gw, ref, opts); // every input is checked before anything is sent or written
	const outcome = await runStages(run);
	if (outcome instanceof StageFailure) {
		// A contact whose DELETE failed is still there: a re-run picks it up.
		for (const c of run.receipt.contacts) if (c.status === 'failed') c.status = 'pending';
		return await fail(run, describeFailure(outcome.stage, outcome.cause));
	}
	return outcome;
}
