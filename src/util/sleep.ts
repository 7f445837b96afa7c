/**
 * setTimeout that ends early, rejecting with the signal's reason, when the signal fires.
 * The one abortable sleep of the package (pacing, retries, export polling).
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
		const onAbort = (): void => {
			clearTimeout(timer);
			reject(signal?.reason ?? new Error('aborted'));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, Math.max(0, ms));
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
