import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { dueRequests } from '../../src/requests';
import { purgeExpiredRequestFiles } from '../../src/delivery';
import { openRetentionPlan } from '../../src/retention';
import { candidateJson, policyProperties, readPolicy } from '../shared/retention/policy';
import { eventSubtitle } from '../shared/editor.description';
import { getIntercomGateway } from '../shared/transport';
import { gdprLedgerTest, getLedger, LEDGER_CREDENTIAL_TYPE } from '../shared/transport/ledger';
import { requestFilesFolder } from '../shared/transport/requestStores';
import { checkCronExpression, isTimeZone, PRESETS, startSchedule } from './schedule';

const eventProperty: INodeProperties = {
	displayName: 'Event',
	name: 'event',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Retention Candidates',
			value: 'retentionCandidates',
			description: 'Emit the contacts a retention policy selects (nothing is changed): approve, then run Retention → Enforce',
		},
		{
			name: 'Request Deadlines',
			value: 'requestDeadlines',
			description: 'Emit access and erasure requests from the ledger that are due soon or overdue',
		},
	],
	default: 'retentionCandidates',
};

/**
 * Fires on a schedule (node-cron, in the workflow's time zone, runs never overlap) and emits either
 * the contacts a retention policy selects (a preview batch, so a human can approve before Enforce)
 * or the access/erasure requests that are due soon or overdue (from the ledger).
 */
export class IntercomGdprTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Intercom GDPR Trigger',
		name: 'intercomGdprTrigger',
		icon: { light: 'file:intercomGdprTrigger.svg', dark: 'file:intercomGdprTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventSubtitle(eventProperty),
		// n8n's node creator merges "Intercom GDPR" and "Intercom GDPR Trigger" into one entry and shows
		// the TRIGGER's description for it (editor-ui generateMergedNodesAndActions), also when someone
		// searches "DSAR" or "erase": so this describes the package first, then the trigger.
		description: 'Answer access and erasure requests (GDPR, CCPA) for people in Intercom, and start workflows on retention candidates or request deadlines',
		defaults: {
			name: 'Intercom GDPR Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Each event needs one credential: Intercom for retention candidates, the ledger for request
		// deadlines. Shown with `hide`, never `show`, so the editor keeps Event a visible choice instead
		// of turning it into a credential-type selector (see credentialOnlyFor in editor.description.ts).
		credentials: [
			{
				name: 'intercomGdprApi',
				required: true,
				displayOptions: { hide: { event: ['requestDeadlines'] } },
			},
			{
				// The package's own GDPR Ledger credential (credentials/GdprLedger.credentials.ts): it is not an API.
				// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
				name: 'gdprLedger',
				required: true,
				testedBy: 'gdprLedgerTest',
				displayOptions: { hide: { event: ['retentionCandidates'] } },
			},
		],
		properties: [
			eventProperty,
			{
				displayName: 'Schedule',
				name: 'schedule',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Daily at 03:00', value: 'daily' },
					{ name: 'Weekly (Monday 03:00)', value: 'weekly' },
					{ name: 'Custom (Cron Expression)', value: 'custom' },
				],
				default: 'daily',
				description: "Times are in the workflow's time zone (workflow settings)",
			},
			{
				displayName: 'Cron Expression',
				name: 'cronExpression',
				type: 'string',
				default: '0 0 3 * * *',
				placeholder: 'e.g. 0 30 2 * * 1-5',
				description: "Six fields with seconds first (or five without), in the workflow's time zone. Checked with node-cron when the workflow is activated.",
				displayOptions: { show: { schedule: ['custom'] } },
			},
			...policyProperties.map((p) => ({ ...p, displayOptions: { show: { ...(p.displayOptions?.show ?? {}), event: ['retentionCandidates'] } } })),
			{
				displayName: 'Emit When Nothing Found',
				name: 'emitEmpty',
				type: 'boolean',
				default: false,
				description:
					'Whether to start the workflow even when there are no candidates or no due requests (one summary item). A manual test always answers, with that summary item.',
			},
			{
				displayName: 'Due Within (Days)',
				name: 'withinDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 7,
				description: 'Emit open requests due within this many days, and every overdue one',
				displayOptions: { show: { event: ['requestDeadlines'] } },
			},
		],
	};

	methods = { credentialTest: { gdprLedgerTest } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const event = this.getNodeParameter('event', 'retentionCandidates') as string;
		const preset = this.getNodeParameter('schedule', 'daily') as string;
		const checked = checkCronExpression(preset === 'custom' ? (this.getNodeParameter('cronExpression', '') as string) : (PRESETS[preset] ?? ''));
		if (checked.problems.length > 0) {
			throw new NodeOperationError(this.getNode(), `The cron expression is not valid: ${checked.problems.join('; ')}`, {
				description: 'Use six fields with seconds first (second minute hour day-of-month month day-of-week), e.g. "0 0 3 * * *" for 03:00 every day, or pick a preset.',
			});
		}
		const expression = checked.expression;
		const timeZone = this.getTimezone();
		if (!isTimeZone(timeZone)) {
			throw new NodeOperationError(this.getNode(), `The workflow's time zone "${timeZone}" is not an IANA time zone name`, {
				description: 'Pick a time zone in the workflow settings.',
			});
		}
		// Validate the policy at activation, so a bad policy fails now and not at 03:00.
		if (event === 'retentionCandidates') readPolicy(this);

		const fire = async () => {
			const items = event === 'requestDeadlines' ? await deadlineItems(this, timeZone) : await candidateItems(this);
			if (items.length > 0) this.emit([items]);
		};

		if (this.getMode() === 'manual') {
			// "Test step" / "Execute workflow": emit once, right away, no schedule. It must always answer:
			// an execution that emits nothing keeps the editor on "Executing node…" until it is stopped,
			// so with nothing found a test emits the summary item (whatever Emit When Nothing Found says).
			return {
				manualTriggerFunction: async () => {
					const items = event === 'requestDeadlines' ? await deadlineItems(this, timeZone, true) : await candidateItems(this, true);
					this.emit([items]);
				},
			};
		}
		const schedule = startSchedule(expression, timeZone, fire, (error) => {
			const wrapped = new NodeOperationError(this.getNode(), error instanceof Error ? error.message : 'The scheduled run failed', {
				description: 'The schedule keeps running; the next tick tries again.',
			});
			if (typeof this.saveFailedExecution === 'function') this.saveFailedExecution(wrapped);
			else this.emitError(wrapped);
		});
		return {
			closeFunction: async () => {
				await schedule.stop();
			},
		};
	}
}

