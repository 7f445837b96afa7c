// Issue 11 point 1 (detection by attribute definitions): an attribute whose NAME says nothing but whose
// definition in Intercom (GET /data_attributes?model=contact: label, description) says passport, ID,
// social security, bank account, password… — in en, de, fr, es, nl or pt — is withheld under CCPA
// §7024(d) and listed as held; under GDPR the person gets it.
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { createIntercom } from '../../src/intercom';
import { definitionCategory, renderDsarPackage } from '../../src/dsar';
import type { FakeIntercom } from '../fake-intercom';
import { exportSubject } from './helpers';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({ rateLimitPerWindow: 100_000 }, (f) => (fake = f), { reset: true });

const gw = () => createIntercom({ token: fake.token, baseUrl: fake.url });

/** Neutral names; only the workspace's definitions say what they hold. Values are distinctive strings. */
const ATTRS: Array<[name: string, value: string, def: { label?: string; description?: string }, category: string | undefined]> = [
	['doc_ref', 'VAL-PASSPORT-FR-77', { label: 'Numéro de passeport' }, 'government_id'],
	['kto', 'VAL-KONTO-DE-88', { label: 'Bank', description: 'Kontonummer des Kunden für Erstattungen' }, 'financial_account'],
	['clave_acceso', 'VAL-CLAVE-ES-99', { label: 'Contraseña del portal' }, 'password'],
	['nr', 'VAL-BSN-NL-11', { label: 'Nummer', description: 'Burgerservicenummer (BSN) van de klant' }, 'government_id'],
	['doc_pt', 'VAL-CC-PT-22', { label: 'Documento', description: 'Número do cartão de cidadão' }, 'government_id'],
	['sec_q', 'VAL-SECQ-EN-33', { label: 'Security question answer' }, 'security_question'],
	['tier', 'VAL-TIER-gold', { label: 'Customer tier', description: 'Pricing plan of the account' }, undefined],
];

function scenario(): string {
	const ws = fake.workspace;
	const c = [...ws.contacts.values()].find((x) => x.email && !x.archived && x.role === 'user')!;
	ws.dataAttributeDefinitions = new Map();
	for (const [name, value, def] of ATTRS) {
		c.customAttributes[name] = value;
		ws.dataAttributeDefinitions.set(name, def);
	}
	return c.id;
}

async function zipText(regime: 'gdpr' | 'ccpa' | 'both', contactId: string) {
	const pkg = await exportSubject(gw(), { contactId }, { regime });
	const files = unzipSync((await renderDsarPackage(pkg)).zip);
	return { pkg, all: Object.values(files).map((d) => Buffer.from(d).toString('utf8')).join('\n') };
}

describe('§7024(d) by Intercom’s attribute definitions', () => {
	it.each(['ccpa', 'both'] as const)('%s: withholds what the definitions name, in six languages; keeps the rest', async (regime) => {
		const id = scenario();
		const { pkg, all } = await zipText(regime, id);
		for (const [name, value, , category] of ATTRS) {
			if (category) {
				expect(all.includes(value), `${name} disclosed`).toBe(false);
				expect(pkg.withheld).toContainEqual(expect.objectContaining({ contactId: id, itemId: name, category }));
			} else {
				expect(all).toContain(value);
			}
		}
		expect(fake.requests.filter((r) => r.path === '/data_attributes').map((r) => r.query.model)).toEqual(['contact']);
	});

	it('gdpr: the person gets every attribute, and the definitions are not even read', async () => {
		const id = scenario();
		const { pkg, all } = await zipText('gdpr', id);
		for (const [, value] of ATTRS) expect(all).toContain(value);
		expect(pkg.withheld).toEqual([]);
		expect(fake.requests.some((r) => r.path === '/data_attributes')).toBe(false);
	});

	it('definitions refused (403): names and detectors still apply, and the package says so', async () => {
		const id = scenario();
		fake.failNext({ status: 403, code: 'forbidden', pathPattern: '^/data_attributes$', count: 1 });
		const { pkg } = await zipText('ccpa', id);
		expect(pkg.statements.join(' ')).toMatch(/did not let us read the definitions of its custom attributes \(403 forbidden\)/);
		expect((pkg.withheld ?? []).map((w) => w.itemId)).not.toContain('doc_ref');
	});

	it('recognises the words, not fragments of other words', () => {
		expect(definitionCategory({ name: 'x', label: 'Reisepassnummer' })).toBe('government_id'); // German compounds by their stem
		expect(definitionCategory({ name: 'x', label: 'Personalausweisnummer' })).toBe('government_id');
		expect(definitionCategory({ name: 'x', description: 'Número de la seguridad social' })).toBe('government_id');
		expect(definitionCategory({ name: 'x', label: 'Permis de conduire' })).toBe('government_id');
		expect(definitionCategory({ name: 'x', label: 'Rekeningnummer' })).toBe('financial_account');
		expect(definitionCategory({ name: 'x', label: 'Carte vitale' })).toBe('health_id');
		expect(definitionCategory({ name: 'x', label: 'Fingerabdruck' })).toBe('biometric');
		expect(definitionCategory({ name: 'x', label: 'Spinning class', description: 'Opinion poll result' })).toBeUndefined();
		expect(definitionCategory({ name: 'passport_no' })).toBe('government_id'); // the name rules still come first
	});
});
