/**
 * Entries: input checks (the ledger refuses anything that looks like personal data), the body
 * that is hashed, and the chain hash. `hash = sha256(prevHash || canonicalJson(body))`, where body
 * is the entry without its two hashes (seq, time, type, request id, actor, subjects, sealed contact
 * ids and data are all covered).
 */
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical';
import { LedgerInputError } from './errors';
import { contactRef, macOf, sealContactId, unsealContactId } from './keys';
import type { LedgerKeys } from './keys';
import type { JsonValue, LedgerActor, LedgerEntry, LedgerEntryInput } from './types';

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export const DEFAULT_CHECKPOINT_EVERY = 1000;

/**
 * What the hash covers. Stored as text, so verify hashes exactly the bytes that were hashed at
 * append. Keys sort as `at, by, contactIds, data, requestId, seq, subjects, type` (verify relies
 * on `at` coming first and `type` last). `by` is the actor; `contactIds` hold sealed values.
 */
export interface EntryBody {
	seq: number;
	at: string;
	by?: LedgerActor;
	type: string;
	requestId: string;
	subjects: string[];
	contactIds: string[];
	data: { [key: string]: JsonValue };
}

/** One row as the backends store it. */
export interface StoredRow {
	seq: number;
	at: string;
	type: string;
	requestId: string;
	body: string;
	prevHash: string;
	hash: string;
}

/** One-shot `crypto.hash` (Node ≥ 21.7) is markedly faster than createHash for short inputs: verify walks millions. */
const oneShot = (crypto as { hash?: (alg: string, data: string) => string }).hash;

export function chainHash(prevHash: string, body: string): string {
	return oneShot ? oneShot('sha256', prevHash + body) : createHash('sha256').update(prevHash).update(body).digest('hex');
}

const TYPE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const CONTACT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DATA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** n8n ids: workflow ids (nanoid), execution ids (digits), user ids (UUID), modes (words). */
const ACTOR_VALUE = /^[A-Za-z0-9_.:-]{1,128}$/;
const ACTOR_FIELDS = ['workflowId', 'executionId', 'userId', 'mode'] as const;
/** Anything with an @ between non-space characters; long digit runs written with spaces, + or ( (not ISO dates). */
const EMAILISH = /[^\s@]@[^\s@]/;
const PHONEISH = /\+?\d[\d\s().-]{7,}\d/;
/** The longest string ledger data may hold (codes, ids, hashes, a short reason). */
export const LEDGER_MAX_STRING = 256;
const MAX_STRING = LEDGER_MAX_STRING;

export const isType = (v: unknown): v is string => typeof v === 'string' && v.length <= 64 && TYPE.test(v);
export const isRequestId = (v: unknown): v is string => typeof v === 'string' && REQUEST_ID.test(v);
/** An n8n id or mode as the ledger's actor may hold it. */
export const isActorValue = (v: unknown): v is string => typeof v === 'string' && ACTOR_VALUE.test(v);
export const isHex64 = (v: unknown): v is string => typeof v === 'string' && HEX64.test(v);
export const isContactId = (v: unknown): v is string => typeof v === 'string' && CONTACT_ID.test(v);

function checkData(value: JsonValue, path: string, depth: number): void {
	if (depth > 6) throw new LedgerInputError(path, 'nests too deeply', 'Keep ledger data flat: counts, statuses and ids.');
	if (typeof value === 'string') {
		if (value.length > MAX_STRING) {
			throw new LedgerInputError(path, `is longer than ${MAX_STRING} characters`, 'Ledger data holds codes, ids and hashes, never free text.');
		}
		if (EMAILISH.test(value) || (PHONEISH.test(value) && /[\s(+]/.test(value))) {
			throw new LedgerInputError(path, 'looks like an email address or a phone number', 'Store the identifier HMAC (ledger.hashIdentifier) instead of the identifier.');
		}
		return;
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new LedgerInputError(path, 'is not a finite number', 'Store finite numbers only.');
		return;
	}
	if (value === null || typeof value === 'boolean') return;
	if (Array.isArray(value)) {
		value.forEach((v, i) => checkData(v, `${path}[${i}]`, depth + 1));
		return;
	}
	if (typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			if (!DATA_KEY.test(k)) throw new LedgerInputError(`${path}.…`, 'has a key that is not a simple name', 'Use keys like "deletedCount".');
			if (v !== undefined) checkData(v, `${path}.${k}`, depth + 1);
		}
		return;
	}
	throw new LedgerInputError(path, `holds a ${typeof value}`, 'Store JSON values only.');
}

/**
 * Checks an actor and returns it with only its known, non-empty fields (undefined when none).
 * `field` names where it came from in errors ("actor" for an entry, "config.actor" when opening).
 */
