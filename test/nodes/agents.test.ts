// AI agents (usableAsTool): the operations whose output holds a one-time code, a link token or a ZIP
// passphrase, and Purge, are refused before anything is read or sent.
import type { IExecuteFunctions } from 'n8n-workflow';
import { describe, expect, it, vi } from 'vitest';
import { NOT_FOR_AGENTS, router } from '../../nodes/IntercomGdpr/actions/router';
import { NODE } from './context';

function agentContext(resource: string, operation: string, asTool: boolean) {
	const getCredentials = vi.fn(async () => {
		throw new Error('credentials read');
	});
	const ctx = {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string) => ({ resource, operation })[name as 'resource' | 'operation'],
		getNode: () => NODE,
		isToolExecution: () => asTool,
		getCredentials,
		continueOnFail: () => false,
	} as unknown as IExecuteFunctions;
	return { ctx, getCredentials };
}

describe('Intercom GDPR as an AI agent tool', () => {
	const cases: Array<[string, string]> = [
		['dataSubject', 'verifyIdentity'],
		['dataSubject', 'publishPackage'],
		['dataSubject', 'servePackage'],
		['n8nExecution', 'purge'],
	];
	it('lists exactly the secret-bearing and destructive operations', () => {
		expect([...NOT_FOR_AGENTS].sort()).toEqual(cases.map(([, o]) => o).sort());
	});
	it.each(cases)('%s → %s is refused for an agent before any credential is read', async (resource, operation) => {
		const { ctx, getCredentials } = agentContext(resource, operation, true);
		await expect(router.call(ctx)).rejects.toThrow(`"${operation}" is not available to an AI agent`);
		expect(getCredentials).not.toHaveBeenCalled();
	});
	it.each(cases)('%s → %s still runs in a workflow (it reaches its credentials)', async (resource, operation) => {
		const { ctx, getCredentials } = agentContext(resource, operation, false);
		await expect(router.call(ctx)).rejects.toThrow();
		expect(getCredentials).toHaveBeenCalled();
	});
});
