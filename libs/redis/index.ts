export { RedisModule, REDIS_CLIENT, createFailFastRedis } from './redis.module.js';
