import { LOOPBACK_HTTP, REFUSED_HTTP_BASE_URL } from './IntercomGdprApi.credentials';
import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * n8n's own public API, for purging the executions of privacy workflows (Intercom GDPR → n8n
 * Execution → Purge). Our own type, not n8n's built-in `n8nApi`: the key needs execution:list,
 * execution:read and execution:delete, and plain http:// is accepted only for this machine (the key
 * can delete execution history), the same rule as the Intercom credential.
 */
export class GdprN8nApi implements ICredentialType {
	name = 'gdprN8nApi';

	displayName = 'N8n GDPR Purge API';

	icon: Icon = { light: 'file:../icons/intercomGdpr.svg', dark: 'file:../icons/intercomGdpr.dark.svg' };

	documentationUrl = 'https://docs.n8n.io/api/authentication/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'An n8n API key (Settings → n8n API) with the scopes execution:list, execution:read and execution:delete',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:5678',
			required: true,
			placeholder: 'e.g. https://n8n.example.com',
			description: "n8n's own address, without /api/v1. Must be https://; plain http:// only for this machine (localhost, 127.0.0.1, [::1]).",
		},
	];

	// No `authenticate` block, on purpose (as for the Intercom GDPR credential): n8n would add a
	// "Custom API Call" option to every Resource and Operation list of the node. The core sends the key
	// itself (src/purge); the test sends it here.
	test: ICredentialTestRequest = {
		request: {
			// http:// only to this machine, as the core checks: the key must not travel in clear to
			// another host, even for a test (then the test goes to a .invalid host that states the fix).
			baseURL: `={{ (/^http:/i.test(String($credentials.baseUrl).trim()) && !${LOOPBACK_HTTP}.test(String($credentials.baseUrl).trim()) ? "${REFUSED_HTTP_BASE_URL}" : String($credentials.baseUrl).trim().replace(/\\/+$/, "")) + "/api/v1" }}`,
			url: '/executions',
			qs: { limit: 1 },
			method: 'GET',
			headers: { 'X-N8N-API-KEY': '={{$credentials.apiKey}}' },
		},
	};
}
