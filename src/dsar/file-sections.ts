/**
 * The files of a person's package: file custom attributes and the attachments of their conversation
 * and ticket parts (signed URLs), downloaded under the export run's rules (files.ts: gateway host with
 * the token, Intercom's file hosts without it, size and time bounded) or listed with the reason.
 */
import { EXPIRED_URL, fetchFile } from './files';
import { sha256Hex } from './render';
import { asObjects, describe, settled, type SectionCtx } from './sections';
import type { DsarAttachment, DsarFile, DsarOmission, DsarOmissionKind, DsarSection, DsarThread, JsonObject } from './types';

/** File custom attributes: `{type: 'upload', name, url, content_type}` (a 30-minute signed URL). */
export function fileAttributes(profile: JsonObject): Array<{ attribute: string; name: string; url: string; contentType: string | null }> {
	const attrs = (profile.custom_attributes ?? {}) as JsonObject;
	const out: Array<{ attribute: string; name: string; url: string; contentType: string | null }> = [];
	for (const [attribute, value] of Object.entries(attrs)) {
		for (const v of Array.isArray(value) ? value : [value]) {
			if (!v || typeof v !== 'object') continue;
			const f = v as JsonObject;
			if (typeof f.url !== 'string' || (f.type !== 'upload' && f.type !== 'file')) continue;
			out.push({
				attribute,
				name: typeof f.name === 'string' ? f.name : 'file',
				url: f.url,
				contentType: typeof f.content_type === 'string' ? f.content_type : null,
			});
		}
	}
	return out;
}

/** Attachments of conversation/ticket parts (`attachments: [{type, name, url, content_type}]`). */
export function partAttachments(kind: 'conversation' | 'ticket', t: DsarThread): Array<{ threadId: string; partId: string; name: string; url: string; contentType: string | null }> {
	const key = kind === 'conversation' ? 'conversation_parts' : 'ticket_parts';
	const parts = asObjects(((t.data[key] ?? {}) as JsonObject)[key]);
	const withSource = kind === 'conversation' && t.data.source ? [{ ...(t.data.source as JsonObject), id: (t.data.source as JsonObject).id ?? 'source' }, ...parts] : parts;
	const out: Array<{ threadId: string; partId: string; name: string; url: string; contentType: string | null }> = [];
	for (const p of withSource) {
		for (const a of asObjects(p.attachments)) {
			if (typeof a.url !== 'string') continue;
			out.push({ threadId: String(t.data.id), partId: String(p.id ?? ''), name: typeof a.name === 'string' ? a.name : 'attachment', url: a.url, contentType: typeof a.content_type === 'string' ? a.content_type : null });
		}
	}
	return out;
}

export interface FileJob {
	section: DsarSection;
	itemId: string;
	name: string;
	url: string;
	contentType: string | null;
	/** Path inside the ZIP. */
	path: string;
	meta: Pick<DsarFile, 'attribute'> & Partial<Pick<DsarFile, 'source' | 'threadId' | 'partId'>>;
}

/**
 * Downloads files into the package: from the gateway's own host (with the token, through the
 * gateway's retries) or from Intercom's own file hosts (allow-list, without the token), the whole
 * body bounded in time and size. Anything else — another host, an expired URL, a stalled or
 * oversized body — is listed under `omissions` with the reason, never a crash.
 */
export async function downloadFiles(ctx: SectionCtx, contactId: string, jobs: FileJob[], attachments: DsarAttachment[]): Promise<DsarFile[]> {
	const results = await Promise.all(
		jobs.map((job) => {
			const omit = (reason: string, extra: Partial<DsarOmission> & { kind: DsarOmissionKind }): undefined => {
				ctx.omit({ contactId, section: job.section, itemId: job.itemId, reason, ...extra });
				return undefined;
			};
			return settled(
				ctx,
				async () => {
					const got = await fetchFile(ctx.gw, job.url, ctx.files, ctx.run.signal);
					ctx.run.check();
					if (!got.ok) return omit(got.reason, { kind: got.kind });
					attachments.push({ path: job.path, contentType: job.contentType ?? got.contentType ?? 'application/octet-stream', data: got.data });
					const file: DsarFile = { ...job.meta, name: job.name, contentType: job.contentType, size: got.data.byteLength, sha256: sha256Hex(got.data), path: job.path };
					return file;
				},
				(error) => {
					const why = describe(error);
					if (why.status === 403) {
						why.reason = EXPIRED_URL;
						why.kind = 'file_not_fetched';
					}
					omit(why.reason, why);
				},
			);
		}),
	);
	ctx.run.check();
	return results.filter((f): f is DsarFile => f !== undefined);
}

export function safeFileName(name: string): string {
	const cleaned = name.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
	return cleaned === '' ? 'file' : cleaned;
}
