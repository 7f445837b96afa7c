/**
 * CCPA §7024(d) detection through the workspace's own attribute definitions (GET /data_attributes
 * ?model=contact: name, label, description, data_type). An admin who created `doc_no` with the label
 * "Passport number" or the description "Numéro de passeport" has said what it holds; its name alone
 * would not. Words in en, de, fr, es, nl, pt, matched on lower case without accents (German compounds
 * by their stem: Reisepassnummer, Personalausweisnummer). Used together
 * with the name rules and the redaction engine's detectors (others.ts). Only the definitions of
 * custom attributes are looked at: standard fields (email, phone, …) are the person's contact data.
 */
import type { IntercomGateway } from '../intercom';
import { sensitiveCategory } from './others';

/** Phrases per §7024(d) category; `\b` on the accent-free, lower-case text. */
const WORDS: Array<[RegExp, string]> = [
	[
		new RegExp(
			[
				'passports?', 'reisepass\\w*', 'passnummer', 'passeport', 'pasaporte', 'paspoort', 'passaporte',
				'id card', 'identity card', 'identity document', 'national id', 'personalausweis', '\\w*ausweis\\w*', 'carte d.identite', 'piece d.identite',
				'documento (nacional )?de identidad', 'dni', 'identiteitskaart', 'identiteitsbewijs', 'bsn', 'burgerservicenummer',
				'bilhete de identidade', 'cartao de cidadao', 'cpf',
				'social security', 'ssn', 'sozialversicherungsnummer', 'securite sociale', 'nir', 'seguridad social', 'sofinummer', 'seguranca social',
				'driver.?s licen[cs]e', 'driving licen[cs]e', 'fuhrerschein\\w*', 'permis de conduire', '(licencia|permiso|carnet) de conduc(ir|cion)', 'rijbewijs', 'carta de conducao', 'carteira de motorista', 'cnh',
				'tax id', 'taxpayer', 'steuer.?id', 'steueridentifikationsnummer', 'steuernummer', 'numero fiscal', 'identification fiscale', 'nif', 'identificacion fiscal', 'fiscaal nummer', 'numero de contribuinte',
				'visa number', 'residence permit', 'aufenthaltstitel', 'titre de sejour', 'permiso de residencia', 'verblijfsvergunning', 'autorizacao de residencia',
			].map((w) => `\\b${w}\\b`).join('|'),
		),
		'government_id',
	],
	[
		new RegExp(
			[
				'bank account', 'account number', 'iban', 'bic', 'swift', 'routing number', 'sort code',
				'bankverbindung', 'kontonummer', 'bankkonto', 'compte bancaire', 'numero de compte', 'rib',
				'cuenta bancaria', 'numero de cuenta', 'bankrekening', 'rekeningnummer', 'conta bancaria', 'numero da conta',
				'credit card', 'debit card', 'card number', 'kreditkarte', 'kartennummer', 'carte bancaire', 'carte de credit', 'numero de carte',
				'tarjeta de credito', 'numero de tarjeta', 'creditcard', 'cartao de credito', 'numero do cartao',
			].map((w) => `\\b${w}\\b`).join('|'),
		),
		'financial_account',
	],
	[/\b(password|passwort|kennwort|mot de passe|contrasena|wachtwoord|senha|pin( code)?|passcode)\b/, 'password'],
	[/\b(security question|sicherheitsfrage|question de securite|pregunta de seguridad|beveiligingsvraag|pergunta de seguranca)\b/, 'security_question'],
	[
		/\b(health insurance|insurance number|krankenversicherungsnummer|krankenkasse|versichertennummer|carte vitale|assurance maladie|tarjeta sanitaria|zorgverzekering|cartao de saude|medical record|patient id)\b/,
		'health_id',
	],
	[/\b(biometric|biometrisch(e|en)?|biometrique|biometrico|biometrisch|fingerprint|fingerabdruck|empreinte digitale|huella( dactilar)?|vingerafdruk|impressao digital)\b/, 'biometric'],
];

/** Lower case, accents dropped, separators as spaces: "Numéro_de-passeport" → "numero de passeport". */
export function plainWords(s: string): string {
	return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^a-z0-9']+/g, ' ').trim();
}

/** The §7024(d) category a definition's name, label or description names, if any. */
export function definitionCategory(def: { name?: unknown; label?: unknown; description?: unknown }): string | undefined {
	const byName = typeof def.name === 'string' ? sensitiveCategory(def.name) : undefined;
	if (byName) return byName;
	const text = [def.label, def.description].filter((x): x is string => typeof x === 'string' && x !== '').map(plainWords).join(' . ');
	if (text === '') return undefined;
	for (const [re, category] of WORDS) if (re.test(text)) return category;
	return undefined;
}

/**
 * Custom contact attribute name → §7024(d) category, from GET /data_attributes?model=contact.
 * Throws the gateway's error (the caller decides what a 403 means).
 */
export async function sensitiveDefinitions(gw: IntercomGateway, signal?: AbortSignal): Promise<Map<string, string>> {
	const list = await gw.call('dataAttributes.list', (sdk, req) => sdk.dataAttributes.list({ model: 'contact' }, { ...req, abortSignal: signal }));
	const out = new Map<string, string>();
	for (const def of (list as { data?: Array<Record<string, unknown>> }).data ?? []) {
		if (def.custom !== true || typeof def.name !== 'string') continue;
		const category = definitionCategory(def);
		if (category) out.set(def.name, category);
	}
	return out;
}
