/**
 * Where to send requests and which API version to ask for. Every option is checked here, before
 * any request, so a misconfigured credential fails with a message naming the field to fix.
 */
import { IntercomInputError } from './errors';
import type { IntercomOptions, Region } from './types';

/** Intercom's regional API hosts (OpenAPI `servers`; developers.intercom.com "REST APIs"). */
export const REGION_BASE_URLS: Readonly<Record<Region, string>> = {
	us: 'https://api.intercom.io',
	eu: 'https://api.eu.intercom.io',
	au: 'https://api.au.intercom.io',
};

/** The SDK (intercom-client 7.0.3) is generated from 2.14; newer versions go through the header. */
export const DEFAULT_API_VERSION = '2.14';
/**
 * Versions we accept. 2.11–2.13 are still valid on Intercom's side; `Preview` (renamed from
 * `Unstable` in 2026) is the channel that carries bulk delete and the activity feed. Both spellings
 * are passed through verbatim because which one the server honours today is unverified.
 */
export const SUPPORTED_API_VERSIONS = ['2.11', '2.12', '2.13', '2.14', '2.15', '2.16', 'Preview', 'Unstable'] as const;

/**
 * 12 = the DSAR export's own fan-out (src/dsar): a lower gateway default silently capped it (a library
 * DSAR ran 2.7–3× its latency bound at 4). The pacer keeps any concurrency inside the rate limit.
 */
export const DEFAULT_MAX_CONCURRENCY = 12;
export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_RETRIES = 3;

export interface ResolvedOptions {
	token: string;
	baseUrl: string;
	region: Region | 'custom';
	apiVersion: string;
	fetch: typeof fetch;
	maxConcurrency: number;
	timeoutMs: number;
	maxRetries: number;
}

export function resolveOptions(opts: IntercomOptions): ResolvedOptions {
	if (opts === null || typeof opts !== 'object') {
		throw new IntercomInputError('options', 'no options were given', 'Pass at least { token }.', 'options');
	}
	const token = checkToken(opts.token);
	const { baseUrl, region } = resolveBaseUrl(opts.region, opts.baseUrl);
	const apiVersion = checkVersion(opts.apiVersion);
	if (opts.fetch !== undefined && typeof opts.fetch !== 'function') {
		throw new IntercomInputError('fetch', 'it is not a function', 'Pass a fetch-compatible function or leave it out.', 'options');
	}
	return {
		token,
		baseUrl,
		region,
		apiVersion,
		fetch: opts.fetch ?? ((input, init) => globalThis.fetch(input, init)),
		maxConcurrency: checkInt('maxConcurrency', opts.maxConcurrency, DEFAULT_MAX_CONCURRENCY, 1, 64),
		timeoutMs: checkInt('timeoutMs', opts.timeoutMs, DEFAULT_TIMEOUT_MS, 1, 600_000),
		maxRetries: checkInt('maxRetries', opts.maxRetries, DEFAULT_MAX_RETRIES, 0, 10),
	};
}

function checkToken(token: unknown): string {
	if (typeof token !== 'string' || token.trim() === '') {
		throw new IntercomInputError(
			'token',
			'the access token is empty',
			'Paste the access token of your Intercom app (Developer Hub → your app → Authentication) into the credential.',
			'options',
		);
	}
	const trimmed = token.trim();
	// Never echo the token: only describe what is wrong with it.
	const hasControl = [...trimmed].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
	if (hasControl || /\s/.test(trimmed) || /^bearer\s/i.test(trimmed)) {
		throw new IntercomInputError(
			'token',
			'the access token contains spaces, line breaks or a "Bearer " prefix',
			'Paste only the token itself, without "Bearer " and without line breaks.',
			'options',
		);
	}
	return trimmed;
}

