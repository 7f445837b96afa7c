import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { eraseSubject } from '../../../../src/erasure';
import type { ErasureReceipt } from '../../../../src/erasure';
import type { Ledger } from '../../../../src/ledger';
import type { SubjectRef } from '../../../../src/subject';
import { subjectLocator } from '../../descriptions/subject.description';
import { errorItem, toNodeError } from '../../helpers/errors';
import { checkIdentityGate, identityGateProperties } from '../../helpers/identityGate';
import { readRequestId } from '../../helpers/requestId';
import { readSubjectRef } from '../../helpers/subject';
import { getIntercomGateway } from '../../transport';
import { getLedger } from '../../transport/ledger';

const properties: INodeProperties[] = [
	subjectLocator,
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only report what would be deleted (contacts, conversations, tickets) without deleting or recording anything. When an AI agent runs this node as a tool, it always does a dry run unless "Let AI Agents Erase" is on.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Delete Conversations One by One',
				name: 'deleteConversations',
				type: 'boolean',
				default: false,
				description:
					'Whether to delete the person\'s conversations explicitly before the contact (Intercom API 2.13+), for a per-conversation record. Conversations that also involve other people are left to Intercom.',
			},
			{
				displayName: 'Delete Tickets One by One',
				name: 'deleteTickets',
				type: 'boolean',
				default: false,
				description: 'Whether to delete the person\'s tickets explicitly before the contact (Intercom API 2.13+)',
			},
			{
				displayName: 'Let AI Agents Erase',
				name: 'letAgentsErase',
				type: 'boolean',
				default: false,
				description: 'Whether an AI agent running this node as a tool may really delete. Off: agents only get dry runs.',
			},
			{
				displayName: 'Purge Conversation Metrics',
				name: 'purgeConversationMetrics',
				type: 'boolean',
				default: true,
				description:
					'Whether explicitly deleted conversations also lose their reporting metrics (retain_metrics=false). Only on API version 2.16+, and the token needs the delete_conversations_and_metrics scope.',
			},
			{
				displayName: 'Request ID',
				name: 'requestId',
				type: 'string',
				default: '',
				placeholder: 'e.g. DSR-2026-0042',
				description:
					'Your reference for this request (e.g. the ticket number), recorded in the ledger: letters, digits and _ . : - only, never an email address. A UUID is used when empty. Use the ID of Ledger → Track Request to close the request.',
			},
		],
	},
];

const displayOptions = {
	show: {
		resource: ['dataSubject'],
		operation: ['erase'],
	},
};

export const description = updateDisplayOptions(displayOptions, [...properties, ...identityGateProperties]);

interface EraseOptions {
	deleteConversations?: boolean;
	deleteTickets?: boolean;
	purgeConversationMetrics?: boolean;
	requestId?: string;
	letAgentsErase?: boolean;
}

/** The receipt as an output item: what the DPO keeps and what downstream purges need, no personal data. */
function toJson(r: ErasureReceipt): IDataObject {
	return {
		requestId: r.requestId,
		status: r.status,
		dryRun: r.dryRun,
		lookup: r.lookup,
		scope: r.scope,
		contactIds: r.contacts.map((c) => c.id),
		externalIds: r.externalIds,
		subjectHashes: r.subjectHashes,
		contacts: r.contacts.map((c) => ({ id: c.id, role: c.role ?? null, status: c.status, source: c.source })),
		counts: r.counts as unknown as IDataObject,
		...(r.conversationIds ? { conversationIds: r.conversationIds } : {}),
		...(r.ticketIds ? { ticketIds: r.ticketIds } : {}),
		verification: (r.verification ?? null) as IDataObject | null,
		resumed: r.resumed,
		mergedRedirects: r.mergedRedirects.map((m) => ({ from: m.from, to: m.to })),
		startedAt: r.startedAt,
		finishedAt: r.finishedAt,
		caveats: r.caveats,
		ledgerEntries: r.ledger.entries.map((e) => ({ seq: e.seq, type: e.type, hash: e.hash })),
		...(r.error ? { error: { ...r.error } } : {}),
	};
}

