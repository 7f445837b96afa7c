// The ledger's contract, on SQLite (node:sqlite) and on a real PostgreSQL server.
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, defaultLedgerPath, GENESIS_HASH, LedgerInputError, LedgerKeyMismatchError, recordDsarExport } from '../../src/ledger';
import type { Ledger, LedgerAnchor, LedgerConfig, LedgerEntryInput } from '../../src/ledger';
import { bothBackends, TEST_KEY, testKey } from './backends';
import type { TestBackend } from './backends';

const env = bothBackends();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop(), 60_000);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function filled(b: TestBackend, n: number, checkpointEvery = 1000) {
	const cfg = b.freshConfig({ checkpointEvery });
	const ledger = await b.open(cfg);
	for (let i = 1; i <= n; i++) {
		await ledger.append({ type: 'x.test', requestId: `req-${i}`, contactIds: [`c${i}`], data: { i } });
	}
	return { cfg, ledger };
}

/**
 * Verifies sequentially and with the hashes checked in a worker thread (the path large ledgers
 * take); both must give the same answer.
 */
async function verifyBoth(ledger: Ledger, opts: { anchor?: LedgerAnchor } = {}) {
	const seq = await ledger.verify({ ...opts, parallel: false });
	const par = await ledger.verify({ ...opts, parallel: true });
	expect({ ...par, durationMs: 0 }).toEqual({ ...seq, durationMs: 0 });
	return seq;
}

