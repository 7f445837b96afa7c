import type { IDataObject } from 'n8n-workflow';
import type { DsarPackage } from '../../../../../src/dsar';

/** The summary item: counts, ids and flags; email and name only when the user asked for them. */
export function summarise(pkg: DsarPackage, includePersonalData: boolean): IDataObject {
	return {
		found: pkg.subject.found,
		status: pkg.subject.found ? (pkg.flags.incomplete ? 'exported_with_omissions' : 'exported') : 'no_contact_found',
		requestId: pkg.requestId,
		regime: pkg.regime ?? 'gdpr',
		testMode: pkg.testMode === true,
		lookup: pkg.subject.lookup,
		// Not found is not "no record": what the lookup cannot see (archived contacts) and how to look.
		...(!pkg.subject.found && pkg.subject.archivedNotice ? { notice: pkg.subject.archivedNotice } : {}),
		contactCount: pkg.contacts.length,
		contacts: pkg.contacts.map((c) => {
			const out: IDataObject = { id: c.id, role: c.role };
			if (includePersonalData) {
				out.email = (c.profile.email as string | null | undefined) ?? null;
				out.name = (c.profile.name as string | null | undefined) ?? null;
			}
			return out;
		}),
		mergedRedirects: pkg.subject.mergedRedirects.map((r) => ({ from: r.from, to: r.to })),
		counts: { ...pkg.counts },
		truncatedConversations: [...pkg.flags.truncatedConversations],
		truncatedTickets: [...pkg.flags.truncatedTickets],
		incomplete: pkg.flags.incomplete,
		omissions: pkg.omissions.map((o) => ({ ...o })),
		redactionCount: pkg.redactions?.total ?? 0,
		withheld: (pkg.withheld ?? []).map((w) => ({ ...w })),
		workspace: { appIdCode: pkg.workspace.appIdCode, region: pkg.workspace.region, apiVersion: pkg.workspace.apiVersion },
		...(pkg.outbound ? { outbound: { status: pkg.outbound.status, range: { ...pkg.outbound.range }, rows: pkg.outbound.receipts.length, ...(pkg.outbound.reason ? { reason: pkg.outbound.reason } : {}) } } : {}),
		generatedAt: pkg.generatedAt,
	};
}
