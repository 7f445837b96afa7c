// What the PII Redact node does around the engine: compile the rules once (a rejected setting is
// named by its parameter), redact one item, summarise findings for the item and the execution hint.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, deepCopy } from 'n8n-workflow';
import type { Finding, RedactionRules, Redactor, ScanContext } from '../../src/redact';
import { RedactionError, compileRedactor } from '../../src/redact';
import type { NodeOptions } from './rules';

/** Where the user fixes a rejected setting, by the engine's field name. */
const PARAMETER_NAMES: Record<string, string> = {
	fields: 'Field Rules',
	'fields.action': 'Field Rules → Action',
	'fields.label': 'Field Rules → Label',
	hmacKey: 'HMAC Key',
	'custom.name': 'Custom Detectors → Name',
	'custom.pattern': 'Custom Detectors → Pattern',
	'custom.flags': 'Custom Detectors → Flags',
	detectors: 'Detectors',
	operator: 'Replace With',
	maxLength: 'Options → Max Text Length',
	scan: 'Scan Text',
	defaultCountries: 'Default Countries',
	countries: 'Default Countries',
	subject: 'Known Subject',
	'subject.emails': 'Known Subject → Emails',
	'subject.phones': 'Known Subject → Phones',
	'subject.ids': 'Known Subject → IDs',
	'subject.addressLines': 'Known Subject → Address Lines',
	'subject.country': 'Known Subject',
	subjectMode: "Subject's Own Data",
	value: 'the input item',
};

/** The parameter a RedactionError points at, by its display name. */
export function parameterOf(error: unknown): string | undefined {
	return error instanceof RedactionError ? (PARAMETER_NAMES[error.field] ?? error.field) : undefined;
}

/** Compiles the rules once per run; a rejected setting becomes a NodeOperationError naming the parameter. */
export function compileOrError(ctx: IExecuteFunctions, rules: RedactionRules): Redactor | NodeOperationError {
	if (rules.allow && rules.allow.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Allowed Fields is empty', {
			description: 'List the paths to keep (e.g. id, external_id, role) or choose a preset.',
		});
	}
	try {
		return compileRedactor(rules);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return new NodeOperationError(ctx.getNode(), message, { description: `Check the parameter "${parameterOf(error) ?? 'the rules'}".` });
	}
}

function summarise(findings: Finding[]): IDataObject {
	const byType: IDataObject = {};
	for (const f of findings) byType[f.type] = ((byType[f.type] as number | undefined) ?? 0) + 1;
	return { total: findings.length, byType };
}

/** One item redacted into its output item (findings summary attached as chosen), plus its findings. */
export function redactItem(redactor: Redactor, item: INodeExecutionData, i: number, options: NodeOptions, scan: ScanContext | undefined): { out: INodeExecutionData; findings: Finding[] } {
	const { value, findings } = redactor.redact(item.json, scan);
	const json = deepCopy((value ?? {}) as IDataObject);
	if (options.findings !== 'none') {
		json[options.findingsField] = {
			...summarise(findings),
			...(options.findings === 'detailed' ? { findings: findings.map((f) => ({ ...f })) } : {}),
		};
	}
	return { out: { json, ...(options.keepBinary && item.binary ? { binary: item.binary } : {}), pairedItem: { item: i } }, findings };
}

/** The execution hint: how many findings of which type in how many items (never a value). */
export function findingsHint(totals: Record<string, number>, itemsWithFindings: number, items: number): string {
	const total = Object.values(totals).reduce((a, b) => a + b, 0);
	const byType = Object.entries(totals)
		.sort((a, b) => b[1] - a[1])
		.map(([t, n]) => `${t} ${n}`)
		.join(', ');
	return total
		? `PII Redact: ${total} finding${total === 1 ? '' : 's'} in ${itemsWithFindings} of ${items} items (${byType})`
		: `PII Redact: nothing found in ${items} item${items === 1 ? '' : 's'}`;
}
