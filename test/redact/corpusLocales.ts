// The multilingual labelled corpus (issue 13): Intercom-like support messages in 7 locales — en,
// en-GB, de, fr, es, nl, pt-BR — plain text and HTML, built from rules and seeded faker locales.
// Every personal-data span is inserted by the generator, so its label and offsets are known by
// construction (never taken from the engine's output). Hard negatives that must NOT be redacted
// are inserted the same way: local dates, versions (also dotted quads), order numbers, invalid
// IBANs and cards, prices, tracking numbers, postcodes, commit hashes.
// It is still OUR corpus: we wrote the formats the detectors know, so its scores are optimistic
// compared with real traffic written by other people.
import { domainToASCII } from 'node:url';
import { Faker, base, de, en, en_GB, es, fr, nl, pt_BR } from '@faker-js/faker';
import type { Finding } from '../../src/redact';
import { ibanChecksumValid, luhnValid } from '../../src/redact';

export type Locale = 'en' | 'en-GB' | 'de' | 'fr' | 'es' | 'nl' | 'pt-BR';
export const LOCALES: Locale[] = ['en', 'en-GB', 'de', 'fr', 'es', 'nl', 'pt-BR'];
/** The workspace's countries when the corpus is scanned: one per locale. */
export const WORKSPACE_COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'NL', 'BR'];

export type Label = 'EMAIL' | 'PHONE' | 'CARD' | 'IBAN' | 'US_SSN' | 'IP' | 'SECRET';
export const LABELS: Label[] = ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'US_SSN', 'IP', 'SECRET'];

export interface Span {
	label: Label;
	start: number;
	end: number;
}
export interface Negative {
	kind: string;
	start: number;
	end: number;
}
export interface LocDoc {
	locale: Locale;
	html: boolean;
	text: string;
	spans: Span[];
	negatives: Negative[];
}

const FAKER_LOCALES = { en: [en], 'en-GB': [en_GB, en], de: [de, en], fr: [fr, en], es: [es, en], nl: [nl, en], 'pt-BR': [pt_BR, en] } as const;

