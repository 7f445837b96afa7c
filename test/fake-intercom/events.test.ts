import { describe, expect, it } from 'vitest';
import type { FakeIntercom } from './index';
import { call, type RawResponse } from './testing';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({}, (f) => (fake = f));

const fx = () => fake.workspace.fixtures;

describe('GET /events', () => {
	it('requires type=user', async () => {
		expect((await call(fake, 'GET', `/events?intercom_user_id=${fx().userId}`)).status).toBe(400);
		expect((await call(fake, 'GET', `/events?type=company&intercom_user_id=${fx().userId}`)).status).toBe(400);
		expect((await call(fake, 'GET', '/events?type=user')).status).toBe(400);
	});

	it('lists only the last 90 days, newest first, following absolute pages.next URLs with before=', async () => {
		const events: Array<{ created_at: number }> = [];
		let url: string | undefined = `/events?type=user&intercom_user_id=${fx().userId}&per_page=20`;
		let pages = 0;
		while (url) {
			const r: RawResponse = await call(fake, 'GET', url);
			expect(r.status).toBe(200);
			expect(r.body.type).toBe('event.list');
			events.push(...r.body.events);
			url = r.body.pages?.next;
			if (url) {
				expect(url.startsWith(fake.url)).toBe(true);
				expect(new URL(url).searchParams.get('before')).toMatch(/^\d+$/);
			}
			pages += 1;
		}
		expect(events).toHaveLength(fx().recentEventCount);
		expect(pages).toBe(Math.ceil(fx().recentEventCount / 20));
		const cutoff = Date.now() / 1000 - 90 * 86_400;
		expect(events.every((e) => e.created_at > cutoff)).toBe(true);
		const times = events.map((e) => e.created_at);
		expect([...times].sort((a, b) => b - a)).toEqual(times);
	});

	it('finds the person by user_id (users only) and by email', async () => {
		const byExt = await call(fake, 'GET', `/events?type=user&user_id=${fx().userExternalId}&per_page=150`);
		expect(byExt.body.events).toHaveLength(fx().recentEventCount);
		expect(byExt.body.events[0].user_id).toBe(fx().userExternalId);
		const byEmail = await call(fake, 'GET', `/events?type=user&email=${encodeURIComponent(fx().userEmail)}&per_page=150`);
		expect(byEmail.body.events).toHaveLength(fx().recentEventCount);
		expect((await call(fake, 'GET', `/events?type=user&user_id=${fx().unknownExternalId}`)).status).toBe(404);
	});

	it('summary=true counts every event, including those older than 90 days', async () => {
		const r = await call(fake, 'GET', `/events?type=user&intercom_user_id=${fx().userId}&summary=true`);
		expect(r.body.type).toBe('event.summary');
		const total = r.body.events.reduce((n: number, e: { count: number }) => n + e.count, 0);
		expect(total).toBe(fx().recentEventCount + fx().oldEventCount);
		for (const e of r.body.events) {
			expect(e).toEqual({ name: expect.any(String), first: expect.any(String), last: expect.any(String), count: expect.any(Number) });
			expect(Date.parse(e.first)).toBeLessThanOrEqual(Date.parse(e.last));
		}
		const oldest = Math.min(...r.body.events.map((e: { first: string }) => Date.parse(e.first)));
		expect(oldest).toBeLessThan(Date.now() - 90 * 86_400_000);
	});
});
