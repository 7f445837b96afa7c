/**
 * One export run: a single AbortController that every request of the export listens to. The first
 * error that must fail the export (or the caller's cancel signal, e.g. n8n's stop button) aborts it,
 * so no further request is started and the ones in flight are cancelled. Every request's promise is
 * settled where it is created (see `settled` in sections.ts), so nothing is left rejected without a handler: a
 * failing conversation while search pages are still loading can never kill the process.
 */
import { IntercomApiError } from '../intercom';

export class ExportRun {
	private readonly controller = new AbortController();
	private failure: unknown;
	private readonly detach: () => void;

	constructor(outer?: AbortSignal) {
		const onAbort = (): void => this.fail(cancelled());
		if (outer?.aborted) onAbort();
		outer?.addEventListener('abort', onAbort, { once: true });
		this.detach = () => outer?.removeEventListener('abort', onAbort);
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	get failed(): boolean {
		return this.controller.signal.aborted;
	}

	/** Records the first fatal error and stops everything else. Later errors are consequences. */
	fail(error: unknown): void {
		if (this.controller.signal.aborted) return;
		this.failure = error;
		this.controller.abort(error);
	}

	/** Throws the first fatal error if the run has failed (call before starting any request). */
	check(): void {
		if (this.controller.signal.aborted) throw this.failure;
	}

	/** Throws the first fatal error, if any; ends the link to the caller's signal. */
	finish(): void {
		this.detach();
		this.check();
	}
}

export function cancelled(): IntercomApiError {
	return new IntercomApiError({ code: 'aborted', retryable: false, operation: 'dsar.export', detail: 'the export was cancelled' });
}
