/**
 * D1 schema (account-scoped records, docs/architecture.md §1 and docs/storage.md §1). Every tenant-owned row carries `project_id`
 * and every query filters on it: another project's object is indistinguishable from a missing one.
 * Ids sort in creation order (src/domain/ids.ts), so `ORDER BY id` is the list order.
 */

// One file per area; every table is re-exported here, so `from '…/db/schema'` names them all
// (and drizzle-kit reads the whole folder, drizzle.config.ts).
export * from './accounts';
export * from './assistants';
export * from './threads';
export * from './files';
export * from './usage';
export * from './responses';
export * from './containers';
