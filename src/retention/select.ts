/**
 * planRetention: streams the contacts a policy selects, page by page (cursor pagination, 150 per
 * page, paced by the gateway), holding one page at a time plus the ids already reported (so a
 * contact matched by two rules is reported once, under the first).
 *
 * Per rule, two searches: contacts seen before the cutoff day (`last_seen_at <`), and contacts
 * never seen that were created before it (`created_at <`, kept only when `last_seen_at` is null).
 * Legal holds: tags and segments as `!=` filters in the search, companies and explicit ids checked
 * on each contact. Every date is checked again here against the cutoff, so a server that rounds
 * differently can never make us select a contact a day early.
 */
import type { IntercomGateway } from '../intercom';
import { inactivityCutoff } from './calendar';
import { companyIdsOf } from './holds';
import { validatePolicy } from './policy';
import type { NormalisedPolicy, PlanOptions, RetentionCandidate, RetentionPolicy, RuleCutoff, SearchFilter, SearchGroup } from './types';

type Rule = NormalisedPolicy['rules'][number];

/**
 * The workspace time zone (GET /me `app.timezone`): Intercom compares dates there, so it wins. The
 * policy's `timeZone` is the fallback when Intercom reports none (or one Intl does not know); then UTC.
 */
export async function workspaceTimeZone(gw: IntercomGateway, policy: NormalisedPolicy): Promise<string> {
	const me = await gw.me();
	const tz = me.app?.timezone;
	if (typeof tz === 'string' && tz.trim() !== '') {
		try {
			new Intl.DateTimeFormat('en-US', { timeZone: tz });
			return tz;
		} catch {
			// Not an IANA name Intl knows: fall back below.
		}
	}
	return policy.timeZone ?? 'UTC';
}

function ruleQuery(rule: Rule, holds: NormalisedPolicy['exclusions'], dateField: 'last_seen_at' | 'created_at', searchValue: number): object {
	const filters: Array<SearchFilter | SearchGroup> = [];
	if (rule.role !== 'both') filters.push({ field: 'role', operator: '=', value: rule.role });
	filters.push({ field: dateField, operator: '<', value: searchValue });
	filters.push(...rule.filters);
	for (const id of holds.tagIds) filters.push({ field: 'tag_id', operator: '!=', value: id });
	for (const id of holds.segmentIds) filters.push({ field: 'segment_id', operator: '!=', value: id });
	return { operator: 'AND', value: filters };
}

/**
 * The identifiers of each candidate's contact, beside the candidate (never in it: candidates are
 * output as they are). Enforce hashes them into its `retention.archived` entries, so a later lookup
 * by email or external id finds the archived contact through the ledger.
 */
export const candidateIdentifiers = new WeakMap<RetentionCandidate, { email: string | null; externalId: string | null }>();

const iso = (unix: number | null | undefined): string | null => (typeof unix === 'number' ? new Date(unix * 1000).toISOString() : null);

export interface RetentionPlan {
	timeZone: string;
	cutoffs: RuleCutoff[];
	policy: NormalisedPolicy;
	candidates: AsyncIterable<RetentionCandidate>;
}

/** Like planRetention, but also returns the time zone and cutoffs before the first candidate. */
export async function openRetentionPlan(gw: IntercomGateway, input: RetentionPolicy | NormalisedPolicy | string, opts: PlanOptions = {}): Promise<RetentionPlan> {
	const policy = validatePolicy(input);
	const timeZone = await workspaceTimeZone(gw, policy);
	const nowMs = (opts.now ?? (() => new Date()))().getTime();
	const perRule = policy.rules.map((rule) => ({ rule, ...inactivityCutoff(timeZone, nowMs, rule.inactiveDays) }));
	const cutoffs: RuleCutoff[] = perRule.map((r) => ({ rule: r.rule.name, cutoffDay: r.cutoffDay, cutoffStart: r.cutoffStart }));
	opts.onPlan?.({ timeZone, cutoffs });
	const heldIds = new Set(policy.exclusions.contactIds);
	const heldCompanies = new Set(policy.exclusions.companyIds);
	const perPage = opts.perPage ?? 150;

	async function* candidates(): AsyncGenerator<RetentionCandidate> {
		const reported = new Set<string>();
		for (const [ruleIndex, r] of perRule.entries()) {
			const passes: Array<'last_seen_at' | 'created_at'> = r.rule.neverSeen === 'skip' ? ['last_seen_at'] : ['last_seen_at', 'created_at'];
			for (const field of passes) {
				const query = ruleQuery(r.rule, policy.exclusions, field, r.searchValue);
				let cursor: string | undefined;
				do {
					if (opts.signal?.aborted) return;
					const page = await gw.searchContactsPage(query, { perPage, startingAfter: cursor });
					cursor = page.next;
					for (const c of page.contacts) {
						if (reported.has(c.id)) continue;
						const lastSeen = typeof c.last_seen_at === 'number' ? c.last_seen_at : null;
						const created = typeof c.created_at === 'number' ? c.created_at : null;
						// The created_at pass is only for contacts never seen; the other pass covers the rest.
						if (field === 'created_at' && lastSeen !== null) continue;
						const decisive = field === 'last_seen_at' ? lastSeen : created;
						if (decisive === null || decisive >= r.cutoffStart) continue; // the day edge, checked by us too
						if (heldIds.has(c.id)) {
							opts.onHeld?.({ rule: r.rule.name, reason: 'contactId' });
							continue;
						}
						if (heldCompanies.size > 0 && (await companyIdsOf(gw, c)).some((id) => heldCompanies.has(id))) {
							opts.onHeld?.({ rule: r.rule.name, reason: 'company' });
							continue;
						}
						reported.add(c.id);
						const candidate: RetentionCandidate = {
							id: c.id,
							role: String(c.role),
							lastSeenAt: iso(lastSeen),
							createdAt: iso(created),
							rule: r.rule.name,
							ruleIndex,
							action: r.rule.action,
							matchedBy: field,
						};
						candidateIdentifiers.set(candidate, {
							email: typeof c.email === 'string' && c.email.trim() !== '' ? c.email : null,
							externalId: typeof c.external_id === 'string' && c.external_id.trim() !== '' ? c.external_id : null,
						});
						yield candidate;
					}
				} while (cursor);
			}
		}
	}
	return { timeZone, cutoffs, policy, candidates: candidates() };
}

/**
 * Streams the contacts a retention policy selects, without changing anything. The policy is
 * validated first (RetentionPolicyError names the path of every problem).
 */
export async function* planRetention(gw: IntercomGateway, policy: RetentionPolicy | NormalisedPolicy | string, opts: PlanOptions = {}): AsyncGenerator<RetentionCandidate> {
	const plan = await openRetentionPlan(gw, policy, opts);
	yield* plan.candidates;
}
