import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { defaultLedgerPath, isActorValue, openLedger } from '../../../src/ledger';
import type { Ledger, LedgerActor, LedgerConfig } from '../../../src/ledger';

export const LEDGER_CREDENTIAL_TYPE = 'gdprLedger';

/** The GdprLedger credential's fields → the core's ledger configuration. */
export function ledgerConfigFrom(credential: ICredentialDataDecryptedObject): LedgerConfig {
	const key = typeof credential.secretKey === 'string' ? credential.secretKey : '';
	if (credential.backend === 'postgres') {
		const ssl = credential.ssl === 'verify' ? { rejectUnauthorized: true } : credential.ssl === 'require' ? { rejectUnauthorized: false } : false;
		return {
			kind: 'postgres',
			key,
			schema: typeof credential.schema === 'string' && credential.schema.trim() !== '' ? credential.schema.trim() : undefined,
			connection: {
				host: String(credential.host ?? 'localhost'),
				port: Number(credential.port ?? 5432),
				database: String(credential.database ?? 'postgres'),
				user: String(credential.user ?? 'postgres'),
				password: typeof credential.password === 'string' ? credential.password : undefined,
				ssl,
			},
		};
	}
	const path = typeof credential.sqlitePath === 'string' && credential.sqlitePath.trim() !== '' ? credential.sqlitePath.trim() : defaultLedgerPath();
	return { kind: 'sqlite', path, key };
}

/**
 * Who acts, as n8n tells a node (Art. 5(2), Art. 30): the workflow id (`getWorkflow().id`), the
 * execution id (`getExecutionId()`), the execution mode (`getMode()`: manual, trigger, webhook, …)
 * and the n8n user id where n8n gives one to a node: `getExecutionContext().executedByUserId`, which
 * n8n 2.41 sets only when per-user (dynamic) credentials resolved a user — the editor who clicks
 * "Execute" is not exposed to nodes (n8n keeps it in its internal additionalData). Never a name or
 * email. A value n8n does not give (or not as an id) is left out rather than failing the request.
 */
export function actorOf(ctx: Pick<IExecuteFunctions, 'getWorkflow' | 'getExecutionId'> & Partial<Pick<IExecuteFunctions, 'getMode' | 'getExecutionContext'>>): LedgerActor {
	const read = (fn: () => unknown): string | undefined => {
		try {
			const v = fn();
			const s = typeof v === 'number' ? String(v) : v;
			return isActorValue(s) ? s : undefined;
		} catch {
			return undefined;
		}
	};
	const actor: LedgerActor = {
		workflowId: read(() => ctx.getWorkflow?.().id),
		executionId: read(() => ctx.getExecutionId?.()),
		userId: read(() => ctx.getExecutionContext?.()?.executedByUserId),
		mode: read(() => ctx.getMode?.()),
	};
	for (const k of Object.keys(actor) as Array<keyof LedgerActor>) if (actor[k] === undefined) delete actor[k];
	return actor;
}

/**
 * Opens the ledger from the node's GdprLedger credential, bound to who acts (`actorOf`): the ONE
 * place nodes open the ledger, so every entry they write names the workflow and execution. Close it
 * when the execution is done.
 */
export async function getLedger(this: IExecuteFunctions): Promise<Ledger> {
	const credential = await this.getCredentials(LEDGER_CREDENTIAL_TYPE);
	try {
		return await openLedger({ ...ledgerConfigFrom(credential), actor: actorOf(this) });
	} catch (error) {
		// An old ledger whose chain is broken says itself what to do (restore, or move it aside); other failures are the credential's.
		const legacy = (error as { code?: string }).code === 'legacy_broken';
		throw new NodeOperationError(this.getNode(), `Could not open the GDPR ledger: ${(error as Error).message}`, {
			description: legacy
				? 'Nothing was changed in the ledger. Decide with your DPO: restore a backup that verifies, or keep this ledger as evidence and point the credential at a new one.'
				: 'Check the GDPR Ledger credential (backend, file path or database connection, secret key) and use its "Test" button.',
		});
	}
}

/** `methods.credentialTest.gdprLedgerTest`: opens (and if new, creates) the ledger and reads its head. */
export async function gdprLedgerTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let ledger: Ledger | undefined;
	try {
		ledger = await openLedger(ledgerConfigFrom(credential.data ?? {}));
		const head = await ledger.head();
		return { status: 'OK', message: `Ledger ready (${ledger.backend}, ${head.seq === 1 ? '1 entry' : `${head.seq} entries`})` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	} finally {
		await ledger?.close();
	}
}