export function checkActor(actor: unknown, field = 'actor'): LedgerActor | undefined {
	if (actor === undefined || actor === null) return undefined;
	if (typeof actor !== 'object' || Array.isArray(actor)) throw new LedgerInputError(field, 'is not an object', 'Pass { workflowId, executionId, userId, mode } (any of them).');
	const out: LedgerActor = {};
	for (const [k, v] of Object.entries(actor as Record<string, unknown>)) {
		if (!(ACTOR_FIELDS as readonly string[]).includes(k)) {
			throw new LedgerInputError(DATA_KEY.test(k) ? `${field}.${k}` : `${field}.…`, 'is not a known actor field', `Use ${ACTOR_FIELDS.join(', ')}.`);
		}
		if (v === undefined || v === null || v === '') continue;
		const s = typeof v === 'number' && Number.isInteger(v) ? String(v) : v;
		if (typeof s !== 'string' || !ACTOR_VALUE.test(s)) {
			throw new LedgerInputError(`${field}.${k}`, 'is not an id of 1–128 letters, digits, _ . : -', 'Pass n8n\'s ids (workflow, execution, user), never a name or an email.');
		}
		out[k as (typeof ACTOR_FIELDS)[number]] = s;
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

/** One checked input: the body to hash (contact ids sealed) and the plain ids for the index. */
export interface CheckedEntry {
	body: EntryBody;
	contactIds: string[];
}

/** Checks one input and returns the body to hash at position `seq`. Never echoes values in errors. */
export function bodyFor(keys: LedgerKeys, entry: LedgerEntryInput, seq: number, actor?: LedgerActor, now: () => Date = () => new Date()): CheckedEntry {
	if (entry === null || typeof entry !== 'object') throw new LedgerInputError('entry', 'is not an object', 'Pass { type, requestId, … }.');
	if (!isType(entry.type)) {
		throw new LedgerInputError('type', 'is not a dotted lower-case name', 'Use e.g. "erasure.done" or "x.my_event".');
	}
	if (!isRequestId(entry.requestId)) {
		throw new LedgerInputError('requestId', 'is not 1–128 characters of letters, digits, _ . : -', 'Use a UUID or your ticket number (no email addresses).');
	}
	const subjects = entry.subjects ?? [];
	if (!Array.isArray(subjects) || !subjects.every(isHex64)) {
		throw new LedgerInputError('subjects', 'must hold 64-character hex HMACs only', 'Pass ledger.hashIdentifier(kind, value), never the identifier itself.');
	}
	const contactIds = entry.contactIds ?? [];
	if (!Array.isArray(contactIds) || !contactIds.every(isContactId)) {
		throw new LedgerInputError('contactIds', 'must hold Intercom contact ids only', 'Pass the ids Intercom gave the contacts.');
	}
	const data = entry.data ?? {};
	if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new LedgerInputError('data', 'is not an object', 'Pass { key: value }.');
	checkData(data, 'data', 0);
	let at = entry.at ?? now().toISOString();
	if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
		throw new LedgerInputError('at', 'is not an ISO-8601 time', 'Leave it out to use the current time.');
	}
	at = new Date(at).toISOString();
	const by = entry.actor !== undefined ? checkActor(entry.actor) : actor;
	const ids = [...new Set(contactIds)];
	return {
		body: { seq, at, ...(by ? { by } : {}), type: entry.type, requestId: entry.requestId, subjects: [...new Set(subjects)], contactIds: ids.map((id) => sealContactId(keys, id)), data },
		contactIds: ids,
	};
}

export function rowFor(body: EntryBody, prevHash: string): StoredRow {
	const text = canonicalJson(body);
	return { seq: body.seq, at: body.at, type: body.type, requestId: body.requestId, body: text, prevHash, hash: chainHash(prevHash, text) };
}

/** An entry as callers see it: contact ids unsealed for the key holder. */
export function entryOf(keys: LedgerKeys, row: StoredRow): LedgerEntry {
	const body = JSON.parse(row.body) as EntryBody;
	return {
		seq: row.seq,
		at: body.at,
		type: body.type,
		requestId: body.requestId,
		subjects: body.subjects,
		contactIds: body.contactIds.map((c) => unsealContactId(keys, c)),
		data: body.data,
		...(body.by ? { actor: body.by } : {}),
		prevHash: row.prevHash,
		hash: row.hash,
	};
}

/** Type of the signed entries the ledger inserts every `checkpointEvery` entries. */
export const LEDGER_CHECKPOINT = 'ledger.checkpoint';

/** The checkpoint entry that follows position (seq, hash): signed, so a rewritten chain is caught there. */
export function checkpointInput(keys: LedgerKeys, seq: number, hash: string, at: string): LedgerEntryInput {
	return {
		type: LEDGER_CHECKPOINT,
		requestId: `checkpoint-${seq}`,
		at,
		data: { uptoSeq: seq, uptoHash: hash, mac: macOf(keys, 'checkpoint', seq, hash) },
	};
}

/** A row to insert, with the search index values (subject HMACs and contact-id HMACs). */
export interface NewRow extends StoredRow {
	refs: string[];
}

/**
 * Builds the rows for a batch appended after `head`, inserting a signed checkpoint whenever the
 * sequence reaches a multiple of `every`. Returns the rows and the callers' entries (contact ids in clear).
 */
export function buildRows(
	keys: LedgerKeys,
	head: { seq: number; hash: string },
	entries: LedgerEntryInput[],
	every: number,
	actor?: LedgerActor,
): { rows: NewRow[]; written: LedgerEntry[] } {
	const rows: NewRow[] = [];
	const written: LedgerEntry[] = [];
	let { seq, hash } = head;
	const push = (input: LedgerEntryInput, by: LedgerActor | undefined): NewRow => {
		const { body, contactIds } = bodyFor(keys, input, seq + 1, by);
		const row = { ...rowFor(body, hash), refs: [...body.subjects.map((s) => `s:${s}`), ...contactIds.map((c) => contactRef(keys, c))] };
		rows.push(row);
		seq = row.seq;
		hash = row.hash;
		written.push({ seq: row.seq, at: body.at, type: body.type, requestId: body.requestId, subjects: body.subjects, contactIds, data: body.data, ...(body.by ? { actor: body.by } : {}), prevHash: row.prevHash, hash: row.hash });
		return row;
	};
	const userEntries: LedgerEntry[] = [];
	for (const entry of entries) {
		push(entry, actor);
		userEntries.push(written[written.length - 1]);
		if (every > 0 && seq % every === 0) push(checkpointInput(keys, seq, hash, rows[rows.length - 1].at), undefined);
	}
	return { rows, written: userEntries };
}
