/**
 * Protecting other people and the controller's systems in the package (GDPR Art. 15(4), Recital 63;
 * CCPA regulations §7024(d)), applied after collection and before rendering:
 *
 * - staff appear by display name and role only (no email, job title, ids, team ids, away state);
 * - other contacts in a conversation appear as "another person";
 * - other people's email addresses and phone numbers in texts (bodies, notes, event metadata,
 *   company fields) are replaced; the person's own identifiers (from their contact records) stay;
 * - company custom attributes that describe a person (account manager, owner, …) are withheld;
 * - signatures of signed links (live capability URLs) are removed everywhere;
 * - under CCPA, §7024(d) data (government ID, financial account numbers, passwords, security
 *   questions, health/biometric identifiers) is withheld and listed as held.
 *
 * Detection uses the redaction engine's validated detectors through `findSpans` (this small adapter
 * is the only place that knows the engine's API, so a known-subject mode can replace it later).
 * Every change is counted in the redaction log; no value is ever logged.
 */
import { DETECTORS, findSpans } from '../redact';
import type { DsarContact, DsarRedaction, DsarRegime, DsarSection, DsarWithheld, JsonObject } from './types';

type Span = ReturnType<typeof findSpans>[number];

const OTHER_DETECTORS = [DETECTORS.EMAIL, DETECTORS.PHONE, DETECTORS.URL_SECRET];
const CCPA_DETECTORS = [DETECTORS.EMAIL, DETECTORS.PHONE, DETECTORS.URL_SECRET, DETECTORS.US_SSN, DETECTORS.CARD, DETECTORS.IBAN];
const CCPA_TEXT_CATEGORY: Record<string, string> = { US_SSN: 'government_id', CARD: 'financial_account', IBAN: 'financial_account' };
/** What the redaction log counts (its "kind" column): detector types, link signatures, people, fields. */
export const REDACTION_TYPES: readonly string[] = [...CCPA_DETECTORS.map((d) => (d.type === 'URL_SECRET' ? 'URL_SIGNATURE' : d.type)), 'PARTICIPANT', 'STAFF', 'FIELD'];

/** Attribute / file names that say §7024(d) data (checked on the name, lower case, separators normalised). */
const SENSITIVE_NAMES: Array<[RegExp, string]> = [
	[/(ssn|social_security|passport|driver_?s?_licen[cs]e|driving_licen[cs]e|national_id|id_?(card|doc|document|number|scan)|identity|government_id|tax_id|tin|personalausweis|ausweis|visa|residence_permit)/, 'government_id'],
	[/(iban|bank_?account|account_number|routing|sort_code|credit_?card|card_number|debit_card|bic|swift)/, 'financial_account'],
	[/(password|passwd|passcode|pin_code|secret)/, 'password'],
	[/(security_question|security_answer|memorable)/, 'security_question'],
	[/(health_insurance|insurance_number|medical|patient_id)/, 'health_id'],
	[/(biometric|fingerprint|face_?id|selfie)/, 'biometric'],
];
/** Every category an item can be withheld under. */
export const WITHHELD_CATEGORIES: readonly string[] = [...new Set([...SENSITIVE_NAMES.map(([, c]) => c), ...Object.values(CCPA_TEXT_CATEGORY)])];

/** Company custom attributes about a person rather than the company. */
const PERSON_FIELD = /(manager|owner|rep(resentative)?\b|_rep_|agent|admin|champion|csm|contact_(name|email|phone)|person|employee|staff|account_exec)/;

const MAY_HOLD = /[0-9@]|:\/\//;

const norm = (k: string): string => k.toLowerCase().replace(/[^a-z0-9]+/g, '_');

export function sensitiveCategory(name: string): string | undefined {
	const n = norm(name);
	for (const [re, cat] of SENSITIVE_NAMES) if (re.test(n)) return cat;
	return undefined;
}

