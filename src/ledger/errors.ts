/** Errors of the ledger. Messages name fields and problems, never values (they could be personal data). */

/** Bad input to the ledger (an entry or the configuration), refused before anything is written. */
export class LedgerInputError extends Error {
	readonly field: string;
	constructor(field: string, problem: string, fix: string) {
		super(`Ledger ${field} ${problem}. ${fix}`);
		this.name = 'LedgerInputError';
		this.field = field;
	}
}

/** The database or file could not be opened, migrated or written. */
export class LedgerStorageError extends Error {
	readonly code?: string;
	constructor(message: string, code?: string) {
		super(message);
		this.name = 'LedgerStorageError';
		this.code = code;
	}
}

/** The ledger was created with another secret key: its hashes and signatures would not match. */
export class LedgerKeyMismatchError extends Error {
	constructor() {
		super(
			'This ledger was created with a different secret key. Use the key it was created with (identifier hashes and signatures depend on it), or point the credential at a new ledger.',
		);
		this.name = 'LedgerKeyMismatchError';
	}
}
