// The credential's `test` is only data for n8n; evaluate it with n8n's own expression engine
// (n8n-workflow) and send the resulting credential test to the fake Intercom.
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GdprN8nApi } from '../../credentials/GdprN8nApi.credentials';
import { IntercomGdprApi, REFUSED_HTTP_BASE_URL } from '../../credentials/IntercomGdprApi.credentials';
import { startFakeIntercom } from '../fake-intercom';
import type { FakeIntercom } from '../fake-intercom';
import { NODE } from './context';

const credentialType = new IntercomGdprApi();

// A workflow is only needed as the home of n8n's expression evaluator.
const workflow = new Workflow({
	nodes: [NODE as INode],
	connections: {},
	active: false,
	nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as unknown as INodeTypes,
});

/** Resolves `={{ … }}` values the way n8n's CredentialsHelper does, with `$credentials` in scope. */
function resolve(value: string, credentials: ICredentialDataDecryptedObject): string {
	if (!value.startsWith('=')) return value;
	return String(
		workflow.expression.getSimpleParameterValue(NODE, value, 'internal', { $credentials: credentials } as unknown as IDataObject, undefined, ''),
	);
}

function headersFor(credentials: ICredentialDataDecryptedObject): Record<string, string> {
	const headers = credentialType.test.request.headers as Record<string, string>;
	return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, resolve(v, credentials)]));
}

