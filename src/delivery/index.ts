// Secure delivery of access packages: AES-256 encrypted ZIP with a separate passphrase, and
// expiring single-use download links served by the user's own n8n.
export { encryptFiles, encryptZip, decryptZip, generatePassphrase, INNER_ENTRY } from './encrypt';
export type { EncryptedPackage } from './encrypt';
export { publishPackage, claimPackage, purgeExpiredPackages, PUBLISHED_FOLDER, DEFAULT_TTL_DAYS } from './publish';
export type { PublishedPackage, ClaimResult } from './publish';
export { purgeExpiredRequestFiles } from './housekeeping';
export type { RequestFilesPurge } from './housekeeping';