function resolveBaseUrl(region: unknown, baseUrl: unknown): { baseUrl: string; region: Region | 'custom' } {
	const hasBase = typeof baseUrl === 'string' && baseUrl.trim() !== '';
	if (baseUrl !== undefined && baseUrl !== null && typeof baseUrl !== 'string') {
		throw new IntercomInputError('baseUrl', 'it is not a string', 'Give a URL like https://api.intercom.io or leave it empty.', 'options');
	}
	let normRegion: string | undefined;
	if (region !== undefined && region !== null && region !== '') {
		if (typeof region !== 'string' || !['us', 'eu', 'au', 'custom'].includes(region.toLowerCase())) {
			throw new IntercomInputError(
				'region',
				'it must be one of us, eu, au (or custom with a base URL)',
				'Pick the region your Intercom workspace is hosted in (Settings → Workspace → General).',
			'options',
		);
		}
		normRegion = region.toLowerCase();
	}
	if (hasBase) {
		// A custom base URL wins over the region: that is how the sandbox and tests point at a fake.
		const url = checkBaseUrl((baseUrl as string).trim());
		const known = (Object.keys(REGION_BASE_URLS) as Region[]).find((r) => REGION_BASE_URLS[r] === url);
		return { baseUrl: url, region: known ?? 'custom' };
	}
	if (normRegion === 'custom') {
		throw new IntercomInputError(
			'baseUrl',
			'region is "custom" but no base URL was given',
			'Enter the base URL (e.g. http://127.0.0.1:PORT for the sandbox) or choose US, EU or AU.',
			'options',
		);
	}
	const r = (normRegion ?? 'us') as Region;
	return { baseUrl: REGION_BASE_URLS[r], region: r };
}

function checkBaseUrl(raw: string): string {
	if (!URL.canParse(raw)) {
		throw new IntercomInputError('baseUrl', 'it is not a valid URL', 'Give a full URL such as https://api.intercom.io.', 'options');
	}
	const url = new URL(raw);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new IntercomInputError(
			'baseUrl',
			`the scheme "${url.protocol.replace(/:$/, '')}" is not supported`,
			'Use an https:// URL (http:// only for a local sandbox).',
			'options',
		);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		// The token travels in the Authorization header: never in clear over a network.
		throw new IntercomInputError(
			'baseUrl',
			`plain http:// is only allowed for this machine (localhost, 127.0.0.1, ::1), not for "${url.hostname.slice(0, 80)}"`,
			'Use https:// (the access token would otherwise travel unencrypted), or http://127.0.0.1:PORT for a local sandbox.',
			'options',
		);
	}
	if (url.username || url.password) {
		throw new IntercomInputError(
			'baseUrl',
			'it contains a user name or password',
			'Remove them; the access token field carries the credentials.',
			'options',
		);
	}
	if (url.search || url.hash) {
		throw new IntercomInputError('baseUrl', 'it contains a query string or fragment', 'Give only scheme, host, port and optional path.', 'options');
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * Hosts that never leave this machine: `localhost` (and `*.localhost`, RFC 6761), 127.0.0.0/8 and
 * `[::1]`. The one place http:// is acceptable (tests, the sandbox); the credential uses the same rule.
 */
export function isLoopbackHost(hostname: string): boolean {
	const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (h === 'localhost' || h.endsWith('.localhost')) return true;
	if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
	return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function checkVersion(v: unknown): string {
	if (v === undefined || v === null || v === '') return DEFAULT_API_VERSION;
	const s = typeof v === 'string' ? v.trim() : String(v);
	if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(s)) {
		throw new IntercomInputError(
			'apiVersion',
			`version "${s.slice(0, 20)}" is not supported`,
			`Choose one of ${SUPPORTED_API_VERSIONS.join(', ')} (default ${DEFAULT_API_VERSION}).`,
			'options',
		);
	}
	return s;
}

function checkInt(field: string, v: unknown, dflt: number, min: number, max: number): number {
	if (v === undefined || v === null) return dflt;
	if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
		throw new IntercomInputError(field, `it must be a whole number from ${min} to ${max}`, `Set ${field} to e.g. ${dflt}, or leave it out.`, 'options');
	}
	return v;
}
