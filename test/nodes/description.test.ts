// The node's description is a contract with saved workflows (parameter names and values) and with n8n.
import type { INodeProperties } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { IntercomGdpr } from '../../nodes/IntercomGdpr/IntercomGdpr.node';
import { executeContext, fakeCredential, findParams } from './context';

const { description } = new IntercomGdpr();
const prop = (name: string): INodeProperties => {
	const found = description.properties.find((p) => p.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
};

describe('Intercom GDPR node description', () => {
	it('identifies itself and its credential', () => {
		expect(description.name).toBe('intercomGdpr');
		expect(description.displayName).toBe('Intercom GDPR');
		expect(description.icon).toEqual({ light: 'file:intercomGdpr.svg', dark: 'file:intercomGdpr.dark.svg' });
		expect(description.subtitle).toContain('$parameter["operation"]');
		expect(description.usableAsTool).toBe(true);
		expect(description.inputs).toEqual([NodeConnectionTypes.Main]);
		expect(description.credentials?.map((c) => c.name)).toEqual(['intercomGdprApi', 'gdprLedger', 'gdprN8nApi']);
		// n8n's own public API only for n8n Execution → Purge, which needs no Intercom token.
		// Hidden for every other resource (with `hide`, never `show`: test/nodes/editor.test.ts says why).
		expect(description.credentials?.find((c) => c.name === 'gdprN8nApi')?.displayOptions).toEqual({ hide: { resource: ['bulkExport', 'dataSubject', 'ledger', 'retention'] } });
		expect(description.credentials?.find((c) => c.name === 'intercomGdprApi')?.displayOptions?.hide?.resource).toContain('n8nExecution');
		// The ledger is needed where something is recorded or read: erasure, export, ledger, enforcement.
		const ledger = description.credentials?.find((c) => c.name === 'gdprLedger');
		expect(ledger).toMatchObject({ required: true, testedBy: 'gdprLedgerTest' });
		// (Which operations show it, and why with `hide`: test/nodes/editor.test.ts.)
		expect(ledger?.displayOptions?.hide?.operation).toEqual(expect.arrayContaining(['find', 'preview', 'startAndWait']));
	});

	it('offers each resource with its operations, and every operation it offers can run', async () => {
		const resources = (prop('resource').options ?? []).map((o) => ('value' in o ? String(o.value) : ''));
		expect(resources).toEqual(['bulkExport', 'dataSubject', 'ledger', 'n8nExecution', 'retention']);
		const routes = {
			bulkExport: await import('../../nodes/IntercomGdpr/actions/bulkExport'),
			dataSubject: await import('../../nodes/IntercomGdpr/actions/dataSubject'),
			ledger: await import('../../nodes/IntercomGdpr/actions/ledger'),
			n8nExecution: await import('../../nodes/IntercomGdpr/actions/n8nExecution'),
			retention: await import('../../nodes/IntercomGdpr/actions/retention'),
		} as Record<string, Record<string, unknown>>;
		for (const resource of resources) {
			const operation = description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
			);
			expect(operation, `an operation selector for ${resource}`).toBeDefined();
			const values = (operation?.options ?? []).map((o) => ('value' in o ? String(o.value) : ''));
			expect(values.length).toBeGreaterThan(0);
			for (const value of values) {
				const module = routes[resource]?.[value] as { execute?: unknown } | undefined;
				expect(typeof module?.execute, `${resource} → ${value} has an execute()`).toBe('function');
			}
		}
		const dataSubjectOps = description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('dataSubject'),
		);
		expect(dataSubjectOps?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(['find', 'export', 'erase', 'verifyIdentity', 'publishPackage', 'servePackage']);
	});

	it('takes the subject as a resource locator: list, email, id, external id', () => {
		const subject = prop('subject');
		expect(subject.type).toBe('resourceLocator');
		expect(subject.default).toEqual({ mode: 'list', value: '' });
		expect(subject.displayOptions).toEqual({ show: { resource: ['dataSubject'], operation: ['find'] } });
		expect(subject.modes?.map((m) => m.name)).toEqual(['list', 'email', 'id', 'externalId']);
		expect(subject.modes?.[0].typeOptions?.searchListMethod).toBe('searchContacts');
		expect(new IntercomGdpr().methods.listSearch.searchContacts).toBeTypeOf('function');
	});

	it('keeps profile fields out of Find\'s output by default', () => {
		const options = description.properties.find(
			(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('find'),
		);
		expect(options?.options).toEqual([expect.objectContaining({ name: 'includeProfileFields', default: false })]);
	});
});

describe('router and transport', () => {
	it('refuses an unknown resource or operation with a clear message', async () => {
		const { ctx } = executeContext({
			itemParams: [{ resource: 'dataSubject', operation: 'teleport' }],
			credential: fakeCredential('http://127.0.0.1:9', 't'),
		});
		await expect(new IntercomGdpr().execute.call(ctx)).rejects.toThrow('The operation "teleport" of "dataSubject" is not supported');
	});

	it('refuses a custom-region credential without a base URL, pointing at the credential', async () => {
		const { ctx } = executeContext({
			itemParams: [findParams('id', 'a'.repeat(24))],
			credential: { accessToken: 't', region: 'custom', baseUrl: '', apiVersion: '2.14' },
		});
		const error = (await new IntercomGdpr().execute.call(ctx).catch((e: unknown) => e)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The Intercom GDPR credential has no valid base URL');
		expect(error.description).toContain('credential');
	});
});
