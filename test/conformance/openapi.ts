// Loads Intercom's OpenAPI 3.0 descriptions and validates requests/responses against them with ajv.
// OpenAPI 3.0 schemas are not JSON Schema: `nullable`, `$ref` with siblings, `example`, custom
// formats and `x-*` keys are converted here. Known spec mistakes are patched only through the
// named entries in quirks.ts, never by loosening validation in general.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { QUIRKS, type Quirk } from './quirks';

export type SpecVersion = '2.14' | '2.16';
/**
 * Intercom's OpenAPI descriptions are not in this repository: they are expected beside the clone in
 * ../shared/intercom-openapi (Intercom publishes them at github.com/intercom/Intercom-OpenAPI, as
 * descriptions/<version>/api.intercom.io.yaml), or wherever INTERCOM_OPENAPI_DIR points. Without
 * them only `npm run test:conformance` cannot run (it says so in one line); `npm test` does not need them.
 */
export const SPEC_DIR = process.env.INTERCOM_OPENAPI_DIR || join(__dirname, '..', '..', '..', 'shared', 'intercom-openapi');
export const SPEC_FILES = ['2.14', '2.16'].map((v) => `api.intercom.io.${v}.yaml`);

type Json = Record<string, unknown>;

interface Operation {
	method: string;
	template: string;
	regex: RegExp;
	literalSegments: number;
	operationId: string;
	op: Json;
	pathItem: Json;
}

export interface Spec {
	version: SpecVersion;
	doc: Json;
	ajv: Ajv;
	operations: Operation[];
	schemaId: string;
}

const cache = new Map<SpecVersion, Spec>();

/** Map an `Intercom-Version` header to the spec file we have (2.14 or 2.16). */
export function specVersionFor(headerVersion: string | undefined): SpecVersion {
	if (!headerVersion) return '2.14';
	const [maj, min] = headerVersion.split('.').map(Number);
	if (Number.isFinite(maj) && Number.isFinite(min) && maj === 2 && min <= 14) return '2.14';
	return '2.16';
}

/** OpenAPI 3.0 schema → JSON Schema (draft-07 flavour that ajv understands). */
export function toJsonSchema(schema: unknown, schemaId: string): unknown {
	if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, schemaId));
	if (schema === null || typeof schema !== 'object') return schema;
	const s = schema as Json;
	if (typeof s.$ref === 'string') {
		// OpenAPI 3.0 ignores siblings of $ref, except that `nullable: true` next to it is the
		// spec authors' way of saying "or null" (e.g. conversation.ai_agent).
		const ref = { $ref: s.$ref.replace('#/components/schemas/', `${schemaId}#/definitions/`) };
		return s.nullable === true ? { anyOf: [ref, { type: 'null' }] } : ref;
	}
	const out: Json = {};
	for (const [k, v] of Object.entries(s)) {
		if (k === 'example' || k === 'examples' || k === 'nullable' || k === 'xml' || k === 'externalDocs' || k === 'discriminator' || k.startsWith('x-')) continue;
		if (k === 'properties' || k === 'patternProperties' || k === 'definitions') {
			const props: Json = {};
			for (const [pk, pv] of Object.entries(v as Json)) props[pk] = toJsonSchema(pv, schemaId);
			out[k] = props;
		} else if (k === 'format' && v === 'uri') {
			out[k] = 'uri-reference'; // quirk uri-format-relative (see quirks.ts)
		} else if (typeof v === 'object' && v !== null) {
			out[k] = toJsonSchema(v, schemaId);
		} else {
			out[k] = v;
		}
	}
	if (s.nullable === true) return { anyOf: [out, { type: 'null' }] };
	return out;
}

