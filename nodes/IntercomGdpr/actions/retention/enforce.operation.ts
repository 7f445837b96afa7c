import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { enforceRetention, pruneLedger } from '../../../../src/retention';
import type { ItemRunReport, PruneResult, RetentionReport } from '../../../../src/retention';
import { FailedItem, once } from '../itemLoop';
import { readRequestId } from '../../helpers/requestId';
import { getIntercomGateway } from '../../../shared/transport';
import { actorOf, getLedger, ledgerConfigFrom, LEDGER_CREDENTIAL_TYPE } from '../../../shared/transport/ledger';
import { policyProperties, readPolicy } from '../../../shared/retention/policy';
import { optionsCollection } from '../../../shared/fields';

const properties: INodeProperties[] = [
	...policyProperties,
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only report what would be deleted or archived, changing and recording nothing',
	},
	optionsCollection([
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 25,
			description: 'Contacts handled per batch (the run checks the cancel button and the cap between contacts)',
		},
		{
			displayName: 'Keep Ledger Entries (Years)',
			name: 'ledgerKeepYears',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'After the run, delete ledger entries older than this many years (at least 2; CCPA requires 24 months of request records; 7 is usual). 0 keeps everything: entries are the evidence. A signed entry records where the chain was cut, so it still verifies.',
		},
		{
			displayName: 'Run ID',
			name: 'runId',
			type: 'string',
			default: '',
			description: 'Your reference for this run in the ledger: letters, digits and _ . : - (at most 103). A generated one when empty.',
		},
	]),
];

const displayOptions = { show: { resource: ['retention'], operation: ['enforce'] } };

export const description = updateDisplayOptions(displayOptions, properties);

interface EnforceOptions {
	batchSize?: number;
	ledgerKeepYears?: number;
	runId?: string;
}

/** Conversations, tickets and attributes: counts per rule, cutoffs and one line per item (ids, no personal data). */
export function itemsJson(items: ItemRunReport): IDataObject {
	return {
		stoppedBy: items.stoppedBy,
		maxItemsPerRun: items.maxItemsPerRun,
		cutoffs: items.cutoffs.map((c) => ({ ...c })),
		counts: { ...items.counts },
		perRule: items.perRule as unknown as IDataObject,
		results: items.results.map((x) => ({ ...x }) as unknown as IDataObject),
		...(items.error ? { error: { ...items.error } } : {}),
	};
}

function reportJson(r: RetentionReport, pruned?: PruneResult): IDataObject {
	return {
		runId: r.runId,
		dryRun: r.dryRun,
		stoppedBy: r.stoppedBy,
		timeZone: r.timeZone,
		cutoffs: r.cutoffs.map((c) => ({ rule: c.rule, cutoffDay: c.cutoffDay })),
		policyHash: r.policyHash,
		counts: { ...r.counts },
		perRule: r.perRule as unknown as IDataObject,
		contacts: r.contacts.map((c) => ({ ...c }) as unknown as IDataObject),
		startedAt: r.startedAt,
		finishedAt: r.finishedAt,
		ledgerEntry: r.ledgerEntry ? { ...r.ledgerEntry } : null,
		...(r.error ? { error: { ...r.error } } : {}),
		...(r.items ? { items: itemsJson(r.items) } : {}),
		...(pruned ? { ledgerRetention: { ...pruned, entry: pruned.entry ? { ...pruned.entry } : null } } : {}),
	};
}

/**
 * Retention → Enforce: selects like Preview, then deletes (through the erasure flow) or archives in
 * batches, honouring legal holds, the per-run cap and the execution's cancel button. Outputs one
 * run report; the ledger gets per-contact entries and one `retention.run` entry.
 */
export const execute = once(async (ctx) => {
	const { json, stopped } = await enforceOnce(ctx);
	// When the run itself stopped, the error item carries the run report (what was handled already).
	if (stopped) throw new FailedItem(stopped, { report: json });
	return [{ json, pairedItem: { item: 0 } }];
});

