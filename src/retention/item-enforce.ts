/**
 * The rules for conversations, tickets and attributes in one Enforce (or Preview) run: each rule's
 * selection in order (item-select.ts), legal holds on every contact an item belongs to (the same
 * holds.ts as contacts and Erase), the per-run cap `maxItemsPerRun`, the cancel signal, then the
 * action (item-actions.ts). Counts per rule; Intercom refusing the token stops the run.
 */
import type { Contact, IntercomGateway } from '../intercom';
import { IntercomApiError } from '../intercom';
import type { Ledger } from '../ledger/types';
import { findHold, hasHolds, type HoldMatch } from './holds';
import { actOnItem, type ItemContext } from './item-actions';
import { selectItems, type ItemCandidate } from './item-select';
import type { ItemCounts, ItemResult, ItemRunReport } from './item-types';
import type { NormalisedPolicy } from './types';

export const zeroItems = (): ItemCounts => ({ candidates: 0, deleted: 0, redacted: 0, cleared: 0, alreadyHandled: 0, held: 0, failed: 0 });

/** Legal holds per contact id, looked up once per run. */
class HoldCheck {
	private readonly seen = new Map<string, HoldMatch | null>();
	constructor(
		private readonly gw: IntercomGateway,
		private readonly holds: NormalisedPolicy['exclusions'],
	) {}

	private async one(id: string, contact?: Contact): Promise<HoldMatch | null> {
		if (this.seen.has(id)) return this.seen.get(id) ?? null;
		let hold: HoldMatch | null = null;
		if (this.holds.contactIds.includes(id.toLowerCase())) hold = { kind: 'contactId', id: id.toLowerCase() };
		else if (hasHolds({ ...this.holds, contactIds: [] })) {
			const c = contact ?? (await this.lookUp(id));
			hold = c ? await findHold(this.gw, c, this.holds) : null;
		}
		this.seen.set(id, hold);
		return hold;
	}

	private async lookUp(id: string): Promise<Contact | undefined> {
		const look = await this.gw.getContact(id);
		return look.status === 'found' ? look.value : undefined; // a contact gone has no hold left to honour
	}

	/** The first hold on any of the item's contacts, or null. */
	async of(c: ItemCandidate): Promise<HoldMatch | null> {
		for (const id of c.contactIds) {
			const hold = await this.one(id, c.contact);
			if (hold) return hold;
		}
		return null;
	}
}

export interface ItemRunOptions {
	/** Needed unless dryRun. */
	ledger?: Ledger;
	runId: string;
	now: () => Date;
	dryRun: boolean;
	timeZone: string;
	signal?: AbortSignal;
}

interface State {
	report: ItemRunReport;
	acted: number;
	holds: HoldCheck;
	ctx: ItemContext;
}

function count(s: State, rule: string, key: keyof ItemCounts): void {
	s.report.counts[key]++;
	(s.report.perRule[rule] ??= zeroItems())[key]++;
}

const KEY: Partial<Record<ItemResult['outcome'], keyof ItemCounts>> = { deleted: 'deleted', redacted: 'redacted', cleared: 'cleared', already_handled: 'alreadyHandled', held: 'held', failed: 'failed' };
const ACTS = new Set<ItemResult['outcome']>(['deleted', 'redacted', 'cleared', 'would_delete', 'would_redact', 'would_clear']);

/** Handles one candidate; returns false when the run must stop (token or permissions refused). */
async function handle(s: State, c: ItemCandidate): Promise<boolean> {
	count(s, c.rule.name, 'candidates');
	const base = { target: c.rule.target, id: c.id, rule: c.rule.name, action: c.rule.action };
	const hold = await s.holds.of(c);
	let result: ItemResult;
	let fatal = false;
	if (hold) result = { ...base, outcome: 'held', hold: { kind: hold.kind, id: hold.id } };
	else {
		const acted = await actOnItem(s.ctx, c).catch((error: unknown) => {
			if (!(error instanceof IntercomApiError)) throw error;
			fatal = error.status === 401 || error.status === 403;
			return { outcome: 'failed' as const, error: { status: error.status ?? null, code: error.code ?? null, intercomRequestId: error.requestId ?? null } };
		});
		result = { ...base, ...acted };
	}
	const key = KEY[result.outcome];
	if (key) count(s, c.rule.name, key);
	if (ACTS.has(result.outcome)) s.acted++;
	s.report.results.push(result);
	if (!fatal) return true;
	s.report.stoppedBy = 'aborted';
	s.report.error = { status: result.error?.status ?? null, code: result.error?.code ?? null, message: 'Intercom refused the token or its permissions: the run stopped' };
	return false;
}

/** Why the run must stop before the next candidate, or null to go on. */
function stopBefore(s: State, signal?: AbortSignal): ItemRunReport['stoppedBy'] | null {
	if (signal?.aborted) return 'cancelled';
	if (s.acted >= s.report.maxItemsPerRun) return 'cap';
	return null;
}

async function runRule(s: State, candidates: AsyncGenerator<ItemCandidate>, signal?: AbortSignal): Promise<boolean> {
	try {
		for await (const c of candidates) {
			const stop = stopBefore(s, signal);
			if (stop) {
				s.report.stoppedBy = stop;
				return false;
			}
			if (!(await handle(s, c))) return false;
		}
	} finally {
		await candidates.return(undefined);
	}
	if (!signal?.aborted) return true;
	s.report.stoppedBy = 'cancelled';
	return false;
}

/** Runs every item rule of the policy; the report says how far it got. */
export async function enforceItemRules(gw: IntercomGateway, policy: NormalisedPolicy, opts: ItemRunOptions): Promise<ItemRunReport> {
	const rules = policy.itemRules ?? [];
	const nowMs = opts.now().getTime();
	const selections = rules.map((rule) => selectItems(gw, rule, opts.timeZone, nowMs, opts.signal));
	const report: ItemRunReport = {
		stoppedBy: 'completed',
		maxItemsPerRun: policy.maxItemsPerRun ?? 500,
		cutoffs: selections.map((x) => x.cutoff),
		counts: zeroItems(),
		perRule: Object.fromEntries(rules.map((r) => [r.name, zeroItems()])),
		results: [],
	};
	const s: State = { report, acted: 0, holds: new HoldCheck(gw, policy.exclusions), ctx: { gw, ledger: opts.ledger, runId: opts.runId, now: opts.now, dryRun: opts.dryRun } };
	try {
		for (const sel of selections) if (!(await runRule(s, sel.candidates(), opts.signal))) break;
	} catch (error) {
		// A search page failed (after the gateway's retries): the report says how far the run got.
		report.stoppedBy = 'aborted';
		report.error =
			error instanceof IntercomApiError
				? { status: error.status ?? null, code: error.code ?? null, message: error.message }
				: { status: null, code: 'internal_error', message: `Unexpected ${error instanceof Error ? error.name : 'error'} while selecting conversations, tickets or attributes` };
	}
	return report;
}

/**
 * Preview of the item rules: what Enforce would delete, redact or clear (ids, counts, attribute
 * names; no message text, no attribute value), changing and recording nothing. Reads only: the
 * searches, GET of a conversation to count its parts for `redact`, contacts for legal holds.
 */
export async function previewItemRetention(
	gw: IntercomGateway,
	policy: NormalisedPolicy,
	opts: { timeZone: string; now?: () => Date; signal?: AbortSignal },
): Promise<ItemRunReport> {
	return await enforceItemRules(gw, policy, { runId: 'preview', now: opts.now ?? (() => new Date()), dryRun: true, timeZone: opts.timeZone, signal: opts.signal });
}
