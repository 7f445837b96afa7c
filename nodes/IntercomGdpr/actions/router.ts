import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import * as bulkExport from './bulkExport';
import * as dataSubject from './dataSubject';
import * as ledger from './ledger';
import * as n8nExecution from './n8nExecution';
import * as retention from './retention';
import type { IntercomGdprType } from './node.type';

/**
 * Dispatches to `actions/<resource>/<operation>.operation.ts`. Every operation's `execute` is
 * built by `perItem` (what one item does; the loop, continueOnFail and pairedItem are in
 * itemLoop.ts) or `once` (Verify, List Requests, Retention: about the whole ledger or workspace).
 * To add an operation: its file with `description` and `execute = perItem({...})`, its entry in the
 * resource's index.ts and in node.type.ts. To add a resource: a folder under actions/, its entry in
 * node.type.ts and RESOURCES below, and its description spread in IntercomGdpr.node.ts.
 */
/** Operations whose output holds a secret (code, token, passphrase) or that delete n8n's history. */
export const NOT_FOR_AGENTS = ['verifyIdentity', 'publishPackage', 'servePackage', 'purge'];

type Execute = (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<INodeExecutionData[]>;

/** Each resource's folder index: its operations by value (and its description). */
const RESOURCES: Record<IntercomGdprType['resource'], object> = { bulkExport, dataSubject, ledger, n8nExecution, retention };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const intercomGdpr = { resource, operation } as IntercomGdprType;
	// An AI agent must never see a one-time code, a link token or a ZIP passphrase (they would go to the
	// model's provider and into the chat, where a requester could ask for them), nor purge history.
	if (NOT_FOR_AGENTS.includes(operation) && typeof this.isToolExecution === 'function' && this.isToolExecution()) {
		throw new NodeOperationError(this.getNode(), `"${operation}" is not available to an AI agent`, {
			description: 'Verify Identity, Publish Package, Serve Published Package and Purge hand out or destroy secrets; run them in a workflow, not as an agent tool.',
		});
	}

	// Own keys only: a parameter value such as "constructor" must not reach Object's members.
	const ops = Object.hasOwn(RESOURCES, intercomGdpr.resource) ? (RESOURCES[intercomGdpr.resource] as Record<string, { execute?: unknown }>) : undefined;
	const op = ops && Object.hasOwn(ops, intercomGdpr.operation) ? ops[intercomGdpr.operation] : undefined;
	if (op && typeof op.execute === 'function') return [await (op.execute as Execute).call(this, items)];
	throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
		description: 'Pick a resource and an operation from the lists; this version of the node may not have it yet.',
	});
}
