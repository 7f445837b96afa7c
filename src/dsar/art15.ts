/**
 * Default texts for the Art. 15(1)(a)–(h) GDPR block. They describe a typical use of Intercom for
 * customer support; the controller must review them (node parameters / `opts.art15` override each).
 */
import type { Art15Information, DsarCounts } from './types';

export const DEFAULT_ART15: Art15Information = {
	controller: 'The company that sent you this package (see the covering letter for its contact details and its data protection officer).',
	purposes:
		'Providing customer support and answering your messages; operating and improving our service; sending the messages you subscribed to (GDPR Art. 6(1)(b), (c), (f), and (a) where you consented).',
	categories:
		'Contact data (name, email address, phone), identifiers, location derived from your IP address, device and browser data, custom attributes, the content of conversations and tickets, notes written by our staff, tags and segments, company affiliation, subscription preferences, and product usage events.',
	recipients:
		'Intercom, Inc. (processor, customer messaging platform; data may be transferred to the USA under the EU-US Data Privacy Framework and Standard Contractual Clauses, Art. 15(2)), and the staff of our support team.',
	retention:
		'As long as you are our customer or the conversation is open, then as set by our retention policy; conversations and contact data are deleted when you ask us to erase them unless a legal obligation requires us to keep them.',
	rights:
		'You may ask us to rectify inaccurate data (Art. 16), to erase it (Art. 17), to restrict its processing (Art. 18), to receive it in a machine-readable format (Art. 20, the subject.json file in this package) and you may object to processing (Art. 21).',
	complaint: 'You have the right to lodge a complaint with a supervisory authority, in particular in the EU member state of your residence, place of work or of the alleged infringement (Art. 77).',
	source:
		'Data you gave us (messages, forms, sign-up), data collected automatically by the Intercom messenger on our website or app, and data our staff added (notes, tags).',
	automatedDecisions: 'We make no decisions based solely on automated processing, including profiling, that produce legal or similarly significant effects on you (Art. 22).',
};

export function art15With(overrides: Partial<Art15Information> | undefined): Art15Information {
	const out: Art15Information = { ...DEFAULT_ART15 };
	for (const key of Object.keys(DEFAULT_ART15) as Array<keyof Art15Information>) {
		const v = overrides?.[key];
		if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim();
	}
	return out;
}

export const LISTABLE_EVENT_DAYS = 90;
export const MAX_THREAD_PARTS = 500;

/** Plain-language limits of what Intercom returns; part of every package. */
export function standardStatements(counts: DsarCounts): string[] {
	return [
		`Data events: Intercom lists individual events only for the last ${LISTABLE_EVENT_DAYS} days. Older events exist only as per-name counts with first and last dates (the "event summary"); ${counts.events} of ${counts.eventsTotal} recorded events are listed individually.`,
		'Subscription preferences: Intercom returns only subscriptions you explicitly opted in to or out of; subscription types in their default state are not listed.',
		`Conversations and tickets: Intercom returns at most the ${MAX_THREAD_PARTS} most recent parts of one conversation or ticket. Where a thread had more, it is flagged as truncated and the older parts are not included.`,
		'Conversations that are tickets are visible to the API only with the "Read tickets" permission; if the tickets section is listed as missing, such conversations may be missing too.',
		'Conversations and tickets can contain messages written by other people (our staff, or other participants); they are included because they are part of your exchanges with us (Art. 15(4)).',
	];
}
