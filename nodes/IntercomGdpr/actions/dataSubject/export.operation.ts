import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { checkExportOptions, deliverDsarPackage } from '../../../../src/dsar';
import type { Art15Information, CcpaDisclosures, DataMapEntry, DsarDelivery, DsarRegime, ExportSubjectOptions } from '../../../../src/dsar';
import { IntercomInputError } from '../../../../src/intercom';
import type { IntercomGateway } from '../../../../src/intercom';
import type { Ledger } from '../../../../src/ledger';
import type { SubjectRef } from '../../../../src/subject';
import { perItem } from '../itemLoop';
import { checkIdentityGate, identityGateProperties } from '../../helpers/identityGate';
import { readSubjectRef } from '../../helpers/subject';
import { getIntercomGateway } from '../../../shared/transport';
import { getLedger } from '../../../shared/transport/ledger';
import { exportProperties } from './export/description';
import { summarise } from './export/summary';

/**
 * Requests in flight during one export. A DSAR is hundreds of independent GETs (one per
 * conversation and ticket); the gateway paces them against Intercom's rate-limit window, so more
 * parallelism costs no 429s. `npm run bench dsar` (300 conversations, 40 ms per request): 12 gives
 * 10.5x serial at 1.24x the latency bound; 16 is faster still but further from its bound, because
 * the searches that must come first weigh more.
 */
const EXPORT_CONCURRENCY = 12;

const displayOptions = {
	show: {
		resource: ['dataSubject'],
		operation: ['export'],
	},
};

export const description = updateDisplayOptions(displayOptions, [...exportProperties, ...identityGateProperties]);

interface ExportNodeOptions {
	displayAs?: 'html' | 'plaintext';
	includeFiles?: boolean;
	includeAttachments?: boolean;
	includePersonalData?: boolean;
	onRestricted?: 'omit' | 'fail';
	language?: string;
	timeZone?: string;
	maxFileSizeMb?: number;
	retentionPolicy?: string;
	ledgerRetention?: string;
	testMode?: boolean;
	includeOutbound?: boolean;
	outboundSince?: string;
}

interface Job {
	ref: SubjectRef;
	core: ExportSubjectOptions;
	format: 'zip' | 'json' | 'review';
	binaryProperty: string;
	includePersonalData: boolean;
}

const OPTION_LABELS: Record<string, string> = {
	requestId: 'Request ID',
	displayAs: 'Options → Conversation Bodies',
	onRestricted: 'Options → On Missing Permission',
	regime: 'Regime',
	controller: 'Controller',
	dpoContact: 'DPO Contact',
	language: 'Options → Language',
	timeZone: 'Options → Time Zone',
	maxFileBytes: 'Options → Max File Size (MB)',
	dataMap: 'Recipients (Data Map)',
	'outbound.since': 'Options → Outbound Messages Since',
};

/** `dataMap[2]` → "Recipients (Data Map) 3". */
function labelOf(field: string): string {
	const m = /^(\w+)\[(\d+)\]$/.exec(field);
	if (m) return `${OPTION_LABELS[m[1]] ?? m[1]} ${Number(m[2]) + 1}`;
	return OPTION_LABELS[field] ?? field;
}

/** The Art. 15 / CCPA parameters of one item, as the core's options. */
function readDisclosures(ctx: IExecuteFunctions, i: number, options: ExportNodeOptions): Partial<ExportSubjectOptions> {
	const dataMap = ((ctx.getNodeParameter('dataMap', i, {}) as { recipient?: DataMapEntry[] }).recipient ?? []).map((d) => ({ ...d }));
	const regime = ctx.getNodeParameter('regime', i, 'gdpr') as DsarRegime;
	return {
		regime,
		controller: String(ctx.getNodeParameter('controller', i, '') ?? ''),
		dpoContact: String(ctx.getNodeParameter('dpoContact', i, '') ?? ''),
		art15: ctx.getNodeParameter('art15', i, {}) as Partial<Art15Information>,
		ccpa: regime === 'gdpr' ? undefined : (ctx.getNodeParameter('ccpa', i, {}) as Partial<CcpaDisclosures>),
		dataMap,
		retentionPolicy: options.retentionPolicy,
		ledgerRetention: options.ledgerRetention,
		testMode: options.testMode === true,
	};
}

