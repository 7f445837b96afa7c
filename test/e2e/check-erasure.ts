// The erasure's receipt in real n8n (issue 10): the erase example runs with the node's default
// options on the fixture user, who has a ticket, conversations of their own and a conversation
// shared with a lead. Checks the receipt per type and what the fake saw (redact, delete, verify).
//
//   node --import tsx test/e2e/check-erasure.ts <execute.out> <fixtures.json> <requests.json>
import { readFileSync } from 'node:fs';

interface Logged {
	method: string;
	path: string;
	status: number;
	body?: unknown;
}

const problems: string[] = [];
const expect = (ok: boolean, what: string): void => void (ok || problems.push(what));

function receiptOf(file: string): Record<string, unknown> {
	const lines = readFileSync(file, 'utf8').split('\n');
	const run = JSON.parse(lines.slice(lines.indexOf('{'), lines.lastIndexOf('}') + 1).join('\n')) as {
		status: string;
		data: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>> } };
	};
	expect(run.status === 'success', `workflow status ${run.status}`);
	return run.data.resultData.runData['Erase Data Subject']?.[0]?.data?.main?.[0]?.[0]?.json ?? {};
}

function main(): void {
	const [executeFile, fixturesFile, requestsFile] = process.argv.slice(2);
	const fxRaw = JSON.parse(readFileSync(fixturesFile, 'utf8')) as Record<string, unknown> & { fixtures?: Record<string, unknown> };
	const fx = (fxRaw.fixtures ?? fxRaw) as { userId: string; ticketId: string; groupConversationId: string };
	const r = receiptOf(executeFile);
	type Tally = { found: number; deleted: number; redacted: number; remaining: number; shared: number };
	const items = (r.items ?? {}) as Record<string, Tally>;
	expect(r.status === 'erased' && r.complete === true, `status ${String(r.status)} / complete ${String(r.complete)}, expected erased / true`);
	expect(JSON.stringify(r.remaining) === '[]', `remaining ${JSON.stringify(r.remaining)}, expected []`);
	expect(items.contacts?.deleted === 1, `contacts ${JSON.stringify(items.contacts)}`);
	expect(items.tickets?.found === 1 && items.tickets.deleted === 1, `tickets ${JSON.stringify(items.tickets)}`);
	expect(items.conversations?.shared === 1 && items.conversations.deleted === items.conversations.found - 1, `conversations ${JSON.stringify(items.conversations)}`);
	expect(items.conversationParts?.redacted >= 2 && items.conversationParts.remaining === 0, `conversation parts ${JSON.stringify(items.conversationParts)}`);
	const v = (r.verification ?? {}) as Record<string, unknown>;
	expect(v.ok === true && v.ticketsGone === true && v.conversationsGone === true && v.partsRedacted === true, `verification ${JSON.stringify(v)}`);
	const requests = JSON.parse(readFileSync(requestsFile, 'utf8')) as Logged[];
	const redacts = requests.filter((q) => q.method === 'POST' && q.path === '/conversations/redact');
	expect(redacts.length === items.conversationParts?.redacted && redacts.every((q) => q.status === 200), `${redacts.length} redact calls`);
	expect(redacts.every((q) => JSON.stringify(q.body).includes(fx.groupConversationId)), 'a redaction outside the shared conversation');
	expect(requests.some((q) => q.method === 'DELETE' && q.path === `/tickets/${fx.ticketId}` && q.status === 200), 'the ticket was not deleted');
	const lastChange = requests.map((q) => q.method === 'DELETE' || q.path === '/conversations/redact').lastIndexOf(true);
	const after = requests.slice(lastChange + 1);
	expect(after.some((q) => q.method === 'GET' && q.path === `/tickets/${fx.ticketId}` && q.status === 404), 'no verification GET of the ticket (404)');
	expect(after.some((q) => q.method === 'GET' && q.path === `/conversations/${fx.groupConversationId}` && q.status === 200), 'the shared conversation was not read back');
	if (problems.length) {
		console.error(`FAIL erase (issue 10 receipt):\n  - ${problems.join('\n  - ')}`);
		process.exit(1);
	}
	const t = (k: string) => `${k} ${items[k].found}/${items[k].deleted}/${items[k].redacted}/${items[k].remaining}`;
	console.log(`ok   erase receipt (default options): ${String(r.status)}; found/deleted/redacted/remaining ${t('contacts')}, ${t('tickets')}, ${t('conversations')}, ${t('conversationParts')}; read back after the changes`);
}

main();
