// examples/dsar-export-review-send.json: Export (ZIP + review) → review form (Wait) → approved? →
// send. The workflow must keep no successful execution data (the package is personal data), its
// Export node may only use parameters the node defines, and nothing is sent without approval.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { description } from '../../nodes/IntercomGdpr/actions/dataSubject/export.operation';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}
const wf = JSON.parse(readFileSync(join(__dirname, '../../examples/dsar-export-review-send.json'), 'utf8')) as {
	settings: Record<string, unknown>;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }>;
};
const node = (name: string) => wf.nodes.find((n) => n.name === name)!;

describe('examples/dsar-export-review-send.json', () => {
	it('saves no data of successful executions', () => {
		expect(wf.settings.saveDataSuccessExecution).toBe('none');
	});

	it('exports with the review output and only parameters the Export operation defines', () => {
		const exp = node('Export for Review');
		expect(exp.parameters).toMatchObject({ resource: 'dataSubject', operation: 'export', outputFormat: 'review' });
		const known = new Set(['resource', 'operation', ...description.map((p) => p.name)]);
		for (const k of Object.keys(exp.parameters)) expect(known, k).toContain(k);
		const options = description.find((p) => p.name === 'options')!.options!.map((o) => (o as { name: string }).name);
		for (const k of Object.keys(exp.parameters.options as object)) expect(options, k).toContain(k);
		expect(exp.parameters.controller).toBeTruthy();
		expect(exp.parameters.dpoContact).toBeTruthy();
	});

	it('sends only on the approved branch of the review, with the ZIP attached', () => {
		expect(node('Review')).toMatchObject({ type: 'n8n-nodes-base.wait', parameters: { resume: 'form' } });
		expect(wf.connections['Export for Review'].main[0].map((c) => c.node).sort()).toEqual(['Ask for Review', 'Package Again']);
		// n8n 2.x opens a waiting form only through its signed link: the reviewer gets it by email, without the person's data.
		expect(wf.connections['Ask for Review'].main[0].map((c) => c.node)).toEqual(['Review']);
		expect(String(node('Ask for Review').parameters.text)).toContain('$execution.resumeFormUrl');
		expect(String(node('Ask for Review').parameters.toEmail)).not.toContain('$');
		expect(wf.connections['Approved?'].main[0]).toEqual([expect.objectContaining({ node: 'Package Again', index: 1 })]);
		expect(wf.connections['Approved?'].main[1]).toEqual([]);
		expect(wf.connections['Package Again'].main[0]).toEqual([expect.objectContaining({ node: 'Send to Requester' })]);
		expect(node('Send to Requester').parameters.options).toMatchObject({ fileAttachments: 'data' });
		const conditions = JSON.stringify(node('Approved?').parameters);
		expect(conditions).toContain('review.blockers.length');
	});
});