function failureError(ctx: IExecuteFunctions, r: ErasureReceipt, itemIndex: number): NodeOperationError {
	const e = r.error;
	const done = r.counts.deleted + r.counts.alreadyDeleted;
	return new NodeOperationError(ctx.getNode(), `Erasure stopped while ${e?.stage === 'verify' ? 'verifying' : `trying to ${e?.stage ?? 'erase'}`}: ${e?.message ?? 'no reason given'} [item ${itemIndex}]`, {
		description:
			`${done} of ${r.counts.contacts} contact(s) are gone; the ledger records where it stopped under request ${r.requestId}. ` +
			(e?.status === 401 || e?.status === 403
				? 'Fix the Intercom GDPR credential or the app\'s permissions, then run again: the run continues the same request.'
				: 'Run the workflow again: it finds the open request in the ledger and finishes it.'),
		itemIndex,
	});
}

/**
 * Data Subject → Erase: deletes every Intercom contact of the person, proves it in the ledger and
 * returns a receipt. All items are validated before anything is deleted.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const refs: Array<SubjectRef | undefined> = [];
	const options: EraseOptions[] = [];
	const dryRuns: boolean[] = [];
	const out: Array<INodeExecutionData | undefined> = new Array(items.length);
	const asTool = typeof this.isToolExecution === 'function' && this.isToolExecution();

	for (let i = 0; i < items.length; i++) {
		try {
			options[i] = {
				...(this.getNodeParameter('options', i, {}) as EraseOptions),
				// Checked with the ledger's rule now: the ledger would refuse it only after the lookup.
				requestId: readRequestId(this, 'options.requestId', i) || undefined,
			};
			dryRuns[i] = (this.getNodeParameter('dryRun', i, false) as boolean) || (asTool && options[i].letAgentsErase !== true);
			refs[i] = readSubjectRef(this, i);
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!continueOnFail) throw nodeError;
			refs[i] = undefined;
			out[i] = errorItem(nodeError, i);
		}
	}

	const tally: Record<string, number> = {};
	if (refs.some((r) => r !== undefined)) {
		const gateway = await getIntercomGateway.call(this);
		const ledger: Ledger = await getLedger.call(this);
		try {
			for (let i = 0; i < items.length; i++) {
				const ref = refs[i];
				if (ref === undefined) continue;
				const settled = await checkIdentityGate(this, ledger, options[i], i, { dryRun: dryRuns[i] }).then(async () => await eraseSubject(gateway, ref, {
					ledger,
					dryRun: dryRuns[i],
					deleteConversations: options[i].deleteConversations === true,
					deleteTickets: options[i].deleteTickets === true,
					purgeConversationMetrics: options[i].purgeConversationMetrics !== false,
					requestId: options[i].requestId,
				})).then(
					(receipt) => ({ receipt, error: undefined }),
					(error: unknown) => ({ receipt: undefined, error }),
				);
				if (settled.receipt) {
					const r = settled.receipt;
					tally[r.status] = (tally[r.status] ?? 0) + 1;
					if (r.status === 'failed') {
						const nodeError = failureError(this, r, i);
						if (!continueOnFail) throw nodeError;
						out[i] = { json: { ...errorItem(nodeError, i).json, receipt: toJson(r) }, pairedItem: { item: i } };
					} else {
						out[i] = { json: toJson(r), pairedItem: { item: i } };
					}
				} else {
					tally.failed = (tally.failed ?? 0) + 1;
					const nodeError = toNodeError(this, settled.error, i);
					if (!continueOnFail) throw nodeError;
					out[i] = errorItem(nodeError, i);
				}
			}
		} finally {
			await ledger.close();
		}
	}

	const parts = Object.entries(tally).map(([status, n]) => `${n} ${status.replace('_', ' ')}`);
	if (parts.length > 0) {
		this.addExecutionHints({
			message: `Erasure: ${parts.join(', ')}${asTool && dryRuns.some(Boolean) ? ' (AI agent: dry run only)' : ''}`,
			type: tally.failed ? 'warning' : 'info',
			location: 'outputPane',
		});
	}
	if (tally.erased || tally.already_erased) {
		this.addExecutionHints({
			message: 'Intercom can restore deleted contacts for 7 days; CSAT ratings and reporting aggregates remain. The receipt lists these caveats.',
			type: 'info',
			location: 'outputPane',
		});
	}
	return out.filter((item): item is INodeExecutionData => item !== undefined);
}
