export {
  MAX_CACHE_TTL_MS,
  RedisRevocationStore,
  createRedisRevocationStore,
} from './redis-revocation-store';
export type { RedisRevocationStoreOptions, SessionInfo, SessionInput } from './redis-revocation-store';
