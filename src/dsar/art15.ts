/**
 * The Art. 15(1)(a)–(h) GDPR block and the CCPA disclosures, built from facts where the package has
 * them: the controller and DPO contact (required), the retention policy in use and the ledger's
 * retention, the workspace's hosting region (→ transfers), and the controller's data map (→
 * recipients and sub-processors). Remaining defaults describe a typical use of Intercom for customer
 * support; `opts.art15` overrides each text.
 */
import { t } from './i18n';
import type { Art15Information, CcpaDisclosures, DsarCounts, DsarRegime, ExportSubjectOptions } from './types';

export const DEFAULT_ART15: Art15Information = {
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
};

/** Where Intercom hosts a workspace (GET /me app.region) → what that means for transfers (Art. 15(2)). */
export function transferText(region: string | null): string {
	switch ((region ?? '').toUpperCase()) {
		case 'EU':
			return 'Intercom hosts this workspace in the European Union (Ireland). Intercom, Inc. (USA) and its sub-processors may access it from third countries under the EU-US Data Privacy Framework and Standard Contractual Clauses (Art. 46).';
		case 'AU':
			return 'Intercom hosts this workspace in Australia, a third country without an EU adequacy decision; the transfer relies on Standard Contractual Clauses (Art. 46). Intercom, Inc. (USA) may access it under the EU-US Data Privacy Framework.';
		case 'US':
			return 'Intercom hosts this workspace in the United States: your data is transferred to a third country, under the EU-US Data Privacy Framework (adequacy decision of 10 July 2023) and Standard Contractual Clauses (Art. 45, 46).';
		default:
			return 'The hosting region of this workspace was not reported by Intercom; ask us where your data is stored.';
	}
}

export function art15FromFacts(opts: ExportSubjectOptions, region: string | null, language: string): Art15Information {
	const out: Art15Information = { ...DEFAULT_ART15 };
	if (opts.controller?.trim()) out.controller = opts.controller.trim();
	if (opts.dpoContact?.trim()) out.dpo = opts.dpoContact.trim();
	const map = opts.dataMap ?? [];
	const recipients =
		map.length > 0
			? map
					.map((d) => [d.name.trim(), `(${[d.role, d.purpose, d.country, d.safeguard].filter((x) => typeof x === 'string' && x.trim() !== '').map((x) => x!.trim()).join('; ')})`].join(' '))
					.join('; ')
			: `${DEFAULT_ART15.recipients} ${t(language, 'noDataMap')}`;
	out.recipients = `${recipients}. ${transferText(region)}`;
	const retention: string[] = [];
	if (opts.retentionPolicy?.trim()) retention.push(`${t(language, 'retentionPolicy')}: ${opts.retentionPolicy.trim()}.`);
	else retention.push(DEFAULT_ART15.retention);
	if (opts.ledgerRetention?.trim()) retention.push(`${t(language, 'ledgerRetention')}: ${opts.ledgerRetention.trim()}.`);
	out.retention = retention.join(' ');
	for (const key of Object.keys(DEFAULT_ART15) as Array<keyof Art15Information>) {
		const v = opts.art15?.[key];
		if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
	}
	return out;
}

/** Kept for callers of the earlier API: the defaults with overrides. */
export function art15With(overrides: Partial<Art15Information> | undefined): Art15Information {
	const out: Art15Information = { ...DEFAULT_ART15 };
	for (const key of Object.keys(DEFAULT_ART15) as Array<keyof Art15Information>) {
		const v = overrides?.[key];
		if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
	}
	return out;
}

/**
 * CCPA right-to-know disclosures. The defaults say only what this package can know from Intercom;
 * where only the business knows the answer (selling/sharing), the default says so plainly and the
 * review flags it until the business sets the text.
 */
export const DEFAULT_CCPA: CcpaDisclosures = {
	categoriesCollected:
		'Identifiers (name, email address, phone number, Intercom and account IDs, IP-derived location); commercial information (company affiliation, conversations about our products); internet or other electronic network activity (browser, device, product usage events); and the content of your messages to us.',
	sources: 'You (messages, forms, sign-up); your device, through the Intercom messenger on our website or app; our staff (notes, tags).',
	businessPurposes: 'Providing customer support, maintaining and servicing your account, and improving our service.',
	thirdParties: 'Intercom, Inc., as our service provider for customer messaging.',
	soldOrShared: 'NOT STATED: the business has not set this text. It must say whether personal information was sold or shared in the preceding 12 months, and to which categories of third parties.',
};

export function ccpaDisclosures(overrides: Partial<CcpaDisclosures> | undefined): CcpaDisclosures {
	const out: CcpaDisclosures = { ...DEFAULT_CCPA };
	for (const key of Object.keys(DEFAULT_CCPA) as Array<keyof CcpaDisclosures>) {
		const v = overrides?.[key];
		if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
	}
	return out;
}

export const LISTABLE_EVENT_DAYS = 90;
export const MAX_THREAD_PARTS = 500;

/** Plain-language limits and decisions of this package, in the package's language. */
export function standardStatements(counts: DsarCounts, ctx: { regime?: DsarRegime; redactions?: number; withheld?: number; language?: string } = {}): string[] {
	const lang = ctx.language ?? 'en';
	const out = [
		t(lang, 'stEvents', { listed: counts.events, total: counts.eventsTotal, days: LISTABLE_EVENT_DAYS }),
		t(lang, 'stSubscriptions'),
		t(lang, 'stParts', { max: MAX_THREAD_PARTS }),
		t(lang, 'stTickets'),
		t(lang, 'stOthers', { n: ctx.redactions ?? 0 }),
		t(lang, 'stAttachments'),
		t(lang, 'stOutbound'),
	];
	if (ctx.regime && ctx.regime !== 'gdpr') out.push(t(lang, 'stCcpa', { n: ctx.withheld ?? 0 }));
	return out;
}
