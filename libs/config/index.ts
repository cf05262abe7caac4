export {
  loadConfig,
  readEnvFile,
  exposeTracingVariables,
  ConfigError,
  type AppConfig,
  type RateLimitBucket,
  type TracingConfig,
  type ApnsConfig,
} from './config.js';
export { ConfigModule, APP_CONFIG } from './config.module.js';
export { parseTrustProxy, LOOPBACK_RANGES } from './trust-proxy.js';
/** Every variable the apps read, with its default: deploy manifests are checked against it. */
export { configSchema } from './config.schema.js';
