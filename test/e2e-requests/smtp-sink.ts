// A real SMTP server on 127.0.0.1 (smtp-server) that parses every message (mailparser) and writes
// it as JSON into a folder, for the request e2e to read. Prints one JSON line with its port.
//   node --import tsx test/e2e-requests/smtp-sink.ts <mail-dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const dir = process.argv[2];
if (!dir) throw new Error('usage: smtp-sink.ts <mail-dir>');
mkdirSync(dir, { recursive: true });
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
				writeFileSync(join(dir, `${String(++n).padStart(4, '0')}.json`), JSON.stringify({ to: to.map((a) => a.address), subject: mail.subject ?? '', text: mail.text ?? '' }));
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
