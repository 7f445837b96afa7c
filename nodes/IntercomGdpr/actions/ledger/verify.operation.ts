import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { LedgerAnchor } from '../../../../src/ledger';
import { once } from '../itemLoop';
import { getLedger } from '../../../shared/transport/ledger';
import { optionsCollection } from '../../../shared/fields';

const properties: INodeProperties[] = [
	optionsCollection([
		{
			displayName: 'Anchor',
			name: 'anchor',
			type: 'json',
			default: '',
			placeholder: '{"seq": 120, "hash": "…", "mac": "…", "ledgerId": "…"}',
			description:
				'An anchor an earlier Verify returned, kept outside the database (e.g. mailed to the DPO). Verify then also fails if the ledger no longer reaches that entry (rolled back or replaced).',
		},
		{
			displayName: 'Fail When Broken',
			name: 'failWhenBroken',
			type: 'boolean',
			default: false,
			description: 'Whether to stop the workflow when the chain is broken, instead of returning ok: false',
		},
	]),
];

const displayOptions = {
	show: {
		resource: ['ledger'],
		operation: ['verify'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

function readAnchor(ctx: IExecuteFunctions, raw: unknown): LedgerAnchor | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch {
			value = undefined;
		}
	}
	const a = value as Partial<LedgerAnchor> | undefined;
	if (!a || typeof a.seq !== 'number' || typeof a.hash !== 'string' || typeof a.mac !== 'string') {
		throw new NodeOperationError(ctx.getNode(), 'Anchor is not {"seq", "hash", "mac"} [item 0]', {
			description: 'Paste the "anchor" object of an earlier Verify output, or leave the option empty.',
			itemIndex: 0,
		});
	}
	if (a.ledgerId !== undefined && typeof a.ledgerId !== 'string') {
		throw new NodeOperationError(ctx.getNode(), 'Anchor ledgerId is not text [item 0]', { description: 'Paste the "anchor" object of an earlier Verify output unchanged.', itemIndex: 0 });
	}
	// Anchors from version 1 have no ledgerId: they are checked with that version's signature.
	return { seq: a.seq, hash: a.hash, mac: a.mac, ...(a.ledgerId !== undefined ? { ledgerId: a.ledgerId } : {}) };
}

/**
 * Ledger → Verify: walks the whole chain once (not per item) and reports the first broken link.
 * With "Continue On Fail", a ledger that cannot be read or (with Fail When Broken) is broken gives
 * one error item, paired with the first input item like the report.
 */
export const execute = once(verifyOnce);

async function verifyOnce(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const options = ctx.getNodeParameter('options', 0, {}) as { anchor?: unknown; failWhenBroken?: boolean };
	const anchor = readAnchor(ctx, options.anchor);
	const ledger = await getLedger.call(ctx);
	let json: IDataObject;
	try {
		const result = await ledger.verify({ anchor });
		json = { backend: ledger.backend, checkedAt: new Date().toISOString(), ...(result as unknown as IDataObject) };
	} finally {
		await ledger.close();
	}
	const broken = json.firstBroken as { seq: number; reason: string; message: string } | undefined;
	if (broken) {
		if (options.failWhenBroken) {
			throw new NodeOperationError(ctx.getNode(), `The ledger is broken at entry ${broken.seq}: ${broken.message}`, {
				description: 'Restore the ledger from a backup and compare; do not append until you know what happened.',
			});
		}
		ctx.addExecutionHints({ message: `Ledger broken at entry ${broken.seq} (${broken.reason}): ${broken.message}`, type: 'danger', location: 'outputPane' });
	} else {
		ctx.addExecutionHints({
			message: `Ledger intact: ${plural(Number(json.entries), 'entry', 'entries')}, ${plural(Number(json.checkpoints), 'signed checkpoint', 'signed checkpoints')}. Keep the "anchor" somewhere outside the database to detect a rollback later.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	return [{ json, pairedItem: items.map((_, i) => ({ item: i })) }];
}

function plural(n: number, one: string, many: string): string {
	return `${n} ${n === 1 ? one : many}`;
}
