import type { RevocationStore } from '@securetoken/core';
import { createRedisRevocationStore } from '@securetoken/redis';
import type { Env } from './server';

/** `REDIS_URL` set: revocations shared by every process and instance; else each keeps its own in memory. */
export function revocationStoreFromEnv(env: Env): RevocationStore | undefined {
  return env.REDIS_URL ? createRedisRevocationStore({ url: env.REDIS_URL }) : undefined;
}
