/**
 * A small bounded task pool. The gateway already bounds requests in flight; this bounds how many
 * calls the export has *queued*, so a contact with thousands of conversations never holds more
 * than `concurrency` pending fetches (plus the finished results, which are the package itself).
 */
export class TaskPool {
	private active = 0;
	private readonly waiters: Array<() => void> = [];

	constructor(private readonly concurrency: number) {}

	/** Runs fn when a slot is free. */
	async run<T>(fn: () => Promise<T>): Promise<T> {
		if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiters.push(resolve));
		else this.active++;
		try {
			return await fn();
		} finally {
			const next = this.waiters.shift();
			if (next) next();
			else this.active--;
		}
	}
}
