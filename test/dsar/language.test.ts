// Issue 11 point 4: the Art. 15 information in the package's language (en, de, fr), not English
// boilerplate under a German or French heading; the responsible teammate shown as staff (display
// name and role), never as Intercom's internal admin id.
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { createIntercom } from '../../src/intercom';
import { DEFAULT_ART15, renderDsarPackage, transferText } from '../../src/dsar';
import { SUPPORTED_LANGUAGES, TEXT_KEYS, missingIn } from '../../src/dsar/i18n';
import { REDACTION_TYPES, WITHHELD_CATEGORIES } from '../../src/dsar/others';
import { DSAR_OMISSION_KINDS, DSAR_REDACTION_REASONS, DSAR_SECTIONS } from '../../src/dsar/types';
import type { FakeIntercom } from '../fake-intercom';
import { addConversations, exportSubject } from './helpers';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({ rateLimitPerWindow: 100_000 }, (f) => (fake = f), { reset: true });

const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url });

describe('Art. 15 texts in the package language', () => {
	it.each([
		['de', /Kundensupport/, /Aufsichtsbehörde/, /Vereinigten Staaten/, /Art\. 77/],
		['fr', /support client/, /autorité de contrôle/, /États-Unis/, /art\. 77/],
	])('%s: every default text is in that language; transfers follow the workspace region', async (language, purposes, complaint, transfer, article) => {
		const pkg = await exportSubject(gw(), { email: fake.workspace.fixtures.userEmail }, { language });
		expect(pkg.workspace.region).toBe('US');
		expect(pkg.art15.purposes).toMatch(purposes);
		expect(pkg.art15.complaint).toMatch(complaint);
		expect(pkg.art15.complaint).toMatch(article);
		expect(pkg.art15.recipients).toMatch(transfer);
		// No default English sentence left in the Art. 15 block (the controller and DPO are the caller's own words).
		for (const key of ['purposes', 'categories', 'retention', 'rights', 'complaint', 'source', 'automatedDecisions'] as const) {
			expect(pkg.art15[key], key).not.toBe(DEFAULT_ART15[key]);
		}
		expect(pkg.art15.recipients).not.toContain('hosts this workspace');
		const html = Buffer.from(unzipSync((await renderDsarPackage(pkg)).zip)['index.html']).toString('utf8');
		expect(html).toContain(pkg.art15.rights.slice(0, 40));
	});

	it('keeps the English text for en and a caller’s override in any language', async () => {
		const en = await exportSubject(gw(), { email: fake.workspace.fixtures.userEmail }, { language: 'en' });
		expect(en.art15.purposes).toBe(DEFAULT_ART15.purposes);
		const de = await exportSubject(gw(), { email: fake.workspace.fixtures.userEmail }, { language: 'de', art15: { purposes: 'Unser eigener Zweck.' } });
		expect(de.art15.purposes).toBe('Unser eigener Zweck.');
		expect(transferText('EU', 'fr')).toMatch(/Union européenne/);
		expect(transferText(null, 'de')).toMatch(/nicht angegeben/);
	});
});

describe('the responsible teammate (owner_id)', () => {
	it('is shown by display name and role, never by admin id, in every file of the package', async () => {
		const ws = fake.workspace;
		const owner = ws.admins[0];
		const person = [...ws.contacts.values()].find((c) => c.email && !c.archived && c.ownerId === null)!;
		person.ownerId = Number(owner.id);
		addConversations(fake, person.id, 1); // the person talked to that teammate (the answer is theirs)
		const pkg = await exportSubject(gw(), { contactId: person.id }, { language: 'de' });
		const profile = pkg.contacts[0].profile;
		expect(profile.owner_id).toBeUndefined();
		expect(profile.owner).toEqual({ type: 'admin', role: 'support staff', name: owner.name });
		const files = unzipSync((await renderDsarPackage(pkg)).zip);
		const subjectJson = Buffer.from(files['subject.json']).toString('utf8');
		expect(subjectJson).not.toContain('"owner_id"');
		const html = Buffer.from(files['index.html']).toString('utf8');
		expect(html).toContain('Zuständige(r) Mitarbeiter(in)');
		expect(html).toContain(owner.name);
	});

	it('without a conversation with that teammate: the role only, no name and no id', async () => {
		const ws = fake.workspace;
		const inConversations = new Set([...ws.conversations.values()].flatMap((cv) => cv.contactIds));
		const inTickets = new Set([...ws.tickets.values()].flatMap((tk) => tk.contactIds));
		const person = [...ws.contacts.values()].find((c) => c.email && !c.archived && !inConversations.has(c.id) && !inTickets.has(c.id))!;
		person.ownerId = Number(ws.admins[1].id);
		const pkg = await exportSubject(gw(), { contactId: person.id }, { language: 'fr' });
		const c = pkg.contacts[0];
		expect(c.conversations).toEqual([]);
		expect(c.profile.owner_id).toBeUndefined();
		expect(c.profile.owner).toEqual({ type: 'admin', role: 'support staff' });
		const html = Buffer.from(unzipSync((await renderDsarPackage(pkg)).zip)['index.html']).toString('utf8');
		expect(html).toContain('un membre de notre équipe de support');
		expect(html).not.toContain(ws.admins[1].name);
	});
});

