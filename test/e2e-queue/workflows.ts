// The workflows of the queue-mode run: production webhooks in front of Erase and Export, a later
// node that hashes the ZIP it receives (did the binary cross from node to node intact in queue mode's
// binary-data store?), a 1-minute trigger, and an erasure whose ledger credential is wrong.
const PKG = 'n8n-nodes-intercom-gdpr';

export const IDS = {
	erase: 'icGdprQueueErase',
	dsar: 'icGdprQueueDsar1',
	tick: 'icGdprQueueTick1',
	badLedger: 'icGdprQueueBadLg',
} as const;

export const CRED = {
	intercom: { id: 'icGdprQueueIcCrd', name: 'Intercom GDPR (fake)' },
	ledger: { id: 'icGdprQueueLgCrd', name: 'GDPR Ledger (PostgreSQL)' },
	badLedger: { id: 'icGdprQueueBadCr', name: 'GDPR Ledger (wrong PostgreSQL user)' },
};

export const PATHS = { erase: 'queue-erase', dsar: 'queue-dsar', badLedger: 'queue-bad-ledger' };

let n = 0;
const nodeId = (): string => `7c0e0000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function webhook(path: string): Record<string, unknown> {
	return {
		id: nodeId(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: nodeId(),
		// lastNode: the caller gets the workflow's result; in queue mode the main relays it from the worker.
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	};
}

function workflow(id: string, name: string, nodes: Array<Record<string, unknown>>): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name as string] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: true, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

function erase(ledger: { id: string; name: string }): Record<string, unknown> {
	return {
		id: nodeId(),
		name: 'Erase',
		type: `${PKG}.intercomGdpr`,
		typeVersion: 1,
		position: [240, 0],
		parameters: {
			resource: 'dataSubject',
			operation: 'erase',
			subject: { __rl: true, mode: 'id', value: '={{ $json.body.contactId }}' },
			dryRun: false,
			options: { requestId: '={{ $json.body.requestId }}', deleteConversations: true, deleteTickets: true },
			// The identity check has its own e2e (test/e2e-requests); here the requests are ours.
			identityVerification: 'waived',
			unverifiedReason: 'own_initiative',
		},
		credentials: { intercomGdprApi: CRED.intercom, gdprLedger: ledger },
	};
}

export function queueWorkflows(): Array<Record<string, unknown>> {
	return [
		workflow(IDS.erase, 'Queue e2e: erase', [webhook(PATHS.erase), erase(CRED.ledger)]),
		workflow(IDS.dsar, 'Queue e2e: access export, ZIP hashed by a later node', [
			webhook(PATHS.dsar),
			{
				id: nodeId(),
				name: 'Export',
				type: `${PKG}.intercomGdpr`,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'dataSubject',
					operation: 'export',
					subject: { __rl: true, mode: 'id', value: '={{ $json.body.contactId }}' },
					requestId: '={{ $json.body.requestId }}',
					outputFormat: 'zip',
					binaryPropertyName: 'data',
					regime: 'gdpr',
					controller: 'Example GmbH, Hauptstraße 1, 10115 Berlin, privacy@example.com',
					dpoContact: 'Data protection officer, dpo@example.com',
					options: {},
					art15: {},
					identityVerification: 'waived',
					unverifiedReason: 'own_initiative',
				},
				credentials: { intercomGdprApi: CRED.intercom, gdprLedger: CRED.ledger },
			},
			{
				id: nodeId(),
				name: 'Hash the ZIP',
				type: 'n8n-nodes-base.crypto',
				typeVersion: 2,
				position: [480, 0],
				parameters: { action: 'hash', binaryData: true, binaryPropertyName: 'data', type: 'SHA256', dataPropertyName: 'zipSha256ByLaterNode', encoding: 'hex' },
			},
		]),
		workflow(IDS.tick, 'Queue e2e: trigger every minute', [
			{
				id: nodeId(),
				name: 'Every Minute',
				type: `${PKG}.intercomGdprTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { event: 'requestDeadlines', schedule: 'custom', cronExpression: '0 * * * * *', emitEmpty: true, withinDays: 7 },
				credentials: { gdprLedger: CRED.ledger },
			},
			{ id: nodeId(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
		]),
		workflow(IDS.badLedger, 'Queue e2e: erase with a wrong ledger user', [webhook(PATHS.badLedger), erase(CRED.badLedger)]),
	];
}

export function queueCredentials(fake: { url: string; token: string }, pg: { port: number; database: string }, secretKey: string): Array<Record<string, unknown>> {
	const ledger = (user: string) => ({ backend: 'postgres', host: '127.0.0.1', port: pg.port, database: pg.database, user, password: '', ssl: 'disable', secretKey });
	return [
		{ ...CRED.intercom, type: 'intercomGdprApi', data: { accessToken: fake.token, region: 'custom', baseUrl: fake.url, apiVersion: '2.14' } },
		{ ...CRED.ledger, type: 'gdprLedger', data: ledger('postgres') },
		{ ...CRED.badLedger, type: 'gdprLedger', data: ledger('no_such_ledger_role') },
	];
}
