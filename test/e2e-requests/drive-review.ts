// Drives the review example (examples/dsar-export-review-send.json; its copy starts from a webhook)
// in a running n8n: Export for Review → Ask for Review (the privacy team's email with the form's signed
// link) → the Wait node's form, answered here over HTTP as a reviewer would → Approved? → Send to Requester (n8n's Send Email) → the SMTP sink. Checks that the mail's ZIP
// is byte for byte the package the ledger recorded (sha256), and that it opens and matches its manifest.
//   node --import tsx test/e2e-requests/drive-review.ts <n8n-port> <mail-dir> <work-dir> <fixtures.json> <ledger-path> <ledger-key>
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger } from '../../src/ledger';
import { sevenZip } from '../delivery/tools';
import { REVIEW_PATH } from './workflows';
import { openResumeLink } from './resume';

const [port, mailDir, work, fixturesFile, ledgerPath, ledgerKey] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
const fx = JSON.parse(readFileSync(fixturesFile, 'utf8')) as { userEmail: string };
const REQUEST_ID = 'DSAR-E2E-REVIEW-1';
let checks = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function ok(cond: unknown, what: string): asserts cond {
	if (!cond) throw new Error(what);
}
const step = (name: string, detail: string) => {
	checks++;
	console.log(`  ok  ${name}: ${detail}`);
};

interface Mail {
	to: string[];
	subject: string;
	text: string;
	attachments?: Array<{ filename: string; size: number; sha256: string; file: string }>;
}
async function mail(subject: RegExp, timeoutMs = 90_000): Promise<Mail> {
	for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(250)) {
		for (const f of existsSync(mailDir) ? readdirSync(mailDir).sort() : []) {
			const m = JSON.parse(readFileSync(join(mailDir, f), 'utf8')) as Mail;
			if (subject.test(m.subject)) return m;
		}
	}
	throw new Error(`no email with subject ${subject} within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
	// 1. Start the copy over HTTP (n8n registers the webhook a moment after readiness).
	let started: Response | undefined;
	for (let i = 0; i < 240 && started?.status !== 200; i++) {
		if (started) await sleep(500);
		started = await fetch(`${base}/webhook/${REVIEW_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: fx.userEmail, requestId: REQUEST_ID }),
		}).catch(() => undefined);
		if (started && started.status !== 200 && started.status !== 404) break;
	}
	ok(started?.status === 200, `starting the review workflow answered ${started?.status}`);
	step('start', `webhook answered ${started.status}`);

	// 2. Export for Review ran; the privacy team got the review summary and the form's signed link.
	const ask = await mail(new RegExp(`^Review access package ${REQUEST_ID}$`));
	ok(JSON.stringify(ask.to) === JSON.stringify(['privacy-team@example.com']), `the review email went to ${ask.to.length} other address(es)`);
	ok(!ask.text.includes(fx.userEmail) && (ask.attachments ?? []).length === 0, 'the review email carries the person’s email or the package');
	ok(/Blockers: none/.test(ask.text) && /Redactions: \d+, withheld: \d+, omissions: \d+/.test(ask.text), 'the review email has no review summary');
	const formUrl = /(https?:\/\/\S+\/form-waiting\/\S+)/.exec(ask.text)?.[1] ?? '';
	ok(formUrl.startsWith(`${base}/form-waiting/`), 'the review email has no form link');
	const unsigned = await fetch(formUrl.replace(/\?.*$/, ''));
	ok(unsigned.status === 401, `the form without its signature answered ${unsigned.status}`);
	const page = await openResumeLink(formUrl);
	const html = await page.text();
	ok(page.status === 200, `the review form answered ${page.status}`);
	ok(html.includes(`Review access package ${REQUEST_ID}`), 'the review form does not name the request');
	ok(/Blockers: none/.test(html) && /Redactions: \d+, withheld: \d+, omissions: \d+/.test(html), 'the review form does not show the review summary');
	ok(!html.includes(fx.userEmail), "the review form shows the person's email");
	ok(!existsSync(mailDir) || !readdirSync(mailDir).some((f) => /Your access request/.test(readFileSync(join(mailDir, f), 'utf8'))), 'mail sent before the review');
	step('review email + form', `to the privacy team, no personal data; unsigned link refused (401); form shows blockers none and the redaction/withheld/omission counts; nothing sent yet`);

	// 3. The reviewer decides "Send" (n8n form fields are posted as multipart field-0, field-1, …).
	const form = new FormData();
	form.set('field-0', 'Send');
	form.set('field-1', 'E2E Reviewer');
	const answer = await fetch(formUrl, { method: 'POST', body: form });
	ok(answer.status === 200, `the form submission answered ${answer.status}: ${(await answer.clone().text()).slice(0, 300)}`);
	step('decision', `Send, HTTP ${answer.status}`);

	// 4. Send Email delivered the package to the person's address in Intercom.
	const sent = await mail(new RegExp(`^Your access request ${REQUEST_ID}$`));
	ok(JSON.stringify(sent.to) === JSON.stringify([fx.userEmail]), `the package went to ${sent.to.length} other address(es)`);
	ok(sent.attachments?.length === 1, `attachments: ${sent.attachments?.length}`);
	const att = sent.attachments[0];
	const zip = readFileSync(att.file);
	ok(att.filename.endsWith('.zip') && zip.subarray(0, 4).toString('hex') === '504b0304', `the attachment ${att.filename} is not a ZIP`);
	const sha = createHash('sha256').update(zip).digest('hex');
	ok(sha === att.sha256, 'the sink wrote other bytes than it received');

	// 5. Byte for byte the package Export recorded in the ledger.
	const ledger = await openLedger({ kind: 'sqlite', path: ledgerPath, key: ledgerKey });
	try {
		const [entry] = await ledger.search({ type: 'dsar.export', requestId: REQUEST_ID });
		ok(entry, 'no dsar.export entry for the request');
		ok(entry.data.packageSha256 === sha, `mail attachment sha256 ${sha.slice(0, 12)}… ≠ ledger's ${String(entry.data.packageSha256).slice(0, 12)}…`);
		step('mail', `to the person only, ${att.filename} (${zip.length} bytes), sha256 ${sha.slice(0, 16)}… = ledger dsar.export #${entry.seq}`);
	} finally {
		await ledger.close();
	}

	// 6. It opens with another ZIP implementation and every file matches manifest.json.
	const out = join(work, 'reviewed-package');
	sevenZip(['x', `-o${out}`, '-y', att.file]);
	const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { files: Array<{ name: string; size: number; sha256: string }> };
	for (const f of manifest.files) {
		const data = readFileSync(join(out, f.name));
		ok(createHash('sha256').update(data).digest('hex') === f.sha256 && data.length === f.size, `${f.name} does not match manifest.json`);
	}
	ok(manifest.files.some((f) => f.name === 'index.html') && manifest.files.some((f) => f.name === 'subject.json'), 'index.html or subject.json missing');
	step('package', `7-Zip opens it; ${manifest.files.length} files match manifest.json`);
}

main().then(
	() => console.log(`\nreview e2e: ${checks} checks passed`),
	(error: Error) => {
		console.error(`\nreview e2e FAILED after ${checks} checks: ${error.message}`);
		process.exit(1);
	},
);