/** Keys whose values are identifiers, times or types: never scanned as text (a 10-digit id is not a phone). */
const NOT_TEXT = /(^|_)(id|ids|type|at|url|count|code)$|^(id|type)$/;

export interface Identity {
	emails: Set<string>;
	phones: Set<string>;
	contactIds: Set<string>;
}

const phoneKey = (s: string): string => s.replace(/\D/g, '').slice(-9);

/** The person's own identifiers, from their contact records. */
export function identityOf(contacts: DsarContact[]): Identity {
	const id: Identity = { emails: new Set(), phones: new Set(), contactIds: new Set() };
	for (const c of contacts) {
		id.contactIds.add(c.id);
		const p = c.profile;
		if (typeof p.email === 'string' && p.email) id.emails.add(p.email.toLowerCase());
		if (typeof p.phone === 'string' && p.phone) id.phones.add(phoneKey(p.phone));
	}
	return id;
}

export interface ProtectResult {
	redactions: DsarRedaction[];
	withheld: DsarWithheld[];
}

const LABEL: Record<string, string> = {
	EMAIL: '[another person’s email removed]',
	PHONE: '[another person’s phone number removed]',
	US_SSN: '[withheld: government ID number]',
	CARD: '[withheld: card number]',
	IBAN: '[withheld: bank account number]',
};

class Protector {
	readonly redactions = new Map<string, DsarRedaction>();
	readonly withheld: DsarWithheld[] = [];
	private readonly detectors;

	constructor(
		private readonly me: Identity,
		ccpa: boolean,
	) {
		this.detectors = ccpa ? CCPA_DETECTORS : OTHER_DETECTORS;
	}

	count(contactId: string, section: DsarSection, itemId: string | undefined, type: string, reason: DsarRedaction['reason'], n = 1): void {
		const key = `${contactId}\u0000${section}\u0000${itemId ?? ''}\u0000${type}\u0000${reason}`;
		const r = this.redactions.get(key);
		if (r) r.count += n;
		else this.redactions.set(key, { contactId, section, ...(itemId !== undefined ? { itemId } : {}), type, reason, count: n });
	}

	/** Rewrites the spans of one string that are not the person's own. */
	text(s: string, contactId: string, section: DsarSection, itemId: string | undefined): string {
		// Every detector here needs a digit, an "@" or a "://": most strings have none and skip the scan.
		if (s.length < 5 || !MAY_HOLD.test(s)) return s;
		const spans = findSpans(s, this.detectors);
		if (spans.length === 0) return s;
		let out = '';
		let at = 0;
		let withheldHere = false;
		for (const sp of spans) {
			const value = s.slice(sp.start, sp.end);
			const rep = this.replacement(sp, value);
			if (rep === undefined) continue;
			out += s.slice(at, sp.start) + rep;
			at = sp.end;
			const reason: DsarRedaction['reason'] = sp.type === 'URL_SECRET' ? 'capability_url' : CCPA_TEXT_CATEGORY[sp.type] ? 'ccpa_7024d' : 'other_person';
			this.count(contactId, section, itemId, sp.type === 'URL_SECRET' ? 'URL_SIGNATURE' : sp.type, reason);
			if (reason === 'ccpa_7024d' && !withheldHere) {
				withheldHere = true;
				this.withheld.push({ contactId, section, ...(itemId !== undefined ? { itemId } : {}), category: CCPA_TEXT_CATEGORY[sp.type], what: `a number in the text of ${section.replace(/s$/, '')}${itemId ? ` ${itemId}` : ''}` });
			}
		}
		return at === 0 ? s : out + s.slice(at);
	}

	private replacement(sp: Span, value: string): string | undefined {
		if (sp.type === 'URL_SECRET') return 'removed';
		if (sp.type === 'EMAIL') return this.me.emails.has(value.toLowerCase()) ? undefined : LABEL.EMAIL;
		if (sp.type === 'PHONE') return this.me.phones.has(phoneKey(value)) ? undefined : LABEL.PHONE;
		return LABEL[sp.type];
	}