async function enforceOnce(ctx: IExecuteFunctions): Promise<{ json: IDataObject; stopped?: NodeOperationError }> {
	const policy = readPolicy(ctx, 0);
	const dryRun = ctx.getNodeParameter('dryRun', 0, false) as boolean;
	const options = ctx.getNodeParameter('options', 0, {}) as EnforceOptions;
	const keepYears = Number(options.ledgerKeepYears ?? 0);
	if (keepYears !== 0 && (!Number.isInteger(keepYears) || keepYears < 2)) {
		throw new NodeOperationError(ctx.getNode(), 'Keep Ledger Entries (Years) must be 0 (keep everything) or a whole number of at least 2 [item 0]', {
			description: 'CCPA requires request records for 24 months; 7 years is the usual choice.',
			itemIndex: 0,
		});
	}
	// The ledger records each deletion under "<run ID>.<contact ID>" (24 characters): check it now,
	// not after the first contact was selected.
	const runId = readRequestId(ctx, 'options.runId', 0, 'Run ID', 103) || undefined;
	const gateway = await getIntercomGateway.call(ctx);
	const signal = typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;
	const ledger = await getLedger.call(ctx);
	let report: RetentionReport;
	try {
		report = await enforceRetention(gateway, policy, {
			ledger,
			dryRun,
			signal,
			batchSize: options.batchSize,
			runId,
		});
	} finally {
		await ledger.close();
	}
	let pruned: PruneResult | undefined;
	if (keepYears >= 2 && !dryRun) {
		// Bound to who acts, like every other entry the node writes: the signed `ledger.pruned` record names the workflow and execution.
		pruned = await pruneLedger({ ...ledgerConfigFrom(await ctx.getCredentials(LEDGER_CREDENTIAL_TYPE)), actor: actorOf(ctx) }, { keepYears });
	}
	const c = report.counts;
	ctx.addExecutionHints({
		message: `Retention ${dryRun ? 'dry run' : 'run'} ${report.stoppedBy}: ${c.candidates} candidate(s), ${dryRun ? `${report.contacts.length} would be handled` : `${c.deleted} deleted, ${c.archived} archived`}, ${c.alreadyHandled} already handled, ${c.failed} failed, ${c.heldBack} held back.`,
		type: c.failed > 0 || report.stoppedBy === 'aborted' ? 'warning' : 'info',
		location: 'outputPane',
	});
	if (report.items) {
		const i = report.items.counts;
		ctx.addExecutionHints({
			message: `Conversations, tickets, attributes (${report.items.stoppedBy}): ${i.candidates} candidate(s), ${dryRun ? `${report.items.results.filter((x) => x.outcome.startsWith('would_')).length} would be changed` : `${i.deleted} deleted, ${i.redacted} redacted, ${i.cleared} cleared`}, ${i.alreadyHandled} already handled, ${i.failed} failed, ${i.held} held.`,
			type: i.failed > 0 || report.items.stoppedBy === 'aborted' ? 'warning' : 'info',
			location: 'outputPane',
		});
	}
	if (c.archived > 0) {
		ctx.addExecutionHints({ message: 'Archived contacts are not erased: Intercom restores them, with their conversations, when the person comes back.', type: 'info', location: 'outputPane' });
	}
	const json = reportJson(report, pruned);
	if (report.stoppedBy === 'aborted') {
		const stopped = new NodeOperationError(ctx.getNode(), `The retention run stopped: ${report.error?.message ?? 'Intercom refused a request'} [item 0]`, {
			description: `Handled so far: ${c.deleted} deleted, ${c.archived} archived; the ledger records run ${report.runId}. Fix the cause (credential, permissions, Intercom availability) and run again: handled contacts are not counted twice.`,
			itemIndex: 0,
		});
		return { json, stopped };
	}
	return { json };
}
