// The request-lifecycle examples: importable structure, settings that keep personal data out of
// saved executions, our nodes using only parameters their operation shows, and the steps in order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { IntercomGdpr } from '../../nodes/IntercomGdpr/IntercomGdpr.node';

interface Wf {
	id: string;
	settings: IDataObject;
	nodes: Array<{ name: string; type: string; parameters: IDataObject; credentials?: IDataObject; webhookId?: string }>;
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}
const load = (file: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as Wf;
const properties = new IntercomGdpr().description.properties;

/** Parameter names the panel shows for a resource + operation (any sub-option). */
function shownFor(resource: string, operation: string): Set<string> {
	return new Set([
		'resource',
		'operation',
		...properties
			.filter((p: INodeProperties) => (p.displayOptions?.show?.resource ?? [resource]).includes(resource) && (p.displayOptions?.show?.operation ?? [operation]).includes(operation))
			.map((p) => p.name),
	]);
}

/** The main path from `start`, following output 0 (the "true"/success branch). */
function path(wf: Wf, start: string): string[] {
	const out = [start];
	let at = start;
	while (wf.connections[at]?.main[0]?.[0]) {
		at = wf.connections[at].main[0][0].node;
		out.push(at);
	}
	return out;
}

const FILES = ['access-request-verified-delivery.json', 'dsar-download-webhook.json', 'erasure-request-verified.json'];

describe.each(FILES)('examples/%s', (file) => {
	const wf = load(file);
	it('keeps personal data out of saved executions and is wired to existing nodes only', () => {
		expect(wf.settings).toMatchObject({ saveDataSuccessExecution: 'none', saveDataErrorExecution: 'none', saveManualExecutions: false });
		const names = new Set(wf.nodes.map((n) => n.name));
		expect(names.size).toBe(wf.nodes.length);
		for (const [from, c] of Object.entries(wf.connections)) {
			expect(names, from).toContain(from);
			for (const out of c.main) for (const to of out) expect(names, `${from} → ${to.node}`).toContain(to.node);
		}
	});

	it('our nodes use only parameters their operation shows, with both credentials', () => {
		for (const node of wf.nodes.filter((n) => n.type === 'n8n-nodes-intercom-gdpr.intercomGdpr')) {
			const shown = shownFor(node.parameters.resource as string, node.parameters.operation as string);
			for (const name of Object.keys(node.parameters)) expect(shown, `${node.name}.${name}`).toContain(name);
			expect(node.credentials).toEqual({ intercomGdprApi: { id: 'icGdprSandboxCrd', name: 'Intercom GDPR (sandbox)' }, gdprLedger: { id: 'icGdprLedgerCrd1', name: 'GDPR Ledger (sandbox)' } });
		}
	});
});

describe('the steps in order', () => {
	it('access: form → received → acknowledge → issue code → email → wait → check → export (gated) → publish → review → link → passphrase', () => {
		const wf = load('access-request-verified-delivery.json');
		expect(path(wf, 'Access Request Form')).toEqual([
			'Access Request Form', 'Request Fields', 'Track Received', 'Email Acknowledgement', 'Track Acknowledged', 'Issue Code', 'Code Issued?', 'Email Code', 'Wait for Requester',
			'Check Code', 'Verified?', 'Export Data Subject', 'Publish Package', 'Ask for Review', 'Wait for Review', 'Email Link', 'Email Passphrase',
		]);
		const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n]));
		expect(byName['Export Data Subject'].parameters.identityVerification).toBe('required');
		// The code goes to the address Intercom holds (Issue Code's sendTo), not the typed one.
		expect(byName['Email Code'].parameters.toEmail).toBe('={{ $json.sendTo }}');
		expect(byName['Email Link'].parameters.toEmail).toContain("$('Issue Code').item.json.sendTo");
		// Link and passphrase never in the same message.
		expect(String(byName['Email Link'].parameters.text)).not.toContain('passphrase }}');
		expect(String(byName['Email Passphrase'].parameters.text)).not.toContain('.link }}');
	});

	it('download: webhook → serve once → 200 with the file and Closed, or 410', () => {
		const wf = load('dsar-download-webhook.json');
		expect(path(wf, 'Download Link')).toEqual(['Download Link', 'Serve Package Once', 'Served?', 'Send File', 'Track Closed']);
		expect(wf.connections['Served?'].main[1].map((c) => c.node)).toEqual(['Link Not Valid']);
		expect(wf.nodes.find((n) => n.name === 'Link Not Valid')?.parameters.options).toEqual({ responseCode: 410 });
	});

	it('erasure: form → verify → legal-hold dry run → erase (gated) → recipients notified → confirmation recorded as delivered', () => {
		const wf = load('erasure-request-verified.json');
		expect(path(wf, 'Erasure Request Form')).toEqual([
			'Erasure Request Form', 'Request Fields', 'Track Received', 'Issue Code', 'Code Issued?', 'Email Code', 'Wait for Requester', 'Check Code', 'Verified?',
			'Legal Hold Check (Dry Run)', 'Not Held?', 'Erase Data Subject', 'Recipients List', 'Recipients', 'Track Recipient Notified', 'Confirm to Requester', 'Track Delivered',
		]);
		expect(wf.connections['Not Held?'].main[1].map((c) => c.node)).toEqual(['Track Refused (Legal Hold)']);
	});
});
