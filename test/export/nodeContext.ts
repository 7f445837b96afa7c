// The node mock of test/nodes/context.ts plus what Bulk Export uses: helpers.prepareBinaryData
// (stores streams like n8n does, including wrapping stream errors in its own) and the
// execution cancel signal.
import type { Readable } from 'node:stream';
import type { IBinaryData, ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { vi } from 'vitest';
import { executeContext, type ExecuteContext } from '../nodes/context';

export interface BulkContext extends ExecuteContext {
	/** What prepareBinaryData received, by the id it returned. */
	files: Map<string, { fileName?: string; mimeType?: string; data: Buffer }>;
	/** Streams whose reading failed (n8n would have thrown its own error for them). */
	failedStreams: number;
	abort: AbortController;
}

export function bulkContext(opts: { itemParams: IDataObject[]; credential: ICredentialDataDecryptedObject; continueOnFail?: boolean }): BulkContext {
	const base = executeContext(opts);
	const abort = new AbortController();
	const out: BulkContext = { ...base, files: new Map(), failedStreams: 0, abort };
	let n = 0;
	const prepareBinaryData = vi.fn(async (data: Buffer | Readable, fileName?: string, mimeType?: string): Promise<IBinaryData> => {
		let buf: Buffer;
		if (Buffer.isBuffer(data)) {
			buf = data;
		} else {
			const parts: Buffer[] = [];
			const read = await (async () => {
				for await (const c of data) parts.push(c as Buffer);
			})().then(
				() => true,
				() => false,
			);
			if (!read) {
				out.failedStreams++;
				// Like n8n's binaryToBuffer: the cause is wrapped in an error of its own.
				throw new Error('Failed to extract buffer');
			}
			buf = Buffer.concat(parts);
		}
		const id = `mem:${++n}`;
		out.files.set(id, { fileName, mimeType, data: buf });
		return { id, data: '', fileName, mimeType: mimeType ?? 'application/octet-stream', fileSize: String(buf.length) };
	});
	Object.assign(base.ctx, { helpers: { prepareBinaryData }, getExecutionCancelSignal: () => abort.signal });
	return out;
}
