// Data Subject → Find: the node's real execute() against the fake Intercom, through the real core.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IntercomGdpr } from '../../nodes/IntercomGdpr/IntercomGdpr.node';
import { startFakeIntercom } from '../fake-intercom';
import type { FakeIntercom } from '../fake-intercom';
import { executeContext, fakeCredential, findParams } from './context';

const node = new IntercomGdpr();
let fake: FakeIntercom;
let fx: FakeIntercom['workspace']['fixtures'];

beforeAll(async () => {
	fake = await startFakeIntercom();
	fx = fake.workspace.fixtures;
});
afterAll(async () => {
	await fake.close();
});
beforeEach(() => {
	fake.reset();
});

async function run(itemParams: IDataObject[], opts: { continueOnFail?: boolean; token?: string } = {}) {
	const harness = executeContext({
		itemParams,
		credential: fakeCredential(fake.url, opts.token ?? fake.token),
		continueOnFail: opts.continueOnFail,
	});
	const [output] = await node.execute.call(harness.ctx);
	return { output, hints: harness.hints, harness };
}

function contactsOf(item: INodeExecutionData): IDataObject[] {
	return item.json.contacts as IDataObject[];
}

describe('Data Subject → Find', () => {
	it('finds the lead and the user behind one email, without personal data in the output', async () => {
		const { output, hints } = await run([findParams('email', fx.sharedEmail)]);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({ found: true, lookup: 'email', contactCount: 2, mergedRedirects: [] });
		const contacts = contactsOf(output[0]);
		expect(contacts.map((c) => c.id).sort()).toEqual([fx.sharedEmailLeadId, fx.sharedEmailUserId].sort());
		expect(contacts.map((c) => c.role).sort()).toEqual(['lead', 'user']);
		const text = JSON.stringify(output);
		expect(text).not.toContain(fx.sharedEmail);
		for (const c of contacts) expect(Object.keys(c).sort()).toEqual(['archived', 'externalId', 'id', 'role']);
		expect(hints.map((h) => h.message)).toEqual(['1 of 1 subject found']);
	});

	it('adds email, name and phone only when "Include Profile Fields" is on', async () => {
		const { output } = await run([findParams('email', fx.sharedEmail, { includeProfileFields: true })]);
		const contacts = contactsOf(output[0]);
		expect(contacts).toHaveLength(2);
		for (const c of contacts) {
			expect(c.email).toBe(fx.sharedEmail);
			expect(c).toHaveProperty('name');
			expect(c).toHaveProperty('phone');
		}
	});

	it('handles several items, each paired with its input, and sums up in a hint', async () => {
		const { output, hints } = await run([
			findParams('email', fx.sharedEmail),
			findParams('email', fx.unknownEmail),
			findParams('id', fx.userId),
			findParams('externalId', fx.userExternalId),
		]);
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(output.map((o) => o.json.found)).toEqual([true, false, true, true]);
		expect(output[1].json).toEqual({ found: false, lookup: 'email', contactCount: 0, contacts: [], mergedRedirects: [], notice: expect.stringMatching(/search never returns archived contacts.*by contact ID/) });
		expect(contactsOf(output[2]).map((c) => c.id)).toEqual([fx.userId]);
		expect(contactsOf(output[3])[0]).toMatchObject({ id: fx.userId, role: 'user', externalId: fx.userExternalId });
		expect(hints[0].message).toBe('3 of 4 subjects found');
	});

	it('treats "From List" values as contact ids', async () => {
		const { output } = await run([findParams('list', fx.leadId)]);
		expect(contactsOf(output[0]).map((c) => c.id)).toEqual([fx.leadId]);
	});

	it('follows a merged contact to the surviving one and reports the redirect', async () => {
		const { output, hints } = await run([findParams('id', fx.mergedContactId)]);
		expect(output[0].json.found).toBe(true);
		expect(contactsOf(output[0]).map((c) => c.id)).toEqual([fx.mergedIntoId]);
		expect(output[0].json.mergedRedirects).toEqual([{ from: fx.mergedContactId, to: fx.mergedIntoId }]);
		expect(hints[0].message).toBe('1 of 1 subject found; 1 merged contact redirect followed');
	});

	it('explains, for emails found nowhere, that Intercom cannot search archived contacts', async () => {
		const { output, hints } = await run([findParams('email', fx.archivedContactEmail)]);
		expect(output[0].json.found).toBe(false);
		expect(hints.map((h) => h.message)).toEqual(['0 of 1 subject found', expect.stringContaining('archived')]);
	});

	it('marks archived contacts', async () => {
		const { output } = await run([findParams('id', fx.archivedContactId)]);
		expect(contactsOf(output[0])[0]).toMatchObject({ id: fx.archivedContactId, archived: true });
	});

	describe('bad input is refused before any request', () => {
		it('names the empty email and the item, and says how to fix it', async () => {
			const error = await run([findParams('email', fx.sharedEmail), findParams('email', '   ')]).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeOperationError);
			const e = error as NodeOperationError;
			expect(e.message).toBe('Subject email address is empty [item 1]');
			expect(e.description).toContain('By Email');
			expect(e.context.itemIndex).toBe(1);
			expect(fake.requests).toHaveLength(0);
		});

		it('names a malformed contact id without echoing it', async () => {
			const error = (await run([findParams('id', 'not-a-contact-id')]).catch((e: unknown) => e)) as NodeOperationError;
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('Subject contact ID is not valid [item 0]');
			expect(error.description).toContain('24 hexadecimal characters');
			expect(fake.requests).toHaveLength(0);
		});

		it('does not echo a malformed email (it is personal data)', async () => {
			const error = (await run([findParams('email', 'jane.doe@example.com, bob@example.com')]).catch(
				(e: unknown) => e,
			)) as NodeOperationError;
			expect(error.message).toBe('Subject email address is not valid [item 0]');
			expect(`${error.message} ${error.description}`).not.toContain('jane.doe');
			expect(fake.requests).toHaveLength(0);
		});
	});

	describe('continue on fail', () => {
		it('emits an error item for bad input, paired with it, and still finds the others', async () => {
			const { output, hints } = await run([findParams('id', 'xyz'), findParams('email', fx.sharedEmail)], {
				continueOnFail: true,
			});
			expect(output).toHaveLength(2);
			expect(output[0]).toEqual({
				json: { error: 'Subject contact ID is not valid [item 0]', description: expect.any(String) },
				pairedItem: { item: 0 },
			});
			expect(output[1].pairedItem).toEqual({ item: 1 });
			expect(output[1].json.contactCount).toBe(2);
			expect(hints[0].message).toBe('1 of 2 subjects found; 1 failed');
			expect(hints[0].type).toBe('warning');
		});

		it('emits an error item for an Intercom failure, with the HTTP status', async () => {
			fake.failNext({ status: 403, code: 'api_plan_restricted', pathPattern: '^/contacts/search' });
			const { output } = await run([findParams('email', fx.sharedEmail), findParams('id', fx.userId)], {
				continueOnFail: true,
			});
			expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(output[0].json.httpCode).toBe('403');
			expect(String(output[0].json.error)).toContain('[item 0]');
			expect(JSON.stringify(output[0])).not.toContain(fx.sharedEmail);
			expect(output[1].json.found).toBe(true);
		});
	});

	describe('Intercom errors', () => {
		it('become a NodeApiError with the status and without personal data', async () => {
			fake.failNext({ status: 403, code: 'api_plan_restricted', pathPattern: '^/contacts/search' });
			const error = (await run([findParams('email', fx.sharedEmail)]).catch((e: unknown) => e)) as NodeApiError;
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('403');
			expect(error.message).toContain('[item 0]');
			expect(JSON.stringify({ m: error.message, d: error.description, c: error.context })).not.toContain(fx.sharedEmail);
		});

		it('point at the credential when the token is refused', async () => {
			const error = (await run([findParams('id', fx.userId)], { token: 'wrong-token' }).catch((e: unknown) => e)) as NodeApiError;
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('401');
			expect(error.description).toContain('credential');
			expect(error.message).not.toContain('wrong-token');
		});
	});
});
