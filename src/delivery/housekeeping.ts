/**
 * What the retention schedule deletes of the request workflow's own files: published packages
 * past their expiry (downloaded or not), and identity challenges a day after they expired.
 * `folder` is the work folder: the SQLite ledger's folder, or the n8n user folder (`.n8n`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openVerificationStore, purgeExpiredChallenges, VERIFICATION_STORE_FILE } from '../verification';
import { PUBLISHED_FOLDER, purgeExpiredPackages } from './publish';

export interface RequestFilesPurge {
	packages: number;
	tombstones: number;
	challenges: number;
}

export async function purgeExpiredRequestFiles(opts: { folder: string; now?: Date }): Promise<RequestFilesPurge> {
	const { packages, tombstones } = purgeExpiredPackages({ folder: join(opts.folder, PUBLISHED_FOLDER), now: opts.now });
	let challenges = 0;
	const storePath = join(opts.folder, VERIFICATION_STORE_FILE);
	if (existsSync(storePath)) {
		const store = openVerificationStore(storePath);
		try {
			challenges = await purgeExpiredChallenges(store, { now: opts.now });
		} finally {
			await store.close();
		}
	}
	return { packages, tombstones, challenges };
}
