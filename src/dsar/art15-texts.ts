/**
 * The default Art. 15(1)–(2) texts per language (en, de, fr). They describe a typical use of Intercom
 * for customer support; every text can be overridden (`opts.art15`). The controller's own facts
 * (controller, DPO, data map, retention policy, hosting region) replace defaults in art15.ts.
 * Add a language by adding one more table with the same keys; a missing language falls back to English.
 */
import type { Art15Information } from './types';

type Art15Texts = Art15Information & { noRegion: string; regions: Record<'EU' | 'AU' | 'US', string> };

const en: Art15Texts = {
	controller: 'Not set (test mode): this package is not for sending.',
	purposes:
		'Providing customer support and answering your messages; operating and improving our service; sending the messages you subscribed to (GDPR Art. 6(1)(b), (c), (f), and (a) where you consented).',
	categories:
		'Contact data (name, email address, phone), identifiers, location derived from your IP address, device and browser data, custom attributes, the content of conversations and tickets, notes written by our staff, tags and segments, company affiliation, subscription preferences, and product usage events.',
	recipients: 'Intercom, Inc. (processor, customer messaging platform), and the staff of our support team.',
	retention:
		'As long as you are our customer or the conversation is open; conversations and contact data are deleted when you ask us to erase them unless a legal obligation requires us to keep them.',
	rights:
		'You may ask us to rectify inaccurate data (Art. 16), to erase it (Art. 17), to restrict its processing (Art. 18), to receive it in a machine-readable format (Art. 20, the subject.json file in this package) and you may object to processing (Art. 21).',
	complaint: 'You have the right to lodge a complaint with a supervisory authority, in particular in the EU member state of your residence, place of work or of the alleged infringement (Art. 77).',
	source:
		'Data you gave us (messages, forms, sign-up), data collected automatically by the Intercom messenger on our website or app, and data our staff added (notes, tags).',
	automatedDecisions: 'We make no decisions based solely on automated processing, including profiling, that produce legal or similarly significant effects on you (Art. 22).',
	noRegion: 'The hosting region of this workspace was not reported by Intercom; ask us where your data is stored.',
	regions: {
		EU: 'Intercom hosts this workspace in the European Union (Ireland). Intercom, Inc. (USA) and its sub-processors may access it from third countries under the EU-US Data Privacy Framework and Standard Contractual Clauses (Art. 46).',
		AU: 'Intercom hosts this workspace in Australia, a third country without an EU adequacy decision; the transfer relies on Standard Contractual Clauses (Art. 46). Intercom, Inc. (USA) may access it under the EU-US Data Privacy Framework.',
		US: 'Intercom hosts this workspace in the United States: your data is transferred to a third country, under the EU-US Data Privacy Framework (adequacy decision of 10 July 2023) and Standard Contractual Clauses (Art. 45, 46).',
	},
};

const de: Art15Texts = {
	controller: 'Nicht angegeben (Testmodus): dieses Paket ist nicht zum Versand bestimmt.',
	purposes:
		'Kundensupport und Beantwortung Ihrer Nachrichten; Betrieb und Verbesserung unseres Dienstes; Versand der Nachrichten, die Sie abonniert haben (DSGVO Art. 6 Abs. 1 lit. b, c, f und, soweit Sie eingewilligt haben, lit. a).',
	categories:
		'Kontaktdaten (Name, E-Mail-Adresse, Telefon), Kennungen, aus Ihrer IP-Adresse abgeleiteter Standort, Geräte- und Browserdaten, benutzerdefinierte Attribute, Inhalte von Unterhaltungen und Tickets, Notizen unserer Mitarbeitenden, Tags und Segmente, Firmenzugehörigkeit, Abonnement-Einstellungen und Nutzungsereignisse.',
	recipients: 'Intercom, Inc. (Auftragsverarbeiter, Plattform für Kundenkommunikation) und die Mitarbeitenden unseres Support-Teams.',
	retention:
		'Solange Sie unser Kunde sind oder die Unterhaltung offen ist; Unterhaltungen und Kontaktdaten werden gelöscht, wenn Sie die Löschung verlangen, sofern keine gesetzliche Pflicht zur Aufbewahrung besteht.',
	rights:
		'Sie können die Berichtigung unrichtiger Daten (Art. 16), ihre Löschung (Art. 17), die Einschränkung der Verarbeitung (Art. 18) und die Herausgabe in einem maschinenlesbaren Format (Art. 20, die Datei subject.json in diesem Paket) verlangen und der Verarbeitung widersprechen (Art. 21).',
	complaint:
		'Sie haben das Recht auf Beschwerde bei einer Aufsichtsbehörde, insbesondere in dem EU-Mitgliedstaat Ihres Aufenthaltsorts, Ihres Arbeitsplatzes oder des Orts des mutmaßlichen Verstoßes (Art. 77).',
	source:
		'Daten, die Sie uns gegeben haben (Nachrichten, Formulare, Registrierung), Daten, die der Intercom-Messenger auf unserer Website oder in unserer App automatisch erhebt, und Daten, die unsere Mitarbeitenden ergänzt haben (Notizen, Tags).',
	automatedDecisions:
		'Wir treffen keine ausschließlich auf einer automatisierten Verarbeitung – einschließlich Profiling – beruhenden Entscheidungen, die Ihnen gegenüber rechtliche Wirkung entfalten oder Sie in ähnlicher Weise erheblich beeinträchtigen (Art. 22).',
	noRegion: 'Intercom hat die Hosting-Region dieses Arbeitsbereichs nicht angegeben; fragen Sie uns, wo Ihre Daten gespeichert sind.',
	regions: {
		EU: 'Intercom hostet diesen Arbeitsbereich in der Europäischen Union (Irland). Intercom, Inc. (USA) und seine Unterauftragsverarbeiter können aus Drittländern darauf zugreifen, auf Grundlage des EU-US Data Privacy Framework und von Standardvertragsklauseln (Art. 46).',
		AU: 'Intercom hostet diesen Arbeitsbereich in Australien, einem Drittland ohne Angemessenheitsbeschluss der EU; die Übermittlung stützt sich auf Standardvertragsklauseln (Art. 46). Intercom, Inc. (USA) kann auf Grundlage des EU-US Data Privacy Framework darauf zugreifen.',
		US: 'Intercom hostet diesen Arbeitsbereich in den Vereinigten Staaten: Ihre Daten werden in ein Drittland übermittelt, auf Grundlage des EU-US Data Privacy Framework (Angemessenheitsbeschluss vom 10. Juli 2023) und von Standardvertragsklauseln (Art. 45, 46).',
	},
};

