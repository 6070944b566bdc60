import {
  ConfigurationError,
  generateSalt,
  generateSecretKey,
  RevocationUnavailableError,
  SecureTokenManager,
  TokenRevokedError,
} from '@securetoken/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRevocationStore, RedisRevocationStore } from '../src/index';
import type { RedisRevocationStoreOptions } from '../src/index';
import { eventually, startRedis } from './redis-server';
import type { RedisServer } from './redis-server';

const HOUR = 3_600_000;
const secretKey = generateSecretKey();
const salt = generateSalt();

let redis: RedisServer;
let admin: Redis;
let clock: number;
const stores: RedisRevocationStore[] = [];

function makeStore(options: Partial<RedisRevocationStoreOptions> = {}): RedisRevocationStore {
  const store = new RedisRevocationStore({ url: redis.url, now: () => clock, ...options });
  stores.push(store);
  return store;
}

async function readyStore(options: Partial<RedisRevocationStoreOptions> = {}): Promise<RedisRevocationStore> {
  const store = makeStore(options);
  await store.ready();
  return store;
}

function makeManager(store: RedisRevocationStore): SecureTokenManager {
  return new SecureTokenManager({ secretKey, salt, revocationStore: store, now: () => clock });
}

/** Calls per command since the last reset, from Redis's own statistics. */
async function commandCounts(): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  const counts: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const command = match[1] as string;
    // The test's own bookkeeping commands are not the store's.
    if (!command.startsWith('config') && command !== 'info') counts[command] = Number(match[2]);
  }
  return counts;
}

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await admin.flushall();
  clock = Date.now();
});

afterAll(async () => {
  admin.disconnect();
  await redis?.destroy();
});

clock = Date.now();

describe('revoke and isRevoked', () => {
  it('refuses a revoked token and accepts others, through the manager', async () => {
    const store = await readyStore();
    const manager = makeManager(store);
    const revoked = manager.generateToken({ userId: 'alice' });
    const kept = manager.generateToken({ userId: 'alice' });
    await manager.revokeToken(revoked);

    const error = await manager.verify(revoked).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRevokedError);
    expect(error).toMatchObject({ code: 'token_revoked', status: 401 });
    await expect(manager.verify(kept)).resolves.toMatchObject({ userId: 'alice' });
  });

  it('stores one prefixed key per revocation, expiring with the token plus the margin', async () => {
    const store = await readyStore({ keyPrefix: 'app1:', retentionMarginMs: 5_000 });
    await store.revoke('token-a', new Date(clock + HOUR));
    expect(await admin.keys('*')).toEqual(['app1:revoked:token-a']);
    const ttl = await admin.pttl('app1:revoked:token-a');
    expect(ttl).toBeGreaterThan(HOUR + 5_000 - 2_000);
    expect(ttl).toBeLessThanOrEqual(HOUR + 5_000);
  });

  it('writes nothing for a token already past its expiry and margin', async () => {
    const store = await readyStore({ retentionMarginMs: 1_000 });
    await store.revoke('old', new Date(clock - 2_000));
    expect(await admin.dbsize()).toBe(0);
  });

  it('keeps stores with different prefixes apart on one Redis', async () => {
    const one = await readyStore({ keyPrefix: 'one:' });
    const two = await readyStore({ keyPrefix: 'two:' });
    await one.revoke('shared-id', new Date(clock + HOUR));
    const query = { tokenId: 'shared-id', userId: 'u', issuedAt: new Date(clock), expiresAt: new Date(clock + HOUR) };
    expect(await one.isRevoked(query)).toBe(true);
    expect(await two.isRevoked(query)).toBe(false);
  });

  it('answers with exactly one Redis command (MGET) per lookup', async () => {
    const store = await readyStore();
    await admin.config('RESETSTAT');
    await store.isRevoked({ tokenId: 't', userId: 'u', issuedAt: new Date(clock), expiresAt: new Date(clock + HOUR) });
    expect(await commandCounts()).toEqual({ mget: 1 });
  });

  it('lets Redis drop the entry when the token expires', async () => {
    // Real time here: the expiry being tested is Redis's own.
    const store = await readyStore({ retentionMarginMs: 0, now: Date.now });
    const expiresAt = new Date(Date.now() + 300);
    await store.revoke('short-lived', expiresAt);
    const query = { tokenId: 'short-lived', userId: 'u', issuedAt: new Date(), expiresAt };
    expect(await store.isRevoked(query)).toBe(true);
    await eventually(async () => (await admin.exists('securetoken:revoked:short-lived')) === 0, 5_000);
    expect(await store.isRevoked(query)).toBe(false);
    expect(await admin.dbsize()).toBe(0);
  });
});

