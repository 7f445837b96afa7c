// A hand-made IExecuteFunctions for the PII Redact node: real input items (the shared
// test/nodes/context.ts makes `{ row: i }` items for the Intercom node), parameters by name.
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';
import { vi } from 'vitest';

export const PII_NODE: INode = {
	id: '9b0c4a1e-0000-4000-8000-0000000000a1',
	name: 'PII Redact',
	type: 'n8n-nodes-intercom-gdpr.piiRedact',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function pick(params: IDataObject, name: string): unknown {
	return name.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as IDataObject)[k] : undefined), params);
}

export function piiContext(items: INodeExecutionData[], params: IDataObject, continueOnFail = false) {
	const hints: NodeExecutionHint[] = [];
	const getNodeParameter = vi.fn((name: string, _i: number, fallback?: unknown) => {
		const value = pick(params, name);
		if (value === undefined) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		return value;
	});
	const ctx = {
		getInputData: vi.fn(() => items),
		getNode: vi.fn(() => PII_NODE),
		continueOnFail: vi.fn(() => continueOnFail),
		addExecutionHints: vi.fn((...h: NodeExecutionHint[]) => hints.push(...h)),
		getNodeParameter,
	} as unknown as IExecuteFunctions;
	return { ctx, hints, getNodeParameter };
}
