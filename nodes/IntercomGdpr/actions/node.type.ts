import type { AllEntities } from 'n8n-workflow';

/** Every resource of the node and its operations. Add a resource here, then in router.ts. */
type NodeMap = {
	bulkExport: 'start' | 'startReporting' | 'listDatasets' | 'getStatus' | 'download' | 'cancel' | 'startAndWait';
	dataSubject: 'find' | 'export' | 'erase' | 'verifyIdentity' | 'publishPackage' | 'servePackage';
	ledger: 'verify' | 'search' | 'trackRequest' | 'listRequests';
	retention: 'preview' | 'enforce';
	n8nExecution: 'purge';
};

export type IntercomGdprType = AllEntities<NodeMap>;
