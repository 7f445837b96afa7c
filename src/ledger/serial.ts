/**
 * One operation at a time per ledger object. A SQLite connection has ONE transaction: Verify holds
 * a read transaction across awaits (worker-thread hashing), and an append started meanwhile on the
 * same object would fail with "cannot start a transaction within a transaction" (or, worse, a
 * search would read another task's uncommitted rows). Separate ledger objects (other executions,
 * other processes) are not queued here: the database's own locks order them.
 */
export class Serial {
	private tail: Promise<unknown> = Promise.resolve();

	run<T>(fn: () => Promise<T>): Promise<T> {
		const result = this.tail.then(fn, fn);
		this.tail = result.then(
			() => undefined,
			() => undefined,
		);
		return result;
	}
}
