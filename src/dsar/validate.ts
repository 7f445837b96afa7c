/** Validates subject.json against the published, versioned JSON Schema (schema/dsar-package.v1.schema.json). */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import schema from './schema/dsar-package.v1.schema.json';
import type { DsarDocument } from './types';

export const DSAR_JSON_SCHEMA: object = schema;

let compiled: ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null } | undefined;

function validator() {
	if (!compiled) {
		const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
		addFormats(ajv);
		compiled = ajv.compile(schema);
	}
	return compiled;
}

/** The problems found (JSON pointer + message); empty when the document is valid. No values are echoed. */
export function validateDsarDocument(doc: unknown): string[] {
	const v = validator();
	if (v(doc)) return [];
	return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

export function assertValidDsarDocument(doc: DsarDocument): void {
	const problems = validateDsarDocument(doc);
	if (problems.length > 0) {
		throw new Error(`The DSAR package does not match ${doc.schema}: ${problems.slice(0, 5).join('; ')}`);
	}
}
