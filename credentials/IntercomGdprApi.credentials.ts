import type {
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { REGION_BASE_URLS } from '../src/intercom/regions';
import type { Region } from '../src/intercom/types';

/**
 * Picks Intercom's regional API host, or the custom base URL (used for the sandbox / fake Intercom).
 * Intercom routes US-host calls to other regions only on a best-effort basis, so we ask for the region.
 */
/**
 * Plain http:// carries the token in clear, so it is accepted only for this machine (the sandbox,
 * tests): the same rule as the core's `isLoopbackHost`. n8n expressions cannot throw, so the test
 * request for any other http:// URL goes to a reserved `.invalid` name (RFC 6761: never resolves)
 * whose failure reads as the fix — and nothing is sent anywhere.
 */
/** A JS regex literal (for credential-test expressions): http:// to this machine only. */
export const LOOPBACK_HTTP = String.raw`/^http:\/\/(localhost|[a-z0-9-]+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?(\/|$)/i`;
export const REFUSED_HTTP_BASE_URL = 'https://base-url-must-be-https-http-only-for-localhost.invalid';
const BASE_URL_EXPRESSION =
	'={{ $credentials.region === "custom" ? ' +
	`(/^http:/i.test(String($credentials.baseUrl).trim()) && !${LOOPBACK_HTTP}.test(String($credentials.baseUrl).trim()) ? "${REFUSED_HTTP_BASE_URL}" : $credentials.baseUrl)` +
	// The hosts come from the core's one region table (src/intercom/regions.ts); US is the default.
	(Object.keys(REGION_BASE_URLS) as Region[])
		.filter((r) => r !== 'us')
		.map((r) => ` : $credentials.region === "${r}" ? "${REGION_BASE_URLS[r]}"`)
		.join('') +
	` : "${REGION_BASE_URLS.us}" }}`;
const REGION_NAMES: Record<Region, string> = { us: 'US', eu: 'EU', au: 'Australia' };

export class IntercomGdprApi implements ICredentialType {
	name = 'intercomGdprApi';

	displayName = 'Intercom GDPR API';

	icon: Icon = { light: 'file:../icons/intercomGdpr.svg', dark: 'file:../icons/intercomGdpr.dark.svg' };

	documentationUrl = 'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Access token of your Intercom app (Developer Hub → your app → Authentication). Reading and deleting contacts, conversations and tickets needs the matching scopes, e.g. "Read tickets".',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				...(Object.keys(REGION_BASE_URLS) as Region[]).map((r) => ({ name: `${REGION_NAMES[r]} (${new URL(REGION_BASE_URLS[r]).host})`, value: r })),
				{ name: 'Custom Base URL', value: 'custom' },
			],
			default: 'us',
			description: 'Where your Intercom workspace is hosted',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:4010',
			required: true,
			displayOptions: { show: { region: ['custom'] } },
			description:
				'Base URL of an Intercom-compatible API, e.g. a sandbox or a proxy, without a trailing path. Must be https://; plain http:// only for this machine (localhost, 127.0.0.1, [::1]), since the token would travel unencrypted.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				{ name: '2.14', value: '2.14' },
				{ name: '2.15', value: '2.15' },
				{ name: '2.16', value: '2.16' },
			],
			default: '2.14',
			description: 'Sent as the Intercom-Version header. 2.14 is the version the node is built and tested against.',
		},
	];

	// No `authenticate` block, on purpose: n8n adds a "Custom API Call" option to every Resource and
	// Operation list of a node whose credential has one (also under Ledger, which never calls
	// Intercom). A raw call has none of this package's guarantees (no personal data in logs, ledger
	// receipts), so the node does not offer one; raw Intercom calls belong in n8n's own Intercom node
	// or the HTTP Request node. The node's core sends these same headers itself (src/intercom).
	// GET /me answers with the admin and the workspace (app) the token belongs to.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/me',
			method: 'GET',
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
				'Intercom-Version': '={{$credentials.apiVersion}}',
				Accept: 'application/json',
			},
		},
		// Without rules, n8n shows only the HTTP status text ("Unauthorized"): say what to check,
		// as the node's own run-time errors do.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Intercom refused the access token (401). Check "Access Token": copy it again from Developer Hub → your app → Authentication, and check that "Region" is where your workspace is hosted.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Intercom accepted the access token but refused GET /me (403). Check the app\'s permissions (scopes) in Developer Hub → your app → Authentication.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'GET /me was not found (404). Check "Region", or for Custom Base URL that "Base URL" points at the Intercom API root, without a path.',
				},
			},
		],
	};
}
