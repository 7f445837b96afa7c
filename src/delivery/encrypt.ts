/**
 * The access package as an AES-256 encrypted ZIP (WinZip AES, AE-2, via @zip.js/zip.js). Tested
 * (test/delivery): 7-Zip opens it; Info-ZIP `unzip` 6.0 cannot (it knows only the weak ZipCrypto,
 * "need PK compat. v5.1"), nor can Python's zipfile. Tools that implement WinZip AES (7-Zip, WinZip,
 * Keka, The Unarchiver, libarchive/bsdtar) should; the README lists what was tested. The passphrase is
 * generated here and returned apart from the file, for a second channel.
 */
import { createHash, randomInt } from 'node:crypto';
import { configure, Uint8ArrayReader, Uint8ArrayWriter, ZipReader, ZipWriter } from '@zip.js/zip.js';
import { unzipSync } from 'fflate';

// In Node there are no web workers to hand work to: run in-process.
configure({ useWebWorkers: false });

/** Letters and digits that cannot be confused when read aloud or copied (no 0/o, 1/l/i). */
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';

/** A random passphrase: 5 groups of 5 characters from 31 (≈ 124 bits), e.g. `k7m2q-…`. */
export function generatePassphrase(): string {
	const groups: string[] = [];
	for (let g = 0; g < 5; g++) groups.push(Array.from({ length: 5 }, () => ALPHABET[randomInt(0, ALPHABET.length)]).join(''));
	return groups.join('-');
}

export interface EncryptedPackage {
	zip: Uint8Array;
	/** Give it to the person by another channel than the file or link. */
	passphrase: string;
	sha256: string;
	/** Names of the files inside (the names are not encrypted in a ZIP: they hold no personal data). */
	entries: string[];
}

const MIN_PASSPHRASE = 12;

/** Encrypts files into a new ZIP, each entry AES-256 (WinZip AE-2), with the given or a fresh passphrase. */
export async function encryptFiles(files: Array<{ name: string; data: Uint8Array }>, opts: { passphrase?: string } = {}): Promise<EncryptedPackage> {
	const passphrase = opts.passphrase ?? generatePassphrase();
	if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE) {
		throw new RangeError(`passphrase must be at least ${MIN_PASSPHRASE} characters`);
	}
	if (files.length === 0) throw new RangeError('files is empty: there is nothing to encrypt');
	const writer = new ZipWriter(new Uint8ArrayWriter(), { password: passphrase, encryptionStrength: 3, zipCrypto: false });
	for (const f of files) await writer.add(f.name, new Uint8ArrayReader(f.data));
	const zip = await writer.close();
	return { zip, passphrase, sha256: createHash('sha256').update(zip).digest('hex'), entries: files.map((f) => f.name) };
}

/** Re-packs a plain ZIP (e.g. Data Subject → Export's package) as an encrypted one. */
export async function encryptZip(plainZip: Uint8Array, opts: { passphrase?: string } = {}): Promise<EncryptedPackage> {
	let entries: Record<string, Uint8Array> | undefined;
	try {
		entries = unzipSync(plainZip);
	} catch {
		entries = undefined;
	}
	if (!entries) throw new RangeError('the input is not a ZIP file');
	const files = Object.entries(entries)
		.filter(([name]) => !name.endsWith('/'))
		.map(([name, data]) => ({ name, data }));
	return await encryptFiles(files, opts);
}

/** Opens an encrypted package (for library users and checks); a wrong passphrase throws. */
export async function decryptZip(zip: Uint8Array, passphrase: string): Promise<Array<{ name: string; data: Uint8Array }>> {
	const reader = new ZipReader(new Uint8ArrayReader(zip), { password: passphrase });
	try {
		const out: Array<{ name: string; data: Uint8Array }> = [];
		for (const entry of await reader.getEntries()) {
			if (entry.directory) continue;
			out.push({ name: entry.filename, data: await entry.getData(new Uint8ArrayWriter()) });
		}
		return out;
	} finally {
		await reader.close();
	}
}