const fr: Art15Texts = {
	controller: 'Non renseigné (mode test) : ce paquet ne doit pas être envoyé.',
	purposes:
		'Assurer le support client et répondre à vos messages ; exploiter et améliorer notre service ; envoyer les messages auxquels vous êtes abonné(e) (RGPD art. 6, par. 1, points b), c), f) et, si vous y avez consenti, a)).',
	categories:
		'Données de contact (nom, adresse e-mail, téléphone), identifiants, localisation déduite de votre adresse IP, données d’appareil et de navigateur, attributs personnalisés, contenu des conversations et des tickets, notes rédigées par notre personnel, tags et segments, rattachement à une entreprise, préférences d’abonnement et événements d’utilisation du produit.',
	recipients: 'Intercom, Inc. (sous-traitant, plateforme de messagerie client) et le personnel de notre équipe de support.',
	retention:
		'Tant que vous êtes notre client(e) ou que la conversation est ouverte ; les conversations et les données de contact sont supprimées lorsque vous en demandez l’effacement, sauf obligation légale de conservation.',
	rights:
		'Vous pouvez demander la rectification de données inexactes (art. 16), leur effacement (art. 17), la limitation du traitement (art. 18), la réception de vos données dans un format lisible par machine (art. 20, le fichier subject.json de ce paquet) et vous opposer au traitement (art. 21).',
	complaint:
		'Vous avez le droit d’introduire une réclamation auprès d’une autorité de contrôle, en particulier dans l’État membre de l’UE de votre résidence habituelle, de votre lieu de travail ou du lieu où la violation aurait été commise (art. 77).',
	source:
		'Les données que vous nous avez fournies (messages, formulaires, inscription), celles collectées automatiquement par le messenger Intercom sur notre site ou notre application, et celles ajoutées par notre personnel (notes, tags).',
	automatedDecisions:
		'Nous ne prenons aucune décision fondée exclusivement sur un traitement automatisé, y compris le profilage, produisant des effets juridiques vous concernant ou vous affectant de manière significative de façon similaire (art. 22).',
	noRegion: 'Intercom n’a pas indiqué la région d’hébergement de cet espace de travail ; demandez-nous où vos données sont stockées.',
	regions: {
		EU: 'Intercom héberge cet espace de travail dans l’Union européenne (Irlande). Intercom, Inc. (États-Unis) et ses sous-traitants ultérieurs peuvent y accéder depuis des pays tiers dans le cadre du EU-US Data Privacy Framework et de clauses contractuelles types (art. 46).',
		AU: 'Intercom héberge cet espace de travail en Australie, pays tiers sans décision d’adéquation de l’UE ; le transfert repose sur des clauses contractuelles types (art. 46). Intercom, Inc. (États-Unis) peut y accéder dans le cadre du EU-US Data Privacy Framework.',
		US: 'Intercom héberge cet espace de travail aux États-Unis : vos données sont transférées vers un pays tiers, dans le cadre du EU-US Data Privacy Framework (décision d’adéquation du 10 juillet 2023) et de clauses contractuelles types (art. 45, 46).',
	},
};

const TEXTS: Record<string, Art15Texts> = { en, de, fr };

/** The default Art. 15 texts in `lang` (English when the language has no table). */
export function art15Defaults(lang: string): Art15Information {
	const table = TEXTS[lang] ?? en;
	const out = {} as Art15Information;
	for (const key of Object.keys(en) as Array<keyof Art15Texts>) if (key !== 'noRegion' && key !== 'regions' && typeof table[key] === 'string') (out as unknown as Record<string, string>)[key] = table[key] as string;
	return out;
}

/** Where Intercom hosts a workspace (GET /me app.region) → what that means for transfers (Art. 15(2)), in `lang`. */
export function transferText(region: string | null, lang = 'en'): string {
	const table = TEXTS[lang] ?? en;
	const key = (region ?? '').toUpperCase();
	return key === 'EU' || key === 'AU' || key === 'US' ? table.regions[key] : table.noRegion;
}
