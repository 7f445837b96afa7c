import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { archivalReceipt, checkOverrideReason, checkRecipients, eraseSubject, ErasureOptionError } from '../../../../src/erasure';
import { LegalHoldsError, normaliseHolds } from '../../../../src/retention';
import type { LegalHolds } from '../../../../src/retention';
import { holdsFromCollection } from '../../../shared/retention/holds';
import type { ErasureReceipt } from '../../../../src/erasure';
import type { Ledger } from '../../../../src/ledger';
import type { IntercomGateway } from '../../../../src/intercom';
import { FailedItem, perItem } from '../itemLoop';
import { checkIdentityGate, identityGateProperties } from '../../helpers/identityGate';
import { readRequestId } from '../../helpers/requestId';
import { readSubjectRef } from '../../helpers/subject';
import { getIntercomGateway } from '../../../shared/transport';
import { getLedger } from '../../../shared/transport/ledger';
import { eraseProperties } from './erase/description';

const displayOptions = {
	show: {
		resource: ['dataSubject'],
		operation: ['erase'],
	},
};

export const description = updateDisplayOptions(displayOptions, [...eraseProperties, ...identityGateProperties]);

interface EraseOptions {
	deleteConversations?: boolean;
	deleteTickets?: boolean;
	redactSharedConversations?: boolean;
	purgeConversationMetrics?: boolean;
	requestId?: string;
	letAgentsErase?: boolean;
	notifyRecipients?: string;
	overrideLegalHold?: boolean;
	overrideReason?: string;
	archivalReceipt?: boolean;
}

/** What the core needs besides the subject, checked per item before any request. */
interface ItemPlan {
	options: EraseOptions;
	legalHolds: LegalHolds;
	recipients: string[];
	override?: { reason: string };
}

const FIX: Record<string, string> = {
	notifyRecipients: 'In Options → Notify Systems, give system names separated by commas (e.g. "Stripe, Data warehouse"), no email addresses.',
	overrideLegalHold: 'In Options → Override Reason, explain why the hold no longer applies in 10–256 characters, without names, emails or phone numbers.',
	legalHolds: 'In Legal Holds, give Intercom IDs separated by commas (letters, digits, _ and - only).',
};

