// Chaining e2e in real n8n (`npm run test:e2e:chain`, through test/e2e-queue/run.sh chain): the two
// importable examples, pointed at local stand-ins, run with `n8n execute`:
//   examples/dsar-email-package.json     Export (ZIP) → n8n's Send Email → a real SMTP server
//     (smtp-server, on 127.0.0.1, started here) receives the mail; the attachment's sha256 equals the
//     ledger's dsar.export entry and the node's packageSha256;
//   examples/erasure-receipt-to-jira.json Erase → n8n's Jira Software node (Server / self-hosted
//     credential) → test/chain/fake-jira.ts records the comment: the receipt, no personal data.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { openLedger } from '../../src/ledger';
import { startFakeIntercom } from '../fake-intercom/index';
import { startFakeJira } from './fake-jira';

const LEDGER_KEY = ['chain-e2e-ledger', 'not-secret-0123456789'].join('-'); // a throwaway ledger
const SMTP_USER = 'privacy-bot';
const SMTP_PASSWORD = 'smtp-not-secret';
const JIRA_USER = 'privacy-bot';
const JIRA_PASSWORD = 'jira-not-secret';
const say = (l: string) => process.stderr.write(`${l}\n`);

async function startSmtp(): Promise<{ port: number; mails: ParsedMail[]; close(): Promise<void> }> {
	const mails: ParsedMail[] = [];
	const server = new SMTPServer({
		secure: false,
		disabledCommands: ['STARTTLS'],
		allowInsecureAuth: true, // loopback only; the credential still has to be right
		authMethods: ['PLAIN', 'LOGIN'],
		onAuth(auth, _session, cb) {
			if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) cb(null, { user: auth.username });
			else cb(new Error('Invalid username or password'));
		},
		onData(stream, _session, cb) {
			simpleParser(stream)
				.then((m) => {
					mails.push(m);
					cb();
				})
				.catch((e: Error) => cb(e));
		},
		logger: false,
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.server.address() as { port: number }).port;
	return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * One n8n CLI command. Asynchronous on purpose: the fake Intercom, the SMTP server and the fake Jira
 * run in this process and must keep answering while n8n works.
 */
async function n8n(logs: string, name: string, args: string[]): Promise<string> {
	const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness: n8n's own CLI
		execFile('n8n', args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
			resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
		);
	});
	writeFileSync(join(logs, `${name}.log`), `${r.stdout}\n${r.stderr}`);
	if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} exited with ${r.code}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`);
	return r.stdout;
}

interface Wf {
	id: string;
	settings: Record<string, unknown>;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }> }>;
}

function example(file: string): Wf {
	return JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as Wf;
}

function setField(wf: Wf, node: string, field: string, value: string): void {
	const n = wf.nodes.find((x) => x.name === node)!;
	const a = (n.parameters.assignments as { assignments: Array<{ name: string; value: string }> }).assignments.find((x) => x.name === field)!;
	a.value = value;
}

async function main(): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'intercom-gdpr-chain-'));
	const logs = join(work, 'logs');
	mkdirSync(join(work, 'import', 'workflows'), { recursive: true });
	mkdirSync(logs, { recursive: true });
	const fake = await startFakeIntercom();
	const smtp = await startSmtp();
	const jira = await startFakeJira({ user: JIRA_USER, password: JIRA_PASSWORD, issues: ['PRIV-42'] });
	let ok = false;
	try {
		const fx = fake.workspace.fixtures;
		const dsarEmail = fx.userEmail;
		const eraseEmail = fx.leadEmail;

		const dsar = example('dsar-email-package.json');
		const toJira = example('erasure-receipt-to-jira.json');
		for (const wf of [dsar, toJira]) {
			assert.equal(wf.settings.saveDataSuccessExecution, 'none', `${wf.id}: the example does not save successful executions' data`);
		}
		setField(dsar, 'Request', 'requesterEmail', dsarEmail);
		setField(dsar, 'Request', 'requestId', 'DSAR-CHAIN-1');
		setField(toJira, 'Request', 'email', eraseEmail);
		setField(toJira, 'Request', 'requestId', 'DSR-CHAIN-1');
		setField(toJira, 'Request', 'jiraIssueKey', 'PRIV-42');
		// The example ships with Dry Run on (nothing is deleted on the first click); this run erases.
		for (const n of toJira.nodes) if (n.parameters.operation === 'erase') n.parameters.dryRun = false;
		for (const wf of [dsar, toJira]) writeFileSync(join(work, 'import', 'workflows', `${wf.id}.json`), JSON.stringify(wf, null, 2));
		const ids = (wf: Wf, type: string) => wf.nodes.flatMap((n) => (n.credentials?.[type] ? [n.credentials[type]] : []))[0];
		const creds = [
			{ ...ids(dsar, 'intercomGdprApi'), type: 'intercomGdprApi', data: { accessToken: fake.token, region: 'custom', baseUrl: fake.url, apiVersion: '2.14' } },
			{ ...ids(dsar, 'gdprLedger'), type: 'gdprLedger', data: { backend: 'sqlite', sqlitePath: '', secretKey: LEDGER_KEY } },
			{ ...ids(dsar, 'smtp'), type: 'smtp', data: { user: SMTP_USER, password: SMTP_PASSWORD, host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true } },
			{ ...ids(toJira, 'jiraSoftwareServerApi'), type: 'jiraSoftwareServerApi', data: { email: JIRA_USER, password: JIRA_PASSWORD, domain: jira.url } },
		];
		writeFileSync(join(work, 'import', 'credentials.json'), JSON.stringify(creds, null, 2));
		say('== import the two examples and their credentials');
		await n8n(logs, 'import-credentials', ['import:credentials', `--input=${join(work, 'import', 'credentials.json')}`]);
		await n8n(logs, 'import-workflows', ['import:workflow', '--separate', `--input=${join(work, 'import', 'workflows')}`]);

		say('== access package → Send Email → SMTP on 127.0.0.1');
		await n8n(logs, 'execute-dsar-email', ['execute', `--id=${dsar.id}`]);
		assert.equal(smtp.mails.length, 1, `mails received: ${smtp.mails.length}`);
		const mail = smtp.mails[0];
		assert.deepEqual(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((v) => v.address) : [], [dsarEmail]);
		assert.match(mail.subject ?? '', /request DSAR-CHAIN-1/);
		assert.equal(mail.attachments.length, 1, 'one attachment');
		const att = mail.attachments[0];
		assert.match(att.filename ?? '', /DSAR-CHAIN-1.*\.zip$/);
		assert.equal(att.content.subarray(0, 4).toString('hex'), '504b0304', 'the attachment is a ZIP');
		const sha = createHash('sha256').update(att.content).digest('hex');
		assert.ok((mail.text ?? '').includes(sha), 'the mail quotes the sha256 of its attachment');
		const ledgerPath = join(process.env.N8N_USER_FOLDER ?? '', '.n8n', 'intercom-gdpr-ledger.sqlite');
		const ledger = await openLedger({ kind: 'sqlite', path: ledgerPath, key: LEDGER_KEY });
		try {
			const [entry] = await ledger.search({ type: 'dsar.export', requestId: 'DSAR-CHAIN-1' });
			assert.ok(entry, 'dsar.export recorded');
			assert.equal(entry.data.packageSha256, sha, "the received ZIP's sha256 = the ledger's dsar.export entry");
			say(`   mail to the requester with ${att.filename} (${att.size} bytes), sha256 ${sha.slice(0, 16)}… = ledger dsar.export #${entry.seq}`);

			say('== erasure receipt → Jira Software (Server) → fake Jira');
			await n8n(logs, 'execute-erase-jira', ['execute', `--id=${toJira.id}`]);
			assert.equal(jira.comments.length, 1, `comments: ${jira.comments.length}`);
			const comment = jira.comments[0];
			assert.equal(comment.issueKey, 'PRIV-42');
			const body = String(comment.body);
			assert.match(body, /^Erasure receipt for request DSR-CHAIN-1: status erased; contacts deleted 1 of 1/);
			const done = (await ledger.search({ type: 'erasure.done', requestId: 'DSR-CHAIN-1' }))[0];
			assert.ok(done, 'erasure.done recorded');
			assert.ok(body.includes(`erasure.done #${done.seq} ${done.hash.slice(0, 16)}`), 'the comment names the ledger entry and its hash');
			for (const personal of [eraseEmail, eraseEmail.split('@')[0], fx.leadId]) assert.ok(!body.includes(personal), 'no personal data in the comment');
			assert.deepEqual(jira.requests.map((r) => `${r.method} ${r.path} ${r.status}`), ['POST /rest/api/2/issue/PRIV-42/comment 201']);
			assert.ok(!fake.workspace.contacts.has(fx.leadId), 'the person is gone from Intercom');
			say(`   comment on PRIV-42: "${body.slice(0, 120)}…"`);
		} finally {
			await ledger.close();
		}
		ok = true;
	} finally {
		await jira.close();
		await smtp.close();
		await fake.close();
		if (ok && process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
		else say(`logs kept in ${work}`);
	}
}

main().then(
	() => {
		say('\nCHAIN E2E OK');
		process.exit(0);
	},
	(e: unknown) => {
		say(`\nCHAIN E2E FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
		process.exit(1);
	},
);
