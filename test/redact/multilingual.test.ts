// Issue 13: every case the held-out multilingual corpus showed missed or wrongly redacted, one test each.
import { describe, expect, it } from 'vitest';
import type { EntityType, RedactionRules } from '../../src/redact';
import { RedactionError, redactText } from '../../src/redact';

/** Substrings found in `text` when only detector `type` runs. */
function found(type: EntityType, text: string, opts: RedactionRules = {}): string[] {
	return redactText(text, { ...opts, detectors: [type] }).findings.map((f) => text.slice(f.start, f.end));
}

describe('PHONE: national formats of the default countries (libphonenumber-js)', () => {
	it.each([
		['DE', 'Rufen Sie mich an unter 030 1234567 bitte', '030 1234567'],
		['DE', 'Festnetz 0351-4471203, ab 9 Uhr', '0351-4471203'],
		['DE', 'Büro: 0351/4471203.', '0351/4471203'],
		['DE', 'Handy 0151 23456789', '0151 23456789'],
		['FR', 'Appelez-moi au 06.31.58.20.14 merci', '06.31.58.20.14'],
		['FR', 'mon portable : 06 31 58 20 14', '06 31 58 20 14'],
		['FR', 'fixe 0297318840 le matin', '0297318840'],
		['ES', 'Mi móvil es 612 345 078, gracias', '612 345 078'],
		['ES', 'llámame al 634 21 77 90', '634 21 77 90'],
		['ES', 'teléfono 612-345-078', '612-345-078'],
		['NL', 'Bel me op 040-2213874 aub', '040-2213874'],
		['BR', 'Meu celular é (11) 91234-5678.', '(11) 91234-5678'],
		['BR', 'WhatsApp 11 91234-5678', '11 91234-5678'],
		['IN', 'call me at 09876543210 today', '09876543210'],
		['GB', 'ring 020 7946 0958 after lunch', '020 7946 0958'],
		['US', 'call (212) 555-0123', '(212) 555-0123'],
	])('%s: finds the national number in %j', (country, text, want) => {
		expect(found('PHONE', text, { defaultCountries: [country] })).toEqual([want]);
	});

	it('finds them all with the seven workspace countries at once', () => {
		const countries = ['US', 'GB', 'DE', 'FR', 'ES', 'NL', 'BR'];
		for (const p of ['030 1234567', '0351-4471203', '06.31.58.20.14', '612 345 078', '040-2213874', '(11) 91234-5678', '020 7946 0958']) {
			expect(found('PHONE', `Tel. ${p} bitte`, { defaultCountries: countries })).toEqual([p]);
		}
	});

	it('keeps finding international forms without any country', () => {
		expect(found('PHONE', 'ruf an: +49 30 1234567 oder 0049 351 4471203')).toEqual(['+49 30 1234567', '0049 351 4471203']);
	});

	it('does not take national formats of other countries without the country', () => {
		expect(found('PHONE', 'Festnetz 0351-4471203')).toEqual([]);
		expect(found('PHONE', 'Festnetz 0351-4471203', { defaultCountries: ['DE'] })).toEqual(['0351-4471203']);
	});

	it.each([
		['DE', 'Bestellnummer 0351447120 ist unterwegs'],
		['DE', 'Rechnung 030 1234567 bezahlt'],
		['FR', 'commande n° 06 31 58 20 14 expédiée'],
		['ES', 'pedido 612 345 078 enviado'],
		['NL', 'bestelling 040-2213874 verzonden'],
		['BR', 'pedido (11) 91234-5678 entregue'],
		['DE', 'am 03.12.2026 um 14:30'],
		['FR', 'le 12/03/2026'],
		['DE', 'Preis 1.234,56 € inkl.'],
		['BR', 'total R$ 1.299,90'],
		['DE', 'Sendungsnummer 00340434161234567890'],
		['ES', 'bare 612345078 number without a phone word'],
		['DE', 'Version 4.12.9.31 installiert'],
	])('%s: leaves %j alone', (country, text) => {
		expect(found('PHONE', text, { defaultCountries: [country] })).toEqual([]);
	});

	it('does not flag IBAN groups in print format as phone numbers (invalid IBAN too)', () => {
		const countries = ['DE', 'GB', 'FR', 'NL', 'ES'];
		expect(redactText('IBAN DE89 3704 0044 0532 0130 00 bitte', { defaultCountries: countries }).findings.map((f) => f.type)).toEqual(['IBAN']);
		expect(found('PHONE', 'IBAN DE88 3704 0044 0532 0130 00 bitte', { defaultCountries: countries })).toEqual([]);
		expect(found('PHONE', 'IBAN GB29 NWBK 6016 1331 9268 19', { defaultCountries: countries })).toEqual([]);
		expect(found('PHONE', 'IBAN FR76 3000 6000 0112 3456 7890 189', { defaultCountries: countries })).toEqual([]);
	});

	it('refuses an unknown country code with the setting named, before scanning', () => {
		expect(() => redactText('x', { defaultCountries: ['Germany'] })).toThrow(RedactionError);
		expect(() => redactText('x', { defaultCountries: ['XX'] })).toThrow(/defaultCountries: "XX" is not an ISO 3166-1 alpha-2/);
	});
});

