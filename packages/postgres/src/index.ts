export { countBackends, labSchemas, terminateBackends } from './backends.ts';
export type { ConnectOptions, LabDatabaseHandle } from './connection.ts';
export { connectLabDatabase, redactUrl, schemaNameFor } from './connection.ts';
export type { EmbeddedPostgresOptions, EmbeddedServer } from './embedded-server.ts';
export { startEmbeddedPostgres } from './embedded-server.ts';
export type { LabPoolOptions, PoolSettings } from './lab-pool.ts';
export {
  openLabPool,
  POOL_DEFAULTS,
  PoolExhaustedError,
  PoolSettingError,
  poolSettingsFromEnv,
} from './lab-pool.ts';
export type { BalanceChange, RowChanges, RowStep } from './multi-row.ts';
export { basketRows, rowOperations, transferRows } from './multi-row.ts';
export { pingPostgres } from './ping-postgres.ts';
export { postgresStore } from './postgres-store.ts';
export type { ReadModifyWriteOptions } from './read-modify-write.ts';
export { readModifyWrite, readRowSql, writeRowSql } from './read-modify-write.ts';
export { retryingTransaction } from './retrying-transaction.ts';
export { underRowLock } from './row-lock-wait.ts';
export type { LabDatabase } from './schema.ts';
export { serverVersion } from './server-version.ts';
export type { PostgresService, PostgresSetup } from './service.ts';
export { postgresOf } from './service.ts';