interface LocaleRules {
	country: string;
	filler: ((f: Faker) => string)[];
	intro: Record<Label, string[]>;
	negIntro: Record<string, string[]>;
	phone: (g: Gen) => string;
	date: (g: Gen) => string;
	price: (g: Gen) => string;
	ibanCountry: string;
	keyWords: string[];
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Seeded helpers shared by the locale rules. */
class Gen {
	constructor(readonly f: Faker) {}
	int(min: number, max: number): number {
		return this.f.number.int({ min, max });
	}
	digits(n: number, first = 0): string {
		let s = String(this.int(first, 9));
		for (let i = 1; i < n; i++) s += String(this.int(0, 9));
		return s;
	}
	pick<T>(xs: readonly T[]): T {
		return this.f.helpers.arrayElement(xs as T[]);
	}
	chance(p: number): boolean {
		return this.f.datatype.boolean({ probability: p });
	}
	group(s: string, sizes: number[], sep: string): string {
		const out: string[] = [];
		let i = 0;
		for (const n of sizes) {
			out.push(s.slice(i, i + n));
			i += n;
		}
		return out.join(sep);
	}
}

const US_AREAS = ['212', '415', '617', '312', '206', '303', '512', '702', '305', '213', '646', '718', '404', '503'];
const DE_AREAS: [string, number][] = [['30', 8], ['40', 8], ['69', 8], ['89', 8], ['221', 7], ['351', 7], ['341', 7], ['711', 7], ['911', 7], ['511', 7]];
const DE_MOBILE = ['151', '152', '157', '160', '170', '171', '172', '176', '177', '179'];
const BR_DDD = ['11', '21', '31', '41', '51', '61', '71', '81', '85', '19', '27', '48'];

const RULES: Record<Locale, LocaleRules> = {
	en: {
		country: 'US',
		filler: [
			(f) => `Hi, I'm ${f.person.firstName()} and I have a question about my ${f.commerce.productName()}.`,
			(f) => `The ${f.commerce.product()} I ordered last week still has not arrived in ${f.location.city()}.`,
			(f) => `${f.hacker.phrase()}`,
			(f) => `Thanks for your help, ${f.person.firstName()}!`,
			() => `Could you check why my account was charged twice this month?`,
		],
		intro: {
			EMAIL: ['You can reach me at ', 'my email is ', 'Please write to '],
			PHONE: ['Call me on ', 'my number is ', 'Phone: ', 'text me at '],
			CARD: ['I paid with card ', 'the card number is ', 'charged to '],
			IBAN: ['Refund to IBAN ', 'my account is '],
			US_SSN: ['My SSN is ', 'social security number ', 'SSN: '],
			IP: ['I logged in from ', 'my IP was ', 'IP: '],
			SECRET: ['my API key is ', 'here is the token ', 'secret: '],
		},
		negIntro: {
			order: ['Order ', 'order number ', 'Invoice '],
			tracking: ['Tracking number ', 'tracking: '],
		},
		phone: (g) => {
			const area = g.pick(US_AREAS);
			const ex = `${g.int(2, 9)}${g.digits(2)}`;
			const line = g.digits(4);
			return g.pick([`(${area}) ${ex}-${line}`, `${area}-${ex}-${line}`, `${area}.${ex}.${line}`, `+1 ${area} ${ex} ${line}`, `1-${area}-${ex}-${line}`]);
		},
		date: (g) => g.pick([`${pad(g.int(1, 12), 2)}/${pad(g.int(1, 28), 2)}/${g.int(2019, 2026)}`, `${g.int(2019, 2026)}-${pad(g.int(1, 12), 2)}-${pad(g.int(1, 28), 2)}`]),
		price: (g) => g.pick([`$${g.int(1, 9)},${g.digits(3)}.${g.digits(2)}`, `$${g.int(1, 999)}.${g.digits(2)}`, `USD ${g.int(10, 9999)}.00`]),
		ibanCountry: 'GB',
		keyWords: ['API key', 'token', 'secret'],
	},
	'en-GB': {
		country: 'GB',
		filler: [
			(f) => `Hello, ${f.person.firstName()} here from ${f.location.city()}.`,
			(f) => `My ${f.commerce.productName()} arrived damaged, could you sort a replacement?`,
			() => `Cheers for getting back to me so quickly.`,
			(f) => `I've been a customer since ${f.date.past({ years: 8 }).getFullYear()} and never had this issue.`,
		],
		intro: {
			EMAIL: ['Drop me a line at ', 'my email address is '],
			PHONE: ['Ring me on ', 'my mobile is ', 'Tel: '],
			CARD: ['the card ending in the number ', 'card number '],
			IBAN: ['please refund to ', 'IBAN: '],
			US_SSN: ['SSN '],
			IP: ['logged in from ', 'IP address '],
			SECRET: ['the access token is ', 'api_key='],
		},
		negIntro: { order: ['Order ref ', 'Invoice no. '], tracking: ['Royal Mail tracking ', 'parcel '] },
		phone: (g) =>
			g.pick([
				`020 7946 0${g.digits(3)}`,
				`07700 900${g.digits(3)}`,
				`0161 496 0${g.digits(3)}`,
				`+44 20 7946 0${g.digits(3)}`,
				`+44 7700 900${g.digits(3)}`,
				`0113 496 0${g.digits(3)}`,
			]),
		date: (g) => g.pick([`${pad(g.int(1, 28), 2)}/${pad(g.int(1, 12), 2)}/${g.int(2019, 2026)}`, `${g.int(1, 28)} March ${g.int(2019, 2026)}`]),
		price: (g) => g.pick([`£${g.int(1, 999)}.${g.digits(2)}`, `£${g.int(1, 9)},${g.digits(3)}.${g.digits(2)}`]),
		ibanCountry: 'GB',
		keyWords: ['access token', 'API key'],
	},
	de: {
		country: 'DE',
		filler: [
			(f) => `Hallo, hier ist ${f.person.firstName()} aus ${f.location.city()}.`,
			(f) => `Mein ${f.commerce.productName()} ist leider defekt angekommen.`,
			() => `Vielen Dank für die schnelle Antwort!`,
			(f) => `Ich warte seit einer Woche auf meine Lieferung nach ${f.location.city()}.`,
			(f) => `Können Sie mir bitte helfen, ${f.person.firstName()}?`,
		],
		intro: {
			EMAIL: ['Meine E-Mail-Adresse ist ', 'schreiben Sie an ', 'E-Mail: '],
			PHONE: ['Rufen Sie mich an unter ', 'meine Nummer ist ', 'Tel.: ', 'Handy: ', 'erreichbar unter '],
			CARD: ['bezahlt mit Karte ', 'Kartennummer '],
			IBAN: ['Bitte erstatten auf IBAN ', 'Konto: '],
			US_SSN: ['SSN '],
			IP: ['eingeloggt von ', 'meine IP-Adresse ist ', 'IP: '],
			SECRET: ['mein API-Schlüssel lautet ', 'das Passwort ist ', 'Token: '],
		},
		negIntro: { order: ['Bestellnummer ', 'Rechnung Nr. ', 'Auftrag '], tracking: ['Sendungsnummer ', 'DHL-Paket '] },
		phone: (g) => {
			const [area, len] = g.pick(DE_AREAS);
			const sub = g.digits(len - area.length, 1);
			const mob = g.pick(DE_MOBILE);
			return g.pick([
				`0${area} ${sub}`,
				`0${area}-${sub}`,
				`0${area}/${sub}`,
				`(0${area}) ${sub}`,
				`0${mob} ${g.digits(mob === '176' || mob[1] === '5' ? 8 : 7, 1)}`,
				`+49 ${area} ${sub}`,
				`0049 ${area} ${sub}`,
			]);
		},
		date: (g) => g.pick([`${pad(g.int(1, 28), 2)}.${pad(g.int(1, 12), 2)}.${g.int(2019, 2026)}`, `${g.int(1, 28)}.${g.int(1, 12)}.${g.int(19, 26)}`]),
		price: (g) => g.pick([`${g.int(1, 9)}.${g.digits(3)},${g.digits(2)} €`, `${g.int(1, 999)},${g.digits(2)} EUR`, `€ ${g.int(1, 99)},${g.digits(2)}`]),
		ibanCountry: 'DE',
		keyWords: ['API-Schlüssel', 'Passwort'],
	},
	fr: {
		country: 'FR',
		filler: [
			(f) => `Bonjour, je m'appelle ${f.person.firstName()} et j'habite à ${f.location.city()}.`,
			(f) => `Mon ${f.commerce.productName()} ne fonctionne plus depuis hier.`,
			() => `Merci beaucoup pour votre aide.`,
			() => `J'attends toujours le remboursement de ma commande.`,
		],
		intro: {
			EMAIL: ['Mon adresse e-mail est ', 'écrivez-moi à ', 'courriel : '],
			PHONE: ['Appelez-moi au ', 'mon portable : ', 'Tél. : ', 'joignable au '],
			CARD: ['payé avec la carte ', 'numéro de carte '],
			IBAN: ['remboursez sur l\'IBAN ', 'RIB : '],
			US_SSN: ['SSN '],
			IP: ['connecté depuis ', 'mon adresse IP est '],
			SECRET: ['ma clé API est ', 'le mot de passe est ', 'jeton : '],
		},
		negIntro: { order: ['commande n° ', 'facture '], tracking: ['numéro de suivi ', 'colis '] },
		phone: (g) => {
			const first = g.pick(['1', '2', '3', '4', '5', '6', '6', '7']);
			const rest = first === '7' ? `${g.int(5, 8)}${g.digits(7)}` : g.digits(8);
			const d = `0${first}${rest}`;
			return g.pick([g.group(d, [2, 2, 2, 2, 2], ' '), g.group(d, [2, 2, 2, 2, 2], '.'), d, `+33 ${first} ${g.group(rest, [2, 2, 2, 2], ' ')}`]);
		},
		date: (g) => g.pick([`${pad(g.int(1, 28), 2)}/${pad(g.int(1, 12), 2)}/${g.int(2019, 2026)}`, `le ${g.int(1, 28)} mars ${g.int(2019, 2026)}`]),
		price: (g) => g.pick([`${g.int(1, 9)} ${g.digits(3)},${g.digits(2)} €`, `${g.int(1, 999)},${g.digits(2)} €`]),
		ibanCountry: 'FR',
		keyWords: ['clé API', 'mot de passe'],
	},
	es: {
		country: 'ES',
		filler: [
			(f) => `Hola, soy ${f.person.firstName()} de ${f.location.city()}.`,
			(f) => `El ${f.commerce.productName()} que compré llegó roto.`,
			() => `Muchas gracias por la ayuda.`,
			() => `Todavía no he recibido el reembolso de mi pedido.`,
		],
		intro: {
			EMAIL: ['Mi correo es ', 'escríbeme a ', 'email: '],
			PHONE: ['Mi móvil es ', 'llámame al ', 'teléfono ', 'Tel: '],
			CARD: ['pagué con la tarjeta ', 'número de tarjeta '],
			IBAN: ['devolución a la cuenta ', 'IBAN: '],
			US_SSN: ['SSN '],
			IP: ['conectado desde ', 'mi IP es '],
			SECRET: ['mi clave de API es ', 'la contraseña es ', 'token: '],
		},
		negIntro: { order: ['pedido ', 'factura nº '], tracking: ['número de seguimiento ', 'envío '] },
		phone: (g) => {
			const mob = g.chance(0.7);
			const d = mob ? `6${g.digits(8)}` : `9${g.int(1, 8)}${g.digits(7)}`;
			return g.pick([g.group(d, [3, 3, 3], ' '), g.group(d, [3, 2, 2, 2], ' '), g.group(d, [3, 3, 3], '-'), mob ? `+34 ${g.group(d, [3, 3, 3], ' ')}` : g.group(d, [2, 3, 2, 2], ' ')]);
		},
		date: (g) => g.pick([`${pad(g.int(1, 28), 2)}/${pad(g.int(1, 12), 2)}/${g.int(2019, 2026)}`, `${g.int(1, 28)}-${g.int(1, 12)}-${g.int(2019, 2026)}`]),
		price: (g) => g.pick([`${g.int(1, 9)}.${g.digits(3)},${g.digits(2)} €`, `${g.int(1, 999)},${g.digits(2)}€`]),
		ibanCountry: 'ES',
		keyWords: ['clave de API', 'contraseña'],
	},
	nl: {
		country: 'NL',
		filler: [
			(f) => `Hallo, ik ben ${f.person.firstName()} uit ${f.location.city()}.`,
			(f) => `Mijn ${f.commerce.productName()} is kapot aangekomen.`,
			() => `Alvast bedankt voor jullie hulp.`,
			() => `Ik wacht nog steeds op mijn terugbetaling.`,
		],
		intro: {
			EMAIL: ['Mijn e-mailadres is ', 'mail naar '],
			PHONE: ['Bel me op ', 'mijn nummer is ', 'Tel: ', 'mobiel: '],
			CARD: ['betaald met kaart ', 'kaartnummer '],
			IBAN: ['terugstorten op ', 'rekeningnummer '],
			US_SSN: ['SSN '],
			IP: ['ingelogd vanaf ', 'mijn IP-adres is '],
			SECRET: ['mijn API-sleutel is ', 'het wachtwoord is '],
		},
		negIntro: { order: ['bestelling ', 'factuur '], tracking: ['track & trace ', 'pakket '] },
		phone: (g) => {
			const area = g.pick(['10', '20', '30', '40', '50', '70', '13', '15', '26', '35']);
			const sub = g.digits(7, 2);
			const mob = `6${g.int(1, 5)}${g.digits(7)}`;
			return g.pick([`0${area}-${sub}`, `0${area} ${sub}`, `0${mob.slice(0, 1)}-${mob.slice(1)}`, `0${mob.slice(0, 1)} ${mob.slice(1)}`, `+31 ${area} ${sub}`, `+31 6 ${mob.slice(1)}`]);
		},
		date: (g) => g.pick([`${pad(g.int(1, 28), 2)}-${pad(g.int(1, 12), 2)}-${g.int(2019, 2026)}`, `${g.int(1, 28)} mei ${g.int(2019, 2026)}`]),
		price: (g) => g.pick([`€ ${g.int(1, 999)},${g.digits(2)}`, `€ ${g.int(1, 9)}.${g.digits(3)},-`]),
		ibanCountry: 'NL',
		keyWords: ['API-sleutel', 'wachtwoord'],
	},
	'pt-BR': {
		country: 'BR',
		filler: [
			(f) => `Olá, sou ${f.person.firstName()} de ${f.location.city()}.`,
			(f) => `Meu ${f.commerce.productName()} chegou com defeito.`,
			() => `Obrigado pela ajuda!`,
			() => `Ainda estou esperando o reembolso do meu pedido.`,
		],
		intro: {
			EMAIL: ['Meu e-mail é ', 'escreva para '],
			PHONE: ['Meu celular é ', 'me liga no ', 'WhatsApp ', 'telefone: '],
			CARD: ['paguei com o cartão ', 'número do cartão '],
			IBAN: ['reembolso para o IBAN ', 'conta: '],
			US_SSN: ['SSN '],
			IP: ['conectado de ', 'meu IP é '],
			SECRET: ['minha chave de API é ', 'a senha é ', 'token: '],
		},
		negIntro: { order: ['pedido nº ', 'nota fiscal '], tracking: ['código de rastreio ', 'rastreamento '] },
		phone: (g) => {
			const ddd = g.pick(BR_DDD);
			const mob = g.chance(0.7);
			const a = mob ? `9${g.int(6, 9)}${g.digits(3)}` : `${g.int(2, 5)}${g.digits(3)}`;
			const b = g.digits(4);
			return g.pick([`(${ddd}) ${a}-${b}`, `${ddd} ${a}-${b}`, `(${ddd}) ${a} ${b}`, `+55 ${ddd} ${a}-${b}`]);
		},
		date: (g) => g.pick([`${pad(g.int(1, 28), 2)}/${pad(g.int(1, 12), 2)}/${g.int(2019, 2026)}`]),
		price: (g) => g.pick([`R$ ${g.int(1, 9)}.${g.digits(3)},${g.digits(2)}`, `R$ ${g.int(1, 999)},${g.digits(2)}`]),
		ibanCountry: 'BR',
		keyWords: ['chave de API', 'senha'],
	},
};

const IDN_DOMAINS: Record<Locale, string[]> = {
	en: ['example.com', 'mail.example.org'],
	'en-GB': ['example.co.uk'],
	de: ['bäckerei-müller.de', 'straße-beispiel.de', 'example.de'],
	fr: ['café-example.fr', 'société-exemple.fr', 'exemple.fr'],
	es: ['españa-ejemplo.es', 'ejemplo.es'],
	nl: ['voorbeeld.nl', 'café-voorbeeld.nl'],
	'pt-BR': ['exemplo.com.br', 'coração-exemplo.com.br'],
};

const HEX = '0123456789abcdef';
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class LocaleCorpus {
	private readonly gens = new Map<Locale, Gen>();

	constructor(seed: number) {
		LOCALES.forEach((l, i) => {
			const f = new Faker({ locale: [...FAKER_LOCALES[l], base] });
			f.seed(seed * 31 + i);
			this.gens.set(l, new Gen(f));
		});
	}

	private rand(g: Gen, alphabet: string, n: number): string {
		let s = '';
		for (let i = 0; i < n; i++) s += alphabet[g.int(0, alphabet.length - 1)];
		return s;
	}

	email(g: Gen, l: Locale): string {
		const first = g.f.person.firstName();
		const last = g.f.person.lastName();
		const local = `${first}.${last}`.toLowerCase().replace(/[^\p{L}\p{N}.]/gu, '');
		const roll = g.int(0, 9);
		if (roll < 4) return g.f.internet.email({ firstName: first, lastName: last }).replace(/'/g, '');
		const domain = g.pick(IDN_DOMAINS[l]);
		if (roll < 8) return `${local}@${domain}`; // Unicode local part and/or IDN domain
		return `${local.normalize('NFD').replace(/\p{M}/gu, '')}@${domainToASCII(domain)}`; // punycode
	}

	private luhnComplete(g: Gen, prefix: string, len: number): string {
		const body = prefix + g.digits(len - prefix.length - 1);
		for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
		return body + '0';
	}

	cardDigits(g: Gen): string {
		const kind = g.int(0, 3);
		if (kind === 0) return this.luhnComplete(g, '4', 16);
		if (kind === 1) return this.luhnComplete(g, `5${g.int(1, 5)}`, 16);
		if (kind === 2) return this.luhnComplete(g, g.pick(['34', '37']), 15);
		return this.luhnComplete(g, '6011', 16);
	}

	card(g: Gen): string {
		const d = this.cardDigits(g);
		const style = g.int(0, 2);
		if (style === 0) return d;
		const sep = style === 1 ? ' ' : '-';
		return d.length === 15 ? g.group(d, [4, 6, 5], sep) : g.group(d, [4, 4, 4, 4], sep);
	}

	badCard(g: Gen): string {
		const good = this.cardDigits(g);
		const bad = good.slice(0, -1) + String((Number(good.slice(-1)) + g.int(1, 9)) % 10);
		return good.length === 15 ? bad : g.chance(0.5) ? g.group(bad, [4, 4, 4, 4], ' ') : bad;
	}

	iban(g: Gen, l: Locale): string {
		const cc = g.chance(0.7) ? RULES[l].ibanCountry : g.pick(['DE', 'GB', 'FR', 'NL', 'ES', 'IT', 'BE', 'AT', 'PT']);
		return g.f.finance.iban({ formatted: g.chance(0.6), countryCode: cc });
	}

	badIban(g: Gen, l: Locale): string {
		const good = this.iban(g, l);
		const compact = good.replace(/ /g, '');
		// Change one check digit: the mod-97 check then fails (verified, so the label is true).
		let bad = compact.slice(0, 2) + String((Number(compact[2]) + 1) % 10) + compact.slice(3);
		if (ibanChecksumValid(bad)) bad = compact.slice(0, 3) + String((Number(compact[3]) + 1) % 10) + compact.slice(4);
		return good.includes(' ') ? bad.replace(/(.{4})(?!$)/g, '$1 ') : bad;
	}

	ssn(g: Gen): string {
		let area = g.int(1, 899);
		if (area === 666) area = 667;
		return `${pad(area, 3)}-${pad(g.int(1, 99), 2)}-${pad(g.int(1, 9999), 4)}`;
	}

	ip(g: Gen): string {
		return g.chance(0.75) ? g.f.internet.ipv4() : g.f.internet.ipv6();
	}

	secret(g: Gen): string {
		const k = g.int(0, 5);
		if (k <= 1) return this.rand(g, HEX, 32 + 8 * g.int(0, 1));
		if (k <= 3) return this.rand(g, B62, g.int(32, 48));
		if (k === 4) return `sk_live_${this.rand(g, B62, 24)}`;
		return `ghp_${this.rand(g, B62, 36)}`;
	}

	/** A hard negative: [kind, intro, text]. */
	negative(g: Gen, l: Locale): [string, string, string] {
		const r = RULES[l];
		const k = g.int(0, 11);
		switch (k) {
			case 0:
				return ['date', g.pick(['on ', '', '→ ']), r.date(g)];
			case 1:
				// A bare dotted quad IS an address; only the context makes it a version.
				return g.chance(0.5)
					? ['version', g.pick(['version ', 'Version ', 'release ', 'build ', 'v', 'versão ', 'versión ', 'versie ']), `${g.int(1, 12)}.${g.int(0, 20)}.${g.int(0, 9)}.${g.int(1, 99)}`]
					: ['version', g.pick(['version ', 'v', '']), `${g.int(1, 15)}.${g.int(0, 20)}.${g.int(0, 9)}`];
			case 2:
				return ['version', 'app ', `${g.int(1, 12)}.${g.int(0, 20)}.${g.int(0, 9)}.${g.int(1, 99)}-${g.pick(['rc2', 'beta', 'alpha1', 'SNAPSHOT'])}`];
			case 3:
				return ['order', g.pick(r.negIntro.order), g.pick([g.digits(g.int(8, 11), 1), `${g.digits(3, 1)}-${g.digits(7)}`, `#${g.digits(9)}`, `ORD-${g.int(2019, 2026)}-${g.digits(6)}`, `0${g.digits(9)}`])];
			case 4:
				return ['invalid IBAN', 'IBAN ', this.badIban(g, l)];
			case 5:
				return ['invalid card', g.pick(['card ', 'Karte ', 'carte ', 'tarjeta ', 'kaart ', 'cartão ']), this.badCard(g)];
			case 6:
				return ['price', g.pick(['total ', '', 'Preis ']), r.price(g)];
			case 7:
				return ['tracking', g.pick(r.negIntro.tracking), g.pick([`1Z${this.rand(g, '0123456789ABCDEFGHJKLMNPRSTUVWXYZ', 16)}`, `00340434${g.digits(12)}`, `JJD${g.digits(16)}`, `${this.rand(g, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 2)}${g.digits(9)}BR`, `3S${this.rand(g, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4)}${g.digits(7)}`, `9400 ${g.digits(4)} ${g.digits(4)} ${g.digits(4)} ${g.digits(4)} ${g.digits(2)}`])];
			case 8:
				return ['postcode', '', `${g.f.location.zipCode()} ${g.f.location.city()}`];
			case 9:
				return ['time', g.pick(['at ', 'um ', 'à ']), `${pad(g.int(0, 23), 2)}:${pad(g.int(0, 59), 2)}${g.chance(0.5) ? `:${pad(g.int(0, 59), 2)}` : ''}`];
			case 10:
				return ['commit hash', 'fixed in commit ', this.rand(g, HEX, 40)];
			default:
				return ['quantity', '', `${g.int(2, 500)} ${g.pick(['items', 'Stück', 'pièces', 'unidades', 'stuks', 'unidades'])}`];
		}
	}

	/** One message in locale `l`: ~`sentences` sentences, PII in `piiRate` of them; HTML with probability `htmlRate`. */
	doc(l: Locale, sentences = 6, piiRate = 0.6, htmlRate = 0.4): LocDoc {
		const g = this.gens.get(l)!;
		const r = RULES[l];
		const html = g.chance(htmlRate);
		const esc = (s: string): string => (html ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s);
		let text = html ? '<p>' : '';
		const spans: Span[] = [];
		const negatives: Negative[] = [];
		const put = (s: string): void => {
			text += esc(s);
		};
		const mark = (value: string, raw?: string): { start: number; end: number } => {
			const start = text.length;
			text += raw ?? esc(value);
			return { start, end: text.length };
		};
		const labels = l === 'en' ? LABELS : LABELS.filter((x) => x !== 'US_SSN');
		for (let i = 0; i < sentences; i++) {
			put(g.pick(r.filler)(g.f) + ' ');
			if (g.chance(piiRate)) {
				const label = g.pick(labels);
				let intro = g.pick(r.intro[label]);
				if (label === 'SECRET' && g.chance(0.3)) intro = g.pick(['API_KEY=', 'token=', '"apiKey": "', 'password: ']);
				put(intro);
				const value = {
					EMAIL: () => this.email(g, l),
					PHONE: () => r.phone(g),
					CARD: () => this.card(g),
					IBAN: () => this.iban(g, l),
					US_SSN: () => this.ssn(g),
					IP: () => this.ip(g),
					SECRET: () => this.secret(g),
				}[label]();
				// In HTML, some e-mails are written with &#64; for @ (entity decoding must see them).
				const raw = html && label === 'EMAIL' && g.chance(0.4) ? esc(value).replace('@', '&#64;') : undefined;
				const [open, close] = g.pick([['', ''], ['', ''], ['(', ')'], ['"', '"'], ['<', '>']]);
				put(intro.endsWith('"') ? '' : open);
				spans.push({ label, ...mark(value, raw) });
				put((intro.endsWith('"') ? '"' : close) + g.pick(['. ', ', ', ' — ok? ', '; ', '! ']));
			}
			if (g.chance(0.5)) {
				const [kind, intro, value] = this.negative(g, l);
				put(intro);
				negatives.push({ kind, ...mark(value) });
				put(g.pick(['. ', ', ', ' ']));
			}
			if (html && g.chance(0.3)) text += '</p><p>';
		}
		if (html) text += '</p>';
		return { locale: l, html, text, spans, negatives };
	}

	/** `perLocale` messages in each of the 7 locales, interleaved. */
	docs(perLocale: number, sentences = 6, piiRate = 0.6): LocDoc[] {
		const out: LocDoc[] = [];
		for (let i = 0; i < perLocale; i++) for (const l of LOCALES) out.push(this.doc(l, sentences, piiRate));
		return out;
	}
}

export interface Tally {
	truth: number;
	found: number;
	predicted: number;
	correct: number;
}
export interface Report {
	byLabel: Record<Label, Tally>;
	byLocale: Record<Locale, Tally>;
	overall: Tally;
	negatives: { total: number; hit: number; byKind: Record<string, [number, number]> };
}

const labelOf = (type: string): Label | undefined =>
	type === 'IPV4' || type === 'IPV6' ? 'IP' : type === 'URL_SECRET' ? 'SECRET' : (LABELS as string[]).includes(type) ? (type as Label) : undefined;

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }): number => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
const matches = (p: { start: number; end: number }, t: { start: number; end: number }): boolean =>
	overlap(p, t) >= 0.8 * Math.max(p.end - p.start, t.end - t.start);

