// The library's public face (index.ts): the names design.md promises, used the way a script
// outside n8n would use them, against the fake Intercom over real HTTP.
import { describe, expect, it } from 'vitest';
import * as library from '../../index';
import type { FakeIntercom } from '../fake-intercom';
import { useFakeIntercom } from '../support/world';

let fake: FakeIntercom;
useFakeIntercom({}, (f) => (fake = f));

describe('index.ts', () => {
	it('exports the core API names of design.md, and nothing from n8n', () => {
		// design.md, "The core API (exported from index.ts)": documentation and outside scripts call these.
		const contract = [
			'createIntercom', 'resolveSubject', 'exportSubject', 'renderDsarPackage', 'eraseSubject',
			'startContentExport', 'getExportStatus', 'cancelExport', 'waitForExport', 'downloadExport',
			'compileRedactor', 'redactValue', 'redactText', 'planRetention', 'enforceRetention', 'openLedger',
			'IntercomApiError', 'IntercomInputError',
		];
		const exported = library as unknown as Record<string, unknown>;
		expect(contract.filter((name) => typeof exported[name] !== 'function')).toEqual([]);
		expect(Object.keys(library).some((name) => /node|n8n/i.test(name))).toBe(false);
	});

	it('keeps internal helpers internal: generic utilities and arithmetic are not part of the library', () => {
		const internal = ['abortableSleep', 'readableOf', 'canonicalJson', 'withDownloadRestarts', 'sanitizeHtml', 'normaliseIdentifier', 'GENESIS_HASH', 'addMonths', 'addBusinessDays', 'settle', 'Semaphore'];
		expect(internal.filter((name) => name in library)).toEqual([]);
	});

	it('finds the lead and the user that share an email, through createIntercom + resolveSubject', async () => {
		const gw = library.createIntercom({ token: fake.token, baseUrl: fake.url });
		const subject = await library.resolveSubject(gw, { email: fake.workspace.fixtures.sharedEmail });
		expect(subject.found).toBe(true);
		expect(subject.contacts.map((c) => c.id).sort()).toEqual(
			[fake.workspace.fixtures.sharedEmailLeadId, fake.workspace.fixtures.sharedEmailUserId].sort(),
		);
		expect(subject.contacts.map((c) => c.role).sort()).toEqual(['lead', 'user']);
	});

	it('reports an unknown person as not found rather than failing', async () => {
		const gw = library.createIntercom({ token: fake.token, baseUrl: fake.url });
		const subject = await library.resolveSubject(gw, { email: fake.workspace.fixtures.unknownEmail });
		expect(subject).toMatchObject({ found: false, contacts: [] });
	});

	it('rejects a wrong token with a typed error that carries the status and no token', async () => {
		const gw = library.createIntercom({ token: 'not-the-token', baseUrl: fake.url });
		const error = await gw.me().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(library.IntercomApiError);
		expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
		expect(String((error as Error).message)).not.toContain('not-the-token');
	});
});
