/**
 * deliverDsarPackage(): what Data Subject → Export does, as one call for library users — export the
 * person, build the file (ZIP package, or subject.json alone), its sha256, the reviewer's view when
 * asked, and the `dsar.export` ledger entry (request id, contact ids, counts, sha256; no personal
 * data), so the ledger proves which bytes went to the person. The n8n node is a thin adapter on it.
 */
import { createHash } from 'node:crypto';
import { IntercomInputError, type IntercomGateway } from '../intercom';
import { recordDsarExport } from '../ledger';
import type { Ledger, LedgerEntry } from '../ledger';
import type { SubjectRef } from '../subject';
import { exportSubject } from './collect';
import { renderDsarPackage, toDocument } from './render';
import { reviewDsarPackage, type DsarReview } from './review';
import type { DsarPackage, ExportSubjectOptions } from './types';

export type DsarDeliveryFormat = 'zip' | 'json' | 'review';

export interface DeliverDsarOptions extends Omit<ExportSubjectOptions, 'ledger'> {
	/** `zip` (default): the package; `review`: the package plus `review`; `json`: subject.json only. */
	format?: DsarDeliveryFormat;
	/** Records `dsar.export` for every package made; also finds contacts this workspace archived (see exportSubject). */
	ledger?: Ledger;
}

export interface DsarDelivery {
	pkg: DsarPackage;
	/** False when Intercom holds no contact for the request: no file, nothing recorded. */
	found: boolean;
	/** The file for the person (ZIP or JSON), its name, type and sha256 (also in the ledger entry). */
	file?: { data: Uint8Array; name: string; mimeType: string; sha256: string };
	/** The ZIP's manifest: every file with its size and sha256 (ZIP formats only). */
	files?: Array<{ name: string; size: number; sha256: string }>;
	/** What a reviewer checks before sending (format `review`). */
	review?: DsarReview;
	/** The `dsar.export` entry written for this file. */
	ledgerEntry?: LedgerEntry;
}

export async function deliverDsarPackage(gw: IntercomGateway, ref: SubjectRef, opts: DeliverDsarOptions = {}): Promise<DsarDelivery> {
	const format = opts.format ?? 'zip';
	if (format !== 'zip' && format !== 'json' && format !== 'review') {
		// Checked before any request, like every other option.
		throw new IntercomInputError('format', 'it must be "zip", "review" or "json"', 'Leave it unset for the ZIP package.');
	}
	const pkg = await exportSubject(gw, ref, opts);
	if (!pkg.subject.found) return { pkg, found: false };
	const out: DsarDelivery = { pkg, found: true };
	if (format === 'review') out.review = reviewDsarPackage(toDocument(pkg));
	let data: Uint8Array;
	if (format === 'json') {
		data = new TextEncoder().encode(`${JSON.stringify(toDocument(pkg), null, 2)}\n`);
	} else {
		const rendered = await renderDsarPackage(pkg);
		data = rendered.zip;
		out.files = rendered.manifest.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 }));
	}
	const sha256 = createHash('sha256').update(data).digest('hex');
	out.file = { data, name: `${pkg.requestId}.${format === 'json' ? 'json' : 'zip'}`, mimeType: format === 'json' ? 'application/json' : 'application/zip', sha256 };
	if (opts.ledger) {
		out.ledgerEntry = await recordDsarExport(opts.ledger, {
			requestId: pkg.requestId,
			subject: subjectIdentifier(ref),
			contactIds: pkg.contacts.map((c) => c.id),
			counts: { ...pkg.counts },
			packageSha256: sha256,
		});
	}
	return out;
}

/** The identifier the request named, for the ledger (which stores only its HMAC). */
function subjectIdentifier(ref: SubjectRef): { kind: 'email' | 'externalId' | 'contactId'; value: string } | undefined {
	if (ref.email) return { kind: 'email', value: ref.email };
	if (ref.externalId) return { kind: 'externalId', value: ref.externalId };
	if (ref.contactId) return { kind: 'contactId', value: ref.contactId };
	return undefined;
}
