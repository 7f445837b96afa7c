// Assertions of the end-to-end run (test/e2e/run.sh) on what real n8n produced and on what the
// fake Intercom saw. Exits 1 with the reasons when anything is off.
//
//   node --import tsx test/e2e/check.ts find            <execute.out> <fixtures.json> <requests.json> <token>
//   node --import tsx test/e2e/check.ts find-many       <execute.out> <fixtures.json> <requests.json> <token>
//   node --import tsx test/e2e/check.ts credential-test <ok.json> <bad.json> <requests.json> <token>
//   node --import tsx test/e2e/check.ts panel           <types/nodes.json> <types/credentials.json>
//   node --import tsx test/e2e/check.ts bulk-export     <execute.out> <requests.json> <token> <fake url>
//   node --import tsx test/e2e/check.ts erase           <execute.out> <fixtures.json> <requests.json> <token>
//   node --import tsx test/e2e/check.ts ledger          <execute.out> before|after
//   node --import tsx test/e2e/check.ts ledger-credential-test <ok.json> <bad.json>
//   node --import tsx test/e2e/check.ts retention       <execute.out> <fixtures.json> <requests.json> <token>
//   node --import tsx test/e2e/check.ts dsar            <execute.out> <fixtures.json> <requests.json> <token>
//   node --import tsx test/e2e/check.ts pii-redact      <execute.out>
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { DSAR_NODE, DSAR_READ_NODE, FIND_NODE, readFixtures, requesterEmails } from './workflows';

interface LoggedRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	body: unknown;
	status: number;
}
interface Item {
	json: Record<string, unknown>;
	pairedItem?: { item: number } | number;
}
interface Contact {
	id: string;
	role: string;
}

