// The purge core against a small stand-in of n8n's public API over real HTTP (paging, filters, the
// key header, DELETE) and a real SQLite ledger; the real n8n is in test/purge/purge.ts (e2e).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../../src/ledger';
import { N8nApiError, PurgeInputError, purgeN8nExecutions } from '../../src/purge';

const KEY = ['purge', 'unit', 'key'].join('-');
interface Exec { id: string; workflowId: string; status: string; startedAt: string; data: unknown }
let execs: Exec[] = [];
let deleteStatus = 200;
const log: string[] = [];
let server: Server;
let base = '';
let dir = '';
let ledger: Ledger;

beforeAll(async () => {
	server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		log.push(`${req.method} ${url.pathname}${url.search}`);
		const send = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.headers['x-n8n-api-key'] !== KEY) return send(401, { message: 'unauthorized' });
		if (req.method === 'GET' && url.pathname === '/api/v1/executions') {
			const before = url.searchParams.get('startedBefore');
			const rows = execs.filter((e) => e.workflowId === url.searchParams.get('workflowId') && (!before || e.startedAt < before));
			const start = Number(url.searchParams.get('cursor') ?? 0);
			const limit = Number(url.searchParams.get('limit'));
			const page = rows.slice(start, start + 2); // tiny pages: paging must work
			const withData = url.searchParams.get('includeData') === 'true';
			return send(200, {
				data: page.map((e) => (withData ? e : { ...e, data: undefined })),
				nextCursor: start + 2 < rows.length && limit > 0 ? String(start + 2) : null,
			});
		}
		const m = /^\/api\/v1\/executions\/(\d+)$/.exec(url.pathname);
		if (req.method === 'DELETE' && m) {
			if (deleteStatus !== 200) return send(deleteStatus, { message: 'forbidden' });
			const i = execs.findIndex((e) => e.id === m[1]);
			if (i < 0) return send(404, { message: 'not found' });
			execs.splice(i, 1);
			return send(200, { id: m[1] });
		}
		send(404, { message: 'no route' });
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	dir = mkdtempSync(join(tmpdir(), 'purge-unit-'));
	ledger = await openLedger({ kind: 'sqlite', path: join(dir, 'l.sqlite'), key: ['ledger', 'unit', 'secret'].join('-') });
});
afterAll(async () => {
	await ledger.close();
	server.close();
	rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
	const day = (n: number) => new Date(Date.UTC(2026, 11, 5) - n * 86_400_000).toISOString();
	execs = [
		{ id: '1', workflowId: 'wfA', status: 'success', startedAt: day(40), data: { resultData: { requestId: 'DSR-1' } } },
		{ id: '2', workflowId: 'wfA', status: 'success', startedAt: day(2), data: { resultData: { requestId: 'DSR-10' } } },
		{ id: '3', workflowId: 'wfA', status: 'error', startedAt: day(1), data: '["DSR-1",{"x":1}]' },
		{ id: '4', workflowId: 'wfA', status: 'running', startedAt: day(50), data: { requestId: 'DSR-1' } },
		{ id: '5', workflowId: 'wfB', status: 'success', startedAt: day(60), data: { requestId: 'DSR-1' } },
		{ id: '6', workflowId: 'wfC', status: 'success', startedAt: day(60), data: { requestId: 'DSR-1' } },
	];
	deleteStatus = 200;
	log.length = 0;
});
const now = () => new Date(Date.UTC(2026, 11, 5));

