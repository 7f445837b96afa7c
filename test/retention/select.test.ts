// planRetention against the fake Intercom: day edges in the workspace time zone, never-seen contacts,
// legal holds, pagination, and the policy's validation errors.
import { beforeEach, describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom';
import { planRetention, openRetentionPlan, RetentionPolicyError } from '../../src/retention';
import type { RetentionCandidate, RetentionPolicy, RetentionRule } from '../../src/retention';
import type { FakeIntercom } from '../fake-intercom';
import { addRetentionFixtures, NOW, ONLY_FIXTURES } from './fixtures';
import type { RetentionFixtures } from './fixtures';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
let fx: RetentionFixtures;
useFakeIntercom({ seed: 1 }, (f) => (fake = f));
beforeEach(() => {
	fake.reset();
	fx = addRetentionFixtures(fake);
});

const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url, maxRetries: 1 });
async function collect(policy: RetentionPolicy | string, now = NOW, perPage?: number): Promise<RetentionCandidate[]> {
	const out: RetentionCandidate[] = [];
	for await (const c of planRetention(gw(), policy, { now: () => now, perPage })) out.push(c);
	return out;
}
const SEEN_ONLY = { field: 'email', operator: '^', value: 'retention-seen-' };
const ids = (cs: RetentionCandidate[]) => cs.map((c) => c.id).sort();
const rule = (over: Partial<RetentionRule> = {}): RetentionRule => ({
	role: 'user',
	inactiveDays: 10,
	action: 'delete',
	filters: [ONLY_FIXTURES],
	...over,
});

describe('planRetention: day edges in the workspace time zone (Europe/Berlin)', () => {
	it('inactive 10 days on 2025-03-20 selects last seen 2025-03-09 23:59:59, not 2025-03-10 00:00 (Berlin), whatever UTC says', async () => {
		const got = await collect({ rules: [rule({ neverSeen: 'skip', filters: [SEEN_ONLY] })] });
		expect(ids(got)).toEqual([fx.seenJustBefore.id].sort());
		// 2025-03-09 23:30 UTC is already 2025-03-10 in Berlin: not selected (a UTC cutoff would select it).
		expect(ids(got)).not.toContain(fx.seenUtcLate.id);
		expect(got[0]).toMatchObject({ role: 'user', rule: 'rule-1', ruleIndex: 0, action: 'delete', matchedBy: 'last_seen_at', lastSeenAt: '2025-03-09T22:59:59.000Z' });
	});

	it('one day less (9) moves the edge a whole day: all of 2025-03-10 in, 2025-03-11 00:00 out', async () => {
		const got = await collect({ rules: [rule({ inactiveDays: 9, neverSeen: 'skip', filters: [SEEN_ONLY] })] });
		expect(ids(got)).toEqual([fx.seenJustBefore.id, fx.seenAtStart.id, fx.seenEndOfDay.id, fx.seenUtcLate.id].sort());
		expect(ids(got)).not.toContain(fx.seenNextDay.id);
	});

	it('sends Intercom a day inside the cutoff day with `<` and reports the cutoff', async () => {
		const plan = await openRetentionPlan(gw(), { rules: [rule({ neverSeen: 'skip' })] }, { now: () => NOW });
		for await (const c of plan.candidates) void c;
		expect(plan.timeZone).toBe('Europe/Berlin');
		expect(plan.cutoffs).toEqual([{ rule: 'rule-1', cutoffDay: '2025-03-10', cutoffStart: Date.UTC(2025, 2, 9, 23) / 1000 }]);
		const search = fake.requests.find((r) => r.path === '/contacts/search');
		const filters = (search?.body as { query: { value: Array<{ field: string; operator: string; value: number }> } }).query.value;
		const date = filters.find((f) => f.field === 'last_seen_at');
		expect(date?.operator).toBe('<');
		expect(new Date((date?.value ?? 0) * 1000).toISOString()).toBe('2025-03-10T11:00:00.000Z'); // noon in Berlin
	});

	it('the workspace time zone wins over a policy one (Intercom compares there); the policy one is only a fallback', async () => {
		const plan = await openRetentionPlan(gw(), { rules: [rule({ neverSeen: 'skip', filters: [SEEN_ONLY] })], timeZone: 'UTC' }, { now: () => NOW });
		const got: RetentionCandidate[] = [];
		for await (const c of plan.candidates) got.push(c);
		expect(plan.timeZone).toBe('Europe/Berlin');
		expect(ids(got)).toEqual([fx.seenJustBefore.id]);
	});
});

