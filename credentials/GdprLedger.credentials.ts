import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Where the tamper-evident audit ledger lives, and the secret key that hashes identifiers and
 * signs checkpoints. A file or a database cannot be tested with an HTTP request, so the node tests
 * this credential itself (`testedBy: 'gdprLedgerTest'` → methods.credentialTest): it opens the
 * ledger, migrates it and checks the key.
 */
// A database or file, not an API: the "-Api" naming rules do not fit (n8n's own Postgres credential is `postgres`).
// eslint-disable-next-line n8n-nodes-base/cred-class-name-unsuffixed
export class GdprLedger implements ICredentialType {
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-name-unsuffixed
	name = 'gdprLedger';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'GDPR Ledger';

	icon: Icon = { light: 'file:../icons/gdprLedger.svg', dark: 'file:../icons/gdprLedger.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-intercom-gdpr/n8n-nodes-intercom-gdpr#audit-ledger';

	properties: INodeProperties[] = [
		{
			displayName: 'Backend',
			name: 'backend',
			type: 'options',
			options: [
				{ name: 'SQLite File (Single n8n Instance)', value: 'sqlite' },
				{ name: 'PostgreSQL (Queue Mode, Several Workers)', value: 'postgres' },
			],
			default: 'sqlite',
			description: 'A SQLite file on this machine, or a PostgreSQL database that every n8n worker can reach',
		},
		{
			displayName: 'File Path',
			name: 'sqlitePath',
			type: 'string',
			default: '',
			placeholder: 'e.g. /home/node/.n8n/intercom-gdpr-ledger.sqlite',
			displayOptions: { show: { backend: ['sqlite'] } },
			description: 'Leave empty for intercom-gdpr-ledger.sqlite in the n8n user folder (N8N_USER_FOLDER/.n8n or ~/.n8n), next to n8n\'s own data. Created on first use.',
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 5432,
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'postgres',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: 'postgres',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Schema',
			name: 'schema',
			type: 'string',
			default: 'gdpr_ledger',
			displayOptions: { show: { backend: ['postgres'] } },
			description: 'Schema for the ledger\'s tables; created on first use. Lower-case letters, digits and _.',
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable' },
				{ name: 'Require (Verify Certificate)', value: 'verify' },
				{ name: 'Require (Do Not Verify Certificate)', value: 'require' },
			],
			default: 'disable',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'At least 16 characters, e.g. from `openssl rand -hex 32`. The ledger stores identifiers only as HMAC-SHA256 with this key and signs its checkpoints with it. Keep it: with another key, old entries cannot be searched or verified.',
		},
	];
}
