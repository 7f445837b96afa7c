// Moved to test/nodes/context.ts (the node tests' contexts in one place); kept for branches in flight.
export { PII_NODE, piiContext } from '../nodes/context';
