/**
 * Poll an export job until it reaches a terminal state or a deadline. Intervals start short and
 * grow (5 s, 10 s, 20 s, … capped at `maxIntervalMs`) because jobs take from seconds to hours.
 * Rate limits and server errors while polling do not end the wait: the gateway already retried
 * them, and the next poll comes later anyway. The caller's AbortSignal (n8n's execution cancel
 * signal) stops the wait at once.
 */
import { abortableSleep, IntercomApiError } from '../intercom';
import type { IntercomGateway } from '../intercom';
import { ExportError } from './errors';
import { settle } from '../util/settle';
import { getExportStatus } from './jobs';
import type { ExportJob, ExportJobRef } from './types';

export interface WaitForExportOptions {
	/** First pause between polls; default 5 000 ms. */
	initialIntervalMs?: number;
	/** Longest pause between polls; default 30 000 ms. */
	maxIntervalMs?: number;
	/** Give up after this long; default 60 minutes. */
	maxWaitMs?: number;
	/** Growth of the pause per poll; default 2. */
	backoffFactor?: number;
	/** Stops the wait (e.g. n8n's `getExecutionCancelSignal()`). */
	signal?: AbortSignal;
	/** Called after every poll (job) or tolerated polling error (error). */
	onPoll?: (info: { poll: number; job?: ExportJob; error?: IntercomApiError; nextPollInMs?: number }) => void;
	/** Clock and sleep, injectable for tests. */
	now?: () => number;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_INITIAL_INTERVAL_MS = 5_000;
export const DEFAULT_MAX_INTERVAL_MS = 30_000;
export const DEFAULT_MAX_WAIT_MS = 60 * 60_000;

function aborted(jobIdentifier: string): ExportError {
	return new ExportError(
		'wait_aborted',
		'Stopped waiting for the export: the execution was cancelled',
		'The export job keeps running in Intercom; check it later with Get Status, or cancel it.',
		jobIdentifier,
	);
}

function positive(v: number | undefined, def: number): number {
	return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : def;
}

/** Polls until completed / no_data / failed / canceled and returns that job (it does not throw for those). */
export async function waitForExport(gw: IntercomGateway, ref: ExportJobRef | string, opts: WaitForExportOptions = {}): Promise<ExportJob> {
	const now = opts.now ?? Date.now;
	const sleep = opts.sleep ?? abortableSleep;
	const maxInterval = Math.max(1, positive(opts.maxIntervalMs, DEFAULT_MAX_INTERVAL_MS));
	let interval = Math.min(positive(opts.initialIntervalMs, DEFAULT_INITIAL_INTERVAL_MS), maxInterval);
	const factor = Math.max(1, positive(opts.backoffFactor, 2));
	const maxWait = positive(opts.maxWaitMs, DEFAULT_MAX_WAIT_MS);
	const jobIdentifier = typeof ref === 'string' ? ref : ref.jobIdentifier;
	const deadline = now() + maxWait;
	// A job object we were handed (e.g. straight from Start) already tells its status: a finished
	// one needs no call, a running one is not asked again before the first pause.
	const known = typeof ref === 'object' && 'status' in ref && 'terminal' in ref ? (ref as ExportJob) : undefined;
	if (known?.terminal) return known;
	let last: ExportJob | undefined = known;
	let polls = 0;
	let error: IntercomApiError | undefined;

	const pollOnce = async (): Promise<ExportJob | undefined> => {
		polls++;
		error = undefined;
		const polled = await settle(getExportStatus(gw, ref));
		if (polled.ok) {
			last = polled.value;
			return last.terminal ? last : undefined;
		}
		const e = polled.error;
		if (opts.signal?.aborted) throw aborted(jobIdentifier);
		// 429 and 5xx that outlasted the gateway's retries, timeouts, network errors: poll again later.
		if (!(e instanceof IntercomApiError && e.retryable && e.code !== 'aborted')) throw e;
		error = e;
		return undefined;
	};

	if (!known) {
		const done = await pollOnce();
		if (done) return report(done);
	}
	for (;;) {
		const left = deadline - now();
		if (left <= 0) throw timeout(maxWait, jobIdentifier, last);
		const pause = Math.min(interval, left);
		opts.onPoll?.({ poll: polls, job: last, error, nextPollInMs: pause });
		const slept = await settle(sleep(pause, opts.signal));
		if (!slept.ok || opts.signal?.aborted) throw aborted(jobIdentifier);
		interval = Math.min(maxInterval, interval * factor);
		const done = await pollOnce();
		if (done) return report(done);
	}

	function report(job: ExportJob): ExportJob {
		opts.onPoll?.({ poll: polls, job });
		return job;
	}
}

function timeout(maxWait: number, jobIdentifier: string, last: ExportJob | undefined): ExportError {
	const minutes = Math.round(maxWait / 60_000);
	return new ExportError(
		'wait_timeout',
		`The export did not finish within the max wait (${minutes >= 1 ? `${minutes} min` : `${Math.round(maxWait / 1000)} s`}); last status: ${last?.status ?? 'unknown'}`,
		'Long exports are better waited for outside this node: use Bulk Export → Start, then a Wait node (e.g. 5 minutes) → Bulk Export → Get Status → IF status is "completed" → Bulk Export → Download, and connect the IF\'s false branch back to the Wait node. The job keeps running in Intercom; its identifier is ' +
			jobIdentifier +
			'. Or raise "Max Wait".',
		jobIdentifier,
	);
}