describe('purgeN8nExecutions', () => {
	it('dry run by request id: whole-word matches across pages and workflows, never running ones; deletes and records nothing', async () => {
		const r = await purgeN8nExecutions({ baseUrl: base, apiKey: KEY }, { workflowIds: ['wfA', 'wfB'], requestId: 'DSR-1', now });
		expect(r).toMatchObject({ dryRun: true, matched: 3, executionIds: ['1', '3', '5'], skippedUnfinished: 1, deleted: 0, ledger: null });
		expect(execs).toHaveLength(6);
		expect(log.every((l) => l.startsWith('GET '))).toBe(true);
		expect(log.some((l) => l.includes('cursor=2'))).toBe(true);
		expect(await ledger.search({ type: 'n8n.executions.purged' })).toHaveLength(0);
	});

	it('the real purge deletes what the dry run listed and records it; age and request id together must both match', async () => {
		const r = await purgeN8nExecutions({ baseUrl: base, apiKey: KEY }, { workflowIds: ['wfA'], requestId: 'DSR-1', olderThanDays: 30, dryRun: false, ledger, now });
		expect(r).toMatchObject({ dryRun: false, matched: 1, executionIds: ['1'], deleted: 1, startedBefore: '2026-11-05T00:00:00.000Z' });
		expect(execs.map((e) => e.id)).toEqual(['2', '3', '4', '5', '6']);
		const [entry] = await ledger.search({ type: 'n8n.executions.purged', requestId: 'DSR-1' });
		expect(entry.data).toMatchObject({ workflowIds: ['wfA'], olderThanDays: 30, deleted: 1, executionIds: ['1'] });
		expect(r.ledger).toEqual({ seq: entry.seq, hash: entry.hash });
	});

	it('a key that may list but not delete fails with the missing scope named, and nothing is recorded', async () => {
		deleteStatus = 403;
		const before = (await ledger.search({ type: 'n8n.executions.purged' })).length;
		const e = await purgeN8nExecutions({ baseUrl: base, apiKey: KEY }, { workflowIds: ['wfB'], olderThanDays: 0, dryRun: false, ledger, now }).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(N8nApiError);
		expect((e as Error).message).toMatch(/answered 403 on DELETE \/executions\/\{id\}: .*execution:delete/);
		expect((e as Error).message).not.toContain(KEY);
		expect((await ledger.search({ type: 'n8n.executions.purged' })).length).toBe(before);
	});

	it('a wrong key: 401 with the fix', async () => {
		const e = await purgeN8nExecutions({ baseUrl: base, apiKey: 'nope' }, { workflowIds: ['wfA'], olderThanDays: 1, now }).catch((x: unknown) => x);
		expect((e as Error).message).toMatch(/answered 401 on GET \/executions: the API key is wrong or expired/);
	});

	it.each([
		[{ workflowIds: [] }, 'workflowIds', /no workflow id/],
		[{ workflowIds: ['a b'] , olderThanDays: 1 }, 'workflowIds', /characters/],
		[{ workflowIds: ['wfA'] }, 'olderThanDays', /neither an age nor a request id/],
		[{ workflowIds: ['wfA'], olderThanDays: -2 }, 'olderThanDays', /whole number/],
		[{ workflowIds: ['wfA'], requestId: 'jane@example.org' }, 'requestId', /letters, digits/],
		[{ workflowIds: ['wfA'], olderThanDays: 1, dryRun: false }, 'ledger', /needs the audit ledger/],
	])('refuses %j before any request (field %s)', async (criteria, field, message) => {
		const e = await purgeN8nExecutions({ baseUrl: base, apiKey: KEY }, criteria as never).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(PurgeInputError);
		expect((e as PurgeInputError).field).toBe(field);
		expect((e as Error).message).toMatch(message);
		expect((e as Error).message).not.toContain('jane@');
		expect(log).toHaveLength(0);
	});

	it('plain http only for this machine; the key is never echoed', async () => {
		const e = await purgeN8nExecutions({ baseUrl: 'http://n8n.example.com', apiKey: KEY }, { workflowIds: ['wfA'], olderThanDays: 1 }).catch((x: unknown) => x);
		expect(e).toMatchObject({ field: 'baseUrl' });
		expect((e as Error).message).toMatch(/plain http:\/\/ is only allowed for this machine/);
	});
});
