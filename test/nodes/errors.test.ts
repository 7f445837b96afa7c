// The one mapper every operation uses: core errors → n8n errors with `[item N]`, the item index and
// a description that says how to fix it; and the error item "Continue On Fail" emits.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { errorItem, toNodeError } from '../../nodes/shared/errors';
import { ExportError } from '../../src/bulk-export';
import { IntercomApiError, IntercomInputError } from '../../src/intercom';
import { NODE } from './context';

const ctx = { getNode: () => NODE } as unknown as IExecuteFunctions;

describe('toNodeError', () => {
	it('an Intercom answer becomes a NodeApiError with status, code and request id, and what to do', () => {
		const source = new IntercomApiError({ status: 403, code: 'forbidden', requestId: 'req-42', retryable: false, operation: 'contacts.find', route: 'GET /contacts/{id}' });
		const e = toNodeError(ctx, source, 3);
		expect(e).toBeInstanceOf(NodeApiError);
		expect(e.message).toBe(`${source.message} [item 3]`);
		expect((e as NodeApiError).httpCode).toBe('403');
		expect(e.description).toMatch(/permission/);
		expect(e.context.itemIndex).toBe(3);
		expect(errorItem(e, 3)).toEqual({ json: { error: e.message, description: e.description, httpCode: '403' }, pairedItem: { item: 3 } });
	});

	it('a bulk export state keeps the core\'s hint as the description', () => {
		const e = toNodeError(ctx, new ExportError('export_expired', 'The download of export abc expired', 'Start a new export job.', 'abc'), 1);
		expect(e).toBeInstanceOf(NodeOperationError);
		expect(e.message).toBe('The download of export abc expired [item 1]');
		expect(e.description).toBe('Start a new export job.');
		expect(e.context.itemIndex).toBe(1);
	});

	it('bad input points at the credential or at the item, by where the value came from', () => {
		const fromCredential = toNodeError(ctx, new IntercomInputError('baseUrl', 'it is not a URL', 'Use https://…', 'options'), 0);
		expect(fromCredential.description).toMatch(/credential/);
		const fromItem = toNodeError(ctx, new IntercomInputError('jobIdentifier', 'it is empty', 'Pass the job_identifier.'), 2);
		expect(fromItem.message).toBe('Invalid jobIdentifier: it is empty. Pass the job_identifier. [item 2]');
		expect(fromItem.description).toMatch(/this item's value/);
	});

	it('leaves n8n errors as they are and wraps anything else with the item', () => {
		const own = new NodeOperationError(NODE, 'Subject is empty [item 0]', { itemIndex: 0 });
		expect(toNodeError(ctx, own, 5)).toBe(own);
		const other = toNodeError(ctx, new Error('disk full'), 4);
		expect(other).toBeInstanceOf(NodeOperationError);
		expect(other.message).toBe('disk full [item 4]');
	});
});

describe('one error family', () => {
	it('every error class of the core extends GdprError (code, field, fix)', async () => {
		const { readFileSync } = await import('node:fs');
		const { execSync } = await import('node:child_process');
		const files = execSync("grep -rl 'class [A-Za-z]*Error' src", { encoding: 'utf8' }).trim().split('\n');
		const declared = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/class (\w+Error) extends (\w+)/g)].map((m) => [m[1], m[2]]));
		expect(declared.length).toBeGreaterThanOrEqual(19);
		expect(declared.filter(([name, base]) => name !== 'GdprError' && base !== 'GdprError')).toEqual([]);
	});

	it('toNodeError maps any GdprError once: message with the item, its fix as the description', async () => {
		const { RequestStepError } = await import('../../src/requests');
		const { MergeChainTooLongError } = await import('../../src/subject');
		const step = toNodeError(ctx, new RequestStepError('not_received', 'Request R-1 was never recorded as received', 'Record it as received first.'), 2);
		expect(step).toBeInstanceOf(NodeOperationError);
		expect(step.message).toBe('Request R-1 was never recorded as received [item 2]');
		expect(step.description).toBe('Record it as received first.');
		const merge = new MergeChainTooLongError(3, ['a1', 'b2']);
		expect(merge.code).toBe('merge_chain_too_long');
		expect(toNodeError(ctx, merge, 0).description).toBe('Contacts visited: a1 → b2');
	});
});
