// Moved to test/nodes/context.ts (the node tests' contexts in one place); kept for branches in flight.
export { eraseParams, ledgerCredential, ledgerExecuteContext } from '../nodes/context';
