// renderDsarPackage: the files a DPO sends. subject.json validates against the published schema,
// the manifest's hashes match, the ZIP holds exactly the files, index.html runs nothing and loads
// nothing even when a message body is hostile, and CSV cells cannot run as spreadsheet formulas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createIntercom } from '../../src/intercom';
import { DSAR_JSON_SCHEMA, renderDsarPackage, toDocument, validateDsarDocument } from '../../src/dsar';
import type { DsarPackage } from '../../src/dsar';
import type { FakeIntercom } from '../fake-intercom';
import { addConversations, exportSubject } from './helpers';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url, maxConcurrency: 8 });

const HOSTILE = [
	'<p>Hi <b>there</b></p>',
	'<script>alert("x")</script>',
	'<img src="https://tracker.example.net/p.gif" onerror="alert(1)" alt="logo">',
	'<a href="javascript:alert(2)">click</a> <a href="https://example.com/help" onclick="x()">help</a>',
	'<iframe src="https://evil.example.net"></iframe><style>body{background:url(https://evil.example.net/x)}</style>',
	'<div style="background:url(https://evil.example.net/y)">styled</div><svg><script>alert(3)</script></svg>',
	'<form action="https://evil.example.net"><input name="q"></form><link rel="stylesheet" href="https://evil.example.net/s.css">',
	'<scr<script>ipt>alert(4)</script>',
	'<<b>b>nested</b> &lt;script&gt;alert(5)&lt;/script&gt;',
].join('\n');

useFakeIntercom({ rateLimitPerWindow: 100_000 }, (f) => (fake = f), { reset: true });

async function userPackage(): Promise<DsarPackage> {
	return exportSubject(gw(), { email: fake.workspace.fixtures.userEmail }, { requestId: 'DSAR-7' });
}

describe('renderDsarPackage', () => {
	it('writes subject.json valid against the published, versioned schema, and the schema catches a broken document', async () => {
		const pkg = await userPackage();
		const { files } = await renderDsarPackage(pkg);
		const subject = JSON.parse(Buffer.from(files.find((f) => f.name === 'subject.json')!.data).toString('utf8')) as Record<string, unknown>;
		expect(validateDsarDocument(subject)).toEqual([]);
		expect(subject.schema).toBe('dsar-package.v1');
		expect(subject).not.toHaveProperty('attachments');
		// The schema in the repo is the one the code validates with.
		const published = JSON.parse(readFileSync(join(__dirname, '../../src/dsar/schema/dsar-package.v1.schema.json'), 'utf8')) as unknown;
		expect(published).toEqual(DSAR_JSON_SCHEMA);
		const broken = { ...toDocument(pkg), counts: { ...pkg.counts, conversations: -1 } } as Record<string, unknown>;
		delete broken.art15;
		const problems = validateDsarDocument(broken);
		expect(problems.join('\n')).toMatch(/art15/);
		expect(problems.join('\n')).toMatch(/\/counts\/conversations/);
		await expect(renderDsarPackage({ ...pkg, requestId: 'bad id' })).rejects.toThrow(/does not match dsar-package\.v1/);
	});

	it('lists every file with its sha256 in manifest.json, and the ZIP holds exactly those files', async () => {
		const pkg = await userPackage();
		const { files, zip, manifest } = await renderDsarPackage(pkg);
		const names = files.map((f) => f.name);
		for (const n of ['subject.json', 'index.html', 'manifest.json', 'contacts.csv', 'tags.csv', 'segments.csv', 'companies.csv', 'notes.csv', 'subscriptions.csv', 'conversations.csv', 'conversation_parts.csv', 'tickets.csv', 'ticket_parts.csv', 'events.csv', 'event_summary.csv']) {
			expect(names).toContain(n);
		}
		expect(names.some((n) => n.startsWith('files/'))).toBe(true);
		const unzipped = unzipSync(zip);
		expect(Object.keys(unzipped).sort()).toEqual([...names].sort());
		const fromZip = JSON.parse(strFromU8(unzipped['manifest.json'])) as typeof manifest;
		expect(fromZip).toEqual(manifest);
		expect(fromZip.files.map((f) => f.name).sort()).toEqual(names.filter((n) => n !== 'manifest.json').sort());
		for (const entry of fromZip.files) {
			expect(createHash('sha256').update(unzipped[entry.name]).digest('hex')).toBe(entry.sha256);
			expect(unzipped[entry.name].byteLength).toBe(entry.size);
		}
	});

	it('makes index.html safe: strict CSP, no script, no remote load, hostile bodies neutralised', async () => {
		const contactId = fake.workspace.fixtures.userId;
		addConversations(fake, contactId, 1, HOSTILE);
		const pkg = await exportSubject(gw(), { contactId });
		const { files } = await renderDsarPackage(pkg);
		const html = Buffer.from(files.find((f) => f.name === 'index.html')!.data).toString('utf8');
		expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toMatch(/<(img|iframe|link|form|input|svg|object|embed)\b/i);
		expect(html).not.toMatch(/\son[a-z]+\s*=/i);
		expect(html).not.toMatch(/javascript:/i);
		expect(html).not.toMatch(/\b(src|srcset|background|action)\s*=/i);
		expect(html).not.toMatch(/url\(/i);
		expect(html).not.toMatch(/evil\.example\.net|tracker\.example\.net/);
		// …while the readable text survives, with the one safe link kept.
		expect(html).toContain('Hi <b>there</b>');
		expect(html).toContain('[image: logo]');
		expect(html).toContain('<a href="https://example.com/help" rel="noopener noreferrer nofollow">help</a>');
		expect(html).toContain('&lt;script&gt;alert(5)&lt;/script&gt;');
		// The machine-readable copy keeps the body exactly as Intercom holds it.
		const conv = pkg.contacts[0].conversations.find((t) => (t.data.source as { body: string }).body === HOSTILE);
		expect(conv).toBeDefined();
	});

	it('writes one CSV per section, with cells that cannot run as formulas', async () => {
		const contactId = fake.workspace.fixtures.userId;
		addConversations(fake, contactId, 1, '<p>=HYPERLINK("https://evil.example.net","click")</p>');
		const pkg = await exportSubject(gw(), { contactId });
		const { files } = await renderDsarPackage(pkg);
		const csv = (n: string) => Buffer.from(files.find((f) => f.name === n)!.data).toString('utf8');
		const parts = csv('conversation_parts.csv');
		expect(parts.startsWith('\ufeffcontact_id,thread_id,part_id,part_type')).toBe(true);
		expect(parts).toContain(`"'=HYPERLINK(""https://evil.example.net"",""click"")"`);
		expect(parts).not.toMatch(/(^|,)=HYPERLINK/m);
		const conversations = csv('conversations.csv').trim().split('\r\n');
		expect(conversations).toHaveLength(1 + pkg.counts.conversations);
		expect(csv('events.csv').trim().split('\r\n')).toHaveLength(1 + pkg.counts.events);
		expect(csv('tags.csv').trim().split('\r\n')).toHaveLength(1 + pkg.counts.tags);
	});

	it('renders a "no contact found" package too', async () => {
		const pkg = await exportSubject(gw(), { email: fake.workspace.fixtures.unknownEmail });
		const { files } = await renderDsarPackage(pkg);
		const html = Buffer.from(files.find((f) => f.name === 'index.html')!.data).toString('utf8');
		expect(html).toContain('We found no record about you');
	});
});
