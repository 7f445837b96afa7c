/**
 * FIFO semaphore: at most `size` holders at once, waiters served in arrival order; a waiter whose
 * signal fires leaves the queue. Bounds the gateway's requests and the DSAR export's queued fetches.
 */
export class Semaphore {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly size: number) {}

	acquire(signal?: AbortSignal): Promise<void> {
		if (this.active < this.size) {
			this.active++;
			return Promise.resolve();
		}
		return new Promise<void>((resolve, reject) => {
			if (signal?.aborted) {
				reject(signal.reason as Error);
				return;
			}
			const onAbort = () => {
				const i = this.waiting.indexOf(grant);
				if (i >= 0) this.waiting.splice(i, 1);
				reject(signal?.reason as Error);
			};
			const grant = () => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiting.push(grant);
		});
	}

	/** Hands the slot to the next waiter, or frees it. */
	release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.active--;
	}

	/** Runs fn holding one slot. */
	async run<T>(fn: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await fn();
		} finally {
			this.release();
		}
	}
}
