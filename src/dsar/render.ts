/**
 * renderDsarPackage(): the package as files — subject.json (validated against the published JSON
 * Schema), one CSV per tabular section, index.html, the downloaded files, manifest.json (sha256 of
 * every other file) — and a ZIP of them all.
 */
import { createHash } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import { renderCsvFiles } from './csv';
import { renderHtml } from './html';
import type { DsarDocument, DsarPackage } from './types';
import { assertValidDsarDocument } from './validate';

export interface DsarFileOut {
	name: string;
	mime: string;
	data: Uint8Array;
}

export interface RenderOptions {
	/** Skip the schema check (only for callers that validated already). Default false. */
	skipValidation?: boolean;
}

export interface ManifestEntry {
	name: string;
	mime: string;
	size: number;
	sha256: string;
}

export interface DsarManifest {
	schema: 'dsar-manifest.v1';
	requestId: string;
	generatedAt: string;
	packageSchema: string;
	files: ManifestEntry[];
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The JSON document without the file bytes (they travel as files of their own). */
export function toDocument(pkg: DsarPackage): DsarDocument {
	const doc: DsarDocument & { attachments?: unknown } = { ...pkg };
	delete doc.attachments;
	return doc;
}

export async function renderDsarPackage(pkg: DsarPackage, opts: RenderOptions = {}): Promise<{ files: DsarFileOut[]; zip: Uint8Array; manifest: DsarManifest }> {
	const doc = toDocument(pkg);
	if (!opts.skipValidation) assertValidDsarDocument(doc);
	const files: DsarFileOut[] = [{ name: 'subject.json', mime: 'application/json', data: utf8(`${JSON.stringify(doc, null, 2)}\n`) }];
	for (const csv of renderCsvFiles(doc)) files.push({ name: csv.name, mime: 'text/csv', data: utf8(csv.text) });
	for (const a of pkg.attachments) files.push({ name: a.path, mime: a.contentType, data: a.data });
	const names = [...files.map((f) => f.name), 'index.html', 'manifest.json'];
	files.push({ name: 'index.html', mime: 'text/html', data: utf8(renderHtml(doc, names)) });
	const manifest: DsarManifest = {
		schema: 'dsar-manifest.v1',
		requestId: doc.requestId,
		generatedAt: doc.generatedAt,
		packageSchema: doc.schema,
		files: files.map((f) => ({ name: f.name, mime: f.mime, size: f.data.byteLength, sha256: sha256Hex(f.data) })),
	};
	files.push({ name: 'manifest.json', mime: 'application/json', data: utf8(`${JSON.stringify(manifest, null, 2)}\n`) });

	const mtime = new Date(doc.generatedAt);
	const tree: Zippable = {};
	for (const f of files) tree[f.name] = [f.data, { mtime, level: f.mime.startsWith('image/') || f.mime === 'application/pdf' ? 0 : 6 }];
	return { files, zip: zipSync(tree), manifest };
}
