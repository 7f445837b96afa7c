// A hand-made IExecuteFunctions / ILoadOptionsFunctions: just the members the node uses, as vi.fn()s,
// so tests can run the node's real execute() against the fake Intercom and inspect what it called.
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	NodeExecutionHint,
} from 'n8n-workflow';
import { vi } from 'vitest';

export const NODE: INode = {
	id: '9b0c4a1e-0000-4000-8000-000000000001',
	name: 'Intercom GDPR',
	type: 'n8n-nodes-intercom-gdpr.intercomGdpr',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function fakeCredential(url: string, token: string): ICredentialDataDecryptedObject {
	return { accessToken: token, region: 'custom', baseUrl: url, apiVersion: '2.14' };
}

/** Reads `a.b.c` out of a parameter object, like n8n's getNodeParameter does for collections. */
function pick(params: IDataObject, name: string): unknown {
	return name.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as IDataObject)[k] : undefined), params);
}

export interface ExecuteContext {
	ctx: IExecuteFunctions;
	hints: NodeExecutionHint[];
	getCredentials: ReturnType<typeof vi.fn>;
}

/**
 * One parameter set per input item (n8n evaluates parameters per item, expressions included).
 * `resource` and `operation` are read from item 0, as n8n's routers do.
 */
export function executeContext(opts: {
	itemParams: IDataObject[];
	credential: ICredentialDataDecryptedObject;
	/** The GdprLedger credential, for operations that record in the audit ledger. */
	ledgerCredential?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
}): ExecuteContext {
	const hints: NodeExecutionHint[] = [];
	const items: INodeExecutionData[] = opts.itemParams.map((_, i) => ({ json: { row: i } }));
	const getCredentials = vi.fn(async (type: string) => {
		if (type === 'gdprLedger' && opts.ledgerCredential) return opts.ledgerCredential;
		if (type !== 'intercomGdprApi') throw new Error(`unexpected credential type ${type}`);
		return opts.credential;
	});
	const ctx = {
		getInputData: vi.fn(() => items),
		getNode: vi.fn(() => NODE),
		continueOnFail: vi.fn(() => opts.continueOnFail ?? false),
		getCredentials,
		addExecutionHints: vi.fn((...h: NodeExecutionHint[]) => hints.push(...h)),
		getNodeParameter: vi.fn((name: string, itemIndex: number, fallback?: unknown) => {
			const params = opts.itemParams[itemIndex];
			if (params === undefined) throw new Error(`no item ${itemIndex}`);
			const value = pick(params, name);
			if (value === undefined) {
				if (fallback !== undefined) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			return value;
		}),
	} as unknown as IExecuteFunctions;
	return { ctx, hints, getCredentials };
}

export function loadOptionsContext(credential: ICredentialDataDecryptedObject): ILoadOptionsFunctions {
	return {
		getNode: vi.fn(() => NODE),
		getCredentials: vi.fn(async () => credential),
	} as unknown as ILoadOptionsFunctions;
}

/** Data Subject → Find parameters, as a workflow JSON would hold them. */
export function findParams(mode: 'list' | 'id' | 'email' | 'externalId', value: string, options: IDataObject = {}): IDataObject {
	return { resource: 'dataSubject', operation: 'find', subject: { __rl: true, mode, value }, options };
}
