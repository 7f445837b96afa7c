// The Bulk Export example workflows use only parameters the operations define, and the Wait-node
// loop is wired Start → Wait → Get Status → IF → Download, looping back to Wait while running.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import * as bulkExport from '../../nodes/IntercomGdpr/actions/bulkExport';

interface WfNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}
interface Workflow {
	nodes: WfNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const load = (f: string): Workflow => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', f), 'utf8')) as Workflow;

/** Parameter names shown for an operation (top-level names, as a workflow stores them). */
function paramsOf(operation: string): Set<string> {
	const shown = (p: INodeProperties): boolean => {
		const show = p.displayOptions?.show ?? {};
		return (show.resource ?? ['bulkExport']).includes('bulkExport') && (show.operation ?? [operation]).includes(operation);
	};
	return new Set(['resource', 'operation', ...bulkExport.description.filter(shown).map((p) => p.name)]);
}

describe('Bulk Export examples', () => {
	it.each(['bulk-export-start-and-wait.json', 'bulk-export-wait-loop.json'])('%s sets only defined parameters', (file) => {
		const ours = load(file).nodes.filter((n) => n.type === 'n8n-nodes-intercom-gdpr.intercomGdpr');
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours) {
			const op = node.parameters.operation as string;
			expect(node.parameters.resource).toBe('bulkExport');
			expect(Object.keys(bulkExport)).toContain(op);
			for (const name of Object.keys(node.parameters)) expect(paramsOf(op), `${node.name}.${name}`).toContain(name);
		}
	});

	it('the Wait-node loop: Start → Wait → Get Status → IF completed → Download, else back to Wait while running', () => {
		const wf = load('bulk-export-wait-loop.json');
		const next = (from: string, output = 0): string[] => (wf.connections[from]?.main[output] ?? []).map((c) => c.node);
		const op = (name: string): unknown => wf.nodes.find((n) => n.name === name)?.parameters.operation;
		expect(op('Start Export')).toBe('start');
		expect(next('Start Export')).toEqual(['Wait']);
		expect(next('Wait')).toEqual(['Get Status']);
		expect(op('Get Status')).toBe('getStatus');
		expect(next('Get Status')).toEqual(['Completed?']);
		expect(next('Completed?', 0)).toEqual(['Download']);
		expect(op('Download')).toBe('download');
		expect(next('Completed?', 1)).toEqual(['Still Running?']);
		expect(next('Still Running?', 0)).toEqual(['Wait']);
	});
});
