// The two request examples, pointed at the sandbox: credentials, the download URL of this n8n, and
// settings unchanged (saved executions: none).
//   node --import tsx test/e2e-requests/workflows.ts <out-dir> <n8n-port>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ACCESS_ID = 'icGdprExAccess01';
export const DOWNLOAD_ID = 'icGdprExDownld01';
const SMTP = { id: 'icGdprSmtpCred01', name: 'SMTP (privacy mailbox)' };

function main(): void {
	const [out, port] = process.argv.slice(2);
	if (!out || !port) throw new Error('usage: workflows.ts <out-dir> <n8n-port>');
	mkdirSync(out, { recursive: true });
	for (const file of ['access-request-verified-delivery.json', 'dsar-download-webhook.json']) {
		const wf = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as { nodes: Array<{ name: string; parameters: Record<string, unknown>; credentials?: Record<string, unknown> }> };
		for (const node of wf.nodes) {
			if (node.credentials?.smtp) node.credentials.smtp = { ...SMTP };
			if (node.name === 'Publish Package') node.parameters.downloadUrl = `http://127.0.0.1:${port}/webhook/dsar-download`;
		}
		writeFileSync(join(out, file), JSON.stringify(wf, null, 2));
	}
}

if (require.main === module) main();
