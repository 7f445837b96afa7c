// Drives the access-request example in a running n8n as a requester and a privacy team would, and
// checks what each sees and what the ledger holds. Exits non-zero with a message on the first failure.
//   node --import tsx test/e2e-requests/drive.ts <n8n-port> <mail-dir> <work-dir> <fixtures.json> <ledger-path> <ledger-key>
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger } from '../../src/ledger';
import { sevenZip } from '../delivery/tools';
import { openResumeLink } from './resume';

const [port, mailDir, work, fixturesFile, ledgerPath, ledgerKey] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
const fx = JSON.parse(readFileSync(fixturesFile, 'utf8')) as { userEmail: string };
const steps: Array<[string, string]> = [];
// n8n registers a Form Trigger's production webhook under the node's webhookId: /form/<webhookId>.
const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'access-request-verified-delivery.json'), 'utf8')) as { nodes: Array<{ type: string; webhookId?: string }> };
const formUrl = `${base}/form/${example.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger')?.webhookId ?? ''}`;

function ok(cond: unknown, what: string): asserts cond {
	if (!cond) throw new Error(what);
}
const step = (name: string, detail: string) => {
	steps.push([name, detail]);
	console.log(`  ok  ${name}: ${detail}`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


interface Mail {
	to: string[];
	subject: string;
	text: string;
}
const seen = new Set<string>();
async function mail(subject: RegExp, timeoutMs = 60_000): Promise<Mail> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		for (const f of existsSync(mailDir) ? readdirSync(mailDir).sort() : []) {
			if (seen.has(f)) continue;
			const m = JSON.parse(readFileSync(join(mailDir, f), 'utf8')) as Mail;
			if (subject.test(m.subject)) {
				seen.add(f);
				return m;
			}
		}
		await sleep(250);
	}
	throw new Error(`no email with subject ${subject} within ${timeoutMs / 1000} s (got: ${readdirSync(mailDir).length} mails)`);
}
const firstUrl = (text: string) => /(https?:\/\/\S+)/.exec(text)?.[1];

