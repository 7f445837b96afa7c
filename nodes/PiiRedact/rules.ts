// Turns the node's parameters into the engine's RedactionRules (read once per run: the rules are
// compiled once and applied to every item).
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { EntityType, FieldRule, Operator, RedactionRules, ScanContext } from '../../src/redact';
import { ENTITY_TYPES, PRESETS, subjectFromItem } from '../../src/redact';

export interface SubjectSettings {
	source: 'none' | 'item' | 'parameters';
	mode: 'redact' | 'keep';
}

const list = (s: unknown): string[] =>
	String(s ?? '')
		.split(/[,\n]/)
		.map((x) => x.trim())
		.filter(Boolean);

/** The per-item scan context: the known subject from the item or from (per-item) parameters. */
export function subjectContext(ctx: IExecuteFunctions, s: SubjectSettings, json: IDataObject, i: number): ScanContext | undefined {
	if (s.source === 'none') return undefined;
	if (s.source === 'item') {
		const subject = subjectFromItem(json);
		return subject ? { subject, subjectMode: s.mode } : undefined;
	}
	return {
		subject: {
			name: (ctx.getNodeParameter('subjectName', i, '') as string) || undefined,
			emails: list(ctx.getNodeParameter('subjectEmails', i, '')),
			phones: list(ctx.getNodeParameter('subjectPhones', i, '')),
			ids: list(ctx.getNodeParameter('subjectIds', i, '')),
			addressLines: list(ctx.getNodeParameter('subjectAddress', i, '')),
		},
		subjectMode: s.mode,
	};
}

export interface NodeOptions {
	findings: 'summary' | 'detailed' | 'none';
	findingsField: string;
	keepBinary: boolean;
}

interface RuleParam {
	path?: string;
	action?: FieldRule['action'];
	replacement?: string;
	label?: string;
	keep?: number;
}

interface DetectorParam {
	name?: string;
	pattern?: string;
	flags?: string;
}

function operatorFrom(kind: string, text: string, keep: number): Operator {
	switch (kind) {
		case 'remove':
			return { kind: 'remove' };
		case 'text':
			return { kind: 'replace', text };
		case 'mask':
			return { kind: 'mask', keep };
		case 'hmac':
			return { kind: 'hmac' };
		default:
			return { kind: 'replace' };
	}
}

export function readRules(ctx: IExecuteFunctions): { rules: RedactionRules; options: NodeOptions; subject: SubjectSettings } {
	const mode = ctx.getNodeParameter('mode', 0) as string;
	const preset = ctx.getNodeParameter('preset', 0, 'none') as string;
	const chosen = preset === 'intercomContact' || preset === 'intercomConversation' ? PRESETS[preset] : undefined;
	const ruleParams = (ctx.getNodeParameter('fieldRules.rule', 0, []) as RuleParam[]) ?? [];
	const fields: FieldRule[] = ruleParams.map((r) => ({
		path: r.path ?? '',
		action: r.action ?? 'replace',
		...(r.action === 'replace' && r.replacement ? { text: r.replacement } : {}),
		...(r.label ? { label: r.label } : {}),
		...(r.action === 'mask' ? { keep: r.keep ?? 4 } : {}),
	}));
	// Your own rules come first: the first matching rule wins, so they override the preset.
	if (chosen) fields.push(...chosen.fields);
	const custom = ((ctx.getNodeParameter('customDetectors.detector', 0, []) as DetectorParam[]) ?? []).map((d) => ({
		name: d.name ?? '',
		pattern: d.pattern ?? '',
		...(d.flags ? { flags: d.flags } : {}),
	}));
	const o = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const hmacKey = (ctx.getNodeParameter('hmacKey', 0, '') as string) || undefined;
	const rules: RedactionRules = {
		fields,
		scan: ctx.getNodeParameter('scan', 0, 'all') as 'all' | 'rules',
		detectors: ctx.getNodeParameter('detectors', 0, [...ENTITY_TYPES]) as EntityType[],
		custom,
		operator: operatorFrom(
			ctx.getNodeParameter('operator', 0, 'label') as string,
			ctx.getNodeParameter('replacementText', 0, '[REDACTED]') as string,
			ctx.getNodeParameter('maskKeep', 0, 4) as number,
		),
		hmacKey,
		html: (o.htmlMode as 'auto' | 'always' | 'never' | undefined) ?? 'auto',
		maxLength: (o.maxTextLength as number | undefined) ?? 2 * 1024 * 1024,
		onOversize: (o.onOversize as 'redact' | 'error' | undefined) ?? 'redact',
		defaultCountries: list(ctx.getNodeParameter('defaultCountries', 0, '')),
	};
	if (mode === 'minimise') {
		const typed = (ctx.getNodeParameter('allowedFields', 0, '') as string)
			.split(/[,\n]/)
			.map((p) => p.trim())
			.filter(Boolean);
		rules.allow = typed.length ? typed : (chosen?.allowList ?? []);
	}
	const source = ctx.getNodeParameter('subjectSource', 0, 'none') as SubjectSettings['source'];
	return {
		rules,
		subject: { source, mode: source === 'none' ? 'redact' : (ctx.getNodeParameter('subjectMode', 0, 'redact') as SubjectSettings['mode']) },
		options: {
			findings: (o.findings as NodeOptions['findings'] | undefined) ?? 'summary',
			findingsField: (o.findingsField as string | undefined) || 'piiFindings',
			keepBinary: (o.keepBinary as boolean | undefined) ?? false,
		},
	};
}
