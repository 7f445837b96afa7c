// Records → Intercom JSON, following the requested API version where shapes differ (2.16: contact
// owner_id is a string, conversation priority is none/low/…, assignee ids are plain integers).

import { createHash } from 'node:crypto';
import type { Ctx } from './http';
import { toPlainText, versionAtLeast } from './http';
import type { AdminRecord, CompanyRecord, ContactRecord, CustomAttributeValue, FileAttribute, NoteRecord } from './workspace';

const EMBED_LIMIT = 10;
export const FILE_URL_TTL_SECONDS = 30 * 60;

export function fileSignature(fileId: string, expires: number): string {
	return createHash('sha256').update(`fake-intercom:${fileId}:${expires}`).digest('hex').slice(0, 24);
}

/** Signed, expiring URL like Intercom's file attributes (valid 30 minutes). */
export function fileUrl(ctx: Ctx, f: FileAttribute): string {
	const expires = ctx.nowSec + FILE_URL_TTL_SECONDS;
	return `${ctx.baseUrl}/files/${f.fileId}/${encodeURIComponent(f.name)}?expires=${expires}&signature=${fileSignature(f.fileId, expires)}`;
}

export function fileAttribute(ctx: Ctx, f: FileAttribute): Record<string, unknown> {
	return {
		type: 'upload',
		name: f.name,
		url: fileUrl(ctx, f),
		content_type: f.contentType,
		filesize: Buffer.byteLength(f.content),
	};
}

function customAttributes(ctx: Ctx, attrs: Record<string, CustomAttributeValue>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(attrs)) {
		out[k] = v !== null && typeof v === 'object' && v.kind === 'file' ? fileAttribute(ctx, v) : v;
	}
	return out;
}

function embedded(ids: string[], itemType: string, itemPath: string, listUrl: string): Record<string, unknown> {
	return {
		type: 'list',
		data: ids.slice(0, EMBED_LIMIT).map((id) => ({ type: itemType, id, url: `/${itemPath}/${id}` })),
		url: listUrl,
		total_count: ids.length,
		has_more: ids.length > EMBED_LIMIT,
	};
}

export function contactJson(ctx: Ctx, c: ContactRecord): Record<string, unknown> {
	const v216 = versionAtLeast(ctx.version, '2.16');
	return {
		type: 'contact',
		id: c.id,
		workspace_id: ctx.state.ws.app.idCode,
		external_id: c.externalId,
		role: c.role,
		email: c.email,
		email_domain: c.email.split('@')[1] ?? '',
		phone: c.phone,
		name: c.name,
		owner_id: c.ownerId === null ? null : v216 ? String(c.ownerId) : c.ownerId,
		has_hard_bounced: c.hasHardBounced,
		marked_email_as_spam: c.markedEmailAsSpam,
		unsubscribed_from_emails: c.unsubscribedFromEmails,
		created_at: c.createdAt,
		updated_at: c.updatedAt,
		signed_up_at: c.signedUpAt,
		last_seen_at: c.lastSeenAt,
		last_replied_at: c.lastRepliedAt,
		last_contacted_at: c.lastContactedAt,
		last_email_opened_at: c.lastEmailOpenedAt,
		last_email_clicked_at: c.lastEmailClickedAt,
		language_override: c.languageOverride,
		browser: c.browser,
		browser_version: null,
		browser_language: null,
		os: c.os,
		android_app_name: null,
		android_app_version: null,
		android_device: null,
		android_os_version: null,
		android_sdk_version: null,
		android_last_seen_at: null,
		ios_app_name: null,
		ios_app_version: null,
		ios_device: null,
		ios_os_version: null,
		ios_sdk_version: null,
		ios_last_seen_at: null,
		custom_attributes: customAttributes(ctx, c.customAttributes),
		avatar: { type: 'avatar', image_url: null },
		tags: embedded(c.tagIds, 'tag', 'tags', `/contacts/${c.id}/tags`),
		notes: embedded(c.noteIds, 'note', 'notes', `/contacts/${c.id}/notes`),
		companies: embedded(c.companyIds, 'company', 'companies', `/contacts/${c.id}/companies`),
		location: { type: 'location', ...c.location },
		social_profiles: {
			type: 'list',
			data: c.socialProfiles.map((p) => ({ type: 'social_profile', name: p.name, url: p.url })),
		},
		// Not in the 2.14 schema, but Intercom shows it and GET works on archived contacts.
		archived: c.archived,
	};
}

export function contactRef(ctx: Ctx, id: string): Record<string, unknown> {
	const c = ctx.state.ws.contacts.get(id);
	return { type: 'contact', id, external_id: c?.externalId ?? null };
}

export function adminJson(a: AdminRecord): Record<string, unknown> {
	return {
		type: 'admin',
		id: a.id,
		name: a.name,
		email: a.email,
		job_title: a.jobTitle,
		away_mode_enabled: false,
		away_mode_reassign: false,
		away_status_reason_id: null,
		has_inbox_seat: true,
		team_ids: [],
		avatar: null,
	};
}

export function findAdmin(ctx: Ctx, id: string): AdminRecord {
	return ctx.state.ws.admins.find((a) => a.id === id) ?? ctx.state.ws.admins[0];
}

export function companyJson(ctx: Ctx, co: CompanyRecord): Record<string, unknown> {
	const userCount = [...ctx.state.ws.contacts.values()].filter((c) => c.companyIds.includes(co.id)).length;
	return {
		type: 'company',
		id: co.id,
		name: co.name,
		app_id: ctx.state.ws.app.idCode,
		company_id: co.companyId,
		remote_created_at: co.createdAt,
		created_at: co.createdAt,
		updated_at: co.updatedAt,
		last_request_at: co.updatedAt,
		size: co.size,
		website: co.website,
		industry: co.industry,
		monthly_spend: co.monthlySpend,
		session_count: 0,
		user_count: userCount,
		custom_attributes: { ...(co.customAttributes ?? {}) },
		tags: { type: 'tag.list', tags: [] },
		segments: { type: 'segment.list', segments: [] },
	};
}

export function noteJson(ctx: Ctx, n: NoteRecord): Record<string, unknown> {
	return {
		type: 'note',
		id: n.id,
		created_at: n.createdAt,
		contact: { type: 'contact', id: n.contactId },
		author: adminJson(findAdmin(ctx, n.authorAdminId)),
		body: n.body,
	};
}

/** Body text as requested: HTML by default, plain text with display_as=plaintext. */
export function bodyAs(ctx: Ctx, html: string | null): string | null {
	return ctx.query.display_as === 'plaintext' ? toPlainText(html) : html;
}
