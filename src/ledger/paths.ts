import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_LEDGER_FILE = 'intercom-gdpr-ledger.sqlite';

/**
 * Where the SQLite ledger lives by default: next to n8n's own database in the n8n user folder
 * (`$N8N_USER_FOLDER/.n8n`, else `~/.n8n`), so it is in the same backups as n8n's data.
 */
export function defaultLedgerPath(env: Record<string, string | undefined> = process.env): string {
	const base = env.N8N_USER_FOLDER && env.N8N_USER_FOLDER.trim() !== '' ? env.N8N_USER_FOLDER : homedir();
	return join(base, '.n8n', DEFAULT_LEDGER_FILE);
}