describe('EMAIL: internationalised addresses', () => {
	it.each([
		['écrivez à café@café-example.fr svp', 'café@café-example.fr'],
		['meu email: coração@exemplo.com.br.', 'coração@exemplo.com.br'],
		['Mail an jürgen.müller@bäckerei-müller.de', 'jürgen.müller@bäckerei-müller.de'],
		['punycode café@xn--caf-dma.fr', 'café@xn--caf-dma.fr'],
		['TLD punycode info@example.xn--p1ai', 'info@example.xn--p1ai'],
		['Cyrillic почта@пример.рф ok', 'почта@пример.рф'],
		['CJK 用户@例子.广告 ok', '用户@例子.广告'],
	])('finds %j', (text, want) => {
		expect(found('EMAIL', text)).toEqual([want]);
	});

	it('finds it with &#64; for @ in HTML, also without tags, offsets in the raw text', () => {
		const html = '<p>coração&#64;exemplo.com.br</p>';
		const r = redactText(html);
		expect(r.text).toBe('<p>[EMAIL]</p>');
		expect(html.slice(r.findings[0].start, r.findings[0].end)).toBe('coração&#64;exemplo.com.br');
		expect(redactText('write to café&#64;café-example.fr').text).toBe('write to [EMAIL]');
	});

	it('leaves non-addresses alone', () => {
		expect(found('EMAIL', 'prix 5@3,50 € — @café — a@b — josé@localhost')).toEqual([]);
	});
});

describe('SECRET: generic keys by entropy and context', () => {
	const hex = '9f86d081884c7d659a2feaa0c55ad015';
	const b62 = 'Zx81QmP0vT4kLr7YbN2sWq9EjH5cUa3D';
	it.each([
		[`my API key is ${hex}`],
		[`token: ${b62}`],
		[`Hier ist mein Schlüssel ${hex} für die API`],
		[`voici ma clé ${b62}`],
		[`mi clave de API ${hex}`],
		[`mijn sleutel ${b62}`],
		[`minha chave ${hex}`],
		[`das Passwort lautet ${b62}`],
		[`STRIPE_WEBHOOK=${b62}`],
		[`{"signing": "${hex}"}`],
	])('finds the key in %j', (text) => {
		const hits = found('SECRET', text);
		expect(hits.some((h) => h.includes(hex) || h.includes(b62))).toBe(true);
	});

	it('still finds known prefixes (Stripe, GitHub, AWS, Intercom)', () => {
		expect(found('SECRET', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc')).toEqual(['sk_live_4eC39HqLyjWDarjtT1zdp7dc']);
		expect(found('SECRET', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toHaveLength(1);
		expect(found('SECRET', 'AKIAIOSFODNN7EXAMPLE')).toHaveLength(1);
		expect(found('SECRET', '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')).toHaveLength(1);
	});

	it.each([
		[`commit ${hex}abcd1234 fixed it`],
		[`sha256=${hex}${hex}`],
		[`conversation 1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b closed`],
		['the token expired yesterday, please send another one'],
		['Schlüsselbund verloren, bitte neuen Schlüssel schicken'],
		['key=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
		[`see https://example.com/docs/getting-started/installation-guide`],
	])('leaves %j alone', (text) => {
		expect(found('SECRET', text)).toEqual([]);
	});
});

describe('IPV4 vs version strings', () => {
	it.each(['release 4.12.9.31-rc2', 'v10.2.0.4', 'version 1.2.3.4', 'Version: 1.2.3.4', 'Build 10.0.19.45', 'versão 1.2.3.4',
		'versión 2.0.0.1', 'upgrade to 1.2.3.4-beta', 'pkg 1.2.3.4+build7', 'installed 4.12.9.31-rc2 today'])('%j is not an address', (text) => {
		expect(found('IPV4', text)).toEqual([]);
	});

	it.each([
		['GET /login from 203.0.113.7 HTTP/1.1', '203.0.113.7'],
		['open http://10.0.0.1:8080/admin', '10.0.0.1'],
		['IP: 192.168.1.20', '192.168.1.20'],
		['Meine IP-Adresse ist 198.51.100.23.', '198.51.100.23'],
		['[2026-12-03 10:00:01] client=203.0.113.9 status=200', '203.0.113.9'],
	])('still finds the address in %j', (text, want) => {
		expect(found('IPV4', text)).toEqual([want]);
	});
});
