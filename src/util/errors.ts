/**
 * The one error family of the core (as ky's KyError): every error the core throws on purpose
 * extends GdprError, so a caller (the n8n node, a library user) handles one shape:
 *
 * - `code`: what went wrong, machine-readable (e.g. `export_expired`, `bad_input`, Intercom's own
 *   error code for an API error, when it gave one);
 * - `field`: the input or option at fault, when there is one (a name, never a value);
 * - `fix`: what the user can do about it, in a sentence ('' when the message already says it).
 *
 * Messages, codes, fields and fixes never hold personal data or a token. Each class keeps its
 * older fields (`hint`, `problem`, `scope`…) for callers that read them.
 */
export class GdprError extends Error {
	readonly code?: string;
	readonly field?: string;
	readonly fix: string;
	constructor(message: string, details: { code?: string; field?: string; fix?: string } = {}) {
		super(message);
		this.name = 'GdprError';
		this.code = details.code;
		this.field = details.field;
		this.fix = details.fix ?? '';
	}
}