describe('revokeAllForUser', () => {
  it('refuses the user\'s earlier tokens, accepts later ones and other users\'', async () => {
    const store = await readyStore();
    const manager = makeManager(store);
    const before = manager.generateToken({ userId: 'alice' });
    const bob = manager.generateToken({ userId: 'bob' });
    clock += 1_000;
    await manager.revokeAllForUser('alice');
    clock += 1_000;
    const after = manager.generateToken({ userId: 'alice' });

    await expect(manager.verify(before)).rejects.toMatchObject({ code: 'token_revoked', status: 401 });
    await expect(manager.verify(after)).resolves.toMatchObject({ userId: 'alice' });
    await expect(manager.verify(bob)).resolves.toMatchObject({ userId: 'bob' });
  });

  it('never moves the cut-off backwards nor shortens its retention', async () => {
    const store = await readyStore({ retentionMarginMs: 0 });
    await store.revokeAllForUser('alice', new Date(clock), new Date(clock + 2 * HOUR));
    await store.revokeAllForUser('alice', new Date(clock - 10_000), new Date(clock + HOUR));
    expect(await admin.get('securetoken:not-before:alice')).toBe(String(clock));
    expect(await admin.pttl('securetoken:not-before:alice')).toBeGreaterThan(2 * HOUR - 2_000);

    await store.revokeAllForUser('alice', new Date(clock + 5_000), new Date(clock + HOUR));
    expect(await admin.get('securetoken:not-before:alice')).toBe(String(clock + 5_000));
    const issuedBetween = { tokenId: 't', userId: 'alice', issuedAt: new Date(clock + 1_000), expiresAt: new Date(clock + HOUR) };
    expect(await store.isRevoked(issuedBetween)).toBe(true);
  });
});

