import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { errorItem, toNodeError } from '../../shared/errors';

/**
 * The one loop over input items, for every operation of the node (as n8n's Microsoft Teams v2
 * router does): validate every item first where the operation asks for it, then run item by item,
 * with continueOnFail and pairedItem handled here. An operation only says what one item does.
 */

/** What happened to the items, for the execution hints an operation writes at the end. */
export interface LoopOutcome {
	items: number;
	/** Items whose parameters `prepare` rejected (they never ran). */
	invalid: number;
	/** Items that ran and failed (an error item with continueOnFail). */
	failed: number;
}

type NodeError = NodeApiError | NodeOperationError;

export interface ItemOperation<Input = undefined, State = undefined> {
	/**
	 * Reads and checks item `i`'s parameters. When present it runs for EVERY item before any item
	 * runs, so bad input stops the run before the first call to Intercom or the ledger.
	 */
	prepare?: (ctx: IExecuteFunctions, i: number, items: INodeExecutionData[]) => Input;
	/** Per-run state (counters for the hints, shared resources opened by `open`). */
	begin?: (ctx: IExecuteFunctions) => State;
	/** Opens what all items share (gateway, ledger); once, just before the first item runs. */
	open?: (ctx: IExecuteFunctions, state: State) => Promise<void>;
	/** What one item does: its output items (pairedItem defaults to this item). */
	run: (ctx: IExecuteFunctions, i: number, input: Input, state: State, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;
	/** Releases what `open` opened; always runs once `open` was called, even after an error. */
	close?: (state: State) => Promise<void>;
	/** The n8n error for an item (default: toNodeError). */
	toError?: (ctx: IExecuteFunctions, error: unknown, i: number) => NodeError;
	/** After the last item (not when the run stopped on an error): the execution hints. */
	finish?: (ctx: IExecuteFunctions, state: State, outcome: LoopOutcome) => void;
}

/**
 * An item that failed but still has something to show (an erasure receipt, a retention report):
 * with continueOnFail, its error item carries `json` beside the error.
 */
export class FailedItem extends Error {
	constructor(
		readonly nodeError: NodeError,
		readonly json: IDataObject,
	) {
		super(nodeError.message);
		this.name = 'FailedItem';
	}
}

function failure(ctx: IExecuteFunctions, error: unknown, i: number, toError: ItemOperation<unknown, unknown>['toError']): { nodeError: NodeError; item: INodeExecutionData } {
	if (error instanceof FailedItem) {
		return { nodeError: error.nodeError, item: { json: { ...errorItem(error.nodeError, i).json, ...error.json }, pairedItem: { item: i } } };
	}
	const nodeError = error instanceof NodeApiError || error instanceof NodeOperationError ? error : (toError ?? toNodeError)(ctx, error, i);
	return { nodeError, item: errorItem(nodeError, i) };
}

function paired(out: INodeExecutionData[], i: number): INodeExecutionData[] {
	return out.map((item) => (item.pairedItem === undefined ? { ...item, pairedItem: { item: i } } : item));
}

/** Turns an ItemOperation into the node's `execute(items)`. */
export function perItem<Input, State>(op: ItemOperation<Input, State>): (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]> {
	return async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
		const continueOnFail = this.continueOnFail();
		const out: INodeExecutionData[][] = items.map(() => []);
		const outcome: LoopOutcome = { items: items.length, invalid: 0, failed: 0 };
		const inputs: Array<{ ok: true; value: Input } | { ok: false }> = [];
		for (let i = 0; i < items.length; i++) {
			if (!op.prepare) {
				inputs[i] = { ok: true, value: undefined as Input };
				continue;
			}
			try {
				inputs[i] = { ok: true, value: op.prepare(this, i, items) };
			} catch (error) {
				const { nodeError, item } = failure(this, error, i, op.toError);
				if (!continueOnFail) throw nodeError;
				inputs[i] = { ok: false };
				out[i] = [item];
				outcome.invalid++;
			}
		}
		const state = op.begin ? op.begin(this) : (undefined as State);
		let opened = false;
		try {
			for (let i = 0; i < items.length; i++) {
				const input = inputs[i];
				if (!input.ok) continue;
				if (!opened) {
					opened = true;
					await op.open?.(this, state);
				}
				try {
					out[i] = paired(await op.run(this, i, input.value, state, items), i);
				} catch (error) {
					const { nodeError, item } = failure(this, error, i, op.toError);
					if (!continueOnFail) throw nodeError;
					out[i] = [item];
					outcome.failed++;
				}
			}
		} finally {
			if (opened) await op.close?.(state);
		}
		op.finish?.(this, state, outcome);
		return out.flat();
	};
}

/**
 * For an operation about the workspace or the ledger as a whole (Verify, List Requests, Retention):
 * it runs once, with the first item's parameters; a failure is one error item paired with item 0.
 */
export function once(
	run: (ctx: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>,
): (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]> {
	return async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
		try {
			return await run(this, items);
		} catch (error) {
			const { nodeError, item } = failure(this, error, 0, undefined);
			if (!this.continueOnFail() || items.length === 0) throw nodeError;
			return [item];
		}
	};
}
