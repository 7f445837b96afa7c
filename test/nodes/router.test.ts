// The one per-item loop (nodes/IntercomGdpr/actions/itemLoop.ts), through the node's router: with
// "Continue On Fail", a failing item becomes an error item paired with that item, and the next item
// still runs; without it, the run stops at the failing item. Real SQLite ledger in a temp dir.
import type { IDataObject } from 'n8n-workflow';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { router } from '../../nodes/IntercomGdpr/actions/router';
import { sqliteBackend } from '../ledger/backends';
import { ledgerExecuteContext } from './context';

const backend = sqliteBackend();
afterAll(() => backend.cleanup());

// Ledger operations never call Intercom: the Intercom credential only has to be well-formed.
const NO_INTERCOM = { url: 'http://127.0.0.1:9', token: 'unused' };

async function run(itemParams: IDataObject[], continueOnFail: boolean) {
	const c = ledgerExecuteContext({ itemParams, fake: NO_INTERCOM, ledger: backend.freshConfig(), continueOnFail });
	Object.assign(c.ctx, { getTimezone: vi.fn(() => 'UTC') });
	return { run: async () => await router.call(c.ctx), hints: c.hints };
}

const track = (requestId: string): IDataObject => ({ resource: 'ledger', operation: 'trackRequest', step: 'received', requestId, kind: 'access', regime: 'gdpr', receivedDate: '', subject: {} });
const search = (value: string): IDataObject => ({ resource: 'ledger', operation: 'search', searchBy: 'requestId', value, filters: {} });

describe('the per-item loop with Continue On Fail', () => {
	it('Track Request: the failing item is an error item paired with it; the next item is recorded', async () => {
		const { run: go, hints } = await run([track(''), track('DSR-1')], true);
		const [out] = await go();
		expect(out).toHaveLength(2);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[0].json.error).toBe('Request ID is empty [item 0]');
		expect(out[0].json.description).toMatch(/Enter your reference for the request/);
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(out[1].json).toMatchObject({ requestId: 'DSR-1', recorded: true, status: 'received' });
		expect(hints.map((h) => h.message)).toContain('Track Request: 1 recorded, 1 not recorded (see the error items)');
	});

	it('Search: the failing item is an error item paired with it; the next item is searched', async () => {
		const { run: go } = await run([search('DSR-9'), search('  '), search('DSR-9')], true);
		const [out] = await go();
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toMatchObject({ query: { by: 'requestId', requestId: 'DSR-9' }, count: 0, erased: false });
		expect(out[1].json.error).toBe('Value is empty [item 1]');
		expect(out[2].json).toMatchObject({ query: { by: 'requestId', requestId: 'DSR-9' }, count: 0 });
	});

	it('without Continue On Fail, the run stops at the failing item with its item index', async () => {
		const { run: go } = await run([track('DSR-2'), track('')], false);
		await expect(go()).rejects.toMatchObject({ message: 'Request ID is empty [item 1]', context: { itemIndex: 1 } });
	});
});