	/** Deep copy of an Intercom object with staff, other participants and other people's identifiers protected. */
	walk(v: unknown, contactId: string, section: DsarSection, itemId: string | undefined, key = ''): unknown {
		if (typeof v === 'string') return NOT_TEXT.test(key) && key !== 'url' && !/^https?:/i.test(v) ? v : this.text(v, contactId, section, itemId);
		if (Array.isArray(v)) {
			const mapped = v.map((x) => this.walk(x, contactId, section, itemId, key));
			return mapped.every((x, i) => x === v[i]) ? v : mapped; // copy on write: untouched branches are shared
		}
		if (!v || typeof v !== 'object') return v;
		const o = v as JsonObject;
		const type = typeof o.type === 'string' ? o.type : '';
		if (type === 'admin' || type === 'team' || type === 'bot') return this.staff(o, contactId, section, itemId);
		if ((type === 'contact' || type === 'user' || type === 'lead') && typeof o.id === 'string' && !this.me.contactIds.has(o.id) && key !== 'profile') {
			this.count(contactId, section, itemId, 'PARTICIPANT', 'other_person');
			return { type, name: 'another person' };
		}
		const out: JsonObject = {};
		let changed = false;
		for (const [k, x] of Object.entries(o)) {
			if (/^(admin_assignee_id|team_assignee_id|teammate_id|assigned_admin_id)$/.test(k) && x !== null && x !== undefined) {
				this.count(contactId, section, itemId, 'STAFF', 'other_person');
				changed = true;
				continue;
			}
			const y = this.walk(x, contactId, section, itemId, k);
			if (y !== x) changed = true;
			// Own-property write: a key named "__proto__" in Intercom's JSON must stay a plain key.
			Object.defineProperty(out, k, { value: y, enumerable: true, writable: true, configurable: true });
		}
		return changed ? out : o;
	}

	private staff(o: JsonObject, contactId: string, section: DsarSection, itemId: string | undefined): JsonObject {
		const kept: JsonObject = { type: o.type, role: o.type === 'admin' ? 'support staff' : o.type === 'team' ? 'support team' : 'automated assistant' };
		if (typeof o.name === 'string' && o.name !== '') kept.name = o.name;
		const dropped = Object.keys(o).filter((k) => k !== 'type' && k !== 'name' && o[k] !== null && o[k] !== undefined && o[k] !== false && o[k] !== '');
		if (dropped.length > 0) this.count(contactId, section, itemId, 'STAFF', 'other_person');
		return kept;
	}
}

/**
 * Protects the contacts in place (they are the export's own copies). Returns the redaction log
 * entries and the withheld items. `ccpa` also withholds §7024(d) data.
 */
export function protectContacts(contacts: DsarContact[], regime: DsarRegime, definitions: Map<string, string> = new Map()): ProtectResult {
	const ccpa = regime !== 'gdpr';
	const p = new Protector(identityOf(contacts), ccpa);
	const staff = staffNames(contacts);
	for (const c of contacts) {
		const id = c.id;
		c.profile = protectProfile(p, c, ccpa, definitions);
		c.profile = ownerAsStaff(c.profile, staff);
		c.notes = c.notes.map((n) => p.walk(n, id, 'notes', String(n.id ?? '')) as JsonObject);
		c.tags = c.tags.map((t) => p.walk(t, id, 'tags', String(t.id ?? '')) as JsonObject);
		c.companies = c.companies.map((co) => protectCompany(p, co, id));
		for (const t of c.conversations) t.data = p.walk(t.data, id, 'conversations', String(t.data.id)) as JsonObject;
		for (const t of c.tickets) t.data = p.walk(t.data, id, 'tickets', String(t.data.id)) as JsonObject;
		c.events.listed = c.events.listed.map((e) => p.walk(e, id, 'events', String(e.id ?? '')) as JsonObject);
	}
	return { redactions: [...p.redactions.values()], withheld: p.withheld };
}

