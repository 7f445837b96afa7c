/**
 * Raw streaming download (the SDK's `dataExport.download` returns undefined and sends the wrong
 * Accept header). The body is handed over as a web ReadableStream, never buffered here.
 *
 * Token safety: the Bearer token is only ever sent to the gateway's own origin. An absolute
 * `download_url` on another host is refused before any request. If Intercom itself redirects
 * (e.g. to a pre-signed storage URL), fetch follows it and, per the Fetch standard, drops the
 * Authorization header on a cross-origin redirect.
 */
import { IntercomInputError } from './errors';

/**
 * The token rule in one place: the Bearer token goes only to the gateway's own origin (scheme,
 * host and port of the credential's base URL). Paging links and file URLs Intercom hands us are
 * checked with this before they are followed.
 */
export function isGatewayOrigin(url: URL, baseUrl: string): boolean {
	return url.origin === new URL(baseUrl).origin;
}

export function resolveDownloadUrl(pathOrUrl: unknown, baseUrl: string): string {
	if (typeof pathOrUrl !== 'string' || pathOrUrl.trim() === '') {
		throw new IntercomInputError(
			'download_url',
			'it is empty',
			'Pass the download_url from the export job, or a path like /download/content/data/{job_identifier}.',
		);
	}
	const raw = pathOrUrl.trim();
	if (raw.startsWith('/') && !raw.startsWith('//')) return `${baseUrl}${raw}`;
	// Protocol-relative (`//host/…`) inherits our scheme, then faces the same-origin check below.
	const absolute = raw.startsWith('//') ? `${new URL(baseUrl).protocol}${raw}` : raw;
	if (!URL.canParse(absolute)) {
		throw new IntercomInputError(
			'download_url',
			'it is neither an absolute URL nor a path starting with /',
			'Pass the download_url from the export job unchanged.',
		);
	}
	const url = new URL(absolute);
	const base = new URL(baseUrl);
	if (!isGatewayOrigin(url, baseUrl)) {
		throw new IntercomInputError(
			'download_url',
			`its host (${url.protocol}//${url.host}) is not the Intercom host of this credential (${base.protocol}//${base.host}), and sending the access token there would leak it`,
			'Use the download_url returned by the same Intercom workspace, or download it without the Intercom credential.',
		);
	}
	if (url.username || url.password) {
		throw new IntercomInputError('download_url', 'it contains a user name or password', 'Remove them.');
	}
	return url.toString();
}

export function emptyStream(): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>({
		start(controller) {
			controller.close();
		},
	});
}