describe('planRetention: never-seen contacts, roles, holds, rules', () => {
	it('judges never-seen contacts by created_at on the same day edge (and leaves them with neverSeen: skip)', async () => {
		const got = await collect({ rules: [rule()] });
		expect(ids(got)).toContain(fx.neverSeenBefore.id);
		expect(ids(got)).not.toContain(fx.neverSeenAtStart.id);
		expect(got.find((c) => c.id === fx.neverSeenBefore.id)).toMatchObject({ matchedBy: 'created_at', lastSeenAt: null });
		const skipped = await collect({ rules: [rule({ neverSeen: 'skip' })] });
		expect(ids(skipped)).not.toContain(fx.neverSeenBefore.id);
	});

	it('role lead selects only leads; both selects both', async () => {
		expect(ids(await collect({ rules: [rule({ role: 'lead' })] }))).toEqual([fx.oldLead.id]);
		const both = ids(await collect({ rules: [rule({ role: 'both', neverSeen: 'skip' })] }));
		expect(both).toContain(fx.oldLead.id);
		expect(both).toContain(fx.seenJustBefore.id);
	});

	it('never selects a contact under legal hold: tag, segment, company (also past the 10 embedded), id list', async () => {
		const all = ids(await collect({ rules: [rule({ neverSeen: 'skip' })] }));
		for (const held of [fx.heldByTag, fx.heldBySegment, fx.heldByCompany, fx.heldByCompanyPastTen, fx.heldById]) expect(all).toContain(held.id);
		const got = ids(
			await collect({
				rules: [rule({ neverSeen: 'skip' })],
				exclusions: { tagIds: [fx.holds.tagId], segmentIds: [fx.holds.segmentId], companyIds: [fx.holds.companyId], contactIds: [fx.heldById.id] },
			}),
		);
		expect(got).toEqual(all.filter((id) => ![fx.heldByTag, fx.heldBySegment, fx.heldByCompany, fx.heldByCompanyPastTen, fx.heldById].some((h) => h.id === id)));
		expect(got.length).toBeGreaterThan(0);
		// Tags and segments are excluded by Intercom's search itself.
		const search = fake.requests.findLast((r) => r.path === '/contacts/search')?.body as { query: { value: unknown[] } };
		expect(search.query.value).toContainEqual({ field: 'tag_id', operator: '!=', value: fx.holds.tagId });
		expect(search.query.value).toContainEqual({ field: 'segment_id', operator: '!=', value: fx.holds.segmentId });
	});

	it('reports a contact matched by two rules once, under the first rule, and names each rule', async () => {
		const got = await collect({ rules: [rule({ name: 'old-users', neverSeen: 'skip' }), rule({ name: 'everyone', role: 'both', inactiveDays: 5 })] });
		const firstRule = got.filter((c) => c.rule === 'old-users');
		expect(new Set(got.map((c) => c.id)).size).toBe(got.length);
		expect(firstRule.map((c) => c.id)).toContain(fx.seenJustBefore.id);
		expect(got.find((c) => c.id === fx.oldLead.id)?.rule).toBe('everyone');
	});

	it('follows cursor pages (small pages) and stays within one page of contacts plus ids in memory', async () => {
		const one = await collect({ rules: [rule()] });
		const small = await collect({ rules: [rule()] }, NOW, 2);
		expect(ids(small)).toEqual(ids(one));
		const pages = fake.requests.filter((r) => r.path === '/contacts/search');
		expect(pages.some((r) => (r.body as { pagination?: { starting_after?: string } }).pagination?.starting_after)).toBe(true);
	});

	it('works on the seeded workspace without the fixture filter (hundreds of contacts, 150 per page)', async () => {
		const got = await collect({ rules: [{ role: 'both', inactiveDays: 30, action: 'delete' }] }, new Date());
		expect(got.length).toBeGreaterThan(150);
		const perPage = fake.requests.filter((r) => r.path === '/contacts/search').map((r) => (r.body as { pagination: { per_page: number } }).pagination.per_page);
		expect(new Set(perPage)).toEqual(new Set([150]));
	});
});

