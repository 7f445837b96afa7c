/**
 * The access package as an AES-256 encrypted ZIP (WinZip AES, AE-2, via @zip.js/zip.js). Tested
 * (test/delivery): 7-Zip opens it; Info-ZIP `unzip` 6.0 cannot (it knows only the weak ZipCrypto,
 * "need PK compat. v5.1"), nor can Python's zipfile. Tools that implement WinZip AES (7-Zip, WinZip,
 * Keka, The Unarchiver, libarchive/bsdtar) should; the README lists what was tested. The passphrase is
 * generated here and returned apart from the file, for a second channel.
 *
 * File names are NOT encrypted by a ZIP (WinZip AES or any other): so the encrypted ZIP holds one
 * entry, `package.zip`, the plain package whole; the person opens it, then the ZIP inside.
 */
import { randomInt } from 'node:crypto';
import { configure, Uint8ArrayReader, Uint8ArrayWriter, ZipReader, ZipWriter } from '@zip.js/zip.js';
import { unzipSync, zipSync } from 'fflate';
import { sha256Hex } from '../dsar/render';

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
	/** sha256 of the plain ZIP inside (`package.zip`): for Export's package, the sha256 `dsar.export` recorded. */
	plainSha256: string;
	/** How many files the plain ZIP holds. A count only: their names can be personal data. */
	files: number;
}

/**
 * The one entry of the encrypted ZIP. A ZIP encrypts contents, never names: every entry's name (and
 * size, and time) stays readable in the local and central headers. Export's attachments are named
 * after what the person uploaded (`files/<contactId>/Jane_Doe_passport.pdf`), so the plain ZIP goes
 * in whole as one entry with a neutral name, and only `package.zip` is readable without the passphrase.
 */
export const INNER_ENTRY = 'package.zip';

const MIN_PASSPHRASE = 12;

/** The files in a plain ZIP (directories left out); RangeError when it is not one. */
function readPlainZip(plainZip: Uint8Array): Array<{ name: string; data: Uint8Array }> {
	let entries: Record<string, Uint8Array> | undefined;
	try {
		entries = unzipSync(plainZip);
	} catch {
		entries = undefined;
	}
	if (!entries) throw new RangeError('the input is not a ZIP file');
	return Object.entries(entries)
		.filter(([name]) => !name.endsWith('/'))
		.map(([name, data]) => ({ name, data }));
}

/**
 * Encrypts a plain ZIP (e.g. Data Subject → Export's package) as ONE AES-256 entry (WinZip AE-2)
 * named `package.zip`, with the given or a fresh passphrase. The plain ZIP is kept byte for byte.
 */
export async function encryptZip(plainZip: Uint8Array, opts: { passphrase?: string } = {}): Promise<EncryptedPackage> {
	const passphrase = opts.passphrase ?? generatePassphrase();
	if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE) {
		throw new RangeError(`passphrase must be at least ${MIN_PASSPHRASE} characters`);
	}
	const files = readPlainZip(plainZip).length;
	if (files === 0) throw new RangeError('the ZIP holds no file: there is nothing to encrypt');
	const writer = new ZipWriter(new Uint8ArrayWriter(), { password: passphrase, encryptionStrength: 3, zipCrypto: false });
	await writer.add(INNER_ENTRY, new Uint8ArrayReader(plainZip));
	const zip = await writer.close();
	return { zip, passphrase, sha256: sha256Hex(zip), plainSha256: sha256Hex(plainZip), files };
}

/** Packs files into a plain ZIP and encrypts it as `package.zip` (see encryptZip). */
export async function encryptFiles(files: Array<{ name: string; data: Uint8Array }>, opts: { passphrase?: string } = {}): Promise<EncryptedPackage> {
	if (files.length === 0) throw new RangeError('files is empty: there is nothing to encrypt');
	return await encryptZip(zipSync(Object.fromEntries(files.map((f) => [f.name, f.data]))), opts);
}

/**
 * Opens an encrypted package (for library users and checks) and unwraps `package.zip`: returns the
 * files of the plain ZIP inside. A wrong passphrase throws.
 */
export async function decryptZip(zip: Uint8Array, passphrase: string): Promise<Array<{ name: string; data: Uint8Array }>> {
	const reader = new ZipReader(new Uint8ArrayReader(zip), { password: passphrase });
	let inner: Uint8Array | undefined;
	try {
		for (const entry of await reader.getEntries()) {
			if (!entry.directory && entry.filename === INNER_ENTRY) inner = await entry.getData(new Uint8ArrayWriter());
		}
	} finally {
		await reader.close();
	}
	if (!inner) throw new RangeError(`the encrypted ZIP holds no ${INNER_ENTRY}`);
	return readPlainZip(inner);
}