describe('sessions', () => {
  it('lists active sessions with user agent and IP, without revoked ones', async () => {
    const store = await readyStore();
    const manager = makeManager(store);
    const tokens = ['Firefox', 'Safari', 'curl'].map((ua, i) =>
      manager.generateToken({ userId: 'alice', expiresInHours: i + 1, additionalData: { user_agent: ua, login_ip: `203.0.113.${i}` } }),
    );
    for (const token of tokens) await store.recordSession(manager.validateToken(token));
    await store.recordSession(manager.validateToken(manager.generateToken({ userId: 'bob' })));

    const sessions = await store.listSessions('alice');
    expect(sessions.map((s) => s.userAgent)).toEqual(['Firefox', 'Safari', 'curl']);
    expect(sessions[0]).toEqual({
      tokenId: manager.validateToken(tokens[0] as string).tokenId,
      issuedAt: manager.validateToken(tokens[0] as string).issuedAt,
      expiresAt: manager.validateToken(tokens[0] as string).expiresAt,
      userAgent: 'Firefox',
      ip: '203.0.113.0',
    });

    await manager.revokeToken(tokens[1] as string);
    expect((await store.listSessions('alice')).map((s) => s.userAgent)).toEqual(['Firefox', 'curl']);

    const curl = manager.validateToken(tokens[2] as string).tokenId;
    expect(await store.revokeSession('alice', curl)).toBe(true);
    expect(await store.revokeSession('alice', 'no-such-session')).toBe(false);
    await expect(manager.verify(tokens[2] as string)).rejects.toMatchObject({ code: 'token_revoked' });
    expect((await store.listSessions('alice')).map((s) => s.userAgent)).toEqual(['Firefox']);
    expect(await store.listSessions('bob')).toHaveLength(1);
    expect(await store.listSessions('nobody')).toEqual([]);
  });

  it('hides sessions cut off by revokeAllForUser, lists later ones', async () => {
    const store = await readyStore();
    const manager = makeManager(store);
    await store.recordSession(manager.validateToken(manager.generateToken({ userId: 'alice' })));
    clock += 1_000;
    await manager.revokeAllForUser('alice');
    clock += 1_000;
    const fresh = manager.validateToken(manager.generateToken({ userId: 'alice' }));
    await store.recordSession(fresh);
    expect((await store.listSessions('alice')).map((s) => s.tokenId)).toEqual([fresh.tokenId]);
  });

  it('keeps one sorted set per user, trimmed and expiring with its last session', async () => {
    const store = await readyStore({ maxSessionsPerUser: 2, retentionMarginMs: 0 });
    const session = (id: string, hours: number) => ({
      tokenId: id, userId: 'alice', issuedAt: new Date(clock), expiresAt: new Date(clock + hours * HOUR),
    });
    await store.recordSession(session('a', 3));
    await store.recordSession(session('b', 1));
    await store.recordSession(session('c', 2));
    expect(await admin.keys('*')).toEqual(['securetoken:sessions:alice']);
    expect(await admin.zcard('securetoken:sessions:alice')).toBe(2);
    expect((await store.listSessions('alice')).map((s) => s.tokenId)).toEqual(['c', 'a']);
    const ttl = await admin.pttl('securetoken:sessions:alice');
    expect(ttl).toBeGreaterThan(3 * HOUR - 2_000);
    expect(ttl).toBeLessThanOrEqual(3 * HOUR);

    // Two and a half hours later 'c' has expired: not listed, and dropped by the next write.
    clock += 2.5 * HOUR;
    expect((await store.listSessions('alice')).map((s) => s.tokenId)).toEqual(['a']);
    await store.recordSession(session('d', 1));
    expect(await admin.zcard('securetoken:sessions:alice')).toBe(2);
    expect((await store.listSessions('alice')).map((s) => s.tokenId)).toEqual(['a', 'd']);
  });

  it('never scans the keyspace', async () => {
    const store = await readyStore();
    await admin.config('RESETSTAT');
    await store.recordSession({ tokenId: 'x', userId: 'alice', issuedAt: new Date(clock), expiresAt: new Date(clock + HOUR) });
    await store.listSessions('alice');
    await store.revokeSession('alice', 'x');
    const counts = await commandCounts();
    expect(counts.keys ?? 0).toBe(0);
    expect(counts.scan ?? 0).toBe(0);
  });
});

describe('local "not revoked" cache', () => {
  const query = { tokenId: 'cached', userId: 'alice', issuedAt: new Date(), expiresAt: new Date(Date.now() + HOUR) };

  it('is off by default: a revocation through another instance is seen at once', async () => {
    const reader = await readyStore();
    const writer = await readyStore();
    expect(await reader.isRevoked(query)).toBe(false);
    await writer.revoke(query.tokenId, query.expiresAt);
    expect(await reader.isRevoked(query)).toBe(true);
  });

  it('serves cached answers without Redis, and sees another instance\'s revocation within its TTL', async () => {
    const reader = await readyStore({ cacheTtlMs: 300 });
    const writer = await readyStore();
    expect(await reader.isRevoked(query)).toBe(false);
    await admin.config('RESETSTAT');
    expect(await reader.isRevoked(query)).toBe(false);
    expect(await commandCounts()).toEqual({});

    await writer.revoke(query.tokenId, query.expiresAt);
    const revokedAt = Date.now();
    await eventually(() => reader.isRevoked(query), 2_000, 20);
    expect(Date.now() - revokedAt).toBeLessThan(300 + 200);
  });

  it('forgets entries at once for revocations made through the same instance', async () => {
    const store = await readyStore({ cacheTtlMs: 10_000 });
    expect(await store.isRevoked(query)).toBe(false);
    await store.revoke(query.tokenId, query.expiresAt);
    expect(await store.isRevoked(query)).toBe(true);

    const other = { ...query, tokenId: 'other' };
    expect(await store.isRevoked(other)).toBe(false);
    await store.revokeAllForUser('alice', new Date(Date.now() + 1_000), new Date(Date.now() + HOUR));
    expect(await store.isRevoked(other)).toBe(true);
  });
});

