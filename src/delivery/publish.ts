/**
 * Expiring, single-use downloads served by the user's own n8n. Publish stores the (encrypted)
 * package in a private folder under a random 256-bit token; a webhook workflow hands it out once.
 *
 * - Files are named after sha256(token), so the folder (or a backup of it) does not give the links away.
 * - The single use is a rename of the metadata file, atomic on one file system: of two downloads
 *   racing, exactly one gets the file; the file is deleted as it is handed out.
 * - Expired packages are refused and deleted; `purgeExpiredPackages` (the retention schedule)
 *   deletes those nobody asked for.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../dsar/render';
import { isRequestId } from '../ledger/entries';

/** Sub-folder (of the n8n user folder, or of the SQLite ledger's folder) holding published packages. */
export const PUBLISHED_FOLDER = 'intercom-gdpr-published';
export const DEFAULT_TTL_DAYS = 7;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const FILE_NAME = /^[A-Za-z0-9_.:-]{1,160}$/;

export interface PublishedPackage {
	requestId: string;
	/** The secret part of the download link. Returned once; only its sha256 names the files. */
	token: string;
	expiresAt: string;
	fileName: string;
	size: number;
	/** sha256 of the stored (encrypted) file. */
	sha256: string;
}

interface Meta {
	requestId: string;
	fileName: string;
	mime: string;
	size: number;
	sha256: string;
	/** sha256 of the package before encryption (what `dsar.export` recorded), when known. */
	plainSha256: string | null;
	createdAt: string;
	expiresAt: string;
}

export type ClaimResult =
	| { status: 'ok'; requestId: string; fileName: string; mime: string; data: Uint8Array; sha256: string; plainSha256: string | null }
	| { status: 'not_found' | 'expired' | 'already_downloaded'; requestId?: string };

const idOf = (token: string) => createHash('sha256').update(token).digest('hex');
const paths = (folder: string, id: string) => ({
	data: join(folder, `${id}.bin`),
	meta: join(folder, `${id}.json`),
	claimed: join(folder, `${id}.claimed.json`),
});

/** Stores `data` for one download within `ttlDays` (default 7, 1 to 30). */
export function publishPackage(opts: {
	folder: string;
	requestId: string;
	data: Uint8Array;
	fileName: string;
	mime?: string;
	plainSha256?: string;
	ttlDays?: number;
	now?: Date;
}): PublishedPackage {
	const ttlDays = opts.ttlDays ?? DEFAULT_TTL_DAYS;
	if (!Number.isFinite(ttlDays) || ttlDays < 1 / 24 || ttlDays > 30) throw new RangeError('ttlDays must be between 1 hour (1/24) and 30 days');
	if (!isRequestId(opts.requestId)) throw new RangeError('requestId may only hold 1–128 letters, digits and _ . : -');
	if (!FILE_NAME.test(opts.fileName)) throw new RangeError('fileName may only hold letters, digits and _ . : -');
	if (!(opts.data instanceof Uint8Array) || opts.data.byteLength === 0) throw new RangeError('data is empty');
	mkdirSync(opts.folder, { recursive: true, mode: 0o700 });
	const token = randomBytes(32).toString('base64url');
	const p = paths(opts.folder, idOf(token));
	const now = opts.now ?? new Date();
	const meta: Meta = {
		requestId: opts.requestId,
		fileName: opts.fileName,
		mime: opts.mime ?? 'application/zip',
		size: opts.data.byteLength,
		sha256: sha256Hex(opts.data),
		plainSha256: opts.plainSha256 ?? null,
		createdAt: now.toISOString(),
		expiresAt: new Date(now.getTime() + ttlDays * 86_400_000).toISOString(),
	};
	writeFileSync(p.data, opts.data, { mode: 0o600 });
	// The metadata last: a package is only claimable once its file is complete.
	writeFileSync(p.meta, JSON.stringify(meta), { mode: 0o600 });
	return { requestId: meta.requestId, token, expiresAt: meta.expiresAt, fileName: meta.fileName, size: meta.size, sha256: meta.sha256 };
}

function readMeta(path: string): Meta | undefined {
	try {
		return JSON.parse(readFileSync(path, 'utf8')) as Meta;
	} catch {
		return undefined;
	}
}

/** Hands out the package for `token` once. Refusals say why, without telling a guesser anything else. */
export function claimPackage(opts: { folder: string; token: string; now?: Date }): ClaimResult {
	const token = typeof opts.token === 'string' ? opts.token.trim() : '';
	if (!TOKEN.test(token)) return { status: 'not_found' };
	const p = paths(opts.folder, idOf(token));
	const now = (opts.now ?? new Date()).getTime();
	try {
		renameSync(p.meta, p.claimed); // the single use: only one caller can move it
	} catch {
		const tomb = readMeta(p.claimed);
		if (!tomb) return { status: 'not_found' };
		// "Already downloaded" only once a download was recorded: a claim still under way (or one that
		// failed and could not put the package back) has handed nothing out.
		if ('downloadedAt' in tomb) return { status: 'already_downloaded', requestId: tomb.requestId };
		return { status: Date.parse(tomb.expiresAt) <= now ? 'expired' : 'not_found', requestId: tomb.requestId };
	}
	const meta = readMeta(p.claimed);
	if (!meta) {
		// Unreadable metadata: nothing can be handed out under this token, now or later.
		rmSync(p.data, { force: true });
		rmSync(p.claimed, { force: true });
		return { status: 'not_found' };
	}
	if (Date.parse(meta.expiresAt) <= now) {
		rmSync(p.data, { force: true });
		return { status: 'expired', requestId: meta.requestId };
	}
	let data: Uint8Array;
	try {
		data = new Uint8Array(readFileSync(p.data));
		// The tombstone (no data) before the file goes: a second click is told "already downloaded" until the expiry.
		writeFileSync(p.claimed, JSON.stringify({ ...meta, downloadedAt: new Date(now).toISOString() }), { mode: 0o600 });
	} catch {
		// Nobody got the file: put the claim back, so the link works again once the file can be read.
		try {
			writeFileSync(p.claimed, JSON.stringify(meta), { mode: 0o600 });
			renameSync(p.claimed, p.meta);
		} catch {
			rmSync(p.claimed, { force: true });
		}
		return { status: 'not_found', requestId: meta.requestId };
	}
	rmSync(p.data, { force: true });
	return { status: 'ok', requestId: meta.requestId, fileName: meta.fileName, mime: meta.mime, data, sha256: meta.sha256, plainSha256: meta.plainSha256 };
}

/**
 * Deletes expired packages nobody downloaded, and the tombstones of handed-out or expired ones
 * once their expiry has passed. For the retention schedule. Returns what was deleted.
 */
export function purgeExpiredPackages(opts: { folder: string; now?: Date }): { packages: number; tombstones: number } {
	const now = (opts.now ?? new Date()).getTime();
	let names: string[];
	try {
		names = readdirSync(opts.folder);
	} catch {
		return { packages: 0, tombstones: 0 };
	}
	let packages = 0;
	let tombstones = 0;
	for (const name of names) {
		const m = /^([0-9a-f]{64})(\.claimed)?\.json$/.exec(name);
		if (!m) continue;
		const meta = readMeta(join(opts.folder, name));
		if (meta && Date.parse(meta.expiresAt) > now) continue;
		const p = paths(opts.folder, m[1]);
		if (m[2]) tombstones++;
		else packages++;
		rmSync(p.data, { force: true });
		rmSync(join(opts.folder, name), { force: true });
	}
	return { packages, tombstones };
}
