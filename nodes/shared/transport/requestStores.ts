import { dirname, join } from 'node:path';
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { PUBLISHED_FOLDER } from '../../../src/delivery';
import { defaultLedgerPath } from '../../../src/ledger';
import { openVerificationStore, VERIFICATION_STORE_FILE } from '../../../src/verification';
import type { VerificationStore } from '../../../src/verification';
import { LEDGER_CREDENTIAL_TYPE } from './ledger';

/**
 * The folder for this package's working files: beside the SQLite ledger when it has a path, else
 * the n8n user folder (`$N8N_USER_FOLDER/.n8n`). With a PostgreSQL ledger in queue mode, the
 * webhook that serves a package must run where this folder is (see README). The retention schedule
 * (trigger) purges it with `purgeExpiredRequestFiles({ folder: requestFilesFolder(credential) })`.
 */
export function requestFilesFolder(credential: ICredentialDataDecryptedObject): string {
	const sqlitePath = credential.backend !== 'postgres' && typeof credential.sqlitePath === 'string' ? credential.sqlitePath.trim() : '';
	return dirname(sqlitePath !== '' ? sqlitePath : defaultLedgerPath());
}

async function workFolder(ctx: IExecuteFunctions): Promise<{ folder: string; key: string }> {
	const credential = await ctx.getCredentials(LEDGER_CREDENTIAL_TYPE);
	const key = typeof credential.secretKey === 'string' ? credential.secretKey : '';
	if (key.length < 16) {
		throw new NodeOperationError(ctx.getNode(), 'The GDPR Ledger credential has no secret key of at least 16 characters', {
			description: 'Open the GDPR Ledger credential and set its Secret Key: it also keys the one-time verification codes.',
		});
	}
	return { folder: requestFilesFolder(credential), key };
}

/** The pending-challenge store and its key (the ledger secret). Close the store when done. */
export async function getVerificationStore(this: IExecuteFunctions): Promise<{ store: VerificationStore; key: string }> {
	const { folder, key } = await workFolder(this);
	return { store: openVerificationStore(join(folder, VERIFICATION_STORE_FILE)), key };
}

/** Where published (encrypted) packages wait for their single download. */
export async function getPublishedFolder(this: IExecuteFunctions): Promise<string> {
	const { folder } = await workFolder(this);
	return join(folder, PUBLISHED_FOLDER);
}
