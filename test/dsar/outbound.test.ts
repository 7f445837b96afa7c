// Issue 11 point 4 (outbound messages): by option, Intercom's content data export (POST
// /export/content/data → polling → GET /download/content/data/{job}, Accept: application/octet-stream)
// gives the receipts of the person's email/ids — and no one else's, though the job is workspace-wide.
// Off by default (no job at all); a job already running or failing is a stated "not included".
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { createIntercom } from '../../src/intercom';
import { renderDsarPackage, reviewDsarPackage, toDocument } from '../../src/dsar';
import type { FakeIntercom } from '../fake-intercom';
import { exportSubject } from './helpers';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({ rateLimitPerWindow: 100_000 }, (f) => (fake = f), { reset: true });

const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url });
const FAST = { initialIntervalMs: 5, maxIntervalMs: 20, maxWaitMs: 20_000 };
const DAY = 86_400;

/** A person with one contact and three receipts of their own; other people have receipts in the same days. */
function person(): { id: string; email: string; titles: string[] } {
	const ws = fake.workspace;
	const counts = new Map<string, number>();
	for (const c of ws.contacts.values()) if (c.email) counts.set(c.email.toLowerCase(), (counts.get(c.email.toLowerCase()) ?? 0) + 1);
	const c = [...ws.contacts.values()].find((x) => x.email && counts.get(x.email.toLowerCase()) === 1 && !x.archived && x.role === 'user')!;
	const now = Math.floor(Date.now() / 1000);
	c.createdAt = now - 30 * DAY;
	const titles = ['Welcome aboard', 'Your invoice is ready', 'Tell us what you think'];
	titles.forEach((contentTitle, i) =>
		ws.receipts.push({ contactId: c.id, contentId: `9${i}`, contentType: i === 2 ? 'survey' : 'email', contentTitle, receivedAt: now - (10 - i) * DAY, openedAt: i === 0 ? now - 9 * DAY : null, clickedAt: null }),
	);
	return { id: c.id, email: c.email!, titles };
}

function otherEmailsInRange(p: { id: string }): string[] {
	const ws = fake.workspace;
	const since = Math.floor(Date.now() / 1000) - 31 * DAY;
	return [...new Set(ws.receipts.filter((r) => r.contactId !== p.id && r.receivedAt >= since).map((r) => ws.contacts.get(r.contactId)?.email).filter((e): e is string => !!e))];
}

