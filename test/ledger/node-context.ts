// The node tests' mock context (test/nodes/context.ts) plus the GdprLedger credential and
// isToolExecution(), for the Erase and Ledger operations.
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { vi } from 'vitest';
import { executeContext, fakeCredential } from '../nodes/context';
import type { ExecuteContext } from '../nodes/context';
import type { LedgerConfig } from '../../src/ledger';

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