const problems: string[] = [];
function expect(ok: boolean, what: string): void {
	if (!ok) problems.push(what);
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/** `n8n execute --rawOutput` mixes log lines into stdout; the result is the block from the first
 * line that is exactly "{" to the last line that is exactly "}". */
function readExecuteResult(file: string): { status: string; data: { resultData: Record<string, unknown> } } {
	const lines = readFileSync(file, 'utf8').split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start < 0 || end < start) throw new Error(`no JSON result block in ${file}`);
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

function nodeOutput(file: string, node: string): Item[] {
	const run = readExecuteResult(file);
	expect(run.status === 'success', `workflow status is "${run.status}", expected "success"`);
	const runData = run.data.resultData.runData as Record<string, Array<{ data?: { main: Item[][] } }>>;
	const items = runData?.[node]?.[0]?.data?.main?.[0];
	if (!items) throw new Error(`node "${node}" produced no output (error: ${JSON.stringify(run.data.resultData.error ?? null)})`);
	return items;
}

function readRequests(file: string): LoggedRequest[] {
	const raw = JSON.parse(readFileSync(file, 'utf8')) as LoggedRequest[] | { requests: LoggedRequest[] };
	const list = Array.isArray(raw) ? raw : raw.requests;
	return list.map((r) => ({
		...r,
		headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
	}));
}

/** True when `body` (a search request) holds the condition email = `email` somewhere in its query. */
function searchesEmail(body: unknown, email: string): boolean {
	if (Array.isArray(body)) return body.some((b) => searchesEmail(b, email));
	if (!body || typeof body !== 'object') return false;
	const o = body as Record<string, unknown>;
	if (o.field === 'email' && o.operator === '=' && String(o.value).toLowerCase() === email.toLowerCase()) return true;
	return Object.values(o).some((v) => searchesEmail(v, email));
}

function expectNoPersonalData(items: Item[]): void {
	const text = JSON.stringify(items.map((i) => i.json));
	const leaked = EMAIL.exec(text);
	expect(!leaked, `node output contains an email address (${leaked?.[0]}); it must hold ids and roles only`);
}

function expectSearchesFor(requests: LoggedRequest[], emails: string[], token: string): void {
	const searches = requests.filter((r) => r.method === 'POST' && r.path === '/contacts/search');
	for (const email of emails) {
		const hit = searches.find((r) => searchesEmail(r.body, email));
		expect(!!hit, `the fake saw no POST /contacts/search for email = <fixture ${emails.indexOf(email)}>`);
		if (hit) {
			expect(hit.headers.authorization === `Bearer ${token}`, 'the search did not carry the credential\'s Bearer token');
			expect(hit.headers['intercom-version'] === '2.14', `the search sent Intercom-Version "${hit.headers['intercom-version']}", expected "2.14"`);
		}
	}
}

function contactsOf(item: Item): Contact[] {
	return (item.json.contacts as Contact[] | undefined) ?? [];
}

function checkFind(executeOut: string, fixturesFile: string, requestsFile: string, token: string): void {
	const fx = readFixtures(fixturesFile);
	const items = nodeOutput(executeOut, FIND_NODE);
	expect(items.length === 1, `expected 1 output item, got ${items.length}`);
	const [item] = items;
	expect(item.json.found === true, `found is ${String(item.json.found)}, expected true`);
	expect(item.json.contactCount === 2, `contactCount is ${String(item.json.contactCount)}, expected 2 (a lead and a user share the email)`);
	const contacts = contactsOf(item);
	expect(
		JSON.stringify(contacts.map((c) => c.role).sort()) === '["lead","user"]',
		`contact roles are ${JSON.stringify(contacts.map((c) => c.role))}, expected a lead and a user`,
	);
	expect(
		JSON.stringify(contacts.map((c) => c.id).sort()) === JSON.stringify([fx.sharedEmailLeadId, fx.sharedEmailUserId].sort()),
		'the contact ids are not the fixture\'s sharedEmailLeadId and sharedEmailUserId',
	);
	expectNoPersonalData(items);
	expectSearchesFor(readRequests(requestsFile), [fx.sharedEmail], token);
	report('find by email', `found ${contacts.length} contacts (${contacts.map((c) => c.role).join(' + ')}), no email in the output`);
}

function checkFindMany(executeOut: string, fixturesFile: string, requestsFile: string, token: string): void {
	const fx = readFixtures(fixturesFile);
	const items = nodeOutput(executeOut, FIND_NODE);
	expect(items.length === 3, `expected 3 output items (one per requester), got ${items.length}`);
	const summary = items.map((i) => `${String(i.json.found)}/${String(i.json.contactCount)}`);
	expect(JSON.stringify(summary) === '["true/2","true/1","false/0"]', `found/contactCount per item are ${JSON.stringify(summary)}, expected ["true/2","true/1","false/0"]`);
	const user = items[1] ? contactsOf(items[1]) : [];
	expect(user.length === 1 && user[0].id === fx.userId && user[0].role === 'user', 'item 2 is not the fixture\'s plain user');
	const paired = items.map((i) => (typeof i.pairedItem === 'number' ? i.pairedItem : i.pairedItem?.item));
	expect(JSON.stringify(paired) === '[0,1,2]', `pairedItem is ${JSON.stringify(paired)}, expected [0,1,2]`);
	expectNoPersonalData(items);
	expectSearchesFor(readRequests(requestsFile), requesterEmails(fx), token);
	report('find a list of requesters', `answers ${summary.join(', ')} (found/contacts)`);
}

function checkCredentialTest(okFile: string, badFile: string, requestsFile: string, token: string): void {
	const ok = JSON.parse(readFileSync(okFile, 'utf8')) as { data?: { status?: string; message?: string } };
	const bad = JSON.parse(readFileSync(badFile, 'utf8')) as { data?: { status?: string; message?: string } };
	expect(ok.data?.status === 'OK', `credential test with the right token answered ${JSON.stringify(ok)}, expected status OK`);
	expect(bad.data?.status === 'Error', `credential test with a wrong token answered ${JSON.stringify(bad)}, expected status Error`);
	// Not n8n's bare "Unauthorized": which field to check (the credential's test rules).
	expect(/Check "Access Token"/.test(bad.data?.message ?? ''), `credential test with a wrong token says "${bad.data?.message}", expected it to say which field to check`);
	const me = readRequests(requestsFile).filter((r) => r.method === 'GET' && r.path === '/me');
	const good = me.find((r) => r.headers.authorization === `Bearer ${token}`);
	expect(!!good, `the fake saw no GET /me with the credential's Bearer token (saw ${me.length} GET /me)`);
	if (good) {
		expect(good.headers['intercom-version'] === '2.14', `GET /me sent Intercom-Version "${good.headers['intercom-version']}", expected "2.14"`);
		expect(/application\/json/.test(good.headers.accept ?? ''), `GET /me sent Accept "${good.headers.accept}", expected application/json`);
		expect(good.status === 200, `GET /me was answered ${good.status}`);
	}
	expect(me.some((r) => r.status === 401), 'the wrong-token credential test did not reach the fake as a 401 GET /me');
	report('credential test', `OK with the token, Error without; GET /me carried Bearer + Intercom-Version 2.14`);
}

/** What the editor's node panel and credential list are built from. */
function checkPanel(nodesFile: string, credentialsFile: string): void {
	const nodes = JSON.parse(readFileSync(nodesFile, 'utf8')) as Array<{ name: string; displayName: string }>;
	const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as Array<{ name: string }>;
	const ours = nodes.filter((n) => n.name.startsWith('n8n-nodes-intercom-gdpr.'));
	expect(ours.some((n) => n.name === 'n8n-nodes-intercom-gdpr.intercomGdpr'), 'n8n does not list n8n-nodes-intercom-gdpr.intercomGdpr among its node types');
	expect(ours.some((n) => n.name === 'n8n-nodes-intercom-gdpr.piiRedact'), 'n8n does not list n8n-nodes-intercom-gdpr.piiRedact among its node types');
	expect(credentials.some((c) => c.name === 'intercomGdprApi'), 'n8n does not list the intercomGdprApi credential type');
	expect(credentials.some((c) => c.name === 'gdprLedger'), 'n8n does not list the gdprLedger credential type');
	// What the editor builds its panels from: no "Custom API Call" injected (n8n adds it when a credential
	// has `authenticate`), and the trigger's Event is not a credential-type selector (no `show` on credentials).
	const full = nodes as unknown as Array<{ name: string; properties: Array<{ name: string; options?: Array<{ name: string }> }>; credentials?: Array<{ displayOptions?: { show?: unknown } }> }>;
	for (const n of full.filter((x) => x.name.startsWith('n8n-nodes-intercom-gdpr.'))) {
		const custom = n.properties.filter((p) => (p.options ?? []).some((o) => o.name === 'Custom API Call')).map((p) => p.name);
		expect(custom.length === 0, `${n.name}: n8n injected "Custom API Call" into ${custom.join(', ')}`);
		expect((n.credentials ?? []).every((c) => c.displayOptions?.show === undefined), `${n.name}: a credential is shown by displayOptions.show (the editor would hide that parameter)`);
	}
	report('node panel', `n8n lists ${ours.map((n) => n.name).join(', ')} and the intercomGdprApi credential`);
}

/**
 * Bulk Export → Start and Wait (rows as items): the rows n8n output are exactly the CSV rows of the
 * job's download (fetched again here from the fake), and the node started one job, polled it and
 * downloaded it with Accept: application/octet-stream.
 */
async function checkBulkExport(executeOut: string, requestsFile: string, token: string, fakeUrl: string): Promise<void> {
	const items = nodeOutput(executeOut, 'Export Last Year');
	const requests = readRequests(requestsFile);
	const starts = requests.filter((r) => r.method === 'POST' && r.path === '/export/content/data');
	expect(starts.length === 1 && starts[0].status === 200, `expected one POST /export/content/data answered 200, saw ${JSON.stringify(starts.map((r) => r.status))}`);
	const polls = requests.filter((r) => r.method === 'GET' && r.path.startsWith('/export/content/data/'));
	expect(polls.length >= 2, `expected at least 2 status polls, saw ${polls.length}`);
	const downloads = requests.filter((r) => r.method === 'GET' && r.path.startsWith('/download/content/data/'));
	expect(downloads.length === 1, `expected 1 download, saw ${downloads.length}`);
	const dl = downloads[0];
	if (dl) {
		expect(dl.headers.accept === 'application/octet-stream', `the download sent Accept "${dl.headers.accept}"`);
		expect(dl.headers.authorization === `Bearer ${token}`, 'the download did not carry the Bearer token');
		const res = await fetch(`${fakeUrl}${dl.path}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/octet-stream' } });
		const csvLines = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8').trim().split('\n');
		expect(items.length === csvLines.length - 1, `n8n output ${items.length} rows, the export holds ${csvLines.length - 1}`);
		const header = csvLines[0].split(',');
		const first = items[0]?.json ?? {};
		expect(header.every((h) => h in first), `the first row lacks columns of the CSV header (${header.join(',')})`);
	}
	expect(items.length > 0 && items.every((i) => typeof i.json.sourceFile === 'string' && /\.csv$/.test(i.json.sourceFile as string)), 'rows lack the CSV name in sourceFile');
	report('bulk export, start and wait', `${items.length} CSV rows as items after ${polls.length} status polls and 1 streamed download`);
}

/** Data Subject → Erase of the fixture user: the receipt, and what the fake saw deleted. */
function checkErase(executeFile: string, fixturesFile: string, requestsFile: string, token: string): void {
	const fx = readFixtures(fixturesFile);
	const items = nodeOutput(executeFile, 'Erase Data Subject');
	expect(items.length === 1, `Erase output ${items.length} items, expected 1`);
	const r = items[0]?.json ?? {};
	expect(r.status === 'erased' && r.dryRun === false, `receipt status ${String(r.status)}/dryRun ${String(r.dryRun)}, expected erased/false`);
	expect(r.requestId === 'DSR-EXAMPLE-1', `receipt requestId ${String(r.requestId)}, expected DSR-EXAMPLE-1`);
	expect(JSON.stringify(r.contactIds) === JSON.stringify([fx.userId]), `receipt contactIds ${JSON.stringify(r.contactIds)}, expected the fixture user`);
	expect((r.verification as { ok?: boolean } | null)?.ok === true, 'receipt verification is not ok');
	expect(Array.isArray(r.subjectHashes) && (r.subjectHashes as string[]).every((h) => /^[0-9a-f]{64}$/.test(h)), 'receipt subjectHashes are not HMAC hex');
	expect(JSON.stringify((r.ledgerEntries as Array<{ type: string }>)?.map((e) => e.type)) === '["erasure.intent","erasure.done"]', `ledger entries ${JSON.stringify(r.ledgerEntries)}`);
	expect(/7 days/.test(JSON.stringify(r.caveats)) && /CSAT/.test(JSON.stringify(r.caveats)), 'receipt lacks Intercom\'s caveats');
	expect(!EMAIL.test(JSON.stringify(items)), 'an email address appears in the Erase output');
	const requests = readRequests(requestsFile);
	const del = requests.filter((q) => q.method === 'DELETE');
	expect(del.some((q) => q.path === `/contacts/${fx.userId}` && q.status === 200), 'the fake saw no successful DELETE of the fixture user');
	expect(del.some((q) => q.path.startsWith('/tickets/')) && del.some((q) => q.path.startsWith('/conversations/')), 'conversations/tickets were not deleted one by one');
	expect(del.every((q) => q.headers.authorization === `Bearer ${token}`), 'a DELETE lacked the Bearer token');
	const lastDelete = requests.lastIndexOf(del[del.length - 1]);
	expect(requests.slice(lastDelete).some((q) => q.method === 'GET' && q.path === `/contacts/${fx.userId}` && q.status === 404), 'no verification GET answered 404 after the delete');
	report('erase', `1 person erased (${del.length} DELETEs), receipt verified, intent + done in the ledger`);
}

/** Ledger → Verify then Search by the fixture user's email; `after` = after the erase workflow. */
function checkLedger(executeFile: string, phase: string): void {
	const [v] = nodeOutput(executeFile, 'Verify Ledger');
	const [s] = nodeOutput(executeFile, 'Search Ledger');
	expect(v?.json.ok === true, `Verify answered ok=${String(v?.json.ok)}: ${JSON.stringify(v?.json.firstBroken ?? null)}`);
	expect(/^[0-9a-f]{64}$/.test(String((s?.json.query as { subjectHash?: string })?.subjectHash)), 'Search did not search by the email\'s HMAC');
	expect(!EMAIL.test(JSON.stringify([v, s])), 'an email address appears in the Verify/Search output');
	if (phase === 'after') {
		expect(Number(v?.json.entries) >= 2, `Verify saw ${String(v?.json.entries)} entries, expected the erasure's 2`);
		expect(s?.json.erased === true && s?.json.count === 2, `Search: erased=${String(s?.json.erased)} count=${String(s?.json.count)}, expected true/2`);
		// Who acted: real n8n gives the node its workflow and execution ids; the ledger records them.
		const actors = ((s?.json.entries ?? []) as Array<{ actor?: { workflowId?: string; executionId?: string } }>).map((e) => e.actor);
		expect(actors.every((a) => typeof a?.workflowId === 'string' && typeof a?.executionId === 'string'), `ledger entries without workflow/execution ids: ${JSON.stringify(actors)}`);
	} else {
		expect(s?.json.erased === false && s?.json.count === 0, `Search before the erasure: erased=${String(s?.json.erased)} count=${String(s?.json.count)}, expected false/0`);
	}
	report(`ledger (${phase})`, `chain ok with ${String(v?.json.entries)} entries; search by email: erased=${String(s?.json.erased)}`);
}

/** The GdprLedger credential test run by n8n through the node's methods.credentialTest. */
function checkLedgerCredentialTest(okFile: string, badFile: string): void {
	const ok = JSON.parse(readFileSync(okFile, 'utf8')) as { data?: { status?: string; message?: string } };
	const bad = JSON.parse(readFileSync(badFile, 'utf8')) as { data?: { status?: string; message?: string } };
	expect(ok.data?.status === 'OK', `ledger credential test answered ${JSON.stringify(ok)}, expected status OK`);
	expect(bad.data?.status === 'Error' && /different secret key/.test(bad.data?.message ?? ''), `ledger credential test with a wrong key answered ${JSON.stringify(bad)}`);
	report('ledger credential test', `${ok.data?.message ?? ''}; wrong key refused`);
}

/**
 * DSAR export by the shared email: one item for the person (lead + user), its binary is a ZIP named
 * after the request id whose manifest lists every file with the right sha256; the summary holds no
 * email; the fake saw the conversation search and the events listing for both contacts.
 */
function checkDsar(executeOut: string, fixturesFile: string, requestsFile: string, token: string): void {
	const fx = readFixtures(fixturesFile);
	const exported = nodeOutput(executeOut, DSAR_NODE) as Array<Item & { binary?: Record<string, { fileName?: string; mimeType?: string }> }>;
	expect(exported.length === 1, `expected 1 output item from "${DSAR_NODE}", got ${exported.length}`);
	const [item] = exported;
	expect(item.json.found === true && item.json.status === 'exported', `status is ${String(item.json.status)}, expected exported`);
	expect(item.json.contactCount === 2, `contactCount is ${String(item.json.contactCount)}, expected 2 (a lead and a user share the email)`);
	const ids = contactsOf(item).map((c) => c.id).sort();
	expect(JSON.stringify(ids) === JSON.stringify([fx.sharedEmailLeadId, fx.sharedEmailUserId].sort()), 'the exported contacts are not the fixture\'s lead and user');
	expect(item.binary?.data?.fileName === 'DSAR-2026-0001.zip', `binary file name is ${String(item.binary?.data?.fileName)}, expected DSAR-2026-0001.zip`);
	expect(item.binary?.data?.mimeType === 'application/zip', `binary MIME type is ${String(item.binary?.data?.mimeType)}`);
	expectNoPersonalData([item]);

	const read = nodeOutput(executeOut, DSAR_READ_NODE);
	const b64 = read[0]?.json.zipBase64;
	if (typeof b64 !== 'string') throw new Error(`"${DSAR_READ_NODE}" did not put the ZIP into json.zipBase64`);
	const zip = unzipSync(new Uint8Array(Buffer.from(b64, 'base64')));
	const manifest = JSON.parse(strFromU8(zip['manifest.json'] ?? new Uint8Array())) as { requestId?: string; files?: Array<{ name: string; size: number; sha256: string }> };
	const listed = (manifest.files ?? []).map((f) => f.name);
	expect(manifest.requestId === 'DSAR-2026-0001', `manifest requestId is ${String(manifest.requestId)}`);
	for (const name of ['subject.json', 'index.html', 'contacts.csv', 'conversations.csv', 'events.csv']) expect(listed.includes(name), `the manifest does not list ${name}`);
	const inZip = Object.keys(zip).filter((n) => n !== 'manifest.json').sort();
	expect(JSON.stringify(inZip) === JSON.stringify([...listed].sort()), `the ZIP holds ${inZip.length} files besides the manifest, the manifest lists ${listed.length}`);
	for (const f of manifest.files ?? []) {
		const data = zip[f.name];
		expect(!!data && createHash('sha256').update(data).digest('hex') === f.sha256, `sha256 of ${f.name} does not match the manifest`);
		expect(!!data && data.byteLength === f.size, `size of ${f.name} does not match the manifest`);
	}
	const subject = JSON.parse(strFromU8(zip['subject.json'] ?? new Uint8Array())) as { schema?: string; contacts?: Array<{ id: string }> };
	expect(subject.schema === 'dsar-package.v1', `subject.json schema is ${String(subject.schema)}`);
	expect((subject.contacts ?? []).length === 2, 'subject.json does not hold both contacts');

	const requests = readRequests(requestsFile);
	for (const id of [fx.sharedEmailLeadId, fx.sharedEmailUserId]) {
		const search = requests.find((r) => r.method === 'POST' && r.path === '/conversations/search' && JSON.stringify(r.body).includes(id));
		expect(!!search, `the fake saw no conversation search for contact <fixture ${id === fx.sharedEmailLeadId ? 'lead' : 'user'}>`);
		expect(requests.some((r) => r.path === '/events' && JSON.stringify(r).includes(id)), 'the fake saw no events listing for a contact');
	}
	expect(requests.every((r) => r.path.startsWith('/files/') || r.headers.authorization === `Bearer ${token}`), 'a request went out without the credential\'s Bearer token');
	report('DSAR export by email', `${inZip.length} files in DSAR-2026-0001.zip, every sha256 matches the manifest, no email in the summary`);
}

/** Retention → Preview (summary) then Enforce (cap 3, fixture lead held by id): report, ledger entry, deletes. */
function checkRetention(executeFile: string, fixturesFile: string, requestsFile: string, token: string): void {
	const fx = readFixtures(fixturesFile);
	const [p] = nodeOutput(executeFile, 'Preview Retention');
	const e = nodeOutput(executeFile, 'Enforce Retention');
	const summary = p?.json ?? {};
	const candidates = Number(summary.candidates);
	expect(summary.timeZone === 'Europe/Berlin', `Preview time zone ${String(summary.timeZone)}, expected the workspace's Europe/Berlin`);
	expect(candidates >= 3, `Preview found ${candidates} candidates, expected at least 3 stale leads`);
	expect((summary.perRule as Record<string, number>)?.['form-rule'] === candidates, 'Preview counts per rule do not add up');
	expect(e.length === 1, `Enforce output ${e.length} items, expected 1 run report`);
	const r = e[0]?.json ?? {};
	const counts = (r.counts ?? {}) as Record<string, number>;
	const contacts = (r.contacts ?? []) as Array<{ id: string; outcome: string; requestId: string }>;
	expect(r.runId === 'RETENTION-EXAMPLE-1' && r.dryRun === false, `run ${String(r.runId)} dryRun ${String(r.dryRun)}`);
	expect(r.stoppedBy === (candidates > 3 ? 'cap' : 'completed'), `stoppedBy ${String(r.stoppedBy)} with ${candidates} candidates and a cap of 3`);
	expect(counts.deleted === 3 && counts.failed === 0, `counts ${JSON.stringify(counts)}, expected 3 deleted, 0 failed`);
	expect(contacts.every((c) => c.outcome === 'deleted' && /^RETENTION-EXAMPLE-1\.c[0-9a-f]{16}$/.test(c.requestId)), `contacts ${JSON.stringify(contacts)}`);
	expect(!contacts.some((c) => c.id === fx.leadId), 'the lead under legal hold was deleted');
	expect(Number((r.ledgerEntry as { seq?: number } | null)?.seq) > 0, 'no retention.run ledger entry in the report');
	expect(!EMAIL.test(JSON.stringify([p, e])), 'an email address appears in the retention output');
	const requests = readRequests(requestsFile);
	const deletes = requests.filter((q) => q.method === 'DELETE');
	// Each erasure also deletes the contact's own tickets and conversations first (issue 10): compare the contact DELETEs.
	const contactDeletes = deletes.filter((q) => q.path.startsWith('/contacts/'));
	expect(
		JSON.stringify(contactDeletes.map((q) => q.path).sort()) === JSON.stringify(contacts.map((c) => `/contacts/${c.id}`).sort()),
		`the fake saw contact DELETEs ${JSON.stringify(contactDeletes.map((q) => q.path))}, expected exactly the 3 reported contacts`,
	);
	expect(deletes.every((q) => q.status === 200 && q.headers.authorization === `Bearer ${token}`), 'a DELETE failed or lacked the Bearer token');
	const dated = requests.some((q) => q.method === 'POST' && q.path === '/contacts/search' && /"field":"last_seen_at","operator":"<"/.test(JSON.stringify(q.body)));
	expect(dated, 'no contact search with last_seen_at < cutoff day');
	report('retention', `preview ${candidates} stale leads (Europe/Berlin days); enforce deleted 3 (cap), held lead kept, retention.run recorded`);
}

/** examples/pii-redact-dsar-item.json: Set (a DSAR-like item) → PII Redact, no credential, no Intercom. */
function checkPiiRedact(executeOut: string): void {
	const items = nodeOutput(executeOut, 'PII Redact');
	expect(items.length === 1, `PII Redact returned ${items.length} items, expected 1`);
	const json = items[0]?.json ?? {};
	const text = JSON.stringify(json);
	expect(!EMAIL.test(text), 'the redacted item still contains an email address');
	expect(!/\+44 20 7946 0958|\+1 415 555 0132/.test(text), 'the redacted item still contains a phone number');
	expect(!/4111[ -]?1111[ -]?1111[ -]?1111/.test(text), 'the redacted item still contains the card number');
	expect(!/DE89 3704/.test(text) && !text.includes('Jane Doe'), 'the redacted item still contains the IBAN or the name');
	for (const kept of ['cust-0042', '#123456789', '2024-01-15', 'v2.14.3']) expect(text.includes(kept), `"${kept}" (id, order, date or version) was redacted`);
	const findings = json.piiFindings as { total?: number; byType?: Record<string, number> } | undefined;
	const want = { NAME: 1, EMAIL: 3, PHONE: 2, CARD: 1, IBAN: 1 };
	expect(findings?.total === 8, `piiFindings.total is ${findings?.total}, expected 8`);
	expect(JSON.stringify(findings?.byType) === JSON.stringify(want), `piiFindings.byType is ${JSON.stringify(findings?.byType)}, expected ${JSON.stringify(want)}`);
	const paired = items[0]?.pairedItem;
	expect((typeof paired === 'object' ? paired.item : paired) === 0, `pairedItem is ${JSON.stringify(paired)}, expected item 0`);
	report('pii-redact', 'no email/phone/card/IBAN/name left; ids, order number, date, version kept; findings 8 (NAME 1, EMAIL 3, PHONE 2, CARD 1, IBAN 1)');
}

/** Request intake: Track Request → Received writes the request with its statutory due day; List Requests shows it. */
function checkRequestIntake(executeOut: string): void {
	const tracked = nodeOutput(executeOut, 'Track Request');
	const listed = nodeOutput(executeOut, 'List Requests');
	const t = tracked[0]?.json ?? {};
	expect(t.requestId === 'DSR-2026-0042', `Track Request output requestId is ${JSON.stringify(t.requestId)}`);
	expect(t.kind === 'erasure' && t.regime === 'gdpr', `kind/regime are ${String(t.kind)}/${String(t.regime)}`);
	// GDPR Art. 12(3): one month from receipt. The request was received today, so it is due in 28–31 days.
	expect(typeof t.dueDay === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(t.dueDay), `dueDay is ${JSON.stringify(t.dueDay)}`);
	expect(typeof t.daysLeft === 'number' && t.daysLeft >= 28 && t.daysLeft <= 31, `daysLeft is ${JSON.stringify(t.daysLeft)}, expected one month`);
	expect(!EMAIL.test(JSON.stringify(tracked)) && !EMAIL.test(JSON.stringify(listed)), 'an email address is in the output');
	expect(listed.some((i) => i.json.requestId === 'DSR-2026-0042' && i.json.closed === false), 'List Requests does not show the open request');
	report('request intake', `DSR-2026-0042 received, due ${String(t.dueDay)} (${String(t.daysLeft)} days), listed as open; no email in the output`);
}

function report(name: string, detail: string): void {
	if (problems.length) {
		console.error(`FAIL ${name}:\n  - ${problems.join('\n  - ')}`);
		process.exit(1);
	}
	console.log(`ok   ${name}: ${detail}`);
}

const [check, ...args] = process.argv.slice(2);
try {
	if (check === 'find') checkFind(args[0], args[1], args[2], args[3]);
	else if (check === 'find-many') checkFindMany(args[0], args[1], args[2], args[3]);
	else if (check === 'panel') checkPanel(args[0], args[1]);
	else if (check === 'dsar') checkDsar(args[0], args[1], args[2], args[3]);
	else if (check === 'pii-redact') checkPiiRedact(args[0]);
	else if (check === 'credential-test') checkCredentialTest(args[0], args[1], args[2], args[3]);
	else if (check === 'erase') checkErase(args[0], args[1], args[2], args[3]);
	else if (check === 'ledger') checkLedger(args[0], args[1]);
	else if (check === 'ledger-credential-test') checkLedgerCredentialTest(args[0], args[1]);
	else if (check === 'retention') checkRetention(args[0], args[1], args[2], args[3]);
	else if (check === 'request-intake') checkRequestIntake(args[0]);
	else if (check === 'bulk-export') {
		checkBulkExport(args[0], args[1], args[2], args[3]).catch((error: unknown) => {
			console.error(`FAIL ${check}: ${(error as Error).message}`);
			process.exit(1);
		});
	} else throw new Error(`unknown check "${check}"`);
} catch (error) {
	console.error(`FAIL ${check}: ${(error as Error).message}`);
	process.exit(1);
}
