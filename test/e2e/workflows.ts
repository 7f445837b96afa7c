// Writes the example workflows (examples/*.json) for import into n8n, pointed at the running fake
// Intercom: the credential they reference and the emails they look up come from the fake's fixtures,
// so the examples keep working if the seeded workspace changes.
//
//   node --import tsx test/e2e/workflows.ts <out-dir> <fixtures.json> [--e2e]
//
// Without --e2e (npm start's sandbox): the examples as shipped, only pointed at the sandbox.
// With --e2e (npm run test:e2e): also what the headless checks need and a user must never get in an
// example: a node that copies the DSAR ZIP into the JSON, and Dry Run off in Erase and Enforce.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CREDENTIAL = { id: 'icGdprSandboxCrd', name: 'Intercom GDPR (sandbox)' };
export const FIND_WORKFLOW_ID = 'icGdprExFind0001';
export const FIND_MANY_WORKFLOW_ID = 'icGdprExFindMany';
export const FIND_NODE = 'Find Data Subject';
export const LEDGER_CREDENTIAL = { id: 'icGdprLedgerCrd1', name: 'GDPR Ledger (sandbox)' };
export const ERASE_WORKFLOW_ID = 'icGdprExErase001';
export const LEDGER_WORKFLOW_ID = 'icGdprExLedger01';
export const DSAR_WORKFLOW_ID = 'icGdprExDsar0001';
export const DSAR_NODE = 'Export Data Subject';
/** Added for the e2e run only: n8n's Extract From File puts the ZIP into the JSON as base64, which
 * `n8n execute --rawOutput` prints (n8n 2.x keeps binaries on the filesystem by default). */
export const DSAR_READ_NODE = 'Read Package (e2e)';
export const RETENTION_WORKFLOW_ID = 'icGdprExRetent01';

export interface Fixtures {
	sharedEmail: string;
	sharedEmailLeadId: string;
	sharedEmailUserId: string;
	userId: string;
	userEmail: string;
	unknownEmail: string;
	[name: string]: unknown;
}

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Workflow {
	id: string;
	nodes: WorkflowNode[];
	connections?: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
}

/** The emails the "list of requesters" example looks up, in order: 2 contacts, 1 contact, nobody. */
export function requesterEmails(fx: Fixtures): string[] {
	return [fx.sharedEmail, fx.userEmail, fx.unknownEmail];
}

/** GET /__fake/fixtures, saved to a file (the object itself, or wrapped in `fixtures`). */
export function readFixtures(file: string): Fixtures {
	const raw = JSON.parse(readFileSync(file, 'utf8')) as { fixtures?: Fixtures } & Fixtures;
	return raw.fixtures ?? raw;
}

export function pointAtSandbox(wf: Workflow, fx: Fixtures): Workflow {
	for (const node of wf.nodes) {
		if (node.credentials?.intercomGdprApi) node.credentials.intercomGdprApi = { ...CREDENTIAL };
		if (node.credentials?.gdprLedger) node.credentials.gdprLedger = { ...LEDGER_CREDENTIAL };
		// The erase example erases the fixture's plain user; the ledger example then finds that erasure.
		if (wf.id === ERASE_WORKFLOW_ID && node.name === 'Erase Data Subject') {
			node.parameters.subject = { __rl: true, mode: 'email', value: fx.userEmail };
		}
		if (wf.id === LEDGER_WORKFLOW_ID && node.name === 'Search Ledger') node.parameters.value = fx.userEmail;
		if (wf.id === FIND_WORKFLOW_ID && node.name === FIND_NODE) {
			node.parameters.subject = { __rl: true, mode: 'email', value: fx.sharedEmail };
		}
		if (wf.id === DSAR_WORKFLOW_ID && node.name === DSAR_NODE) {
			node.parameters.subject = { __rl: true, mode: 'email', value: fx.sharedEmail };
		}
		// Retention: the fixture lead is under legal hold by id, so it must survive Enforce.
		if (wf.id === RETENTION_WORKFLOW_ID && node.parameters.resource === 'retention') node.parameters.holds = { contactIds: fx.leadId };
		if (wf.id === FIND_MANY_WORKFLOW_ID && node.name === 'Requester Emails') {
			node.parameters.jsonOutput = JSON.stringify({ email: requesterEmails(fx) }, null, 2);
		}
	}
	return wf;
}

/** The e2e's own additions to an example already pointed at the sandbox (see the file comment). */
export function forE2e(wf: Workflow): Workflow {
	for (const node of wf.nodes) {
		// The examples ship with Dry Run on (look first); the e2e checks the real deletion and receipt.
		if (wf.id === ERASE_WORKFLOW_ID && node.parameters.operation === 'erase') node.parameters.dryRun = false;
		if (wf.id === RETENTION_WORKFLOW_ID && node.parameters.operation === 'enforce') node.parameters.dryRun = false;
	}
	if (wf.id === DSAR_WORKFLOW_ID && !wf.nodes.some((n) => n.name === DSAR_READ_NODE)) {
		wf.nodes.push({
			name: DSAR_READ_NODE,
			type: 'n8n-nodes-base.extractFromFile',
			typeVersion: 1.1,
			position: [480, 0],
			parameters: { operation: 'binaryToPropery', binaryPropertyName: 'data', destinationKey: 'zipBase64', options: { keepSource: 'json' } },
		} as WorkflowNode);
		wf.connections = { ...wf.connections, [DSAR_NODE]: { main: [[{ node: DSAR_READ_NODE, type: 'main', index: 0 }]] } };
	}
	return wf;
}

function main(): void {
	const [outDir, fixturesFile, flag] = process.argv.slice(2);
	if (!outDir || !fixturesFile || (flag !== undefined && flag !== '--e2e')) throw new Error('usage: workflows.ts <out-dir> <fixtures.json> [--e2e]');
	const fx = readFixtures(fixturesFile);
	const examples = join(__dirname, '..', '..', 'examples');
	mkdirSync(outDir, { recursive: true });
	for (const file of readdirSync(examples).filter((f) => f.endsWith('.json'))) {
		const wf = JSON.parse(readFileSync(join(examples, file), 'utf8')) as Workflow;
		const sandbox = pointAtSandbox(wf, fx);
		writeFileSync(join(outDir, file), JSON.stringify(flag === '--e2e' ? forE2e(sandbox) : sandbox, null, 2));
	}
}

if (require.main === module) main();
