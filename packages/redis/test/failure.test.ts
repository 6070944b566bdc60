import {
  generateSalt,
  generateSecretKey,
  RevocationUnavailableError,
  SecureTokenManager,
  toErrorResponse,
} from '@securetoken/core';
import type { TokenError } from '@securetoken/core';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisRevocationStore } from '../src/index';
import type { RedisRevocationStoreOptions } from '../src/index';
import { eventually, startRedis } from './redis-server';
import type { RedisServer } from './redis-server';

const HOUR = 3_600_000;
const secretKey = generateSecretKey();
const salt = generateSalt();
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: { appendOnly?: boolean } = {}): Promise<RedisServer> {
  const redis = await startRedis(options);
  cleanups.push(() => redis.destroy());
  return redis;
}

async function setup(redis: RedisServer, options: Partial<RedisRevocationStoreOptions> = {}) {
  const warnings: string[] = [];
  const store = new RedisRevocationStore({
    url: redis.url,
    commandTimeoutMs: 300,
    logger: { warn: (message) => warnings.push(message) },
    ...options,
  });
  cleanups.push(() => store.close());
  await store.ready();
  const manager = new SecureTokenManager({ secretKey, salt, revocationStore: store });
  return { store, manager, warnings };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function expectUnavailable(error: unknown): void {
  expect(error).toBeInstanceOf(RevocationUnavailableError);
  expect(error).toMatchObject({ code: 'revocation_unavailable', status: 503 });
}

describe('Redis stopped mid-test', () => {
  it('fails closed at once with revocation_unavailable, then recovers by itself after a restart', async () => {
    const redis = await server();
    const { manager, warnings } = await setup(redis);
    const token = manager.generateToken({ userId: 'alice' });
    await expect(manager.verify(token)).resolves.toMatchObject({ userId: 'alice' });

    await redis.stop();
    const started = Date.now();
    const error = await rejection(manager.verify(token));
    expect(Date.now() - started).toBeLessThan(300 + 200);
    expectUnavailable(error);
    expect(toErrorResponse(error as TokenError)).toEqual({
      status: 503,
      headers: {},
      body: { error: 'Authentication temporarily unavailable', code: 'revocation_unavailable' },
    });
    expectUnavailable(await rejection(manager.revokeToken(token)));
    expectUnavailable(await rejection(manager.revokeAllForUser('alice')));

    await redis.start();
    await eventually(() => manager.verify(token).then(() => true, () => false), 10_000, 50);
    await manager.revokeToken(token);
    await expect(manager.verify(token)).rejects.toMatchObject({ code: 'token_revoked' });

    expect(warnings[0]).toMatch(/^@securetoken\/redis: Redis unreachable \(.+\); failing closed$/);
    expect(warnings).toContain('@securetoken/redis: Redis reachable again');
    expect(warnings.join('\n')).not.toContain(String(redis.port));
  });

  it('accepts tokens with failOpen, warns once, and still refuses to lose a revocation', async () => {
    const redis = await server();
    const { manager, warnings } = await setup(redis, { failOpen: true });
    const token = manager.generateToken({ userId: 'alice' });
    await redis.stop();

    await expect(manager.verify(token)).resolves.toMatchObject({ userId: 'alice' });
    await expect(manager.verify(token)).resolves.toMatchObject({ userId: 'alice' });
    expectUnavailable(await rejection(manager.revokeToken(token)));
    expect(warnings.filter((w) => w.includes('failOpen'))).toHaveLength(1);
  });

  it('serves cached "not revoked" answers while Redis is down, for the cache TTL only', async () => {
    const redis = await server();
    const { manager } = await setup(redis, { cacheTtlMs: 400 });
    const token = manager.generateToken({ userId: 'alice' });
    await manager.verify(token);
    await redis.stop();
    await expect(manager.verify(token)).resolves.toMatchObject({ userId: 'alice' });
    await eventually(() => manager.verify(token).then(() => false, () => true), 2_000, 20);
    expectUnavailable(await rejection(manager.verify(token)));
  });

  it('refuses to start serving until connected: ready() fails after its timeout', async () => {
    const redis = await server();
    await redis.stop();
    const store = new RedisRevocationStore({ url: redis.url });
    cleanups.push(() => store.close());
    expectUnavailable(await rejection(store.ready(300)));
  });
});

describe('Redis hung (SIGSTOP)', () => {
  it('times out after commandTimeoutMs instead of hanging, and recovers on SIGCONT', async () => {
    const redis = await server();
    const { manager } = await setup(redis);
    const token = manager.generateToken({ userId: 'alice' });

    redis.pause();
    cleanups.push(() => redis.resume());
    const started = Date.now();
    expectUnavailable(await rejection(manager.verify(token)));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_000);

    redis.resume();
    await eventually(() => manager.verify(token).then(() => true, () => false), 5_000, 50);
  });

  it('cannot be hung through a client the app passed in with ioredis defaults (offline queue on)', async () => {
    const redis = await server();
    const client = new Redis(redis.url);
    client.on('error', () => undefined);
    cleanups.push(() => client.disconnect());
    const store = new RedisRevocationStore({ client, commandTimeoutMs: 200 });
    await store.ready();
    const manager = new SecureTokenManager({ secretKey, salt, revocationStore: store });
    const token = manager.generateToken({ userId: 'alice' });

    await redis.stop();
    const started = Date.now();
    expectUnavailable(await rejection(manager.verify(token)));
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('Redis restarted with appendonly yes', () => {
  it('keeps every revocation across the restart', async () => {
    const redis = await server({ appendOnly: true });
    const { manager, store } = await setup(redis);
    const single = manager.generateToken({ userId: 'alice' });
    const everyBob = manager.generateToken({ userId: 'bob' });
    const kept = manager.generateToken({ userId: 'carol' });
    await store.recordSession(manager.validateToken(kept));
    await manager.revokeToken(single);
    await new Promise((resolve) => setTimeout(resolve, 2));
    await manager.revokeAllForUser('bob');

    await redis.stop();
    await redis.start();

    // A fresh instance (as after a deploy) and the old one (after reconnecting) both still refuse.
    const { manager: fresh, store: freshStore } = await setup(redis);
    await expect(fresh.verify(single)).rejects.toMatchObject({ code: 'token_revoked' });
    await expect(fresh.verify(everyBob)).rejects.toMatchObject({ code: 'token_revoked' });
    await expect(fresh.verify(kept)).resolves.toMatchObject({ userId: 'carol' });
    expect(await freshStore.listSessions('carol')).toHaveLength(1);
    await eventually(() => manager.verify(kept).then(() => true, () => false), 10_000, 50);
    await expect(manager.verify(single)).rejects.toMatchObject({ code: 'token_revoked' });

    const admin = new Redis(redis.url);
    cleanups.push(() => admin.disconnect());
    expect(await admin.pttl('securetoken:revoked:' + fresh.validateToken(single).tokenId)).toBeGreaterThan(HOUR);
  });
});
