import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { defaultLedgerPath, openLedger } from '../../../src/ledger';
import type { Ledger, LedgerConfig } from '../../../src/ledger';

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

/** Opens the ledger from the node's GdprLedger credential. Close it when the execution is done. */
export async function getLedger(this: IExecuteFunctions): Promise<Ledger> {
	const credential = await this.getCredentials(LEDGER_CREDENTIAL_TYPE);
	try {
		return await openLedger(ledgerConfigFrom(credential));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Could not open the GDPR ledger: ${(error as Error).message}`, {
			description: 'Check the GDPR Ledger credential (backend, file path or database connection, secret key) and use its "Test" button.',
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
