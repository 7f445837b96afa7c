// What the n8n editor makes of our node descriptions, computed with n8n's own code (n8n-workflow's
// displayParameter and expression engine) and with a faithful copy of the editor's credential-type
// heuristic. The real editor is driven in test/ui (npm run test:ui); these run in `npm test`.
import type { INode, INodeCredentialDescription, INodeParameters, INodeProperties, INodeTypeDescription, INodeTypes } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { IntercomGdpr, LEDGER_OPERATIONS } from '../../nodes/IntercomGdpr/IntercomGdpr.node';
import { IntercomGdprTrigger } from '../../nodes/IntercomGdprTrigger/IntercomGdprTrigger.node';
import { PiiRedact } from '../../nodes/PiiRedact/PiiRedact.node';
import { NODE } from './context';
import { GdprLedger } from '../../credentials/GdprLedger.credentials';
import { GdprN8nApi } from '../../credentials/GdprN8nApi.credentials';
import { IntercomGdprApi } from '../../credentials/IntercomGdprApi.credentials';

const node = new IntercomGdpr().description;
const trigger = new IntercomGdprTrigger().description;
const piiRedact = new PiiRedact().description;

/**
 * n8n editor-ui 2.41 `getMainAuthField` (utils/nodeTypesUtils.ts, with getNodeAuthFields and
 * findAlternativeAuthField): the parameter the editor treats as the credential-type selector. It
 * hides that parameter from the panel and offers a credential-type dropdown instead. Only
 * `displayOptions.show` of credentials is read.
 */
function editorMainAuthField(d: INodeTypeDescription): INodeProperties | null {
	const authFields: INodeProperties[] = [];
	for (const cred of d.credentials ?? []) {
		for (const key of Object.keys(cred.displayOptions?.show ?? {})) {
			for (const p of d.properties.filter((p) => p.name === key)) if (!authFields.includes(p)) authFields.push(p);
		}
	}
	const named = authFields.find((p) => p.name === 'authentication' && !p.options?.some((o) => 'value' in o && o.value === 'none'));
	if (named) return named;
	const values: Record<string, string[]> = {};
	for (const cred of d.credentials ?? []) {
		for (const [key, list] of Object.entries(cred.displayOptions?.show ?? {})) {
			values[key] = (values[key] ?? []).concat((list ?? []).map((v) => (v ? String(v) : '')));
		}
	}
	return (
		authFields.find((p) => {
			if (!p.options?.length) return false;
			return p.options.every((o) => !('value' in o) || typeof o.value !== 'string' || values[p.name].includes(o.value));
		}) ?? null
	);
}

function shownCredentials(d: INodeTypeDescription, parameters: INodeParameters): string[] {
	return (d.credentials ?? []).filter((c: INodeCredentialDescription) => NodeHelpers.displayParameter(parameters, c, { typeVersion: 1 }, d)).map((c) => c.name);
}

/** The canvas subtitle, evaluated as the editor does (expression.getSimpleParameterValue). */
function subtitle(d: INodeTypeDescription, parameters: INodeParameters): string {
	const withParameters = { ...(NODE as INode), parameters };
	const workflow = new Workflow({
		nodes: [withParameters],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as unknown as INodeTypes,
	});
	return String(workflow.expression.getSimpleParameterValue(withParameters, d.subtitle as string, 'internal', {}, undefined, ''));
}

/** Every resource/operation pair the node offers. */
function operations(): Array<{ resource: string; operation: string; action?: string }> {
	const pairs: Array<{ resource: string; operation: string; action?: string }> = [];
	for (const p of node.properties.filter((p) => p.name === 'operation')) {
		for (const resource of (p.displayOptions?.show?.resource ?? []) as string[]) {
			for (const o of p.options ?? []) if ('value' in o) pairs.push({ resource, operation: String(o.value), action: 'action' in o ? o.action : undefined });
		}
	}
	return pairs;
}