function templateRegex(template: string): { regex: RegExp; literalSegments: number } {
	let literal = 0;
	const src = template
		.split('/')
		.map((seg) => {
			if (/^\{.+\}$/.test(seg)) return '[^/]+';
			if (seg) literal += 1;
			return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { regex: new RegExp(`^${src}/?$`), literalSegments: literal };
}

export function loadSpec(version: SpecVersion): Spec {
	const hit = cache.get(version);
	if (hit) return hit;
	const doc = parse(readFileSync(join(SPEC_DIR, `api.intercom.io.${version}.yaml`), 'utf8')) as Json;
	const schemaId = `intercom-${version}`;
	const components = (doc.components as Json).schemas as Json;
	const definitions: Json = {};
	for (const [name, schema] of Object.entries(components)) definitions[name] = toJsonSchema(schema, schemaId);
	for (const q of QUIRKS) q.patchDefinitions?.(definitions, version);

	const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
	addFormats(ajv);
	// Formats the spec uses that JSON Schema does not define; they carry no constraint we can check.
	for (const f of ['timestamp', 'int32', 'int64', 'float', 'double', 'binary', 'byte', 'password']) ajv.addFormat(f, true);
	ajv.addSchema({ $id: schemaId, definitions });

	const operations: Operation[] = [];
	for (const [template, item] of Object.entries(doc.paths as Json)) {
		for (const [method, op] of Object.entries(item as Json)) {
			if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
			const { regex, literalSegments } = templateRegex(template);
			const o = op as Json;
			operations.push({
				method: method.toUpperCase(),
				template,
				regex,
				literalSegments,
				operationId: (o.operationId as string | undefined) ?? `${method.toUpperCase()} ${template}`,
				op: o,
				pathItem: item as Json,
			});
		}
	}
	// The most specific template wins: /contacts/search before /contacts/{contact_id}.
	operations.sort((a, b) => b.literalSegments - a.literalSegments);
	const spec: Spec = { version, doc, ajv, operations, schemaId };
	cache.set(version, spec);
	return spec;
}

export function findOperation(spec: Spec, method: string, path: string): Operation | undefined {
	return spec.operations.find((o) => o.method === method.toUpperCase() && o.regex.test(path));
}

const compiled = new WeakMap<object, ValidateFunction>();
function compile(spec: Spec, schema: unknown): ValidateFunction {
	const key = schema as object;
	let fn = compiled.get(key);
	if (!fn) {
		fn = spec.ajv.compile(toJsonSchema(schema, spec.schemaId) as object);
		compiled.set(key, fn);
	}
	return fn;
}

function compileDefinition(spec: Spec, name: string): ValidateFunction {
	const fn = spec.ajv.getSchema(`${spec.schemaId}#/definitions/${name}`);
	if (!fn) throw new Error(`No schema ${name} in ${spec.version}`);
	return fn;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
	return (errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export interface ValidationResult {
	ok: boolean;
	version: SpecVersion;
	operationId?: string;
	/** What the body was validated against, e.g. `200 application/json` or `quirk:events-list-typed-as-summary`. */
	checkedAgainst?: string;
	/** Quirks from quirks.ts that applied to this exchange. */
	quirks: string[];
	errors: string[];
}

export interface ResponseLike {
	method: string;
	path: string;
	status: number;
	body: unknown;
	version?: string;
}

export interface RequestLike {
	method: string;
	path: string;
	query?: Record<string, string>;
	headers?: Record<string, string>;
	body: unknown;
}

/** Quirk ids that applied during this process (the tour asserts every listed quirk is exercised). */
export const usedQuirks = new Set<string>();

function quirksFor(kind: Quirk['kind'], spec: Spec, op: Operation | undefined, method: string, path: string, status?: number): Quirk[] {
	const responses = (op?.op.responses ?? {}) as Json;
	const documented = status === undefined ? undefined : String(status) in responses;
	return QUIRKS.filter(
		(q) => q.kind === kind && q.applies({ version: spec.version, operationId: op?.operationId, method: method.toUpperCase(), path, status, documented }),
	);
}

/** Validate one response body against the operation's schema for that status. */
export function validateResponse(r: ResponseLike, version: SpecVersion = specVersionFor(r.version)): ValidationResult {
	const spec = loadSpec(version);
	const op = findOperation(spec, r.method, r.path);
	const res: ValidationResult = { ok: false, version, operationId: op?.operationId, quirks: [], errors: [] };
	if (!op) {
		res.errors.push(`no operation for ${r.method} ${r.path} in ${version}`);
		return res;
	}
	for (const q of quirksFor('response', spec, op, r.method, r.path, r.status)) {
		const name = q.responseSchema?.(r.body, r.status);
		if (name) {
			res.quirks.push(q.id);
			usedQuirks.add(q.id);
			res.checkedAgainst = `quirk:${q.id} → ${name}`;
			const fn = compileDefinition(spec, name);
			res.ok = fn(r.body) as boolean;
			res.errors = describeErrors(fn.errors);
			return res;
		}
	}
	const responses = (op.op.responses ?? {}) as Json;
	const entry = (responses[String(r.status)] ?? responses.default) as Json | undefined;
	if (!entry) {
		res.errors.push(`status ${r.status} is not documented for ${op.operationId} in ${version}`);
		return res;
	}
	const content = entry.content as Json | undefined;
	const media = content?.['application/json'] as Json | undefined;
	if (!media?.schema) {
		res.checkedAgainst = `${r.status} (no JSON schema documented)`;
		res.ok = true;
		return res;
	}
	const fn = compile(spec, media.schema);
	res.checkedAgainst = `${r.status} application/json`;
	res.ok = fn(r.body) as boolean;
	res.errors = describeErrors(fn.errors);
	return res;
}

function resolveParam(spec: Spec, p: Json): Json {
	if (typeof p.$ref === 'string') {
		const name = p.$ref.split('/').pop() as string;
		return ((spec.doc.components as Json).parameters as Json)[name] as Json;
	}
	return p;
}

function coerce(raw: string, schema: Json | undefined): unknown {
	if (!schema) return raw;
	if (schema.type === 'integer' || schema.type === 'number') return raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
	if (schema.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
	return raw;
}

/** Validate a request we (or the core) sent: JSON body against requestBody, declared parameters, version header. */
export function validateRequest(r: RequestLike, version: SpecVersion = specVersionFor(r.headers?.['intercom-version'])): ValidationResult {
	const spec = loadSpec(version);
	const op = findOperation(spec, r.method, r.path);
	const res: ValidationResult = { ok: true, version, operationId: op?.operationId, quirks: [], errors: [] };
	if (!op) {
		return { ...res, ok: false, errors: [`no operation for ${r.method} ${r.path} in ${version}`] };
	}
	const applied = quirksFor('request', spec, op, r.method, r.path);
	res.quirks = applied.map((q) => q.id);
	for (const q of applied) usedQuirks.add(q.id);
	const skipParams = new Set(applied.flatMap((q) => q.ignoreParams ?? []));

	const params = [...((op.pathItem.parameters as Json[] | undefined) ?? []), ...((op.op.parameters as Json[] | undefined) ?? [])].map((p) => resolveParam(spec, p));
	for (const p of params) {
		const name = p.name as string;
		if (skipParams.has(name)) continue;
		const pSchema = p.schema as Json | undefined;
		if (p.in === 'query' && pSchema?.type === 'object' && p.style !== 'deepObject' && p.explode !== false) {
			// style=form, explode=true object: its properties arrive as separate query keys (e.g. /events filter).
			const keys = new Set<string>();
			for (const alt of [pSchema, ...((pSchema.oneOf as Json[] | undefined) ?? []), ...((pSchema.anyOf as Json[] | undefined) ?? [])]) {
				for (const k of Object.keys((alt.properties as Json | undefined) ?? {})) keys.add(k);
			}
			const value: Record<string, string> = {};
			for (const k of keys) if (r.query?.[k] !== undefined) value[k] = r.query[k];
			if (Object.keys(value).length === 0) {
				if (p.required === true) res.errors.push(`missing required query parameter ${name} (one of ${[...keys].join(', ')})`);
				continue;
			}
			const fn = compile(spec, pSchema);
			if (!fn(value)) res.errors.push(...describeErrors(fn.errors).map((e) => `query ${name}: ${e}`));
			continue;
		}
		let raw: string | undefined;
		if (p.in === 'query') raw = r.query?.[name];
		else if (p.in === 'header') raw = r.headers?.[name.toLowerCase()];
		else continue; // path parameters are matched by the template itself
		if (raw === undefined) {
			if (p.required === true) res.errors.push(`missing required ${p.in} parameter ${name}`);
			continue;
		}
		if (!p.schema) continue;
		const fn = compile(spec, p.schema);
		if (!fn(coerce(raw, p.schema as Json))) res.errors.push(...describeErrors(fn.errors).map((e) => `${p.in} ${name}: ${e}`));
	}

	const rb = op.op.requestBody as Json | undefined;
	const schema = ((rb?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
	if (schema) {
		if (r.body === undefined || r.body === null || r.body === '') {
			if (rb?.required === true) res.errors.push('missing required request body');
		} else {
			const fn = compile(spec, schema);
			if (!fn(r.body)) res.errors.push(...describeErrors(fn.errors).map((e) => `body ${e}`));
		}
		res.checkedAgainst = 'requestBody application/json';
	} else if (r.body !== undefined && r.body !== '' && r.method.toUpperCase() !== 'GET') {
		res.checkedAgainst = 'no requestBody documented';
	}
	res.ok = res.errors.length === 0;
	return res;
}

/**
 * Validate a logged request (a fake's `requests` entry: its body is the request body) or a response
 * (`{method, path, status, body}`: the body is the response body) against the spec of the version
 * the request asked for (2.14 unless it sent Intercom-Version ≥ 2.15).
 */
export function validateAgainstSpec(
	x: RequestLike & { at?: number; status?: number } | ResponseLike,
	opts: { version?: SpecVersion; kind?: 'request' | 'response' } = {},
): ValidationResult {
	const isLogEntry = 'headers' in x && 'at' in x;
	const kind = opts.kind ?? (isLogEntry ? 'request' : 'response');
	return kind === 'request' ? validateRequest(x as RequestLike, opts.version) : validateResponse(x as ResponseLike, opts.version);
}
