// Point 4 of issue 11: paging driven by pages.next, attachments from Intercom's file hosts without
// the token (or listed with the reason), and the statement about outbound messages.
import { describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom';
import type { FakeIntercom } from '../fake-intercom';
import { exportSubject } from './helpers';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
const fx = () => fake.workspace.fixtures;

useFakeIntercom({ rateLimitPerWindow: 100_000 }, (f) => (fake = f), { reset: true });

/** A fetch that rewrites the `pages` object of notes and companies pages (Intercom may omit optional fields). */
function rewritingPages(rewrite: (pages: Record<string, unknown>, path: string) => Record<string, unknown>): typeof fetch {
	return async (input, init) => {
		const res = await fetch(input, init);
		const path = new URL(String(input)).pathname;
		if (!/\/contacts\/[^/]+\/(notes|companies)$/.test(path) || !res.ok) return res;
		const body = (await res.json()) as { pages?: Record<string, unknown> };
		if (body.pages) body.pages = rewrite(body.pages, path);
		return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
	};
}

function addNotesAndCompanies(contactId: string, notes: number, companies: number): void {
	const ws = fake.workspace;
	const rec = ws.contacts.get(contactId)!;
	for (let i = 0; i < notes; i++) {
		ws.notes.set(`note-p-${i}`, { id: `note-p-${i}`, contactId, createdAt: 1_700_000_000 + i, authorAdminId: ws.admins[0].id, body: `<p>note ${i}</p>` });
		rec.noteIds.push(`note-p-${i}`);
	}
	for (let i = 0; i < companies; i++) {
		const id = `co-p-${i}`;
		ws.companies.set(id, { id, companyId: `ext-${i}`, name: `Company ${i}`, createdAt: 1_700_000_000, updatedAt: 1_700_000_000, industry: 'Retail', size: 10, website: 'https://example.com', monthlySpend: 0 });
		rec.companyIds.push(id);
	}
}

describe('paging follows pages.next, never the optional totals alone', () => {
	it('reads every page of notes and companies when Intercom omits total_pages but sends next', async () => {
		const id = fx().leadId;
		addNotesAndCompanies(id, 120, 70);
		const notes = fake.workspace.contacts.get(id)!.noteIds.length;
		const companies = fake.workspace.contacts.get(id)!.companyIds.length;
		const withoutTotals = rewritingPages((pages) => {
			const total = pages.total_pages as number;
			const page = pages.page as number;
			const rest = { ...pages };
			delete rest.total_pages;
			return { ...rest, next: page < total ? `${fake.url}/next-page-marker` : null };
		});
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, fetch: withoutTotals });
		const pkg = await exportSubject(gw, { contactId: id });
		expect(pkg.counts.notes).toBe(notes);
		expect(pkg.counts.companies).toBe(companies);
		expect(pkg.omissions).toEqual([]);
		expect(fake.requests.filter((r) => r.path.endsWith('/notes')).map((r) => r.query.page)).toEqual(['1', '2', '3']);
	});

	it('keeps reading a full page that carries no paging information at all, until an empty page', async () => {
		const id = fx().leadId;
		addNotesAndCompanies(id, 100 - fake.workspace.contacts.get(id)!.noteIds.length, 0); // exactly two full pages
		const bare = rewritingPages(() => ({ type: 'pages' }));
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url, fetch: bare });
		const pkg = await exportSubject(gw, { contactId: id });
		expect(pkg.counts.notes).toBe(100);
		expect(fake.requests.filter((r) => r.path.endsWith('/notes')).map((r) => r.query.page)).toEqual(['1', '2', '3']);
	});
});

describe('attachments of conversations', () => {
	function addAttachment(contactId: string): { fileId: string; content: string } {
		const conv = [...fake.workspace.conversations.values()].find((c) => c.contactIds.includes(contactId))!;
		const content = 'PDF-1.4 invoice attachment bytes';
		const fileId = 'att-test-1';
		conv.parts[0].attachments.push({ kind: 'file', fileId, name: 'invoice.pdf', contentType: 'application/pdf', content });
		return { fileId, content };
	}

	it('downloads them from an allowed file host WITHOUT the token and strips the signature from the link', async () => {
		const { content } = addAttachment(fx().userId);
		// The API through "localhost", the files on "127.0.0.1": another origin, allowed as a file host.
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url.replace('127.0.0.1', 'localhost') });
		const pkg = await exportSubject(gw, { contactId: fx().userId }, { includeFiles: false, fileOrigins: [fake.url] });
		const att = pkg.contacts[0].files.find((f) => f.source === 'attachment' && f.name === 'invoice.pdf')!;
		expect(att).toBeDefined();
		expect(Buffer.from(pkg.attachments.find((a) => a.path === att.path)!.data).toString()).toBe(content);
		const downloads = fake.requests.filter((r) => r.path.startsWith('/files/att-test-1/'));
		expect(downloads).toHaveLength(1);
		expect(downloads[0].headers.authorization).toBeUndefined();
		const json = JSON.stringify(pkg.contacts);
		expect(json).not.toMatch(/signature=[0-9a-f]{8,}/);
		expect(json).toMatch(/signature=removed/);
	});

	it('lists an attachment on a host that is not Intercom’s with the reason, and fetches nothing there', async () => {
		addAttachment(fx().userId);
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url.replace('127.0.0.1', 'localhost') });
		const pkg = await exportSubject(gw, { contactId: fx().userId }, { includeFiles: false });
		expect(pkg.omissions).toContainEqual(expect.objectContaining({ section: 'attachments', reason: expect.stringMatching(/not one of Intercom's file hosts/) }));
		expect(fake.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(0);
	});

	it('says that outbound messages are not included', async () => {
		const gw = createIntercom({ token: fake.token, baseUrl: fake.url });
		const pkg = await exportSubject(gw, { contactId: fx().userId });
		expect(pkg.statements.join('\n')).toMatch(/Messages we sent you through Intercom .* are not part of this package/);
	});
});