async function main(): Promise<void> {
	// n8n answers readiness before it has registered the published workflows' webhooks: wait for the form page.
	for (let i = 0; i < 240; i++) {
		if ((await fetch(formUrl).catch(() => undefined))?.status === 200) break;
		await sleep(500);
	}
	// 1. The requester fills in the form (n8n Form Trigger: multipart, fields field-0…).
	const form = new FormData();
	form.set('field-0', fx.userEmail);
	const sub = await fetch(formUrl, { method: 'POST', body: form });
	ok(sub.status === 200, `form submission answered ${sub.status}: ${(await sub.text()).slice(0, 300)}`);
	step('form', `submitted for the fixture user, HTTP ${sub.status}`);

	const ack = await mail(/^We received your request/);
	ok(ack.to.includes(fx.userEmail), `acknowledgement went to ${ack.to.join(',')}`);
	const requestId = /(DSR-\d{8}-\d+)/.exec(ack.subject)?.[1];
	ok(requestId, `no request id in "${ack.subject}"`);
	step('acknowledgement email', `to the requester, request ${requestId}`);

	// 2. The verification email goes to the address Intercom holds; the requester opens the link.
	const verify = await mail(/^Confirm your request/);
	ok(verify.to.length === 1 && verify.to[0] === fx.userEmail, `code went to ${verify.to.join(',')}`);
	const code = /code is (\d{6})/.exec(verify.text)?.[1];
	const resume = firstUrl(verify.text);
	ok(code && resume && resume.includes(`code=${code}`), 'the verification email has no code / resume link');
	// A wrong code first? The Wait node resumes once: the right answer is the one a requester sends.
	const r1 = await openResumeLink(resume);
	ok(r1.status === 200, `resume URL answered ${r1.status}`);
	step('verification email', `6-digit code to Intercom's address; resume link answered ${r1.status}`);

	// 3. The privacy team gets the review email and approves.
	const review = await mail(/^Review access package/);
	const approve = firstUrl(review.text);
	ok(approve && review.to.includes('privacy-team@example.com'), 'review email without an approve link');
	ok(!review.text.includes(fx.userEmail), 'the review email names the person');
	const r2 = await openResumeLink(approve);
	ok(r2.status === 200, `approve URL answered ${r2.status}`);
	step('review email', `to the privacy team, approved (HTTP ${r2.status})`);

	// 4. Link and passphrase arrive in two messages.
	const linkMail = await mail(/^Your data: request/);
	const passMail = await mail(/^Passphrase for request/);
	const link = firstUrl(linkMail.text);
	const passphrase = /your file: (\S+)/.exec(passMail.text)?.[1];
	ok(link && link.startsWith(`${base}/webhook/dsar-download?token=`), `link ${link}`);
	ok(passphrase && !linkMail.text.includes(passphrase), 'passphrase missing, or in the link email');
	step('link + passphrase emails', 'separate messages to the requester');

	// 5. One download through n8n's webhook; 7-Zip opens it; every file matches manifest.json.
	const d1 = await fetch(link);
	ok(d1.status === 200, `first download answered ${d1.status}: ${(await d1.clone().text()).slice(0, 200)}`);
	const zip = Buffer.from(await d1.arrayBuffer());
	const zipPath = join(work, 'downloaded.zip');
	writeFileSync(zipPath, zip);
	const listing = sevenZip(['l', '-slt', `-p${passphrase}`, zipPath]);
	ok(/Method = AES-256/.test(listing), 'entries are not AES-256');
	// One entry with a neutral name: no file name (attachment names, contact ids) is readable without the passphrase.
	const names = [...listing.matchAll(/^Path = (.+)$/gm)].map((m) => m[1]).slice(1);
	ok(JSON.stringify(names) === '["package.zip"]', `the encrypted ZIP lists ${JSON.stringify(names)}, not only package.zip`);
	ok(!zip.includes('manifest.json') && !zip.includes('files/'), 'a file name of the package is readable in the encrypted bytes');
	const outer = join(work, 'outer');
	sevenZip(['x', `-p${passphrase}`, `-o${outer}`, '-y', zipPath]);
	const out = join(work, 'package');
	sevenZip(['x', `-o${out}`, '-y', join(outer, 'package.zip')]); // the plain ZIP inside: Export's package
	const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { files: Array<{ name: string; size: number; sha256: string }> };
	const onDisk = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
	for (const f of manifest.files) {
		const data = readFileSync(join(out, f.name));
		ok(createHash('sha256').update(data).digest('hex') === f.sha256 && data.length === f.size, `${f.name} does not match manifest.json`);
	}
	ok(onDisk === manifest.files.length + 1, `${onDisk} files, manifest lists ${manifest.files.length} (+ itself)`);
	step('download', `HTTP 200, ${zip.length} bytes, AES-256, one entry package.zip; ${manifest.files.length} files inside match manifest.json`);

	const d2 = await fetch(link);
	ok(d2.status === 410, `second download answered ${d2.status}`);
	step('second download', `refused with HTTP ${d2.status}`);

	// 6. The ledger shows every step, in order, and no code, passphrase, token or email.
	const ledger = await openLedger({ kind: 'sqlite', path: ledgerPath, key: ledgerKey });
	try {
		let types: string[] = [];
		for (let i = 0; i < 40; i++) {
			types = (await ledger.search({ requestId, limit: 100 })).map((e) => e.type);
			if (types.includes('request.closed')) break;
			await sleep(250);
		}
		const expected = ['request.received', 'request.acknowledged', 'request.verified', 'dsar.export', 'request.delivered', 'request.closed'];
		ok(JSON.stringify(types) === JSON.stringify(expected), `ledger steps ${JSON.stringify(types)}`);
		const all = JSON.stringify(await ledger.search({ limit: 1000 }));
		const token = new URL(link).searchParams.get('token') ?? '';
		for (const secret of [code, passphrase, token, fx.userEmail]) ok(!all.includes(secret), 'a secret or the email is in the ledger');
		ok((await ledger.verify()).ok, 'ledger verify failed');
		step('ledger', `${types.join(' → ')}; chain verifies; no code, passphrase, token or email`);
	} finally {
		await ledger.close();
	}
}

main().then(
	() => console.log(`\nrequests e2e: ${steps.length} checks passed`),
	(error: Error) => {
		console.error(`\nFAILED after ${steps.length} checks: ${error.message}`);
		process.exit(1);
	},
);
