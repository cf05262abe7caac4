import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '#config';
import { AlertEntity } from './entities/alert.entity.js';
import { ApiKeyEntity } from './entities/api-key.entity.js';
import { DataVersionEntity } from './entities/data-version.entity.js';
import { InstallationEntity } from './entities/installation.entity.js';
import { ItemEntity } from './entities/item.entity.js';
import { PriceBarEntity } from './entities/price-bar.entity.js';
import { ScanResultEntity } from './entities/scan-result.entity.js';
import { ScanRunEntity } from './entities/scan-run.entity.js';
import { WatchEntity } from './entities/watch.entity.js';
import { migrations } from '../../migrations/index.js';

export const entities = [
  ItemEntity,
  PriceBarEntity,
  DataVersionEntity,
  ApiKeyEntity,
  InstallationEntity,
  ScanRunEntity,
  ScanResultEntity,
  WatchEntity,
  AlertEntity,
];

/**
 * The one set of connection options, used by Nest (TypeOrmModule), the CLI and the tests.
 * Migrations are listed but never run here: `npm run cli -- db migrate` is the deploy step.
 */
export function dataSourceOptions(
  config: AppConfig,
  applicationName = 'market-scanner',
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities,
    migrations,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL ≥ 13: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    connectTimeoutMS: config.db.acquireTimeoutMs,
    applicationName,
    // Passed to pg.Pool: `max` bounds the pool; `connectionTimeoutMillis` bounds the wait for a
    // free connection, so an exhausted pool fails fast instead of queueing forever
    // (typeorm/typeorm#2460). The two timeouts are set per session by the server.
    extra: {
      max: config.db.poolSize,
      connectionTimeoutMillis: config.db.acquireTimeoutMs,
      idleTimeoutMillis: 30_000,
      statement_timeout: config.db.statementTimeoutMs,
      idle_in_transaction_session_timeout: config.db.idleInTransactionTimeoutMs,
    },
  };
}

export function createDataSource(config: AppConfig, applicationName?: string): DataSource {
  return new DataSource(dataSourceOptions(config, applicationName));
}

/** Refuses anything but a database whose name ends in `_test`, before tests truncate tables. */
export function assertTestDatabase(databaseUrl: string): void {
  const name = new URL(databaseUrl).pathname.replace(/^\//, '');
  if (!name.endsWith('_test')) {
    throw new Error(
      `Refusing to run destructive test setup against database "${name}": its name must end in _test`,
    );
  }
}
