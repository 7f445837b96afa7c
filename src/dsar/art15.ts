/**
 * The Art. 15(1)(a)–(h) GDPR block and the CCPA disclosures, built from facts where the package has
 * them: the controller and DPO contact (required), the retention policy in use and the ledger's
 * retention, the workspace's hosting region (→ transfers), and the controller's data map (→
 * recipients and sub-processors). Remaining defaults describe a typical use of Intercom for customer
 * support; `opts.art15` overrides each text.
 */
import { art15Defaults, transferText } from './art15-texts';
import { t } from './i18n';
import type { Art15Information, CcpaDisclosures, DsarCounts, DsarOutbound, DsarRegime, ExportSubjectOptions } from './types';

/** The English defaults (the node shows them as the parameters' defaults). */
export const DEFAULT_ART15: Art15Information = art15Defaults('en');
export { transferText };

export function art15FromFacts(opts: ExportSubjectOptions, region: string | null, language: string): Art15Information {
	const defaults = art15Defaults(language);
	const out: Art15Information = { ...defaults };
	if (opts.controller?.trim()) out.controller = opts.controller.trim();
	if (opts.dpoContact?.trim()) out.dpo = opts.dpoContact.trim();
	const map = opts.dataMap ?? [];
	const recipients =
		map.length > 0
			? map
					.map((d) => [d.name.trim(), `(${[d.role, d.purpose, d.country, d.safeguard].filter((x) => typeof x === 'string' && x.trim() !== '').map((x) => x!.trim()).join('; ')})`].join(' '))
					.join('; ')
			: `${defaults.recipients} ${t(language, 'noDataMap')}`;
	out.recipients = `${recipients.replace(/\.$/, '')}. ${transferText(region, language)}`;
	const retention: string[] = [];
	if (opts.retentionPolicy?.trim()) retention.push(`${t(language, 'retentionPolicy')}: ${opts.retentionPolicy.trim()}.`);
	else retention.push(defaults.retention);
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
	return withTexts(DEFAULT_ART15, overrides);
}

/** The default texts, each replaced by the caller's where that is a non-blank string (trimmed). */
function withTexts<T extends object>(defaults: T, overrides: Partial<T> | undefined): T {
	const out = { ...defaults };
	for (const key of Object.keys(defaults) as Array<keyof T>) {
		const v = overrides?.[key];
		if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim() as T[keyof T];
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
	return withTexts(DEFAULT_CCPA, overrides);
}

export const LISTABLE_EVENT_DAYS = 90;
export const MAX_THREAD_PARTS = 500;

/** Plain-language limits and decisions of this package, in the package's language. */
export function standardStatements(
	counts: DsarCounts,
	ctx: { regime?: DsarRegime; redactions?: number; withheld?: number; language?: string; outbound?: DsarOutbound; definitionsNote?: string } = {},
): string[] {
	const lang = ctx.language ?? 'en';
	const out = [
		t(lang, 'stEvents', { listed: counts.events, total: counts.eventsTotal, days: LISTABLE_EVENT_DAYS }),
		t(lang, 'stSubscriptions'),
		t(lang, 'stParts', { max: MAX_THREAD_PARTS }),
		t(lang, 'stTickets'),
		t(lang, 'stOthers', { n: ctx.redactions ?? 0 }),
		t(lang, 'stAttachments'),
		outboundStatement(lang, ctx.outbound),
	];
	if (ctx.regime && ctx.regime !== 'gdpr') out.push(t(lang, 'stCcpa', { n: ctx.withheld ?? 0 }));
	if (ctx.definitionsNote) out.push(t(lang, 'stNoDefinitions', { status: ctx.definitionsNote }));
	return out;
}

/**
 * The i18n key of why outbound messages are missing, said to the person in the package's language.
 * The operator's reason (`reason`: English, codes, "run it again later") stays in subject.json and
 * the review checks; a package without `reasonCode` (made before it existed) reads as `failed`.
 */
export function outboundReasonKey(o: DsarOutbound): string {
	return o.reasonCode === 'busy' ? 'outboundBusy' : 'outboundFailed';
}

/** What the package says about outbound messages: not asked for, listed, none, or why not. */
function outboundStatement(lang: string, o: DsarOutbound | undefined): string {
	if (!o) return t(lang, 'stOutbound');
	const vars = { n: o.receipts.length, from: o.range.from, to: o.range.to, reason: t(lang, outboundReasonKey(o)) };
	if (o.status === 'included') return t(lang, 'stOutboundIncluded', vars);
	if (o.status === 'no_data') return t(lang, 'stOutboundNoData', vars);
	return t(lang, 'stOutboundNotIncluded', vars);
}
