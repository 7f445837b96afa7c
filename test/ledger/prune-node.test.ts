// Ledger → Verify in the node on a ledger pruned by retention (SQLite and PostgreSQL): intact from
// the signed cut; rows deleted by hand still reported as broken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ledgerResource from '../../nodes/IntercomGdpr/actions/ledger';
import { pruneLedger } from '../../src/retention';
import { bothBackends } from './backends';
import { ledgerExecuteContext } from '../nodes/context';

const env = bothBackends();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop(), 60_000);

/** Verify never talks to Intercom: the Intercom credential only has to exist. */
const noIntercom = { url: 'http://127.0.0.1:9', token: 'unused-token' };
const verifyParams = (options = {}) => ({ resource: 'ledger', operation: 'verify', options });

describe.each(env.backends.map((b) => [b.name, b] as const))('Ledger → Verify after ledger retention on %s', (_name, b) => {
	it('a pruned ledger is reported intact, with where it starts; a hand-made cut is broken', async () => {
		const cfg = b.freshConfig({ checkpointEvery: 3 });
		const ledger = await b.open(cfg);
		for (let y = 2015; y <= 2026; y++) await ledger.append({ type: 'erasure.done', requestId: `r-${y}`, at: `${y}-05-01T00:00:00Z` });
		await ledger.close();
		const pruned = await pruneLedger(cfg, { now: new Date('2026-06-01T00:00:00Z'), keepYears: 7 });
		expect(pruned.deleted).toBeGreaterThan(0);

		const v = ledgerExecuteContext({ itemParams: [verifyParams()], fake: noIntercom, ledger: cfg });
		const [item] = await ledgerResource.verify.execute.call(v.ctx, v.ctx.getInputData());
		expect(item.json).toMatchObject({ ok: true, cutAfterSeq: pruned.cutAfterSeq });
		expect(item.json.firstBroken).toBeUndefined();
		expect(v.hints[0]).toMatchObject({ type: 'info' });

		// Someone deletes the next rows by hand: the signed record no longer names the cut.
		const raw = await b.raw(cfg);
		await raw.query('DELETE FROM {t}ledger_entries WHERE seq <= ?', [pruned.cutAfterSeq + 2]);
		await raw.close();
		const strict = ledgerExecuteContext({ itemParams: [verifyParams({ failWhenBroken: true })], fake: noIntercom, ledger: cfg });
		await expect(ledgerResource.verify.execute.call(strict.ctx, strict.ctx.getInputData())).rejects.toThrow(/The ledger is broken at entry/);
	});
});
