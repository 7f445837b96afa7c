// The fake Intercom for the DSAR bench, in its own thread: a real Intercom is another machine, so
// its CPU time must not count against the client's. Seeds `conversations` extra conversations on
// one contact and reports {url, token, contactId}; answers {count: true} with the request count.
import { parentPort, workerData } from 'node:worker_threads';
import { startFakeIntercom } from '../fake-intercom';
import { addConversations } from '../dsar/helpers';

interface Data {
	conversations: number;
	latencyMs: number;
	rateLimitPerWindow: number;
	windowSeconds: number;
}

async function main(): Promise<void> {
	const d = workerData as Data;
	const fake = await startFakeIntercom({ rateLimitPerWindow: d.rateLimitPerWindow, windowSeconds: d.windowSeconds });
	const contactId = fake.workspace.fixtures.leadId;
	addConversations(fake, contactId, d.conversations);
	if (d.latencyMs > 0) fake.failNext({ latencyMs: d.latencyMs, count: 10_000_000 });
	parentPort?.on('message', (m: { count?: boolean; close?: boolean }) => {
		if (m.count) parentPort?.postMessage({ count: fake.requests.length });
		if (m.close) void fake.close().then(() => parentPort?.postMessage({ closed: true }));
	});
	parentPort?.postMessage({ url: fake.url, token: fake.token, contactId });
}

void main();
