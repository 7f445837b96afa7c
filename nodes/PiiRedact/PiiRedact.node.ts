import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { errorItem } from '../shared/errors';
import { compileOrError, findingsHint, parameterOf, redactItem } from './helpers';
import { piiRedactProperties } from './redact.description';
import { readRules, subjectContext } from './rules';

/**
 * Redacts personal data from any items: field rules by path (with wildcards), validated detectors
 * for free text (HTML-aware), or minimisation to an allow-list. No credential, no network: the work
 * is done by the pure engine in src/redact, compiled once per run.
 */
export class PiiRedact implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PII Redact',
		name: 'piiRedact',
		icon: { light: 'file:piiRedact.svg', dark: 'file:piiRedact.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["mode"] === "minimise" ? "Keep allowed fields" : "Redact personal data"}}',
		description: 'Redact, mask or pseudonymise personal data (emails, phones, cards, IBANs …) in any items',
		defaults: {
			name: 'PII Redact',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: piiRedactProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const { rules, options, subject } = readRules(this);
		const redactor = compileOrError(this, rules); // once per run, for every item
		if (redactor instanceof NodeOperationError) {
			// The rules apply to every item, so every item gets the error item.
			if (this.continueOnFail()) return [items.map((_, i) => errorItem(redactor, i))];
			throw redactor;
		}
		const out: INodeExecutionData[] = [];
		const totals: Record<string, number> = {};
		let itemsWithFindings = 0;
		for (let i = 0; i < items.length; i++) {
			try {
				const r = redactItem(redactor, items[i], i, options, subjectContext(this, subject, items[i].json, i));
				for (const f of r.findings) totals[f.type] = (totals[f.type] ?? 0) + 1;
				if (r.findings.length) itemsWithFindings++;
				out.push(r.out);
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				const field = parameterOf(error);
				const nodeError = new NodeOperationError(this.getNode(), `${message} [item ${i}]`, {
					itemIndex: i,
					...(field ? { description: `Check "${field}".` } : {}),
				});
				if (!this.continueOnFail()) throw nodeError;
				out.push(errorItem(nodeError, i));
			}
		}
		this.addExecutionHints({ message: findingsHint(totals, itemsWithFindings, items.length), type: 'info', location: 'outputPane' });
		return [out];
	}
}
