// The trigger's Retention Candidates event keeps to contacts: a policy that also (or only) holds rules
// for conversations, tickets and attributes still validates and emits its contact candidates.
import type { IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';
import { describe, expect, it, vi } from 'vitest';
import { IntercomGdprTrigger } from '../../nodes/IntercomGdprTrigger/IntercomGdprTrigger.node';
import type { FakeIntercom } from '../fake-intercom';
import { fakeCredential, NODE } from '../nodes/context';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({ seed: 1 }, (f) => (fake = f), { reset: true });

async function manualRun(policy: object): Promise<INodeExecutionData[][][]> {
	const emitted: INodeExecutionData[][][] = [];
	const params: IDataObject = { event: 'retentionCandidates', schedule: 'daily', policySource: 'json', policyJson: JSON.stringify(policy) };
	const ctx = {
		getNode: vi.fn(() => ({ ...NODE, name: 'Intercom GDPR Trigger', type: 'n8n-nodes-intercom-gdpr.intercomGdprTrigger' })),
		getMode: vi.fn(() => 'manual'),
		getTimezone: vi.fn(() => 'Europe/Berlin'),
		getNodeParameter: vi.fn((name: string, fallback?: unknown) => (params[name] !== undefined ? params[name] : fallback)),
		getCredentials: vi.fn(async () => fakeCredential(fake.url, fake.token)),
		emit: vi.fn((data: INodeExecutionData[][]) => emitted.push(data)),
		emitError: vi.fn(),
		saveFailedExecution: vi.fn(),
	} as unknown as ITriggerFunctions;
	await (await new IntercomGdprTrigger().trigger.call(ctx)).manualTriggerFunction?.();
	return emitted;
}

describe('Trigger → Retention Candidates with rules below the contact', () => {
	it('emits the contact candidates of the contact rules; the other rules change nothing and send no write', async () => {
		const conv = { target: 'conversations', closedMoreThanDays: 365, action: 'delete' };
		const emitted = await manualRun({ rules: [{ name: 'leads', role: 'lead', inactiveDays: 30, action: 'delete' }, conv], maxContactsPerRun: 5 });
		const batch = emitted[0][0][0].json as { candidates: number; perRule: Record<string, number>; contacts: unknown[] };
		expect(batch.candidates).toBe(5);
		expect(batch.perRule).toEqual({ leads: 5 });
		const only = await manualRun({ rules: [conv] });
		expect(only[0][0][0].json).toMatchObject({ event: 'retentionCandidates', candidates: 0, contacts: [] });
		expect(fake.requests.filter((r) => r.method === 'DELETE' || r.method === 'PUT' || r.path === '/conversations/redact')).toEqual([]);
	});
});
