/**
 * The trigger's schedule on node-cron: the expression is validated before anything is scheduled,
 * runs in the workflow's time zone, and never overlap (node-cron's noOverlap plus our own guard,
 * which also covers a manual run while a scheduled one is still going).
 */
import { LoggerProxy } from 'n8n-workflow';
import cron from 'node-cron';
import type { Logger, ScheduledTask } from 'node-cron';

export const PRESETS: Record<string, string> = {
	/** Every day at 03:00 (seconds field first). */
	daily: '0 0 3 * * *',
	/** Mondays at 03:00. */
	weekly: '0 0 3 * * 1',
};

/** Checks an expression with node-cron (5 fields, or 6 with seconds first): the normalised expression, or the problems. */
export function checkCronExpression(expression: string): { expression: string; problems: string[] } {
	const expr = expression.trim().replace(/\s+/g, ' ');
	if (expr === '') return { expression: expr, problems: ['it is empty'] };
	const result = cron.validateDetailed(expr);
	if (result.valid) return { expression: expr, problems: [] };
	return { expression: expr, problems: result.errors.length ? result.errors.map((e) => `${e.field}: ${e.message}`) : ['node-cron does not accept it'] };
}

export function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

export interface Schedule {
	/** Runs `fire` now unless a run is in progress; resolves when it is done (or skipped). */
	runNow(): Promise<'ran' | 'skipped'>;
	stop(): Promise<void>;
	/** Ticks skipped because the previous run was still going. */
	readonly skipped: number;
}

export function startSchedule(expression: string, timeZone: string, fire: () => Promise<void>, onError: (error: unknown) => void): Schedule {
	let running = false;
	let skipped = 0;
	let stopped = false;
	const runNow = async (): Promise<'ran' | 'skipped'> => {
		if (running || stopped) {
			skipped++;
			return 'skipped';
		}
		running = true;
		try {
			await fire();
		} catch (error) {
			onError(error);
		} finally {
			running = false;
		}
		return 'ran';
	};
	// node-cron's default logger prints "task still running, new execution blocked" for every tick it
	// skips, in colour, which reads like a failure in n8n's log and in test output. A skipped tick is
	// expected (runs never overlap) and is counted in `skipped`; other messages go to n8n's log.
	const logger: Logger = {
		info: () => undefined,
		debug: () => undefined,
		warn: (message: string) => {
			if (/still running/.test(message)) skipped++;
			else LoggerProxy.warn(`Intercom GDPR Trigger schedule: ${message}`);
		},
		error: (message: string | Error) => LoggerProxy.error(`Intercom GDPR Trigger schedule: ${message instanceof Error ? message.message : message}`),
	};
	const task: ScheduledTask = cron.schedule(expression, async () => void (await runNow()), { timezone: timeZone, noOverlap: true, name: 'intercom-gdpr-trigger', logger });
	return {
		runNow,
		async stop() {
			stopped = true;
			await task.stop();
			await task.destroy();
		},
		get skipped() {
			return skipped;
		},
	};
}
