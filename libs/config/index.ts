export {
  loadConfig,
  readEnvFile,
  ConfigError,
  type AppConfig,
  type RateLimitBucket,
} from './config.js';
export { ConfigModule, APP_CONFIG } from './config.module.js';
