// A real SMTP server on 127.0.0.1 (smtp-server) that parses every message (mailparser) and writes
// it as JSON into a folder, for the request e2e to read. Attachments are written byte for byte into
// <mail-dir>-attachments/<mail number>-<n>.bin and listed (name, size, sha256, file) in the mail's JSON.
// Prints one JSON line with its port.
//   node --import tsx test/e2e-requests/smtp-sink.ts <mail-dir>
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const dir = process.argv[2];
if (!dir) throw new Error('usage: smtp-sink.ts <mail-dir>');
mkdirSync(dir, { recursive: true });
const attachmentDir = `${dir}-attachments`; // beside, not inside: readers parse every file in <mail-dir>
mkdirSync(attachmentDir, { recursive: true });
let n = 0;
const server = new SMTPServer({
	authOptional: true,
	disabledCommands: ['STARTTLS'],
	logger: false,
	onAuth(_auth, _session, cb) {
		cb(null, { user: 'n8n' });
	},
	onData(stream, _session, cb) {
		simpleParser(stream)
			.then((mail) => {
				const to = Array.isArray(mail.to) ? mail.to.flatMap((a) => a.value) : (mail.to?.value ?? []);
				const id = String(++n).padStart(4, '0');
				const attachments = mail.attachments.map((a, i) => {
					const file = join(attachmentDir, `${id}-${i + 1}.bin`);
					writeFileSync(file, a.content);
					return { filename: a.filename ?? '', size: a.content.length, sha256: createHash('sha256').update(a.content).digest('hex'), file };
				});
				writeFileSync(join(dir, `${id}.json`), JSON.stringify({ to: to.map((a) => a.address), subject: mail.subject ?? '', text: mail.text ?? '', attachments }));
				cb();
			})
			.catch((error: Error) => cb(error));
	},
});
server.listen(0, '127.0.0.1', () => {
	const address = server.server.address();
	console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
