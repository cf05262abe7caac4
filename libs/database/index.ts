export {
  dataSourceOptions,
  createDataSource,
  assertTestDatabase,
  entities,
} from './data-source.js';
export { pgPoolOf, queryPrepared } from './prepared-query.js';
export { ItemEntity } from './entities/item.entity.js';
export { PriceBarEntity } from './entities/price-bar.entity.js';
export { DataVersionEntity } from './entities/data-version.entity.js';
export {
  ApiKeyEntity,
  API_KEY_SCOPES,
  GRANTABLE_SCOPES,
  OVERRIDABLE_LIMITS,
  type ApiKeyScope,
  type LimitOverrides,
} from './entities/api-key.entity.js';
export { CredentialUsage, requestsToday } from './entities/credential-usage.js';
export { CredentialUsageRepository, type UsageDelta } from './credential-usage.repository.js';
export {
  InstallationEntity,
  APNS_ENVIRONMENTS,
  type ApnsEnvironment,
} from './entities/installation.entity.js';
export { schemaDrift } from './schema-drift.js';
export {
  ApiKeyRepository,
  hashApiKey,
  looksLikeApiKey,
  looksLikeInstallationToken,
  parseGrants,
  parseLimitOverrides,
  parseScopes,
} from './api-key.repository.js';
export {
  InstallationRepository,
  type ActiveInstallation,
  type InstallationListing,
} from './installation.repository.js';
export { DatabaseModule } from './database.module.js';
export { ScanRunEntity, type ScanStatus } from './entities/scan-run.entity.js';
export { ScanResultEntity } from './entities/scan-result.entity.js';
export { DataVersions, type NewDataVersion } from './data-versions.repository.js';
export {
  WatchEntity,
  type WatchEvent,
  type WatchNotify,
  type WatchResultRow,
} from './entities/watch.entity.js';
export {
  AlertEntity,
  ALERT_KINDS,
  type AlertKind,
  type PushState,
} from './entities/alert.entity.js';
