// Moved to src/util/settle.ts (generic, not about Intercom); kept so branches in flight still compile.
export { settle, type Settled } from '../util/settle';
