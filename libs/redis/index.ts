export { RedisModule, REDIS_CLIENT, createFailFastRedis } from './redis.module.js';
export {
  alertsChannel,
  parseAlertsMessage,
  type AlertsMessage,
  type AlertView,
} from './alerts-channel.js';
