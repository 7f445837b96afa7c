/** What survives an erasure in Intercom (reference: intercom-api.md §1.3, Intercom help center). */
export const CAVEAT_RESTORABLE =
	'Intercom can restore deleted contacts on request for 7 days; after that Intercom destroys the data.';
export const CAVEAT_CSAT = 'CSAT ratings and their comments are not deleted with the contact.';
export const CAVEAT_REPORTING = 'Historic conversations and deleted tickets still count in Intercom reporting aggregates.';
export const CAVEAT_METRICS_PURGED =
	'Reporting metrics of the conversations deleted one by one were purged (retain_metrics=false).';
export const CAVEAT_EXPORTS = 'Files exported from Intercom earlier (exports, DSAR packages, downloads) must be deleted where they are kept.';
export const CAVEAT_OTHER_CONTACTS = (n: number) =>
	`${n} other Intercom contact(s) share an email or external id with the erased contact(s) and were NOT erased (contact scope): erase by email or external id to remove the whole person.`;
