// The request examples, pointed at the sandbox: credentials, the download URL of this n8n, and
// settings unchanged (saved executions: none). The review example (Export → Wait form → Send Email)
// is started by a manual click in the editor; its copy here starts from a webhook instead, so the
// test can start it over HTTP — every other node is the shipped one.
//   node --import tsx test/e2e-requests/workflows.ts <out-dir> <n8n-port>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ACCESS_ID = 'icGdprExAccess01';
export const DOWNLOAD_ID = 'icGdprExDownld01';
export const REVIEW_ID = 'icGdprExDsarRev1';
export const REVIEW_PATH = 'dsar-review-e2e';
const SMTP = { id: 'icGdprSmtpCred01', name: 'SMTP (privacy mailbox)' };

interface Wf {
	nodes: Array<{ name: string; type: string; typeVersion: number; webhookId?: string; parameters: Record<string, unknown>; credentials?: Record<string, unknown> }>;
}

/** The review example with its Manual Trigger swapped for a webhook whose body carries email and requestId. */
function reviewCopy(wf: Wf): Wf {
	const start = wf.nodes.find((n) => n.name === 'Start' && n.type === 'n8n-nodes-base.manualTrigger');
	if (!start) throw new Error('dsar-export-review-send.json: no Manual Trigger named Start');
	Object.assign(start, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: '5b1f0e52-1c7a-4d0e-9d1a-0000000009e2',
		parameters: { httpMethod: 'POST', path: REVIEW_PATH, responseMode: 'onReceived', options: {} },
	});
	const request = wf.nodes.find((n) => n.name === 'Request');
	const fields = (request?.parameters.assignments as { assignments: Array<{ name: string; value: string }> } | undefined)?.assignments ?? [];
	for (const name of ['email', 'requestId']) {
		const field = fields.find((a) => a.name === name);
		if (!field) throw new Error(`dsar-export-review-send.json: Request has no field ${name}`);
		field.value = `={{ $json.body.${name} }}`;
	}
	return wf;
}

function main(): void {
	const [out, port] = process.argv.slice(2);
	if (!out || !port) throw new Error('usage: workflows.ts <out-dir> <n8n-port>');
	mkdirSync(out, { recursive: true });
	for (const file of ['access-request-verified-delivery.json', 'dsar-download-webhook.json', 'dsar-export-review-send.json']) {
		let wf = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as Wf;
		for (const node of wf.nodes) {
			if (node.credentials?.smtp) node.credentials.smtp = { ...SMTP };
			if (node.name === 'Publish Package') node.parameters.downloadUrl = `http://127.0.0.1:${port}/webhook/dsar-download`;
		}
		if (file === 'dsar-export-review-send.json') wf = reviewCopy(wf);
		writeFileSync(join(out, file), JSON.stringify(wf, null, 2));
	}
}

if (require.main === module) main();