describe('credential intercomGdprApi', () => {
	it('has its own name, a full https documentation URL and distinct light/dark icons', () => {
		expect(credentialType.name).toBe('intercomGdprApi');
		expect(credentialType.name).not.toBe('intercomApi');
		expect(credentialType.displayName).toBe('Intercom GDPR API');
		expect(credentialType.documentationUrl).toMatch(/^https:\/\/developers\.intercom\.com\//);
		expect(credentialType.icon).toEqual({
			light: 'file:../icons/intercomGdpr.svg',
			dark: 'file:../icons/intercomGdpr.dark.svg',
		});
	});

	it('offers token, region (US/EU/AU/custom), a base URL shown only for custom, and API versions 2.14–2.16', () => {
		const byName = Object.fromEntries(credentialType.properties.map((p) => [p.name, p]));
		expect(Object.keys(byName)).toEqual(['accessToken', 'region', 'baseUrl', 'apiVersion']);
		expect(byName.accessToken.typeOptions).toEqual({ password: true });
		expect(byName.region.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['us', 'eu', 'au', 'custom']);
		expect(byName.region.default).toBe('us');
		expect(byName.baseUrl.displayOptions).toEqual({ show: { region: ['custom'] } });
		expect(byName.apiVersion.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['2.14', '2.15', '2.16']);
		expect(byName.apiVersion.default).toBe('2.14');
	});

	it('has no `authenticate` block, so n8n adds no "Custom API Call" to the node; the test sends Bearer token, Intercom-Version and Accept', () => {
		// n8n injects "Custom API Call" into every Resource/Operation list of a node whose credential
		// has `authenticate` (LoadNodesAndCredentials.injectCustomApiCallOptions): it showed under Ledger.
		expect((credentialType as { authenticate?: unknown }).authenticate).toBeUndefined();
		expect(headersFor({ accessToken: 'tok-1', region: 'eu', apiVersion: '2.16' })).toEqual({
			Authorization: 'Bearer tok-1',
			'Intercom-Version': '2.16',
			Accept: 'application/json',
		});
	});

	it('says which field to check when Intercom refuses the test (401, 403, 404), not just "Unauthorized"', () => {
		const rules = credentialType.test.rules ?? [];
		const byCode = Object.fromEntries(rules.map((r) => [(r.properties as { value: number }).value, (r.properties as { message: string }).message]));
		expect(Object.keys(byCode).sort()).toEqual(['401', '403', '404']);
		expect(byCode[401]).toMatch(/Check "Access Token"/);
		expect(byCode[401]).toMatch(/"Region"/);
		expect(byCode[403]).toMatch(/scopes/);
		expect(byCode[404]).toMatch(/"Base URL"/);
	});

	it('tests with GET /me on the regional host, or on the custom base URL', () => {
		expect(credentialType.test.request.url).toBe('/me');
		expect(credentialType.test.request.method).toBe('GET');
		const baseURL = credentialType.test.request.baseURL as string;
		expect(baseURL.startsWith('={{')).toBe(true);
		expect(resolve(baseURL, { region: 'us' })).toBe('https://api.intercom.io');
		expect(resolve(baseURL, { region: 'eu' })).toBe('https://api.eu.intercom.io');
		expect(resolve(baseURL, { region: 'au' })).toBe('https://api.au.intercom.io');
		expect(resolve(baseURL, { region: 'custom', baseUrl: 'http://127.0.0.1:4010' })).toBe('http://127.0.0.1:4010');
	});

	it('sends the token over plain http:// only to this machine; any other http:// host gets a test request to a name that never resolves', () => {
		const baseURL = credentialType.test.request.baseURL as string;
		for (const local of ['http://localhost:4010', 'http://127.0.0.1:4010/', 'http://[::1]:8080', 'http://sandbox.localhost']) {
			expect(resolve(baseURL, { region: 'custom', baseUrl: local })).toBe(local);
		}
		for (const remote of ['http://api.intercom.io', 'http://10.0.0.5:4010', 'http://127.0.0.1.evil.example', 'http://localhost.evil.example', ' HTTP://proxy.corp ']) {
			const url = resolve(baseURL, { region: 'custom', baseUrl: remote });
			expect(url).toBe(REFUSED_HTTP_BASE_URL);
			expect(new URL(url).hostname.endsWith('.invalid')).toBe(true); // RFC 6761: never resolves, nothing is sent
		}
		expect(resolve(baseURL, { region: 'custom', baseUrl: 'https://proxy.corp/intercom' })).toBe('https://proxy.corp/intercom');
		const field = credentialType.properties.find((p) => p.name === 'baseUrl');
		expect(field?.description).toMatch(/plain http:\/\/ only for this machine/);
	});

	describe('against the fake Intercom', () => {
		let fake: FakeIntercom;
		beforeAll(async () => {
			fake = await startFakeIntercom();
		});
		afterAll(async () => {
			await fake.close();
		});

		async function runCredentialTest(accessToken: string): Promise<Response> {
			const credentials = { accessToken, region: 'custom', baseUrl: fake.url, apiVersion: '2.14' };
			const base = resolve(credentialType.test.request.baseURL as string, credentials);
			return await fetch(`${base}${credentialType.test.request.url}`, {
				method: credentialType.test.request.method,
				headers: headersFor(credentials),
			});
		}

		it('succeeds with the right token and sends the version header', async () => {
			fake.reset();
			const res = await runCredentialTest(fake.token);
			expect(res.status).toBe(200);
			const me = (await res.json()) as { type: string; app?: { id_code?: string } };
			expect(me.type).toBe('admin');
			expect(fake.requests).toHaveLength(1);
			expect(fake.requests[0].path).toBe('/me');
			expect(fake.requests[0].headers['intercom-version']).toBe('2.14');
		});

		it('fails with 401 for a wrong token', async () => {
			const res = await runCredentialTest('not-the-token');
			expect(res.status).toBe(401);
		});
	});
});

describe('credential N8n GDPR Purge API: test request', () => {
	it('sends the API key over http only to this machine; any other http:// host becomes a .invalid host', () => {
		const purge = new GdprN8nApi();
		const baseURL = purge.test.request.baseURL as string;
		expect(resolve(baseURL, { baseUrl: 'https://n8n.example.com/' })).toBe('https://n8n.example.com/api/v1');
		expect(resolve(baseURL, { baseUrl: 'http://127.0.0.1:5678' })).toBe('http://127.0.0.1:5678/api/v1');
		for (const remote of ['http://n8n.example.com', 'http://10.0.0.5:5678', 'http://localhost.evil.example']) {
			expect(new URL(resolve(baseURL, { baseUrl: remote })).hostname.endsWith('.invalid')).toBe(true);
		}
		expect((purge as { authenticate?: unknown }).authenticate).toBeUndefined();
	});
});