/** Reads and checks one item's parameters; throws a NodeOperationError naming the field. */
function readJob(ctx: IExecuteFunctions, i: number, itemCount: number): Job {
	const ref = readSubjectRef(ctx, i);
	const options = ctx.getNodeParameter('options', i, {}) as ExportNodeOptions;
	let requestId = String(ctx.getNodeParameter('requestId', i, '') ?? '').trim();
	const format = ctx.getNodeParameter('outputFormat', i, 'zip') as string;
	const binaryProperty = String(ctx.getNodeParameter('binaryPropertyName', i, 'data') ?? '').trim();
	if (format !== 'zip' && format !== 'json' && format !== 'review') {
		throw new NodeOperationError(ctx.getNode(), `Output must be "ZIP Package", "ZIP Package and Review" or "JSON Only" [item ${i}]`, { itemIndex: i });
	}
	if (binaryProperty === '') {
		throw new NodeOperationError(ctx.getNode(), `"Put Output File in Field" is empty [item ${i}]`, {
			description: 'Enter the name of the binary field for the package, e.g. data.',
			itemIndex: i,
		});
	}
	if (requestId === '' && itemCount > 1) {
		// One package per item: keep the generated names apart.
		requestId = `${checkExportOptions({ testMode: true }).requestId}-${i + 1}`;
	}
	const workflowZone = typeof ctx.getTimezone === 'function' ? ctx.getTimezone() : 'UTC';
	const core: ExportSubjectOptions = {
		requestId: requestId || undefined,
		displayAs: options.displayAs,
		includeFiles: options.includeFiles,
		includeAttachments: options.includeAttachments,
		onRestricted: options.onRestricted,
		language: options.language,
		timeZone: options.timeZone?.trim() || workflowZone || 'UTC',
		maxFileBytes: options.maxFileSizeMb !== undefined ? Math.round(options.maxFileSizeMb * 1024 * 1024) : undefined,
		...(options.includeOutbound ? { outbound: { include: true, since: options.outboundSince?.trim() || undefined } } : {}),
		...readDisclosures(ctx, i, options),
	};
	try {
		core.requestId = checkExportOptions(core).requestId;
	} catch (error) {
		// The core names the option it refused; say it in the words of the node's UI.
		const field = error instanceof IntercomInputError ? error.field : 'requestId';
		throw new NodeOperationError(ctx.getNode(), `${labelOf(field)} is not valid [item ${i}]`, {
			description: (error as Error).message,
			itemIndex: i,
		});
	}
	return { ref, core, format, binaryProperty, includePersonalData: options.includePersonalData === true };
}

/**
 * Data Subject → Export (DSAR): one package per input item (one person, all their contacts).
 * Every item is validated before the first request to Intercom.
 */
export const execute = perItem({
	prepare: (ctx, i, items) => readJob(ctx, i, items.length),
	begin: (): ExportState => ({ exported: 0, notFound: 0, conversations: 0, truncated: 0, withOmissions: 0 }),
	open: async (ctx, state) => {
		state.gateway = await getIntercomGateway.call(ctx, { maxConcurrency: EXPORT_CONCURRENCY });
		// Every delivered package is recorded (request id, contact ids, counts, sha256; no personal data),
		// so the same ledger that proves erasures answers "what did we send this person, and when".
		state.ledger = await getLedger.call(ctx);
	},
	run: async (ctx, i, job, state) => {
		const { gateway, ledger } = state as Required<ExportState>;
		if (ledger) await checkIdentityGate(ctx, ledger, job.core, i); // before any call to Intercom
		// n8n's stop button: the export stops every request at once.
		const signal = typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;
		// The core exports, builds the file, hashes it and records dsar.export in the ledger; the ledger
		// also finds contacts this package archived (Intercom's search cannot see them).
		const delivery = await deliverDsarPackage(gateway, job.ref, { ...job.core, format: job.format, signal, ledger });
		if (!delivery.found) {
			state.notFound++;
			return [await toItem(ctx, delivery, job, i)];
		}
		const { pkg } = delivery;
		state.exported++;
		state.conversations += pkg.counts.conversations;
		state.truncated += pkg.flags.truncatedConversations.length + pkg.flags.truncatedTickets.length;
		if (pkg.flags.incomplete) state.withOmissions++;
		return [await toItem(ctx, delivery, job, i)];
	},
	close: async (state) => await state.ledger?.close(),
	finish: (ctx, { exported, notFound, conversations, truncated, withOmissions }, outcome) => {
		const failed = outcome.invalid + outcome.failed;
		const parts = [`${exported} of ${outcome.items} subject${outcome.items === 1 ? '' : 's'} exported (${conversations} conversation${conversations === 1 ? '' : 's'})`];
		if (notFound > 0) parts.push(`${notFound} with no contact found`);
		if (failed > 0) parts.push(`${failed} failed`);
		ctx.addExecutionHints({ message: parts.join('; '), type: failed > 0 ? 'warning' : 'info', location: 'outputPane' });
		if (withOmissions > 0) {
			ctx.addExecutionHints({
				message: `${withOmissions} package${withOmissions === 1 ? ' is' : 's are'} incomplete: missing sections (see "omissions": Intercom refused them, or outbound messages asked for were not included); the package says which and why.`,
				type: 'warning',
				location: 'outputPane',
			});
		}
		if (truncated > 0) {
			ctx.addExecutionHints({
				message: `${truncated} conversation${truncated === 1 ? '' : 's'}/ticket${truncated === 1 ? '' : 's'} had more than 500 parts; Intercom returns only the 500 most recent (flagged in the package).`,
				type: 'info',
				location: 'outputPane',
			});
		}
	},
});

interface ExportState {
	gateway?: IntercomGateway;
	ledger?: Ledger;
	exported: number;
	notFound: number;
	conversations: number;
	truncated: number;
	withOmissions: number;
}

/** The output item: the summary, the review when asked, and the file as n8n binary data. */
async function toItem(ctx: IExecuteFunctions, d: DsarDelivery, job: Job, i: number): Promise<INodeExecutionData> {
	const json: IDataObject = summarise(d.pkg, job.includePersonalData);
	if (!d.file) return { json, pairedItem: { item: i } };
	if (d.review) json.review = d.review as unknown as IDataObject;
	if (d.files) json.files = d.files.map((f) => ({ ...f }));
	json.fileName = d.file.name;
	json.packageSha256 = d.file.sha256;
	const data = Buffer.from(d.file.data.buffer, d.file.data.byteOffset, d.file.data.byteLength);
	const binary = await ctx.helpers.prepareBinaryData(data, d.file.name, d.file.mimeType);
	return { json, binary: { [job.binaryProperty]: binary }, pairedItem: { item: i } };
}
