/** Public face of the Intercom gateway (see the "Core gateway" contract). */
export { createIntercom } from './gateway';
export { IntercomApiError, IntercomInputError, sanitizeIntercomMessage } from './errors';
export { REGION_BASE_URLS, DEFAULT_API_VERSION, DEFAULT_MAX_CONCURRENCY, SUPPORTED_API_VERSIONS, isLoopbackHost } from './regions';
export { MAX_PER_PAGE } from './pagination';
export { abortableSleep, Semaphore } from './pacing';
export { isGatewayOrigin } from './download';
export type {
	Region,
	IntercomOptions,
	IntercomGateway,
	Lookup,
	Contact,
	AdminWithApp,
	RequestOptions,
	SearchPage,
	RawResponse,
	DownloadResult,
} from './types';
