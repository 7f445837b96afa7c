// The fake n8n contexts of the node tests, in one place: hand-made IExecuteFunctions /
// ILoadOptionsFunctions with just the members the nodes use, as vi.fn()s, so tests run a node's real
// execute() against the fake Intercom and a real ledger and inspect what it called.
// executeContext (Intercom GDPR), ledgerExecuteContext (+ GDPR Ledger credential, run metadata),
// bulkContext (+ binary data, cancel signal), piiContext (PII Redact: real items), loadOptionsContext.
import type { Readable } from 'node:stream';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	ITriggerFunctions,
	NodeExecutionHint,
} from 'n8n-workflow';
import { vi } from 'vitest';
import type { LedgerConfig } from '../../src/ledger';

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

// ─── With the GDPR Ledger credential (Erase, Export, Ledger, Retention, Purge) ───

/** The GdprLedger credential's fields for a test ledger config. */
export function ledgerCredential(cfg: LedgerConfig): ICredentialDataDecryptedObject {
	if (cfg.kind === 'sqlite') return { backend: 'sqlite', sqlitePath: cfg.path, secretKey: cfg.key };
	const url = new URL(cfg.connectionString ?? '');
	return {
		backend: 'postgres',
		host: url.hostname,
		port: Number(url.port),
		database: url.pathname.slice(1),
		user: url.username,
		password: '',
		schema: cfg.schema ?? '',
		ssl: 'disable',
		secretKey: cfg.key,
	};
}

export function ledgerExecuteContext(opts: {
	itemParams: IDataObject[];
	fake: { url: string; token: string };
	ledger: LedgerConfig;
	continueOnFail?: boolean;
	asTool?: boolean;
	/** What n8n tells the node about the run (defaults: a manual run by a user). */
	run?: { workflowId?: string; executionId?: string; userId?: string; mode?: string };
}): ExecuteContext {
	const base = executeContext({ itemParams: opts.itemParams, credential: fakeCredential(opts.fake.url, opts.fake.token), continueOnFail: opts.continueOnFail });
	const intercom = fakeCredential(opts.fake.url, opts.fake.token);
	const ledger = ledgerCredential(opts.ledger);
	const getCredentials = vi.fn(async (type: string) => {
		if (type === 'intercomGdprApi') return intercom;
		if (type === 'gdprLedger') return ledger;
		throw new Error(`unexpected credential type ${type}`);
	});
	const run = opts.run ?? { workflowId: 'wfTest01', executionId: '101', userId: '0b5a1c9e-3f2d-4e6a-8b7c-9d0e1f2a3b4c', mode: 'manual' };
	Object.assign(base.ctx, {
		getCredentials,
		isToolExecution: vi.fn(() => opts.asTool === true),
		getWorkflow: vi.fn(() => ({ id: run.workflowId, name: 'GDPR', active: false })),
		getExecutionId: vi.fn(() => run.executionId),
		getMode: vi.fn(() => run.mode),
		getExecutionContext: vi.fn(() => (run.userId ? { version: 1, establishedAt: 0, source: 'manual', executedByUserId: run.userId } : undefined)),
	});
	return { ...base, getCredentials };
}

export function eraseParams(mode: 'list' | 'id' | 'email' | 'externalId', value: string, extra: IDataObject = {}): IDataObject {
	// The identity gate (default: a verified request) has its own tests (test/nodes/requestLifecycle.test.ts).
	return { resource: 'dataSubject', operation: 'erase', subject: { __rl: true, mode, value }, dryRun: false, options: {}, identityVerification: 'waived', unverifiedReason: 'verified_outside_ledger', ...extra };
}

// ─── Bulk Export: binary data and the execution's cancel signal ───

export interface BulkContext extends ExecuteContext {
	/** What prepareBinaryData received, by the id it returned. */
	files: Map<string, { fileName?: string; mimeType?: string; data: Buffer }>;
	/** Streams whose reading failed (n8n would have thrown its own error for them). */
	failedStreams: number;
	abort: AbortController;
}

export function bulkContext(opts: { itemParams: IDataObject[]; credential: ICredentialDataDecryptedObject; continueOnFail?: boolean }): BulkContext {
	const base = executeContext(opts);
	const abort = new AbortController();
	const out: BulkContext = { ...base, files: new Map(), failedStreams: 0, abort };
	let n = 0;
	const prepareBinaryData = vi.fn(async (data: Buffer | Readable, fileName?: string, mimeType?: string): Promise<IBinaryData> => {
		let buf: Buffer;
		if (Buffer.isBuffer(data)) {
			buf = data;
		} else {
			const parts: Buffer[] = [];
			const read = await (async () => {
				for await (const c of data) parts.push(c as Buffer);
			})().then(
				() => true,
				() => false,
			);
			if (!read) {
				out.failedStreams++;
				// Like n8n's binaryToBuffer: the cause is wrapped in an error of its own.
				throw new Error('Failed to extract buffer');
			}
			buf = Buffer.concat(parts);
		}
		const id = `mem:${++n}`;
		out.files.set(id, { fileName, mimeType, data: buf });
		return { id, data: '', fileName, mimeType: mimeType ?? 'application/octet-stream', fileSize: String(buf.length) };
	});
	Object.assign(base.ctx, { helpers: { prepareBinaryData }, getExecutionCancelSignal: () => abort.signal });
	return out;
}

// ─── PII Redact: real input items ───

export const PII_NODE: INode = { ...NODE, id: '9b0c4a1e-0000-4000-8000-0000000000a1', name: 'PII Redact', type: 'n8n-nodes-intercom-gdpr.piiRedact' };

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

// ─── Intercom GDPR Trigger: parameters without an item index, emit() ───

const TRIGGER_NODE: INode = { ...NODE, name: 'Intercom GDPR Trigger', type: 'n8n-nodes-intercom-gdpr.intercomGdprTrigger' };

/** The trigger's context (ITriggerFunctions): what it emitted is collected in `emitted`. */
export function fakeTriggerContext(fake: { url: string; token: string }, params: IDataObject, opts: { mode?: 'trigger' | 'manual'; ledger?: ICredentialDataDecryptedObject; timeZone?: string } = {}) {
	const emitted: INodeExecutionData[][][] = [];
	const ctx = {
		getNode: vi.fn(() => TRIGGER_NODE),
		getMode: vi.fn(() => opts.mode ?? 'trigger'),
		getTimezone: vi.fn(() => opts.timeZone ?? 'Europe/Berlin'),
		getNodeParameter: vi.fn((name: string, fallback?: unknown) => (params[name] !== undefined ? params[name] : fallback)),
		getCredentials: vi.fn(async (type: string) => {
			if (type === 'intercomGdprApi') return fakeCredential(fake.url, fake.token);
			if (type === 'gdprLedger' && opts.ledger) return opts.ledger;
			throw new Error(`unexpected credential ${type}`);
		}),
		emit: vi.fn((data: INodeExecutionData[][]) => emitted.push(data)),
		emitError: vi.fn(),
		saveFailedExecution: vi.fn(),
	} as unknown as ITriggerFunctions;
	return { ctx, emitted };
}

/** The retention policy "leads inactive 30 days (or never seen) → delete" as the node's form fields. */
export const LEAD_POLICY_FORM = { policySource: 'form', role: 'lead', inactiveDays: 30, includeNeverSeen: true, ruleAction: 'delete', holds: {} } as const;