describe('options', () => {
  it.each<[string, Partial<RedisRevocationStoreOptions>]>([
    ['no connection', {}],
    ['client and url', { client: {} as Redis, url: 'redis://127.0.0.1:1' }],
    ['not a redis URL', { url: 'http://user:hunter2@example.com' }],
    ['unparseable URL', { url: 'hunter2' }],
    ['negative timeout', { url: 'redis://127.0.0.1:1', commandTimeoutMs: -1 }],
    ['fractional timeout', { url: 'redis://127.0.0.1:1', commandTimeoutMs: 1.5 }],
    ['cache TTL above the bound', { url: 'redis://127.0.0.1:1', cacheTtlMs: 60_000 }],
    ['zero cache entries', { url: 'redis://127.0.0.1:1', cacheMaxEntries: 0 }],
    ['zero sessions', { url: 'redis://127.0.0.1:1', maxSessionsPerUser: 0 }],
    ['negative margin', { url: 'redis://127.0.0.1:1', retentionMarginMs: -5 }],
    ['non-boolean failOpen', { url: 'redis://127.0.0.1:1', failOpen: 'yes' as unknown as boolean }],
    ['non-string prefix', { url: 'redis://127.0.0.1:1', keyPrefix: 5 as unknown as string }],
    // The shape of a node-redis v4/v5 client: camel-case commands, isReady instead of status.
    ['a node-redis client', { client: { mGet: async () => [], eval: async () => null, isReady: true } as unknown as Redis }],
  ])('rejects %s with configuration_error, at construction', (_, options) => {
    const error = (() => {
      try {
        createRedisRevocationStore(options);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'configuration_error', status: 500 });
    expect(String((error as Error).message)).not.toContain('hunter2');
  });

  it('builds a working store from a URL alone (what a demo does with REDIS_URL)', async () => {
    const store = createRedisRevocationStore({ url: redis.url });
    stores.push(store);
    await store.ready();
    await store.revoke('from-url', new Date(Date.now() + HOUR));
    expect(await admin.exists('securetoken:revoked:from-url')).toBe(1);
  });

  it('names ioredis when given a client of another library', () => {
    expect(() => createRedisRevocationStore({ client: { mGet: async () => [] } as unknown as Redis })).toThrow(
      '`client` must be an ioredis client (node-redis is not supported: pass `url` instead)',
    );
  });

  it('turns a client that throws instead of rejecting into revocation_unavailable', async () => {
    const client = new Redis(redis.url);
    const store = new RedisRevocationStore({ client });
    await store.ready();
    client.mget = (() => {
      throw new TypeError('synchronous failure');
    }) as unknown as Redis['mget'];
    const query = { tokenId: 'any', userId: 'alice', issuedAt: new Date(), expiresAt: new Date(Date.now() + HOUR) };
    const error = await store.isRevoked(query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevocationUnavailableError);
    expect(error).toMatchObject({ code: 'revocation_unavailable', status: 503 });
    client.disconnect();

    const failOpen = new RedisRevocationStore({ client, failOpen: true });
    expect(await failOpen.isRevoked(query)).toBe(false);
  });

  it('uses a client it is given and leaves it open on close', async () => {
    const client = new Redis(redis.url);
    const store = new RedisRevocationStore({ client });
    await store.ready();
    await store.revoke('from-client', new Date(Date.now() + HOUR));
    await store.close();
    expect(await client.exists('securetoken:revoked:from-client')).toBe(1);
    client.disconnect();
  });
});