function runWorker(cfg: LedgerConfig, count: number, batch: number, label: string): Promise<void> {
	return new Promise((resolve, reject) => {
		// A real second process (the point of the test). eslint: tests may start processes; nodes may not.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'append-worker.ts'), JSON.stringify(cfg), String(count), String(batch), label], {
			cwd: join(__dirname, '..', '..'),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let err = '';
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${label} exited ${code}: ${err}`))));
	});
}

describe.each(env.backends.map((b) => [b.name, b] as const))('ledger on %s', (_name, b) => {
	it('chains entries: hash = sha256(prev_hash || canonical JSON of the entry as stored), starting from the genesis hash', async () => {
		const { cfg, ledger } = await filled(b, 3);
		const [e1, e2, e3] = await ledger.search({});
		expect(e1.prevHash).toBe(GENESIS_HASH);
		expect(e1.contactIds).toEqual(['c1']);
		const raw = await b.raw(cfg);
		const rows = await raw.query('SELECT seq, body FROM {t}ledger_entries ORDER BY seq');
		await raw.close();
		// The stored body is the canonical JSON of the entry, with the contact ids sealed (never in clear).
		const stored = rows.map((r) => JSON.parse(String(r.body)) as { contactIds: string[] });
		expect(stored[0].contactIds).toHaveLength(1);
		expect(stored[0].contactIds[0]).toMatch(/^ce1\./);
		const body = (e: typeof e1, i: number) => canonicalJson({ seq: e.seq, at: e.at, type: e.type, requestId: e.requestId, subjects: e.subjects, contactIds: stored[i].contactIds, data: e.data });
		expect(rows.map((r) => String(r.body))).toEqual([body(e1, 0), body(e2, 1), body(e3, 2)]);
		expect(e1.hash).toBe(sha256(GENESIS_HASH + body(e1, 0)));
		expect(e2.prevHash).toBe(e1.hash);
		expect(e3.hash).toBe(sha256(e2.hash + body(e3, 2)));
		expect(await ledger.head()).toEqual({ seq: 3, hash: e3.hash });
		const v = await ledger.verify();
		expect(v).toMatchObject({ ok: true, entries: 3, lastSeq: 3, lastHash: e3.hash, legacyUpto: 0 });
		expect(v.ledgerId).toMatch(/^[0-9a-f]{32}$/);
		expect(v.firstBroken).toBeUndefined();
		await ledger.close();
	});

	it('appendMany writes consecutive entries in one transaction and inserts signed checkpoints periodically', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 4 });
		const ledger = await b.open(cfg);
		const out = await ledger.appendMany(Array.from({ length: 10 }, (_, i) => ({ type: 'x.batch', requestId: `b${i}` })));
		expect(out.map((e) => e.requestId)).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
		const checkpoints = await ledger.search({ type: 'ledger.checkpoint' });
		expect(checkpoints.map((c) => c.data.uptoSeq)).toEqual([4, 8, 12]);
		expect(checkpoints[0].data.uptoHash).toBe((await ledger.search({ requestId: 'b3' }))[0].hash);
		const v = await ledger.verify();
		expect(v).toMatchObject({ ok: true, entries: 13, checkpoints: 3 });
		await ledger.close();
	});

	describe('tampering is detected at the first broken link', () => {
		it('an edited entry (body changed) → hash_mismatch at that entry', async () => {
			const { cfg, ledger } = await filled(b, 5);
			const raw = await b.raw(cfg);
			await raw.query("UPDATE {t}ledger_entries SET body = replace(body, '\"i\":3', '\"i\":4') WHERE seq = 3");
			await raw.close();
			const v = await verifyBoth(ledger);
			expect(v.ok).toBe(false);
			expect(v.firstBroken).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
			expect(v.anchor).toBeUndefined();
			await ledger.close();
		});

		it('an edited entry with its own hash recomputed → the next entry no longer points at it', async () => {
			const { cfg, ledger } = await filled(b, 5);
			const raw = await b.raw(cfg);
			const [row] = await raw.query('SELECT body, prev_hash FROM {t}ledger_entries WHERE seq = 2');
			const body = String(row.body).replace('"i":2', '"i":9');
			await raw.query('UPDATE {t}ledger_entries SET body = ?, hash = ? WHERE seq = 2', [body, sha256(String(row.prev_hash) + body)]);
			await raw.close();
			expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ seq: 3, reason: 'prev_hash_mismatch' });
			await ledger.close();
		});

		it('a rewritten chain (every hash recomputed, no key) → bad checkpoint / head signature', async () => {
			const { cfg, ledger } = await filled(b, 9, 4);
			const raw = await b.raw(cfg);
			const rows = await raw.query('SELECT seq, body FROM {t}ledger_entries ORDER BY seq');
			let prev = GENESIS_HASH;
			for (const r of rows) {
				const body = Number(r.seq) === 2 ? String(r.body).replace('"i":2', '"i":7') : String(r.body);
				const hash = sha256(prev + body);
				await raw.query('UPDATE {t}ledger_entries SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?', [body, prev, hash, Number(r.seq)]);
				prev = hash;
			}
			await raw.query('UPDATE {t}ledger_head SET hash = ? WHERE id = 1', [prev]);
			await raw.close();
			const v = await verifyBoth(ledger);
			expect(v.ok).toBe(false);
			// The first checkpoint after the edit (seq 5, covering 1..4) carries the old hash under a signature.
			expect(v.firstBroken).toMatchObject({ seq: 5, reason: 'bad_checkpoint' });
			await ledger.close();
		});

		it('a large ledger (several read chunks, hashes checked in a worker): an edit deep inside is found at its entry', async () => {
			const cfg = b.freshConfig();
			const ledger = await b.open(cfg);
			for (let i = 0; i < 12_000; i += 6000) {
				await ledger.appendMany(Array.from({ length: 6000 }, (_, j) => ({ type: 'x.bulk', requestId: `r${i + j}`, data: { i: i + j } })));
			}
			const clean = await ledger.verify();
			expect(clean).toMatchObject({ ok: true, entries: 12_012, checkpoints: 12 });
			const raw = await b.raw(cfg);
			const [{ seq }] = await raw.query("SELECT seq FROM {t}ledger_entries WHERE request_id = 'r11111'");
			const edited = Number(seq);
			await raw.query("UPDATE {t}ledger_entries SET body = replace(body, '\"i\":11111', '\"i\":1') WHERE seq = ?", [edited]);
			await raw.close();
			const v = await verifyBoth(ledger);
			expect(edited).toBeGreaterThan(11_111);
			expect(v).toMatchObject({ ok: false, entries: edited - 1, lastSeq: edited - 1, checkpoints: 11, firstBroken: { seq: edited, reason: 'hash_mismatch' } });
			await ledger.close();
		}, 60_000);

		it('a deleted entry in the middle → sequence_gap', async () => {
			const { cfg, ledger } = await filled(b, 5);
			const raw = await b.raw(cfg);
			await raw.query('DELETE FROM {t}ledger_entries WHERE seq = 3');
			await raw.close();
			expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ seq: 4, reason: 'sequence_gap' });
			await ledger.close();
		});

		it('reordered entries (two swapped) → detected at the first moved one', async () => {
			const { cfg, ledger } = await filled(b, 5);
			const raw = await b.raw(cfg);
			await raw.query('UPDATE {t}ledger_entries SET seq = -2 WHERE seq = 2');
			await raw.query('UPDATE {t}ledger_entries SET seq = 2 WHERE seq = 3');
			await raw.query('UPDATE {t}ledger_entries SET seq = 3 WHERE seq = -2');
			await raw.close();
			const v = await verifyBoth(ledger);
			expect(v.ok).toBe(false);
			expect(v.firstBroken?.seq).toBe(2);
			expect(['prev_hash_mismatch', 'index_mismatch']).toContain(v.firstBroken?.reason);
			await ledger.close();
		});

		it('a truncated tail → head_mismatch (the signed head still names the last entry)', async () => {
			const { cfg, ledger } = await filled(b, 6);
			const raw = await b.raw(cfg);
			await raw.query('DELETE FROM {t}ledger_entries WHERE seq > 4');
			await raw.close();
			const v = await verifyBoth(ledger);
			expect(v.firstBroken).toMatchObject({ seq: 5, reason: 'head_mismatch' });
			expect(v.firstBroken?.message).toMatch(/removed/);
			await ledger.close();
		});

		it('a truncated tail with the head moved back (no key) → head_signature', async () => {
			const { cfg, ledger } = await filled(b, 6);
			const raw = await b.raw(cfg);
			const [row] = await raw.query('SELECT hash FROM {t}ledger_entries WHERE seq = 4');
			await raw.query('DELETE FROM {t}ledger_entries WHERE seq > 4');
			await raw.query('UPDATE {t}ledger_head SET seq = 4, hash = ? WHERE id = 1', [String(row.hash)]);
			await raw.close();
			expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ reason: 'head_signature' });
			await ledger.close();
		});

		it('the signed head deleted → head_missing; a searchable column edited → index_mismatch', async () => {
			const { cfg, ledger } = await filled(b, 3);
			const raw = await b.raw(cfg);
			await raw.query("UPDATE {t}ledger_entries SET type = 'x.other' WHERE seq = 2");
			await raw.close();
			expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ seq: 2, reason: 'index_mismatch' });
			const raw2 = await b.raw(cfg);
			await raw2.query("UPDATE {t}ledger_entries SET type = 'x.test' WHERE seq = 2");
			await raw2.query('DELETE FROM {t}ledger_head');
			await raw2.close();
			expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ reason: 'head_missing' });
			await ledger.close();
		});

		it('the search index (ledger_refs) edited → index_mismatch: an erasure intent or archived contact hidden from lookups is caught', async () => {
			const cfg = b.freshConfig();
			const ledger = await b.open(cfg);
			const subject = ledger.hashIdentifier('email', 'ada@example.org');
			await ledger.append({ type: 'x.test', requestId: 'before' });
			await ledger.append({ type: 'erasure.intent', requestId: 'er-1', subjects: [subject], contactIds: ['c-ada'] });
			await ledger.append({ type: 'retention.archived', requestId: 'ret-1', subjects: [subject], contactIds: ['c-ada', 'c-ada2'] });
			await ledger.append({ type: 'x.test', requestId: 'other', contactIds: ['c-bob'] });
			expect(await verifyBoth(ledger)).toMatchObject({ ok: true });
			const contactRefOf = async (seq: number) => {
				const raw = await b.raw(cfg);
				const rows = await raw.query("SELECT ref FROM {t}ledger_refs WHERE seq = ? AND ref LIKE 'c:%' ORDER BY ref", [seq]);
				await raw.close();
				return rows.map((r) => String(r.ref));
			};
			const run = async (sql: string, params: Array<string | number>) => {
				const raw = await b.raw(cfg);
				await raw.query(sql, params);
				await raw.close();
			};
			const [adaRef] = await contactRefOf(2);
			const [bobRef] = await contactRefOf(4);

			// 1. The intent's subject ref deleted: Erase no longer finds the open intent by email.
			await run('DELETE FROM {t}ledger_refs WHERE seq = 2 AND ref = ?', [`s:${subject}`]);
			expect((await ledger.search({ subject })).map((e) => e.seq)).toEqual([3]);
			let v = await verifyBoth(ledger);
			expect(v).toMatchObject({ ok: false, firstBroken: { seq: 2, reason: 'index_mismatch' } });
			expect(v.firstBroken?.message).toMatch(/refs were deleted/);
			await run('INSERT INTO {t}ledger_refs (ref, seq) VALUES (?, ?)', [`s:${subject}`, 2]);
			expect((await verifyBoth(ledger)).ok).toBe(true);

			// 2. An archived contact's id ref deleted: Export/Erase by contact id no longer find the archive record.
			const archived = await contactRefOf(3);
			await run('DELETE FROM {t}ledger_refs WHERE seq = 3 AND ref = ?', [archived[0]]);
			expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ seq: 3, reason: 'index_mismatch' });
			await run('INSERT INTO {t}ledger_refs (ref, seq) VALUES (?, ?)', [archived[0], 3]);

			// 3. A ref added: another person's entry shows up in this person's lookups.
			await run('INSERT INTO {t}ledger_refs (ref, seq) VALUES (?, ?)', [`s:${subject}`, 4]);
			expect((await ledger.search({ subject })).map((e) => e.seq)).toEqual([2, 3, 4]);
			v = await verifyBoth(ledger);
			expect(v).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: 'index_mismatch' } });
			expect(v.firstBroken?.message).toMatch(/refs were added/);
			await run('DELETE FROM {t}ledger_refs WHERE seq = 4 AND ref = ?', [`s:${subject}`]);

			// 4. A ref altered (bob's contact ref moved to ada's): same count, other value.
			await run('UPDATE {t}ledger_refs SET ref = ? WHERE seq = 4 AND ref = ?', [adaRef, bobRef]);
			v = await verifyBoth(ledger);
			expect(v).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: 'index_mismatch' } });
			expect(v.firstBroken?.message).toMatch(/refs were changed/);
			await run('UPDATE {t}ledger_refs SET ref = ? WHERE seq = 4 AND ref = ?', [bobRef, adaRef]);

			// 5. Index rows for an entry that does not exist (past the head; in a pruned part).
			await run('INSERT INTO {t}ledger_refs (ref, seq) VALUES (?, ?)', [`s:${subject}`, 99]);
			expect((await verifyBoth(ledger)).firstBroken).toMatchObject({ seq: 99, reason: 'index_mismatch' });
			await run('DELETE FROM {t}ledger_refs WHERE seq = 99', []);
			expect(await verifyBoth(ledger)).toMatchObject({ ok: true });
			await ledger.close();
		});

		it('an anchor kept outside detects a ledger rolled back or replaced below it', async () => {
			const { ledger } = await filled(b, 4);
			const anchor = (await verifyBoth(ledger)).anchor!;
			expect(anchor.seq).toBe(4);
			expect(await verifyBoth(ledger, { anchor })).toMatchObject({ ok: true, anchorChecked: true });
			await ledger.append({ type: 'x.test', requestId: 'later' });
			expect((await verifyBoth(ledger, { anchor })).ok).toBe(true);
			// The database replaced by another ledger with the same key: the anchor names another ledger.
			const other = await b.open(b.freshConfig());
			await other.append({ type: 'x.test', requestId: 'only-one' });
			expect(await verifyBoth(other, { anchor })).toMatchObject({ ok: false, firstBroken: { reason: 'bad_anchor' } });
			expect((await verifyBoth(other, { anchor })).firstBroken?.message).toMatch(/another ledger/);
			const forged = { ...anchor, mac: '0'.repeat(64) };
			expect((await verifyBoth(ledger, { anchor: forged })).firstBroken?.reason).toBe('bad_anchor');
			// The ledger id in the anchor cannot be swapped: it is under the MAC.
			expect((await verifyBoth(other, { anchor: { ...anchor, ledgerId: (await other.verify()).ledgerId } })).firstBroken?.reason).toBe('bad_anchor');
			await other.close();
			await ledger.close();
		});
	});

	it('stores identifiers only as HMAC-SHA256(key, normalised identifier) and finds them by the same HMAC', async () => {
		const cfg = b.freshConfig();
		const ledger = await b.open(cfg);
		const h = ledger.hashIdentifier('email', '  Alice@Example.COM ');
		expect(h).toBe(ledger.hashIdentifier('email', 'alice@example.com'));
		expect(h).not.toBe(ledger.hashIdentifier('externalId', 'alice@example.com'));
		expect(ledger.hashIdentifier('externalId', 'AbC')).not.toBe(ledger.hashIdentifier('externalId', 'abc'));
		expect(h).not.toBe(createHash('sha256').update('alice@example.com').digest('hex'));
		expect(h).not.toBe(createHmac('sha256', TEST_KEY).update('alice@example.com').digest('hex'));
		await ledger.append({ type: 'erasure.done', requestId: 'r1', subjects: [h], contactIds: ['c1'] });
		await ledger.append({ type: 'erasure.done', requestId: 'r2', subjects: [ledger.hashIdentifier('email', 'bob@example.com')] });
		expect((await ledger.search({ subject: ledger.hashIdentifier('email', 'ALICE@example.com') })).map((e) => e.requestId)).toEqual(['r1']);
		expect((await ledger.search({ contactId: 'c1' })).map((e) => e.requestId)).toEqual(['r1']);
		const raw = await b.raw(cfg);
		const dump = JSON.stringify([...(await raw.query('SELECT * FROM {t}ledger_entries')), ...(await raw.query('SELECT * FROM {t}ledger_refs'))]);
		await raw.close();
		expect(dump.toLowerCase()).not.toContain('alice');
		expect(dump).toContain(h);
		await ledger.close();
	});

	it('refuses personal data in entries without echoing it', async () => {
		const ledger = await b.open(b.freshConfig());
		const bad: LedgerEntryInput[] = [
			{ type: 'x.t', requestId: 'r', data: { note: 'mail carol@example.org' } },
			{ type: 'x.t', requestId: 'r', data: { phone: '+1 555 0100 22' } },
			{ type: 'x.t', requestId: 'r', subjects: ['carol@example.org'] },
			{ type: 'x.t', requestId: 'carol@example.org' },
			{ type: 'x.t', requestId: 'r', data: { text: 'x'.repeat(300) } },
		];
		for (const entry of bad) {
			const error = await ledger.append(entry).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(LedgerInputError);
			expect(String((error as Error).message)).not.toMatch(/carol|555/);
		}
		expect(await ledger.head()).toMatchObject({ seq: 0 });
		await ledger.close();
	});

	it('searches by request id, type, time range, newest first and with a limit', async () => {
		const ledger = await b.open(b.freshConfig());
		await ledger.append({ type: 'erasure.intent', requestId: 'A', at: '2026-01-01T00:00:00Z' });
		await ledger.append({ type: 'erasure.done', requestId: 'A', at: '2026-01-02T00:00:00Z' });
		await ledger.append({ type: 'dsar.export', requestId: 'B', at: '2026-02-01T00:00:00Z' });
		expect((await ledger.search({ requestId: 'A' })).map((e) => e.type)).toEqual(['erasure.intent', 'erasure.done']);
		expect((await ledger.search({ type: 'dsar.export' })).map((e) => e.requestId)).toEqual(['B']);
		expect((await ledger.search({ since: '2026-01-02T00:00:00Z', until: '2026-01-31T00:00:00Z' })).map((e) => e.seq)).toEqual([2]);
		expect((await ledger.search({ newestFirst: true, limit: 2 })).map((e) => e.seq)).toEqual([3, 2]);
		await ledger.close();
	});

	it('records DSAR exports (request id, contact ids, counts, package sha256; the identifier only hashed)', async () => {
		const ledger = await b.open(b.freshConfig());
		const sha = sha256('package');
		const e = await recordDsarExport(ledger, { requestId: 'dsar-1', subject: { kind: 'email', value: 'Dora@Example.com' }, contactIds: ['c9'], counts: { contacts: 1, conversations: 3 }, packageSha256: sha });
		expect(e).toMatchObject({ type: 'dsar.export', requestId: 'dsar-1', contactIds: ['c9'], data: { counts: { contacts: 1, conversations: 3 }, packageSha256: sha } });
		expect((await ledger.search({ subject: ledger.hashIdentifier('email', 'dora@example.com') }))[0].seq).toBe(e.seq);
		expect(JSON.stringify(e).toLowerCase()).not.toContain('dora');
		await expect(recordDsarExport(ledger, { requestId: 'x', contactIds: [], counts: {}, packageSha256: 'nope' })).rejects.toThrow(/packageSha256/);
		// A bad count names a counter, but never echoes a key that could be personal data.
		await expect(recordDsarExport(ledger, { requestId: 'x', contactIds: [], counts: { tickets: Number.NaN }, packageSha256: sha })).rejects.toThrow(/counts\.tickets/);
		const leak = await recordDsarExport(ledger, { requestId: 'x', contactIds: [], counts: { 'dora@example.com': Number.NaN }, packageSha256: sha }).catch((e: Error) => e);
		expect(leak).toBeInstanceOf(LedgerInputError);
		expect((leak as Error).message).not.toContain('dora');
		await ledger.close();
	});

	it('is migrated once (versioned schema), reopens with the same key and refuses another key', async () => {
		const cfg = b.freshConfig();
		const first = await b.open(cfg);
		await first.append({ type: 'x.t', requestId: 'r' });
		await first.close();
		const again = await b.open(cfg);
		expect(await again.head()).toMatchObject({ seq: 1 });
		expect((await again.verify()).ok).toBe(true);
		await again.close();
		const raw = await b.raw(cfg);
		const version = b.name === 'sqlite' ? (await raw.query('PRAGMA user_version'))[0].user_version : (await raw.query('SELECT max(version) AS v FROM {t}ledger_migrations'))[0].v;
		await raw.close();
		expect(Number(version)).toBe(3);
		await expect(b.open({ ...cfg, key: testKey('another') })).rejects.toBeInstanceOf(LedgerKeyMismatchError);
		await expect(b.open({ ...cfg, key: 'short' })).rejects.toBeInstanceOf(LedgerInputError);
	});

	it('keeps ONE valid chain when several processes append at the same time', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 50 });
		const init = await b.open(cfg); // migrate first, so the workers race on appends only
		await init.close();
		await Promise.all([0, 1, 2].map((w) => runWorker(cfg, 80, w % 2 === 0 ? 1 : 7, `w${w}`)));
		const ledger = await b.open(cfg);
		const v = await ledger.verify();
		expect(v.ok).toBe(true);
		const all = await ledger.search({ type: 'x.concurrent', limit: 10_000 });
		expect(all).toHaveLength(240);
		expect(new Set(all.map((e) => e.requestId)).size).toBe(240);
		// Checkpoints follow seq 50, 100, 150 and 200 (each one takes a sequence number itself).
		expect(v.checkpoints).toBe(4);
		expect(v.entries).toBe(240 + v.checkpoints);
		await ledger.close();
	}, 60_000);
});

describe('sqlite specifics', () => {
	it('defaults to a file in the n8n user folder (N8N_USER_FOLDER/.n8n, else ~/.n8n)', () => {
		expect(defaultLedgerPath({ N8N_USER_FOLDER: '/srv/n8n' })).toBe('/srv/n8n/.n8n/intercom-gdpr-ledger.sqlite');
		expect(defaultLedgerPath({})).toMatch(/\/\.n8n\/intercom-gdpr-ledger\.sqlite$/);
	});

	it('runs the file in WAL mode', async () => {
		const b = env.backends[0];
		const cfg = b.freshConfig();
		const ledger = await b.open(cfg);
		await ledger.append({ type: 'x.t', requestId: 'r' });
		const raw = await b.raw(cfg);
		expect((await raw.query('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
		await raw.close();
		await ledger.close();
	});
});
