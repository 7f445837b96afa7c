// Moved to test/nodes/context.ts (the node tests' contexts in one place); kept for branches in flight.
export { bulkContext, type BulkContext } from '../nodes/context';