describe('outbound messages from the content export', () => {
	it('is off by default: no content export job, and the package says they are not included', async () => {
		const p = person();
		const pkg = await exportSubject(gw(), { email: p.email });
		expect(pkg.outbound).toBeUndefined();
		expect(fake.requests.some((r) => r.path.startsWith('/export/content'))).toBe(false);
		expect(pkg.statements.join(' ')).toMatch(/only in a workspace-wide export/);
	});

	it.each(['gzip-csv', 'tar-gz'] as const)('%s: lists the person’s receipts only, in subject.json, index.html and outbound.csv', async (format) => {
		const p = person();
		fake.scriptExport({ format });
		const others = otherEmailsInRange(p);
		expect(others.length).toBeGreaterThan(0); // the workspace-wide file really holds other people
		const pkg = await exportSubject(gw(), { email: p.email }, { outbound: { include: true, wait: FAST } });
		expect(pkg.outbound?.status).toBe('included');
		expect(pkg.outbound?.range.to).toBe(new Date().toISOString().slice(0, 10));
		const receipts = pkg.outbound!.receipts.filter((r) => /receipt/.test(r.file) || format === 'gzip-csv');
		expect(receipts.map((r) => r.values.content_title).sort()).toEqual([...p.titles].sort());
		for (const r of pkg.outbound!.receipts) expect(r.values.user_id).toBe(p.id);
		if (format === 'tar-gz') expect(pkg.outbound!.receipts.filter((r) => /opens/.test(r.file)).map((r) => r.values.content_title)).toEqual(['Welcome aboard']);
		expect(pkg.statements.join(' ')).toMatch(/row\(s\) of delivery and engagement data/);
		const files = unzipSync((await renderDsarPackage(pkg)).zip);
		const all = Object.values(files).map((d) => Buffer.from(d).toString('utf8')).join('\n');
		for (const other of others) expect(all.includes(other), 'another person’s email in the package').toBe(false);
		const csv = Buffer.from(files['outbound.csv']).toString('utf8');
		for (const title of p.titles) expect(csv).toContain(title);
		expect(Buffer.from(files['index.html']).toString('utf8')).toContain('id="outbound"');
		const dl = fake.requests.find((r) => r.path.startsWith('/download/content/data/'));
		expect(dl?.status).toBe(200);
	});

	it('a content export already running in the workspace: stated as not included, the package is still made (flagged incomplete)', async () => {
		const p = person();
		const today = Math.floor(Date.now() / 1000);
		const running = await fetch(`${fake.url}/export/content/data`, {
			method: 'POST',
			headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({ created_at_after: today - 5 * DAY, created_at_before: today - DAY }),
		});
		expect(running.status).toBe(200);
		const pkg = await exportSubject(gw(), { email: p.email }, { outbound: { include: true, wait: FAST } });
		expect(pkg.outbound).toMatchObject({ status: 'not_included', receipts: [] });
		expect(pkg.outbound?.reason).toMatch(/Another content export is running/);
		expect(pkg.flags.incomplete).toBe(true);
		expect(pkg.counts.contacts).toBe(1);
		expect(pkg.outbound?.reasonCode).toBe('busy');
		// The person reads why in plain words; the operator's "run the export again later" is for the review.
		const statement = pkg.statements.join(' ');
		expect(statement).toMatch(/are not included: Intercom was producing another export for us and produces one at a time\. Ask us for them\./);
		expect(statement).not.toMatch(/run the export again|Another content export is running/);
		expect(reviewDsarPackage(toDocument(pkg)).checks.join(' ')).toMatch(/Outbound messages were asked for and are not included: Another content export/);
		const html = new TextDecoder().decode(unzipSync((await renderDsarPackage(pkg)).zip)['index.html']);
		expect(html).toContain('are not included: Intercom was producing another export for us');
	});

	it('says why outbound messages are missing in the package language (de, fr), not in English', async () => {
		const p = person();
		const today = Math.floor(Date.now() / 1000);
		for (const [language, said] of [
			['de', 'sind nicht enthalten: Intercom erstellte gerade einen anderen Export für uns und erstellt immer nur einen gleichzeitig. Sprechen Sie uns an, wenn Sie sie erhalten möchten.'],
			['fr', 'ne sont pas inclus : Intercom générait déjà un autre export pour nous et n’en génère qu’un à la fois. Demandez-les-nous.'],
		] as const) {
			fake.reset();
			const running = await fetch(`${fake.url}/export/content/data`, {
				method: 'POST',
				headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify({ created_at_after: today - 5 * DAY, created_at_before: today - DAY }),
			});
			expect(running.status).toBe(200);
			const pkg = await exportSubject(gw(), { email: p.email }, { language, outbound: { include: true, wait: FAST } });
			expect(pkg.outbound).toMatchObject({ status: 'not_included', reasonCode: 'busy' });
			const statement = pkg.statements.join(' ');
			expect(statement).toContain(said);
			expect(statement).not.toMatch(/Another content export|Intercom runs one at a time/);
			const html = new TextDecoder().decode(unzipSync((await renderDsarPackage(pkg)).zip)['index.html']);
			expect(html).toContain(said); // nothing in it that HTML escapes (’ is not ')
		}
		fake.reset(); // the export left running above would make this one "busy" too
		fake.scriptExport({ outcome: 'failed' });
		const failed = await exportSubject(gw(), { email: p.email }, { language: 'de', outbound: { include: true, wait: FAST } });
		expect(failed.outbound).toMatchObject({ status: 'not_included', reasonCode: 'failed' });
		expect(failed.statements.join(' ')).toContain('sind nicht enthalten: Der Export dieser Nachrichten bei Intercom wurde nicht abgeschlossen. Sprechen Sie uns an');
		fake.reset();
		fake.scriptExport({ outcome: 'failed' });
		const echec = await exportSubject(gw(), { email: p.email }, { language: 'fr', outbound: { include: true, wait: FAST } });
		expect(echec.statements.join(' ')).toContain('ne sont pas inclus : l’export d’Intercom qui les contient n’a pas abouti. Demandez-les-nous.');
	});

	it('a failed job and no receipts in the range are stated, never an empty "complete" list', async () => {
		const p = person();
		fake.scriptExport({ outcome: 'failed' });
		const failed = await exportSubject(gw(), { email: p.email }, { outbound: { include: true, wait: FAST } });
		expect(failed.outbound).toMatchObject({ status: 'not_included' });
		expect(failed.outbound?.reason).toMatch(/"failed"/);
		fake.reset();
		const q = person();
		fake.workspace.receipts.length = 0;
		const none = await exportSubject(gw(), { email: q.email }, { outbound: { include: true, wait: FAST } });
		expect(none.outbound).toMatchObject({ status: 'no_data', receipts: [] });
		expect(none.flags.incomplete).toBe(false);
	});

	it('refuses a bad "since" before any request', async () => {
		const p = person();
		await expect(exportSubject(gw(), { email: p.email }, { outbound: { include: true, since: '2024-13-45' } })).rejects.toThrow(/outbound\.since/);
		await expect(exportSubject(gw(), { email: p.email }, { outbound: { include: true, since: '2999-01-01' } })).rejects.toThrow(/outbound\.since.*future/);
		expect(fake.requests).toEqual([]);
	});
});
