// The PII Redact node: parameters → engine, per-item output with pairedItem, findings, hints, errors.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { PiiRedact } from '../../nodes/PiiRedact/PiiRedact.node';
import { piiContext } from './context';

const node = new PiiRedact();
const item = (json: IDataObject): INodeExecutionData => ({ json });
const base: IDataObject = { mode: 'redact', preset: 'none', scan: 'all', operator: 'label' };

describe('PII Redact node description', () => {
	const { description } = node;
	it('is a credential-less transform node usable as a tool', () => {
		expect(description.name).toBe('piiRedact');
		expect(description.group).toEqual(['transform']);
		expect(description.credentials).toBeUndefined();
		expect(description.usableAsTool).toBe(true);
		expect(description.icon).toEqual({ light: 'file:piiRedact.svg', dark: 'file:piiRedact.dark.svg' });
	});
	it('offers every detector, switched on by default', () => {
		const detectors = description.properties.find((p) => p.name === 'detectors')!;
		expect(detectors.default).toEqual(['CARD', 'EMAIL', 'IBAN', 'IPV4', 'IPV6', 'PHONE', 'SECRET', 'URL_SECRET', 'US_SSN']);
	});
});

describe('PII Redact node execute', () => {
	it('redacts each item, pairs it with its input, adds a findings summary and a totals hint', async () => {
		const input = [
			item({ note: 'mail jane@example.com or call +44 20 7946 0958' }),
			item({ note: 'nothing here' }),
			item({ nested: { card: '4111 1111 1111 1111', mail: 'x@y.io' } }),
		];
		const before = structuredClone(input);
		const { ctx, hints } = piiContext(input, base);
		const [out] = await node.execute.call(ctx);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toEqual({ note: 'mail [EMAIL] or call [PHONE]', piiFindings: { total: 2, byType: { EMAIL: 1, PHONE: 1 } } });
		expect(out[1].json).toEqual({ note: 'nothing here', piiFindings: { total: 0, byType: {} } });
		expect(out[2].json.nested).toEqual({ card: '[CARD]', mail: '[EMAIL]' });
		expect(input).toEqual(before);
		expect(out[1].json).not.toBe(input[1].json);
		expect(hints).toEqual([expect.objectContaining({ message: 'PII Redact: 4 findings in 2 of 3 items (EMAIL 2, PHONE 1, CARD 1)' })]);
	});

	it('compiles the rules once per run, not per item', async () => {
		const input = Array.from({ length: 50 }, (_, i) => item({ n: i, mail: `u${i}@example.com` }));
		const { ctx, getNodeParameter } = piiContext(input, base);
		await node.execute.call(ctx);
		expect(getNodeParameter.mock.calls.every(([, index]) => index === 0)).toBe(true);
		expect(getNodeParameter.mock.calls.length).toBeLessThan(20);
	});

	it('applies field rules before the preset, with detailed findings that never carry the value', async () => {
		const { ctx } = piiContext([item({ id: 'c1', email: 'Jane@Example.com', name: 'Jane Doe', phone: '+1 415 555 0132' })], {
			...base,
			preset: 'intercomContact',
			hmacKey: 'pseudonym-key-'.repeat(2),
			fieldRules: { rule: [{ path: 'email', action: 'hmac', label: 'EMAIL' }, { path: 'phone', action: 'mask', keep: 4 }] },
			options: { findings: 'detailed', findingsField: '_pii' },
		});
		const [[out]] = await node.execute.call(ctx);
		expect(out.json.id).toBe('c1');
		expect(out.json.email).toMatch(/^[0-9a-f]{32}$/);
		expect(out.json.name).toBe('[NAME]');
		expect(out.json.phone).toBe('+* *** *** 0132');
		const pii = out.json._pii as { total: number; findings: object[] };
		expect(pii.total).toBe(3);
		expect(pii.findings).toContainEqual({ type: 'EMAIL', path: 'email', start: 0, end: 16, action: 'hmac' });
		expect(JSON.stringify(pii)).not.toMatch(/jane|415/i);
	});

	it('minimises to the allow-list', async () => {
		const { ctx } = piiContext([item({ id: '1', external_id: 'e', role: 'user', email: 'a@b.com', custom_attributes: { plan: 'pro', x: 1 } })], {
			...base,
			mode: 'minimise',
			preset: 'intercomContact',
			allowedFields: '',
			options: { findings: 'none' },
		});
		const [[out]] = await node.execute.call(ctx);
		expect(out.json).toEqual({ id: '1', external_id: 'e', role: 'user', custom_attributes: { plan: 'pro' } });
	});

	it('refuses an empty allow-list', async () => {
		const { ctx } = piiContext([item({ a: 1 })], { ...base, mode: 'minimise', allowedFields: ' ' });
		await expect(node.execute.call(ctx)).rejects.toThrow('Allowed Fields is empty');
	});

	it('names the parameter when a rule is invalid', async () => {
		const { ctx } = piiContext([item({ a: 1 })], { ...base, customDetectors: { detector: [{ name: 'evil', pattern: '(a+)+$' }] } });
		const err = await node.execute.call(ctx).then(() => undefined, (e: unknown) => e);
		expect(err).toBeInstanceOf(NodeOperationError);
		expect((err as NodeOperationError).message).toMatch(/Custom detector "evil": the pattern repeats a group/);
		expect((err as NodeOperationError).description).toBe('Check the parameter "Custom Detectors → Pattern".');
	});

	it('with continueOnFail, an invalid rule gives every item an error item saying which parameter to fix', async () => {
		const params = { ...base, customDetectors: { detector: [{ name: 'evil', pattern: '(a+)+$' }] } };
		const { ctx } = piiContext([item({ a: 1 }), item({ a: 2 })], params, true);
		const [out] = await node.execute.call(ctx);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const o of out) {
			expect(o.json).toEqual({ error: expect.stringMatching(/Custom detector "evil"/), description: 'Check the parameter "Custom Detectors → Pattern".' });
		}
	});

	it('with continueOnFail, a failing item becomes an error item paired with its input; the others go on', async () => {
		const input = [item({ t: 'short a@b.com' }), item({ t: 'x'.repeat(500) }), item({ t: 'ok' })];
		const { ctx } = piiContext(input, { ...base, options: { maxTextLength: 100, onOversize: 'error', findings: 'none' } }, true);
		const [out] = await node.execute.call(ctx);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json).toEqual({ t: 'short [EMAIL]' });
		expect(out[1].json.error).toMatch(/"t" is 500 characters, over the 100 limit.*\[item 1\]/);
		expect(out[2].json).toEqual({ t: 'ok' });
	});

	it('without continueOnFail, throws a NodeOperationError for the item', async () => {
		const { ctx } = piiContext([item({ t: 'ok' }), item({ t: 'x'.repeat(500) })], { ...base, options: { maxTextLength: 100, onOversize: 'error' } });
		const err = await node.execute.call(ctx).then(() => undefined, (e: unknown) => e);
		expect(err).toBeInstanceOf(NodeOperationError);
		expect((err as NodeOperationError).message).toMatch(/\[item 1\]$/);
	});

	it('drops binary data unless asked to keep it', async () => {
		const bin = { data: { data: 'aGk=', mimeType: 'text/plain' } };
		const run = async (keepBinary: boolean) => {
			const { ctx } = piiContext([{ json: { a: 1 }, binary: bin }], { ...base, options: { keepBinary } });
			return (await node.execute.call(ctx))[0][0];
		};
		expect((await run(false)).binary).toBeUndefined();
		expect((await run(true)).binary).toBe(bin);
	});
});

