/** Errors of the ledger. Messages name fields and problems, never values (they could be personal data). */

import { GdprError } from '../util/errors';

/** Bad input to the ledger (an entry or the configuration), refused before anything is written. */
export class LedgerInputError extends GdprError {
	declare readonly field: string;
	constructor(field: string, problem: string, fix: string) {
		super(`Ledger ${field} ${problem}. ${fix}`, { code: 'bad_input', field, fix });
		this.name = 'LedgerInputError';
	}
}

/** The database or file could not be opened, migrated or written. */
export class LedgerStorageError extends GdprError {
	/** The database's own error code (e.g. SQLITE_BUSY, 42P01), when it gave one. */
	declare readonly code?: string;
	constructor(message: string, code?: string) {
		super(message, { code });
		this.name = 'LedgerStorageError';
	}
}

/** The ledger was created with another secret key: its hashes and signatures would not match. */
export class LedgerKeyMismatchError extends GdprError {
	constructor() {
		super(
			'This ledger was created with a different secret key. Use the key it was created with (identifier hashes and signatures depend on it), or point the credential at a new ledger.',
			{ code: 'key_mismatch', field: 'secretKey' },
		);
		this.name = 'LedgerKeyMismatchError';
	}
}
