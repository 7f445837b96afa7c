/**
 * What of the person an erasure removes besides the contacts: their tickets, the conversations only
 * they take part in, and — in conversations shared with other people — their own parts and the
 * source message they wrote (redacted), plus teammates' parts that name them.
 *
 * The person's identifiers (emails, names, phones) are held in memory only to find mentions; they
 * are never written anywhere.
 */
import type { Contact, IntercomGateway } from '../intercom';
import { getObject } from './intercom';
import type { RemainingItem } from './types';

/** Intercom returns only the 500 most recent parts of a conversation. */
export const PART_CAP = 500;

interface Author {
	type?: string;
	id?: string | number;
}
interface PartJson {
	id: string | number;
	body?: string | null;
	author?: Author;
	redacted?: boolean;
	attachments?: unknown[];
}
export interface ConversationJson {
	id: string | number;
	source?: { id?: string | number; body?: string | null; author?: Author; redacted?: boolean };
	conversation_parts?: { conversation_parts?: PartJson[]; total_count?: number };
}

/** One thing to redact in a shared conversation. */
export interface Redaction {
	conversationId: string;
	kind: 'part' | 'source';
	id: string;
	/** `own`: the person wrote it; `mention`: a teammate's part that names the person. */
	why: 'own' | 'mention';
}

/** Finds the person in text: emails and names (case-insensitive), phone numbers by their digits. */
export class PersonMatcher {
	private readonly words: string[];
	private readonly phones: string[];

	constructor(contacts: Contact[]) {
		const words = new Set<string>();
		const phones = new Set<string>();
		for (const c of contacts) {
			if (typeof c.email === 'string' && c.email.trim().length >= 5) words.add(c.email.trim().toLowerCase());
			// Short names ("Al") would match everywhere: only names of 5+ characters count.
			if (typeof c.name === 'string' && c.name.trim().length >= 5) words.add(c.name.trim().toLowerCase().replace(/\s+/g, ' '));
			const digits = typeof c.phone === 'string' ? c.phone.replace(/\D/g, '') : '';
			if (digits.length >= 7) phones.add(digits);
		}
		this.words = [...words];
		this.phones = [...phones];
	}

	get empty(): boolean {
		return this.words.length === 0 && this.phones.length === 0;
	}

	mentions(html: string | null | undefined): boolean {
		if (!html) return false;
		const text = plain(html).toLowerCase().replace(/\s+/g, ' ');
		if (this.words.some((w) => text.includes(w))) return true;
		const digits = text.replace(/\D/g, '');
		return this.phones.some((p) => digits.includes(p));
	}
}

function plain(html: string): string {
	return html
		.replace(/<[^>]*>/g, ' ')
		.replace(/&nbsp;/g, ' ')
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&#39;|&apos;/g, "'")
		.replace(/&quot;/g, '"');
}

const isContactAuthor = (a: Author | undefined): boolean => a?.type === 'user' || a?.type === 'lead' || a?.type === 'contact';
const isTeammate = (a: Author | undefined): boolean => a?.type === 'admin' || a?.type === 'bot' || a?.type === 'team';

export interface SharedReading {
	redactions: Redaction[];
	alreadyRedacted: number;
	remaining: RemainingItem[];
}

/**
 * Reads one shared conversation: what of the person is in it and not yet redacted. Used twice: to
 * plan, and after the redactions to read them back (then anything still listed is `remaining`).
 */
export function readShared(conv: ConversationJson, ownIds: Set<string>, matcher: PersonMatcher): SharedReading {
	const conversationId = String(conv.id);
	const out: SharedReading = { redactions: [], alreadyRedacted: 0, remaining: [] };
	const isOwn = (a: Author | undefined) => isContactAuthor(a) && ownIds.has(String(a?.id));
	const src = conv.source;
	if (src && src.id !== undefined && src.id !== null) {
		if (src.redacted) {
			if (isOwn(src.author)) out.alreadyRedacted++;
		} else if (isOwn(src.author)) {
			out.redactions.push({ conversationId, kind: 'source', id: String(src.id), why: 'own' });
		} else if (matcher.mentions(src.body)) {
			// Intercom redacts only a source a contact wrote: a teammate's or another person's stays.
			out.remaining.push({ type: 'conversationParts', id: String(src.id), conversationId, reason: isTeammate(src.author) ? 'not_redactable' : 'written_by_other_person' });
		}
	}
	const list = conv.conversation_parts?.conversation_parts ?? [];
	for (const p of list) {
		const id = String(p.id);
		if (p.redacted) {
			if (isOwn(p.author)) out.alreadyRedacted++;
			continue;
		}
		const hasBody = typeof p.body === 'string' && p.body.trim() !== '';
		if (isOwn(p.author)) {
			if (hasBody) out.redactions.push({ conversationId, kind: 'part', id, why: 'own' });
			else if ((p.attachments ?? []).length > 0) out.remaining.push({ type: 'conversationParts', id, conversationId, reason: 'not_redactable' });
			// A part of the person without body or attachment (an assignment, a state change) holds no content.
		} else if (hasBody && matcher.mentions(p.body)) {
			if (isTeammate(p.author)) out.redactions.push({ conversationId, kind: 'part', id, why: 'mention' });
			else out.remaining.push({ type: 'conversationParts', id, conversationId, reason: 'written_by_other_person' });
		}
	}
	const total = conv.conversation_parts?.total_count ?? list.length;
	if (total > list.length) {
		// Parts older than the 500 most recent cannot be read, so not found, so not redacted.
		out.remaining.push({ type: 'conversationParts', id: conversationId, conversationId, reason: 'beyond_part_cap' });
	}
	return out;
}

/** GET a conversation with its parts (plain text), or undefined when it is gone. */
export async function fetchConversation(gw: IntercomGateway, id: string): Promise<ConversationJson | undefined> {
	return await getObject<ConversationJson>(gw, `/conversations/${encodeURIComponent(id)}`, { display_as: 'plaintext' });
}