describe('PII Redact node: countries and the known subject (issue 13)', () => {
	it('recognises national phone formats of the Default Countries', async () => {
		const input = [item({ note: 'Festnetz 0351-4471203, fixe 0297318840' })];
		const run = async (defaultCountries: string) => {
			const { ctx } = piiContext(input, { ...base, defaultCountries, options: { findings: 'none' } });
			return (await node.execute.call(ctx))[0][0].json.note;
		};
		expect(await run('')).toBe('Festnetz 0351-4471203, fixe 0297318840');
		expect(await run('DE, fr')).toBe('Festnetz [PHONE], fixe [PHONE]');
	});

	it('names the Default Countries parameter when a code is wrong', async () => {
		const { ctx } = piiContext([item({ a: 1 })], { ...base, defaultCountries: 'Germany' });
		const err = await node.execute.call(ctx).then(() => undefined, (e: unknown) => e);
		expect(err).toBeInstanceOf(NodeOperationError);
		expect((err as NodeOperationError).message).toMatch(/"Germany" is not an ISO 3166-1 alpha-2 country code/);
		expect((err as NodeOperationError).description).toBe('Check the parameter "Default Countries".');
	});

	it("redacts the subject from the item: an Intercom contact's name in its notes, accent-insensitively", async () => {
		const contact = { type: 'contact', id: 'c1', name: 'Jürgen Müller', email: 'j.mueller@example.de', location: { country: 'Germany' }, custom_attributes: { note: 'Herr MULLER ruft an: 0351/4471203' } };
		const { ctx } = piiContext([item(contact)], { ...base, preset: 'intercomContact', subjectSource: 'item', subjectMode: 'redact', options: { findings: 'none' } });
		const [out] = await node.execute.call(ctx);
		expect(out[0].json.custom_attributes).toEqual({ note: 'Herr [SUBJECT_NAME] ruft an: [PHONE]' });
		expect(out[0].json.name).toBe('[NAME]');
	});

	it('keeps the subject given by parameters and redacts everybody else (access requests)', async () => {
		const input = [item({ body: 'From ana@example.es to bob@example.com, cc ana@example.es' })];
		const { ctx } = piiContext(input, { ...base, subjectSource: 'parameters', subjectEmails: 'ana@example.es', subjectMode: 'keep', options: { findings: 'none' } });
		const [out] = await node.execute.call(ctx);
		expect(out[0].json.body).toBe('From ana@example.es to [EMAIL], cc ana@example.es');
	});

	it('reads the subject per item (an expression can give each item its own person)', async () => {
		const input = [item({ body: 'ana@example.es wrote to bob@example.com' }), item({ body: 'ana@example.es wrote to bob@example.com' })];
		const { ctx, getNodeParameter } = piiContext(input, { ...base, subjectSource: 'parameters', subjectEmails: 'unused', subjectMode: 'keep', options: { findings: 'none' } });
		const fallback = getNodeParameter.getMockImplementation()!;
		getNodeParameter.mockImplementation((name: string, i: number, d?: unknown) =>
			name === 'subjectEmails' ? (i === 0 ? 'ana@example.es' : 'bob@example.com') : fallback(name, i, d),
		);
		const out = (await node.execute.call(ctx))[0].map((o) => o.json.body);
		expect(out).toEqual(['ana@example.es wrote to [EMAIL]', '[EMAIL] wrote to bob@example.com']);
	});
});