describe('the editor and our node descriptions', () => {
	it('no parameter is taken for a credential-type selector: Event, Resource and every Operation stay visible in the panel', () => {
		expect(editorMainAuthField(trigger)).toBeNull();
		expect(editorMainAuthField(node)).toBeNull();
		expect(editorMainAuthField(piiRedact)).toBeNull();
		// The rule that keeps it so: credentials are shown with `hide`, never `show`.
		for (const d of [node, trigger]) for (const c of d.credentials ?? []) expect(c.displayOptions?.show).toBeUndefined();
	});

	it('the trigger shows exactly the credential its event needs', () => {
		expect(shownCredentials(trigger, { event: 'retentionCandidates' })).toEqual(['intercomGdprApi']);
		expect(shownCredentials(trigger, { event: 'requestDeadlines' })).toEqual(['gdprLedger']);
	});

	// Written out, not taken from LEDGER_OPERATIONS: the operations whose files open the ledger
	// (getLedger / ledgerConfigFrom), so one missing from the node's list is caught here.
	const USES_LEDGER = ['enforce', 'erase', 'export', 'listRequests', 'publishPackage', 'purge', 'search', 'servePackage', 'trackRequest', 'verify', 'verifyIdentity'];

	it('LEDGER_OPERATIONS is the list of operations that open the ledger', () => {
		expect([...LEDGER_OPERATIONS].sort()).toEqual(USES_LEDGER);
	});

	it('the action node shows the GDPR Ledger credential for the operations that record or read the ledger, Intercom for all but Ledger and n8n Execution, n8n API for n8n Execution only', () => {
		const pairs = operations();
		expect(pairs.length).toBeGreaterThanOrEqual(16);
		for (const { resource, operation } of pairs) {
			const shown = shownCredentials(node, { resource, operation });
			const expected = [
				...(resource === 'ledger' || resource === 'n8nExecution' ? [] : ['intercomGdprApi']),
				...(USES_LEDGER.includes(operation) ? ['gdprLedger'] : []),
				...(resource === 'n8nExecution' ? ['gdprN8nApi'] : []),
			];
			expect({ resource, operation, shown }).toEqual({ resource, operation, shown: expected });
		}
	});

	it('offers no "Custom API Call" (n8n adds it to every Resource/Operation list when a credential has `authenticate`)', () => {
		for (const p of node.properties.filter((p) => p.name === 'operation' || p.name === 'resource')) {
			expect((p.options ?? []).map((o) => ('name' in o ? o.name : ''))).not.toContain('Custom API Call');
		}
		// n8n injects it at load time when ANY credential of the node has `authenticate`: none may.
		for (const credential of [new IntercomGdprApi(), new GdprLedger(), new GdprN8nApi()]) {
			expect({ credential: credential.name, authenticate: (credential as { authenticate?: unknown }).authenticate }).toEqual({ credential: credential.name, authenticate: undefined });
		}
		expect(node.credentials?.map((c) => c.name).sort()).toEqual(['gdprLedger', 'gdprN8nApi', 'intercomGdprApi']);
	});

	it('canvas subtitles read as actions ("Find a data subject", "On retention candidates"), not internal names', () => {
		expect(subtitle(node, { resource: 'dataSubject', operation: 'find' })).toBe('Find a data subject');
		expect(subtitle(node, { resource: 'bulkExport', operation: 'startAndWait' })).toBe('Start a bulk export and wait for it');
		expect(subtitle(node, { resource: 'ledger', operation: 'verify' })).toBe('Verify the audit ledger');
		// Every operation of every resource: its own action text (a resource added to `properties` but
		// not to `operationProperties` in IntercomGdpr.node.ts would show its internal name).
		for (const { resource, operation, action } of operations()) expect({ resource, operation, subtitle: subtitle(node, { resource, operation }) }).toEqual({ resource, operation, subtitle: action });
		expect(subtitle(trigger, { event: 'retentionCandidates' })).toBe('On retention candidates');
		expect(subtitle(trigger, { event: 'requestDeadlines' })).toBe('On request deadlines');
	});

	it('the node creator merges the two nodes into one "Intercom GDPR" entry with the trigger\'s description: it describes both', () => {
		// editor-ui generateMergedNodesAndActions: a trigger named like an action node + "Trigger" is
		// merged into it and `merged.description = trigger.description`.
		expect(trigger.name.replace('Trigger', '')).toBe(node.name);
		expect(trigger.description.startsWith(node.description)).toBe(true);
		expect(trigger.description).toMatch(/access and erasure requests/);
		expect(trigger.description).toMatch(/retention candidates or request deadlines/);
	});
});
