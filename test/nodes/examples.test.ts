// The example workflows as a user imports them (examples/*.json), and the copies npm start and the
// e2e make of them (test/e2e/workflows.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DSAR_READ_NODE, DSAR_WORKFLOW_ID, ERASE_WORKFLOW_ID, forE2e, RETENTION_WORKFLOW_ID, pointAtSandbox, type Fixtures } from '../e2e/workflows';

interface Node {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}
interface Workflow {
	id: string;
	name: string;
	settings?: Record<string, unknown>;
	nodes: Node[];
	connections?: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
}

const dir = join(__dirname, '..', '..', 'examples');
const load = (): Array<[string, Workflow]> =>
	readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Workflow]);
const fixtures = { sharedEmail: 's@example.com', sharedEmailLeadId: 'a', sharedEmailUserId: 'b', userId: 'c', userEmail: 'u@example.com', unknownEmail: 'n@example.com', leadId: 'd' } as Fixtures;

describe('examples/*.json', () => {
	it('there are examples, each with a fixed id and a name', () => {
		const all = load();
		expect(all.length).toBeGreaterThanOrEqual(10);
		for (const [, wf] of all) expect(wf.id).toMatch(/^[A-Za-z0-9]{16}$/);
	});

	it.each(load())('%s keeps no data of successful runs: saveDataSuccessExecution "none", manual executions not saved', (_file, wf) => {
		expect(wf.settings).toMatchObject({ saveDataSuccessExecution: 'none', saveManualExecutions: false });
	});

	it.each(load())('%s deletes nothing on the first click: every Erase and Enforce ships with Dry Run on', (_file, wf) => {
		for (const n of wf.nodes.filter((n) => n.parameters.operation === 'erase' || n.parameters.operation === 'enforce')) {
			expect({ node: n.name, dryRun: n.parameters.dryRun }).toEqual({ node: n.name, dryRun: true });
		}
	});

	it.each(load())('%s holds only user-facing parts: n8n\'s own nodes and ours, no test-only node', (_file, wf) => {
		for (const n of wf.nodes) {
			expect(n.type).toMatch(/^(n8n-nodes-base\.|n8n-nodes-intercom-gdpr\.)/);
			expect(n.name).not.toMatch(/e2e|test/i);
		}
	});

	it('the sandbox copies (npm start) are the examples as shipped, only pointed at the sandbox', () => {
		for (const [, wf] of load()) {
			const copy = pointAtSandbox(structuredClone(wf) as never, fixtures) as unknown as Workflow;
			expect(copy.nodes.map((n) => n.name)).toEqual(wf.nodes.map((n) => n.name));
			for (const n of copy.nodes) if ('dryRun' in n.parameters) expect(n.parameters.dryRun).toBe(true);
		}
	});

	it('the e2e adds its own parts to its own copies: the DSAR reader node, Dry Run off', () => {
		const all = Object.fromEntries(load().map(([, wf]) => [wf.id, wf]));
		const dsar = forE2e(pointAtSandbox(structuredClone(all[DSAR_WORKFLOW_ID]) as never, fixtures)) as unknown as Workflow;
		expect(dsar.nodes.map((n) => n.name)).toContain(DSAR_READ_NODE);
		expect(all[DSAR_WORKFLOW_ID].nodes.map((n) => n.name)).not.toContain(DSAR_READ_NODE);
		// The two examples whose real deletion the e2e checks (others, e.g. the verified-erasure example's
		// "Legal Hold Check (Dry Run)" node, stay as shipped).
		for (const id of [ERASE_WORKFLOW_ID, RETENTION_WORKFLOW_ID]) {
			const copy = forE2e(pointAtSandbox(structuredClone(all[id]) as never, fixtures)) as unknown as Workflow;
			const switches = copy.nodes.filter((n) => 'dryRun' in n.parameters);
			expect(switches.length).toBeGreaterThan(0);
			for (const n of switches) expect(n.parameters.dryRun).toBe(false);
		}
	});
});