describe('the tables of index.html in the package language', () => {
	// What the person reads in the summary, "not included", redaction and withheld tables: sections,
	// counts and reasons in German or French; the operator's English reason stays in subject.json.
	it.each([
		['de', 'Datensätze', 'Nachrichten in Unterhaltungen', 'Dateien', 'Der Link der Datei führt nicht zu Intercoms eigenem Dateispeicher', 'Anfrage'],
		['fr', 'Fiches', 'Messages des conversations', 'Fichiers', 'Le lien du fichier ne mène pas au propre stockage de fichiers d’Intercom', 'Demande'],
	])('%s: counts, sections and why a file is missing', async (language, records, parts, files, why, request) => {
		const rec = fake.workspace.contacts.get(fake.workspace.fixtures.fileAttributeContactId)!;
		addConversations(fake, rec.id, 1);
		// The file attribute points at 127.0.0.1 while the gateway is "localhost": not Intercom's file host.
		const other = createIntercom({ token: fake.token, baseUrl: fake.url.replace('127.0.0.1', 'localhost') });
		const pkg = await exportSubject(other, { contactId: rec.id }, { language });
		const omission = pkg.omissions.find((o) => o.section === 'files')!;
		expect(omission).toMatchObject({ kind: 'file_not_followed', reason: expect.stringMatching(/not one of Intercom's file hosts/) });
		const zip = unzipSync((await renderDsarPackage(pkg)).zip);
		expect(JSON.parse(Buffer.from(zip['subject.json']).toString('utf8')).omissions).toContainEqual(expect.objectContaining({ kind: 'file_not_followed' }));
		const html = Buffer.from(zip['index.html']).toString('utf8');
		const cells = [...html.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
		expect(cells).toContain(records);
		expect(cells).toContain(parts);
		expect(cells).toContain(files);
		expect(cells.some((c) => c.startsWith(why))).toBe(true); // ’ is not escaped
		expect(html).toMatch(new RegExp(`<p class="meta">${request} `));
		// Neither the operator's reason nor the English names of counts and sections.
		expect(html).not.toContain('not one of Intercom');
		for (const english of ['conversation parts', 'events total', 'Request ', '>files<', '>contacts<']) expect(html, english).not.toContain(english);
	});

	it.each([
		['en', 'another person’s data'],
		['de', 'Daten einer anderen Person'],
		['fr', 'données d’une autre personne'],
	])('%s: why a value was changed, in the redaction log', async (language, said) => {
		const rec = [...fake.workspace.contacts.values()].find((c) => c.email && !c.archived && c.role === 'user')!;
		addConversations(fake, rec.id, 2);
		const pkg = await exportSubject(gw(), { contactId: rec.id }, { language });
		expect(pkg.redactions?.entries.some((r) => r.reason === 'other_person')).toBe(true);
		const html = Buffer.from(unzipSync((await renderDsarPackage(pkg)).zip)['index.html']).toString('utf8');
		expect(html).toContain(`<td>${said}</td>`);
		expect(html).not.toContain('<td>other person</td>');
	});
});

describe('every text in every language', () => {
	it('German and French have every text English has (none falls back to English)', () => {
		expect(SUPPORTED_LANGUAGES).toEqual(['en', 'de', 'fr']);
		expect(TEXT_KEYS.length).toBeGreaterThan(100);
		const missing = TEXT_KEYS.map((key) => [key, missingIn(key)] as const).filter(([, langs]) => langs.length > 0);
		expect(missing).toEqual([]);
	});

	it('every code a table cell shows has a text: sections, counts, why missing, why changed, what kind, withheld categories', async () => {
		const pkg = await exportSubject(gw(), { email: fake.workspace.fixtures.userEmail });
		const coded = [
			...DSAR_SECTIONS.map((c) => `section.${c}`),
			...Object.keys(pkg.counts).map((c) => `count.${c}`),
			...DSAR_OMISSION_KINDS.map((c) => `omission.${c}`),
			...DSAR_REDACTION_REASONS.map((c) => `redaction.${c}`),
			...REDACTION_TYPES.map((c) => `redactionType.${c}`),
			...WITHHELD_CATEGORIES.map((c) => `category.${c}`),
		];
		expect(REDACTION_TYPES).toEqual(expect.arrayContaining(['EMAIL', 'PHONE', 'URL_SIGNATURE', 'US_SSN', 'CARD', 'IBAN', 'STAFF', 'PARTICIPANT', 'FIELD']));
		expect(WITHHELD_CATEGORIES).toEqual(expect.arrayContaining(['government_id', 'financial_account', 'password', 'security_question', 'health_id', 'biometric']));
		expect(coded.filter((key) => !TEXT_KEYS.includes(key))).toEqual([]);
	});
});