const tally = (): Tally => ({ truth: 0, found: 0, predicted: 0, correct: 0 });

/**
 * Scores findings against the generator's labels. A finding matches a true span of the same label
 * when they overlap by ≥ 80 % of the longer one. A finding of a scored type that matches nothing is
 * a false positive (precision); a negative touched by any finding is a hard-negative false positive.
 */
export function scoreLocales(results: { doc: LocDoc; findings: Finding[] }[]): Report {
	const byLabel = Object.fromEntries(LABELS.map((l) => [l, tally()])) as Record<Label, Tally>;
	const byLocale = Object.fromEntries(LOCALES.map((l) => [l, tally()])) as Record<Locale, Tally>;
	const overall = tally();
	const negatives = { total: 0, hit: 0, byKind: {} as Record<string, [number, number]> };
	for (const { doc, findings } of results) {
		const preds = findings.map((f) => ({ label: labelOf(f.type), start: f.start, end: f.end })).filter((p) => p.label);
		for (const t of doc.spans) {
			const ok = preds.some((p) => p.label === t.label && matches(p, t));
			for (const x of [byLabel[t.label], byLocale[doc.locale], overall]) {
				x.truth++;
				if (ok) x.found++;
			}
		}
		for (const p of preds) {
			const ok = doc.spans.some((t) => t.label === p.label && matches(p, t));
			for (const x of [byLabel[p.label!], byLocale[doc.locale], overall]) {
				x.predicted++;
				if (ok) x.correct++;
			}
		}
		for (const n of doc.negatives) {
			const hit = findings.some((f) => overlap(f, n) > 0);
			const k = (negatives.byKind[n.kind] ??= [0, 0]);
			k[1]++;
			negatives.total++;
			if (hit) {
				k[0]++;
				negatives.hit++;
			}
		}
	}
	return { byLabel, byLocale, overall, negatives };
}

const pct = (a: number, b: number): string => (b ? ((100 * a) / b).toFixed(1).padStart(5) : '    -');

export function formatReport(r: Report): string {
	const row = (name: string, t: Tally): string =>
		`${name.padEnd(8)} spans ${String(t.truth).padStart(5)}  recall ${pct(t.found, t.truth)} %  precision ${pct(t.correct, t.predicted)} %`;
	const lines = ['per type:', ...LABELS.map((l) => '  ' + row(l, r.byLabel[l])), 'per locale:', ...LOCALES.map((l) => '  ' + row(l, r.byLocale[l]))];
	lines.push('  ' + row('overall', r.overall));
	lines.push(`hard negatives: ${r.negatives.hit} of ${r.negatives.total} touched (${pct(r.negatives.hit, r.negatives.total).trim()} %)`);
	lines.push('  ' + Object.entries(r.negatives.byKind).map(([k, [h, n]]) => `${k} ${h}/${n}`).join(', '));
	return lines.join('\n');
}
