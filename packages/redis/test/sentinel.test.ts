import { generateSalt, generateSecretKey, SecureTokenManager } from '@securetoken/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisRevocationStore } from '../src/index';
import { eventually, startRedis } from './redis-server';
import type { RedisServer } from './redis-server';

const servers: RedisServer[] = [];
const clients: Redis[] = [];
let store: RedisRevocationStore | undefined;

afterAll(async () => {
  await store?.close();
  for (const client of clients) client.disconnect();
  for (const server of servers.reverse()) await server.destroy();
});

function client(url: string): Redis {
  const redis = new Redis(url);
  // These test clients outlive the master on purpose; their reconnect errors are expected.
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
}

async function replicationOnline(master: RedisServer): Promise<boolean> {
  const info = await client(master.url).info('replication');
  return /slave0:.*state=online/.test(info);
}

describe('through Redis Sentinel', () => {
  it('finds the master, fails closed while it is down, and follows the failover to the replica', async () => {
    const master = await startRedis();
    servers.push(master);
    const replica = await startRedis({ replicaOf: master.port });
    servers.push(replica);
    await eventually(() => replicationOnline(master), 10_000, 50);
    const sentinel = await startRedis({ sentinelFor: master.port });
    servers.push(sentinel);

    store = new RedisRevocationStore({
      redisOptions: { sentinels: [{ host: '127.0.0.1', port: sentinel.port }], name: 'mymaster' },
      commandTimeoutMs: 300,
    });
    await store.ready();
    const manager = new SecureTokenManager({ secretKey: generateSecretKey(), salt: generateSalt(), revocationStore: store });
    const revoked = manager.generateToken({ userId: 'alice' });
    const kept = manager.generateToken({ userId: 'alice' });
    await manager.revokeToken(revoked);
    // Replication is asynchronous: only a revocation the replica has seen can survive the failover.
    expect(await client(master.url).wait(1, 1_000)).toBe(1);

    await master.destroy();
    await expect(manager.verify(kept)).rejects.toMatchObject({ code: 'revocation_unavailable', status: 503 });

    await eventually(() => manager.verify(kept).then(() => true, () => false), 20_000, 100);
    await expect(manager.verify(revoked)).rejects.toMatchObject({ code: 'token_revoked' });
    await manager.revokeToken(kept);
    await expect(manager.verify(kept)).rejects.toMatchObject({ code: 'token_revoked' });
  }, 30_000);
});