/** Reads and checks the erasure options of one item (holds, recipients, override) before anything is sent. */
function readPlan(ctx: IExecuteFunctions, i: number): ItemPlan {
	const options = {
		...(ctx.getNodeParameter('options', i, {}) as EraseOptions),
		// Checked with the ledger's rule now: the ledger would refuse it only after the lookup.
		requestId: readRequestId(ctx, 'options.requestId', i) || undefined,
	};
	const fail = (field: string, error: unknown): never => {
		throw new NodeOperationError(ctx.getNode(), `${error instanceof Error ? error.message : 'Invalid value'} [item ${i}]`, {
			description: FIX[field.split(/[.[]/)[0]] ?? FIX.legalHolds,
			itemIndex: i,
		});
	};
	let legalHolds: LegalHolds = {};
	try {
		legalHolds = normaliseHolds(holdsFromCollection(ctx.getNodeParameter('legalHolds', i, {}) as IDataObject));
	} catch (error) {
		fail(error instanceof LegalHoldsError ? error.field : 'legalHolds', error);
	}
	let recipients: string[] = [];
	let override: { reason: string } | undefined;
	try {
		const names = String(options.notifyRecipients ?? '')
			.split(',')
			.map((x) => x.trim())
			.filter((x) => x !== '');
		recipients = checkRecipients(names);
		if (options.overrideLegalHold === true) override = { reason: checkOverrideReason({ reason: options.overrideReason ?? '' }) ?? '' };
	} catch (error) {
		fail(error instanceof ErasureOptionError ? error.field : 'notifyRecipients', error);
	}
	return { options, legalHolds, recipients, override };
}

/** The receipt as an output item: what the DPO keeps and what downstream purges need, no personal data. */
function toJson(r: ErasureReceipt): IDataObject {
	return {
		requestId: r.requestId,
		status: r.status,
		// For an IF node: true only when nothing of the person is left in Intercom (erased / already_erased).
		complete: r.status === 'erased' || r.status === 'already_erased',
		...(r.variant ? { variant: r.variant } : {}),
		dryRun: r.dryRun,
		lookup: r.lookup,
		scope: r.scope,
		contactIds: r.contacts.map((c) => c.id),
		externalIds: r.externalIds,
		subjectHashes: r.subjectHashes,
		contacts: r.contacts.map((c) => ({ id: c.id, role: c.role ?? null, status: c.status, source: c.source })),
		counts: r.counts as unknown as IDataObject,
		items: r.items as unknown as IDataObject,
		remaining: r.remaining.map((x) => ({ type: x.type, id: x.id, conversationId: x.conversationId ?? null, reason: x.reason })),
		...(r.conversationIds ? { conversationIds: r.conversationIds } : {}),
		...(r.ticketIds ? { ticketIds: r.ticketIds } : {}),
		...(r.redactedConversationIds ? { redactedConversationIds: r.redactedConversationIds } : {}),
		...(r.hold ? { hold: { ...r.hold } } : {}),
		...(r.holdOverride ? { holdOverride: { hold: { ...r.holdOverride.hold }, reason: r.holdOverride.reason } } : {}),
		recipients: r.recipients,
		...(r.notice ? { notice: r.notice } : {}),
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
 * Data Subject → Erase: deletes every Intercom contact of the person with their tickets and sole
 * conversations, redacts their parts in shared conversations, verifies every type, proves it in
 * the ledger and returns a receipt (`status`, `complete`, `remaining`). All items are validated
 * before anything is sent.
 */
export const execute = perItem({
	prepare: (ctx, i) => {
		const plan = readPlan(ctx, i);
		const dryRun = (ctx.getNodeParameter('dryRun', i, false) as boolean) || (isTool(ctx) && plan.options.letAgentsErase !== true);
		return { plan, dryRun, ref: readSubjectRef(ctx, i) };
	},
	begin: (ctx): EraseState => ({ tally: {}, asTool: isTool(ctx), anyDryRun: false }),
	open: async (ctx, state) => {
		state.gateway = await getIntercomGateway.call(ctx);
		state.ledger = await getLedger.call(ctx);
	},
	run: async (ctx, i, { plan, dryRun, ref }, state) => {
		const { gateway, ledger, tally } = state as Required<EraseState>;
		if (dryRun) state.anyDryRun = true;
		const o = plan.options;
		await checkIdentityGate(ctx, ledger, o, i, { dryRun });
		const receipt = await eraseSubject(gateway, ref, {
			ledger,
			dryRun,
			deleteConversations: o.deleteConversations !== false,
			deleteTickets: o.deleteTickets !== false,
			redactSharedConversations: o.redactSharedConversations !== false,
			purgeConversationMetrics: o.purgeConversationMetrics !== false,
			requestId: o.requestId,
			legalHolds: plan.legalHolds,
			notifyRecipients: plan.recipients,
			...(plan.override ? { overrideLegalHold: plan.override } : {}),
		});
		const r = o.archivalReceipt === true ? archivalReceipt(receipt) : receipt;
		if (r.status === 'failed') throw new FailedItem(failureError(ctx, r, i), { receipt: toJson(r) });
		tally[r.status] = (tally[r.status] ?? 0) + 1;
		return [{ json: toJson(r) }];
	},
	close: async (state) => await state.ledger?.close(),
	finish: (ctx, state, outcome) => {
		const { tally, asTool } = state;
		if (outcome.failed > 0) tally.failed = outcome.failed;
		const parts = Object.entries(tally).map(([status, n]) => `${n} ${status.replace('_', ' ')}`);
		if (parts.length > 0) {
			ctx.addExecutionHints({
				message: `Erasure: ${parts.join(', ')}${asTool && state.anyDryRun ? ' (AI agent: dry run only)' : ''}`,
				type: tally.failed || tally.incomplete || tally.held ? 'warning' : 'info',
				location: 'outputPane',
			});
		}
		if (tally.incomplete) {
			ctx.addExecutionHints({
				message: `${tally.incomplete} erasure(s) incomplete: something of the person is still in Intercom. Each item's "remaining" lists what and why; branch on "complete" (false) or "status".`,
				type: 'warning',
				location: 'outputPane',
			});
		}
		if (tally.held) {
			ctx.addExecutionHints({
				message: `${tally.held} person(s) under a legal hold were not erased ("hold" names the rule). Override only with a reason.`,
				type: 'warning',
				location: 'outputPane',
			});
		}
		if (tally.erased || tally.already_erased) {
			ctx.addExecutionHints({
				message: 'Intercom can restore deleted contacts for 7 days; CSAT ratings and reporting aggregates remain. The receipt lists these caveats.',
				type: 'info',
				location: 'outputPane',
			});
		}
	},
});

interface EraseState {
	gateway?: IntercomGateway;
	ledger?: Ledger;
	/** Receipts by status (failed: the items that failed), for the hints. */
	tally: Record<string, number>;
	asTool: boolean;
	anyDryRun: boolean;
}

function isTool(ctx: IExecuteFunctions): boolean {
	return typeof ctx.isToolExecution === 'function' && ctx.isToolExecution();
}