describe('retention policy validation (before any call to Intercom)', () => {
	const problems = async (policy: unknown): Promise<string[]> => {
		const before = fake.requests.length;
		try {
			await collect(policy as RetentionPolicy);
		} catch (error) {
			expect(error).toBeInstanceOf(RetentionPolicyError);
			expect(fake.requests.length).toBe(before);
			return (error as RetentionPolicyError).problems.map((p) => `${p.path} ${p.message}`);
		}
		throw new Error('no error');
	};

	it('names the path: rules[1].inactiveDays must be ≥ 1', async () => {
		const got = await problems({ rules: [rule(), rule({ inactiveDays: 0 })] });
		expect(got).toEqual(['rules[1].inactiveDays must be ≥ 1']);
	});

	it('lists every problem: missing, unknown, wrong enum, wrong type, bad filter, bad id', async () => {
		const got = await problems({
			rules: [{ role: 'visitor', inactiveDays: 3.5, action: 'delete', filters: [{ field: 'email' }] }, { role: 'user', inactiveDays: 30 }],
			exclusions: { contactIds: ['has space'] },
			maxContactPerRun: 5,
		});
		expect(got).toEqual(
			expect.arrayContaining([
				'rules[0].role must be one of: "user", "lead", "both"',
				'rules[0].inactiveDays must be a whole number',
				'rules[0].filters[0] must be a filter {field, operator, value} or a group {operator: "AND"|"OR", value: [filters]}',
				'rules[1].action is required',
				'exclusions.contactIds[0] has characters that are not allowed (letters, digits, _ . - only)',
				'maxContactPerRun is not a known setting (check the spelling)',
			]),
		);
	});

	it('rejects bad JSON text, an empty rule list, duplicate names, a bad time zone and too many search filters', async () => {
		expect(await problems('{"rules": [')).toEqual(['policy is not valid JSON']);
		expect(await problems({ rules: [] })).toEqual(['rules must have at least 1 item(s)']);
		expect(await problems({ rules: [rule({ name: 'a' }), rule({ name: 'a' })] })).toEqual(['rules[1].name is used by an earlier rule (names must be unique)']);
		expect(await problems({ rules: [rule()], timeZone: 'Mars/Olympus' })).toEqual(['timeZone is not an IANA time zone (e.g. "Europe/Berlin")']);
		const filters = Array.from({ length: 8 }, (_, i) => ({ field: `custom_attributes.a${i}`, operator: '=', value: 'x' }));
		const got = await problems({ rules: [rule({ filters })], exclusions: { tagIds: ['1', '2', '3', '4', '5'], segmentIds: ['s1'] } });
		expect(got[0]).toMatch(/^rules\[0\]\.filters with the held tags and segments makes 16 search filters; Intercom allows 15/);
	});

	it('never echoes a filter value in an error', async () => {
		const got = await problems({ rules: [rule({ filters: [{ field: 'email', operator: 'equals', value: 'someone@example.com' }] as never })] });
		expect(got.join(' ')).not.toContain('someone@example.com');
	});
});
