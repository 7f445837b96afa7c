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
 * node.type.ts, a case here, and its description spread in IntercomGdpr.node.ts.
 */
/** Operations whose output holds a secret (code, token, passphrase) or that delete n8n's history. */
export const NOT_FOR_AGENTS = ['verifyIdentity', 'publishPackage', 'servePackage', 'purge'];

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

	switch (intercomGdpr.resource) {
		case 'bulkExport': {
			const op = bulkExport[intercomGdpr.operation];
			if (op) return [await op.execute.call(this, items)];
			break;
		}
		case 'dataSubject': {
			const op = dataSubject[intercomGdpr.operation];
			if (op) return [await op.execute.call(this, items)];
			break;
		}
		case 'ledger': {
			const op = ledger[intercomGdpr.operation];
			if (op) return [await op.execute.call(this, items)];
			break;
		}
		case 'n8nExecution': {
			const op = n8nExecution[intercomGdpr.operation];
			if (op) return [await op.execute.call(this, items)];
			break;
		}
		case 'retention': {
			const op = retention[intercomGdpr.operation];
			if (op) return [await op.execute.call(this, items)];
			break;
		}
	}
	throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
		description: 'Pick a resource and an operation from the lists; this version of the node may not have it yet.',
	});
}