/** Display names of staff, from the admin objects in the person's own conversations and tickets (no extra request). */
function staffNames(contacts: DsarContact[]): Map<string, string> {
	const names = new Map<string, string>();
	const visit = (v: unknown): void => {
		if (Array.isArray(v)) return v.forEach(visit);
		if (!v || typeof v !== 'object') return;
		const o = v as JsonObject;
		if (o.type === 'admin' && (typeof o.id === 'string' || typeof o.id === 'number') && typeof o.name === 'string' && o.name !== '') names.set(String(o.id), o.name);
		for (const x of Object.values(o)) if (x && typeof x === 'object') visit(x);
	};
	for (const c of contacts) for (const t of [...c.conversations, ...c.tickets]) visit(t.data);
	return names;
}

/**
 * `owner_id` (the teammate responsible for the person) is an internal admin id, meaningless to the
 * person: it becomes `owner` with the role and, when the person has talked to that teammate, the
 * display name they already saw. The id itself is not disclosed.
 */
function ownerAsStaff(profile: JsonObject, staff: Map<string, string>): JsonObject {
	if (!('owner_id' in profile)) return profile;
	const { owner_id: ownerId, ...rest } = profile;
	if (ownerId === null || ownerId === undefined || ownerId === '') return rest;
	const name = staff.get(String(ownerId));
	return { ...rest, owner: { type: 'admin', role: 'support staff', ...(name ? { name } : {}) } };
}

/** The person's own profile: kept, except live links and (CCPA) §7024(d) attributes. */
function protectProfile(p: Protector, c: DsarContact, ccpa: boolean, definitions: Map<string, string>): JsonObject {
	const profile: JsonObject = { ...c.profile };
	const attrs = { ...((profile.custom_attributes ?? {}) as JsonObject) };
	for (const [k, v] of Object.entries(attrs)) {
		const file = v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
		// The attribute's name, then what the workspace's definition says it is (label, description), then the file's name.
		const category = sensitiveCategory(k) ?? definitions.get(k) ?? (file && typeof file.name === 'string' ? sensitiveCategory(file.name) : undefined);
		if (ccpa && category && v !== null && v !== '' && v !== undefined) {
			attrs[k] = '[withheld under CCPA §7024(d); we hold this item]';
			p.withheld.push({ contactId: c.id, section: file ? 'files' : 'profile', itemId: k, category, what: file ? `file "${k}"` : `attribute "${k}"` });
			p.count(c.id, file ? 'files' : 'profile', k, 'FIELD', 'ccpa_7024d');
			continue;
		}
		if (file && typeof file.url === 'string') attrs[k] = { ...file, url: p.text(file.url, c.id, 'files', k) };
	}
	profile.custom_attributes = attrs;
	// Embedded lists and avatar: the same link rule (the embedded notes/companies are in their own sections).
	for (const key of ['avatar', 'social_profiles']) if (profile[key]) profile[key] = p.walk(profile[key], c.id, 'profile', undefined, key);
	return profile;
}

function protectCompany(p: Protector, co: JsonObject, contactId: string): JsonObject {
	const itemId = String(co.id ?? '');
	const out = p.walk(co, contactId, 'companies', itemId) as JsonObject;
	const attrs = out.custom_attributes && typeof out.custom_attributes === 'object' ? { ...(out.custom_attributes as JsonObject) } : undefined;
	if (attrs) {
		for (const k of Object.keys(attrs)) {
			if (PERSON_FIELD.test(norm(k))) {
				attrs[k] = '[withheld: about another person]';
				p.count(contactId, 'companies', itemId, 'FIELD', 'other_person');
			}
		}
		out.custom_attributes = attrs;
	}
	return out;
}
