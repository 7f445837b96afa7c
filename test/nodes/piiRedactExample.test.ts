// examples/pii-redact-dsar-item.json, run through the node with its own parameters: the same item
// and the same expectations as the real-n8n e2e check (test/e2e/check.ts, "pii-redact").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { PiiRedact } from '../../nodes/PiiRedact/PiiRedact.node';
import { piiContext } from './context';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: IDataObject;
}

const wf = JSON.parse(readFileSync(join(__dirname, '../../examples/pii-redact-dsar-item.json'), 'utf8')) as { nodes: WorkflowNode[] };
const byName = (name: string): WorkflowNode => wf.nodes.find((n) => n.name === name)!;

describe('example: PII Redact on a DSAR-like item', () => {
	it('removes every email, phone and card, keeps ids, dates, order and version numbers, counts findings', async () => {
		const item = JSON.parse(byName('DSAR-like Item').parameters.jsonOutput as string) as IDataObject;
		const redactNode = byName('PII Redact');
		expect(redactNode.type).toBe('n8n-nodes-intercom-gdpr.piiRedact');
		const { ctx, hints } = piiContext([{ json: item }], redactNode.parameters);
		const [[out]] = await new PiiRedact().execute.call(ctx);
		const text = JSON.stringify(out.json);
		expect(text).not.toMatch(/@example\.com|4111|7946|555 0132|DE89|Jane Doe/);
		expect(text).toContain('cust-0042');
		expect(text).toContain('#123456789');
		expect(text).toContain('2024-01-15');
		expect(text).toContain('v2.14.3');
		expect(out.json.piiFindings).toEqual({ total: 8, byType: { NAME: 1, EMAIL: 3, PHONE: 2, CARD: 1, IBAN: 1 } });
		expect(out.pairedItem).toEqual({ item: 0 });
		expect((out.json.conversations as IDataObject[])[0]).toEqual({
			id: '215468',
			created_at: 1736899200,
			source: { body: '<p>Hi, I\'m Jane (<a href="mailto:[EMAIL]">[EMAIL]</a>), call me on [PHONE] about order #123456789.</p>' },
			parts: [{ body: '<p>Please refund to [IBAN] &ndash; placed on 2024-01-15.</p>' }],
		});
		expect(hints[0].message).toBe('PII Redact: 8 findings in 1 of 1 items (EMAIL 3, PHONE 2, NAME 1, CARD 1, IBAN 1)');
	});
});
