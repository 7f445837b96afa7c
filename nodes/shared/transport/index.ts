import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createIntercom, REGION_BASE_URLS } from '../../../src/intercom';
import type { IntercomGateway, IntercomOptions, Region } from '../../../src/intercom';

export const CREDENTIAL_TYPE = 'intercomGdprApi';

/** The core's region table (src/intercom/regions.ts) is the one list of regions. */
const REGIONS = Object.keys(REGION_BASE_URLS) as Region[];

/** The credential's fields, as IntercomGdprApi.credentials.ts defines them. */
interface IntercomGdprCredential {
	accessToken?: string;
	region?: string;
	baseUrl?: string;
	apiVersion?: string;
}

/**
 * Builds the core gateway from the node's credential. The node never sends HTTP itself: the
 * gateway does, with pacing against Intercom's rate limits, retries and error mapping.
 */
export async function getIntercomGateway(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	tuning: Pick<IntercomOptions, 'maxConcurrency'> = {},
): Promise<IntercomGateway> {
	const credential = (await this.getCredentials(CREDENTIAL_TYPE)) as IntercomGdprCredential;
	const token = (credential.accessToken ?? '').trim();
	if (token === '') {
		throw new NodeOperationError(this.getNode(), 'The Intercom GDPR credential has no access token', {
			description: 'Open the credential and paste the access token of your Intercom app.',
		});
	}
	const apiVersion = credential.apiVersion || undefined;
	if (credential.region === 'custom') {
		const baseUrl = (credential.baseUrl ?? '').trim();
		if (!/^https?:\/\/\S+$/i.test(baseUrl)) {
			throw new NodeOperationError(this.getNode(), 'The Intercom GDPR credential has no valid base URL', {
				description: 'The region is "Custom Base URL": enter the full URL, e.g. https://api.intercom.io, in the credential.',
			});
		}
		return build(this, { ...tuning, token, baseUrl: baseUrl.replace(/\/+$/, ''), apiVersion });
	}
	const region = REGIONS.find((r) => r === credential.region) ?? 'us';
	return build(this, { ...tuning, token, region, apiVersion });
}

function build(ctx: IExecuteFunctions | ILoadOptionsFunctions, options: IntercomOptions): IntercomGateway {
	try {
		return createIntercom(options);
	} catch (error) {
		// IntercomInputError: a credential value the core cannot use. Its message names the field.
		throw new NodeOperationError(ctx.getNode(), error as Error, {
			description: 'Open the Intercom GDPR credential and correct the field named in the message.',
		});
	}
}