/** `test`: a manual test, which always answers (the summary item when nothing is found). */
async function candidateItems(ctx: ITriggerFunctions, test = false): Promise<INodeExecutionData[]> {
	const policy = readPolicy(ctx);
	const gateway = await getIntercomGateway.call(ctx as unknown as IExecuteFunctions);
	const plan = await openRetentionPlan(gateway, policy);
	const perRule: Record<string, number> = Object.fromEntries(policy.rules.map((r) => [r.name, 0]));
	const contacts: IDataObject[] = [];
	let moreThanOneRun = false;
	for await (const c of plan.candidates) {
		// One batch = what one Enforce run would handle: the per-run cap. A candidate past the cap
		// only tells that one run is not enough (exactly the cap is still one run).
		if (contacts.length >= policy.maxContactsPerRun) {
			moreThanOneRun = true;
			break;
		}
		perRule[c.rule]++;
		contacts.push(candidateJson(c));
	}
	const total = contacts.length;
	const emitEmpty = ctx.getNodeParameter('emitEmpty', false) as boolean;
	if (total === 0 && !emitEmpty && !test) return [];
	return [
		{
			json: {
				event: 'retentionCandidates',
				firedAt: new Date().toISOString(),
				timeZone: plan.timeZone,
				cutoffs: plan.cutoffs.map((c) => ({ rule: c.rule, cutoffDay: c.cutoffDay })),
				candidates: total,
				moreThanOneRun,
				perRule,
				contacts,
			},
		},
	];
}

async function deadlineItems(ctx: ITriggerFunctions, timeZone: string, test = false): Promise<INodeExecutionData[]> {
	const withinDays = Number(ctx.getNodeParameter('withinDays', 7));
	// Housekeeping on the same schedule: published packages past their TTL (Data Subject → Publish
	// Package) and expired verification codes are deleted, so no encrypted package outlives its link.
	const purged = await purgeExpiredRequestFiles({ folder: requestFilesFolder(await ctx.getCredentials(LEDGER_CREDENTIAL_TYPE)) });
	const expiredPackagesDeleted = purged.packages;
	const ledger = await getLedger.call(ctx as unknown as IExecuteFunctions);
	try {
		const due = await dueRequests(ledger, { withinDays, timeZone });
		if (due.length === 0) {
			const emitEmpty = test || (ctx.getNodeParameter('emitEmpty', false) as boolean);
			return emitEmpty ? [{ json: { event: 'requestDeadlines', firedAt: new Date().toISOString(), due: 0, withinDays, expiredPackagesDeleted } }] : [];
		}
		return due.map((r) => ({
			json: {
				event: 'requestDeadlines',
				requestId: r.requestId,
				kind: r.kind,
				regime: r.regime,
				receivedDay: r.receivedDay,
				dueDay: r.effectiveDueDay,
				extended: r.extended,
				extendedDueDay: r.extendedDueDay,
				daysLeft: r.daysLeft,
				overdue: r.overdue,
				status: r.status,
				// The acknowledgement (CCPA: 10 business days) and delivery deadlines, and the next unmet one.
				acknowledgementDueDay: r.acknowledgementDueDay,
				deadlines: r.deadlines as unknown as IDataObject[],
				nextDeadline: (r.nextDeadline ?? null) as unknown as IDataObject,
				// Only how many identifiers the request names: even their keyed hashes stay in the
				// ledger (Ledger → Search by email finds the request), as in List Requests.
				subjectCount: r.subjects?.length ?? 0,
				expiredPackagesDeleted,
			},
		}));
	} finally {
		await ledger.close();
	}
}
