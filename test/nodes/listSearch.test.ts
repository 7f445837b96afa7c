// "From List" for the Subject locator, against the fake Intercom.
import { describe, expect, it } from 'vitest';
import { searchContacts } from '../../nodes/IntercomGdpr/methods/listSearch';
import type { FakeIntercom } from '../fake-intercom';
import { fakeCredential, loadOptionsContext } from './context';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;

useFakeIntercom({}, (f) => (fake = f));

describe('listSearch.searchContacts', () => {
	it('lists contacts page by page with a string pagination token', async () => {
		const ctx = loadOptionsContext(fakeCredential(fake.url, fake.token));
		const first = await searchContacts.call(ctx);
		expect(first.results.length).toBeGreaterThan(0);
		for (const r of first.results) {
			expect(typeof r.name).toBe('string');
			expect(r.value).toMatch(/^[0-9a-f]{24}$/);
		}
		expect(typeof first.paginationToken).toBe('string');
		const second = await searchContacts.call(ctx, undefined, first.paginationToken);
		expect(second.results.length).toBeGreaterThan(0);
		const firstIds = new Set(first.results.map((r) => r.value));
		expect(second.results.some((r) => firstIds.has(r.value))).toBe(false);
	});

	it('filters by part of the email', async () => {
		const fx = fake.workspace.fixtures;
		const ctx = loadOptionsContext(fakeCredential(fake.url, fake.token));
		const local = fx.userEmail.split('@')[0];
		const found = await searchContacts.call(ctx, local);
		expect(found.results.map((r) => r.value)).toContain(fx.userId);
		// Filtered, not the first page of everyone: each entry shows the matching name or email.
		for (const r of found.results) expect(r.name.toLowerCase()).toContain(local.toLowerCase());
	});

	it('finds a contact by its exact id', async () => {
		const fx = fake.workspace.fixtures;
		const ctx = loadOptionsContext(fakeCredential(fake.url, fake.token));
		const found = await searchContacts.call(ctx, fx.leadId);
		expect(found.results.map((r) => r.value)).toEqual([fx.leadId]);
	});
});
