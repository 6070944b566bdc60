import { ConfigurationError, RevocationUnavailableError } from '@securetoken/core';
import type { JsonValue, Logger, RevocationQuery, RevocationStore } from '@securetoken/core';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { NotRevokedCache } from './not-revoked-cache';
import { NOT_BEFORE_SCRIPT, RECORD_SESSION_SCRIPT } from './scripts';

/**
 * Upper bound of `cacheTtlMs`: the cache may delay a revocation by this much, never more.
 * @example
 * ```ts
 * createRedisRevocationStore({ url, cacheTtlMs: Math.min(2_000, MAX_CACHE_TTL_MS) });
 * ```
 */
export const MAX_CACHE_TTL_MS = 10_000;

/**
 * Options of {@link RedisRevocationStore} and {@link createRedisRevocationStore}.
 * @example
 * ```ts
 * const options: RedisRevocationStoreOptions = { url: process.env.REDIS_URL, keyPrefix: 'shop:', commandTimeoutMs: 250 };
 * ```
 */
export interface RedisRevocationStoreOptions {
  /** An ioredis client you already have (not node-redis). The store never closes it; you handle its `'error'` events. */
  readonly client?: Redis;
  /** `redis://` or `rediss://` URL (e.g. `process.env.REDIS_URL`); the store creates and owns the client. */
  readonly url?: string;
  /** Extra ioredis options for the client the store creates (e.g. `sentinels`), over safe defaults. */
  readonly redisOptions?: RedisOptions;
  /** Prepended to every key. Default `"securetoken:"`. */
  readonly keyPrefix?: string;
  /** Longest wait for Redis per operation, in ms, before failing. Default 500. */
  readonly commandTimeoutMs?: number;
  /** Answer "not revoked" when Redis cannot be reached, instead of failing closed. Default false. */
  readonly failOpen?: boolean;
  /** Keep "not revoked" answers locally this long (ms, at most {@link MAX_CACHE_TTL_MS}). Default 0: off. */
  readonly cacheTtlMs?: number;
  /** Most entries kept by that cache. Default 10 000. */
  readonly cacheMaxEntries?: number;
  /** Entries outlive the token by this much (ms), to cover clock skew between servers. Default 60 000. */
  readonly retentionMarginMs?: number;
  /** Most sessions listed per user; the soonest-expiring are dropped first. Default 50. */
  readonly maxSessionsPerUser?: number;
  /** Told about outages, recoveries and fail-open answers. Nothing is logged without it. */
  readonly logger?: Logger;
  /** Clock in epoch ms (give it the manager's clock in tests). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * What {@link RedisRevocationStore.recordSession} needs; a `TokenClaims` object fits.
 * @example
 * ```ts
 * const session: SessionInput = manager.validateToken(token);
 * ```
 */
export interface SessionInput {
  readonly tokenId: string;
  readonly userId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** `user_agent`/`userAgent` and `login_ip`/`ip` are copied into the session when present. */
  readonly additionalData?: Readonly<Record<string, JsonValue>>;
}

/**
 * One active session of a user, as listed by {@link RedisRevocationStore.listSessions}.
 * @example
 * ```ts
 * const [latest]: SessionInfo[] = await store.listSessions('alice');
 * ```
 */
export interface SessionInfo {
  readonly tokenId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly userAgent?: string;
  readonly ip?: string;
}

interface StoredSession {
  readonly id: string;
  readonly iat: number;
  readonly exp: number;
  readonly ua?: string;
  readonly ip?: string;
}

// Fail fast rather than queue: a request waiting on a dead Redis is a hung request. Reconnects
// keep going forever with a capped back-off, so the store heals by itself when Redis returns.
const SAFE_CLIENT_DEFAULTS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 5_000,
  retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
};

/**
 * A {@link RevocationStore} on Redis, shared by every server instance that points at the same
 * Redis: a token revoked through one instance is refused by all of them on their next check.
 * Entries expire with their token, so Redis never fills with dead revocations.
 *
 * Every Redis failure (unreachable, closed, slower than `commandTimeoutMs`) rejects with
 * `RevocationUnavailableError`, which the manager turns into a 503; with `failOpen`, `isRevoked`
 * answers "not revoked" instead (writes always fail loudly, so no revocation is silently lost).
 *
 * @throws ConfigurationError (`configuration_error`) when the options are invalid.
 * @example
 * ```ts
 * const revocationStore = new RedisRevocationStore({ url: process.env.REDIS_URL });
 * await revocationStore.ready();
 * const manager = new SecureTokenManager({ revocationStore });
 * ```
 */
export class RedisRevocationStore implements RevocationStore {
  private readonly client: Redis;
  private readonly ownsClient: boolean;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly failOpen: boolean;
  private readonly marginMs: number;
  private readonly maxSessions: number;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private readonly cache: NotRevokedCache | undefined;
  /** Bumped by every local revocation, so a lookup that raced with one does not cache a stale "no". */
  private generation = 0;
  private outageReported = false;
  private failingOpen = false;
  private closed = false;

  constructor(options: RedisRevocationStoreOptions) {
    const opts = validateOptions(options);
    this.prefix = opts.keyPrefix ?? 'securetoken:';
    this.timeoutMs = opts.commandTimeoutMs ?? 500;
    this.failOpen = opts.failOpen ?? false;
    this.marginMs = opts.retentionMarginMs ?? 60_000;
    this.maxSessions = opts.maxSessionsPerUser ?? 50;
    this.logger = opts.logger;
    this.now = opts.now ?? Date.now;
    const cacheTtl = opts.cacheTtlMs ?? 0;
    this.cache = cacheTtl > 0 ? new NotRevokedCache(cacheTtl, opts.cacheMaxEntries ?? 10_000) : undefined;
    if (opts.client !== undefined) {
      this.client = opts.client;
      this.ownsClient = false;
    } else {
      const clientOptions = { ...SAFE_CLIENT_DEFAULTS, ...opts.redisOptions };
      this.client = opts.url === undefined ? new Redis(clientOptions) : new Redis(opts.url, clientOptions);
      this.ownsClient = true;
      // An 'error' event without a listener would be printed on every reconnect attempt; report
      // each outage once (code only: the message can carry the host) and its end.
      this.client.on('error', (error: Error & { code?: string }) => this.reportOutage(error.code ?? error.name));
      this.client.on('close', () => this.reportOutage('connection closed'));
      this.client.on('ready', () => {
        if (!this.outageReported) return;
        this.outageReported = false;
        this.logger?.warn('@securetoken/redis: Redis reachable again');
      });
    }
  }

  /**
   * Resolves once the client is connected, so the first requests after start-up are not refused.
   * @throws RevocationUnavailableError (`revocation_unavailable`) if not connected within `timeoutMs`.
   * @example
   * ```ts
   * await store.ready(); // before server.listen()
   * ```
   */
  async ready(timeoutMs = 5_000): Promise<void> {
    if (this.client.status === 'ready') return;
    if (this.client.status === 'wait') void this.client.connect().catch(() => undefined);
    let onReady = (): void => undefined;
    const connected = new Promise<void>((resolve) => {
      onReady = resolve;
      this.client.once('ready', onReady);
    });
    try {
      await this.withTimeout(connected, timeoutMs);
    } finally {
      this.client.off('ready', onReady);
    }
  }

  /**
   * Revokes one token until it expires (plus `retentionMarginMs`).
   * @throws RevocationUnavailableError (`revocation_unavailable`) when Redis cannot record it.
   * @example
   * ```ts
   * await store.revoke(claims.tokenId, claims.expiresAt);
   * ```
   */
  async revoke(tokenId: string, expiresAt: Date): Promise<void> {
    this.cache?.deleteToken(tokenId);
    this.generation += 1;
    const ttl = this.retentionMs(expiresAt);
    if (ttl <= 0) return;
    await this.run(() => this.client.set(this.revokedKey(tokenId), '1', 'PX', ttl));
  }

  /**
   * Revokes every token of `userId` issued before `notBefore`, remembered until `retainUntil`.
   * A later call never moves the cut-off backwards.
   * @throws RevocationUnavailableError (`revocation_unavailable`) when Redis cannot record it.
   * @example
   * ```ts
   * await store.revokeAllForUser('alice', new Date(), new Date(Date.now() + 24 * 3_600_000));
   * ```
   */
  async revokeAllForUser(userId: string, notBefore: Date, retainUntil: Date): Promise<void> {
    this.cache?.deleteUser(userId);
    this.generation += 1;
    const ttl = this.retentionMs(retainUntil);
    if (ttl <= 0) return;
    await this.run(() =>
      this.client.eval(NOT_BEFORE_SCRIPT, 1, this.notBeforeKey(userId), notBefore.getTime(), ttl),
    );
  }

  /**
   * Whether the token is revoked, by id or by its user's not-before time: one MGET, one round trip.
   * @throws RevocationUnavailableError (`revocation_unavailable`) when Redis cannot answer, unless `failOpen`.
   * @example
   * ```ts
   * const revoked = await store.isRevoked(claims);
   * ```
   */
  async isRevoked(token: RevocationQuery): Promise<boolean> {
    if (this.cache?.has(token.tokenId) === true) return false;
    const generation = this.generation;
    let values: (string | null)[];
    try {
      values = await this.run(() =>
        this.client.mget(this.revokedKey(token.tokenId), this.notBeforeKey(token.userId)),
      );
    } catch (error) {
      if (!this.failOpen) throw error;
      if (!this.failingOpen) this.logger?.warn('@securetoken/redis: revocation status unknown; accepting tokens (failOpen)');
      this.failingOpen = true;
      return false;
    }
    this.failingOpen = false;
    const [revoked, notBefore] = values;
    const isRevoked =
      typeof revoked === 'string' || (typeof notBefore === 'string' && token.issuedAt.getTime() < Number(notBefore));
    if (!isRevoked && generation === this.generation) this.cache?.add(token.tokenId, token.userId);
    return isRevoked;
  }

  /**
   * Records an issued token as a session of its user (user agent and IP from `additionalData`),
   * for {@link RedisRevocationStore.listSessions}. Call it after `generateToken`.
   * @throws RevocationUnavailableError (`revocation_unavailable`) when Redis cannot record it.
   * @example
   * ```ts
   * const token = manager.generateToken({ userId, additionalData: { user_agent: ua, login_ip: ip } });
   * await store.recordSession(manager.validateToken(token));
   * ```
   */
  async recordSession(session: SessionInput): Promise<void> {
    const now = this.now();
    const expires = session.expiresAt.getTime();
    if (expires <= now) return;
    const data = session.additionalData ?? {};
    const stored: StoredSession = {
      id: session.tokenId,
      iat: session.issuedAt.getTime(),
      exp: expires,
      ua: pickString(data, 'user_agent', 'userAgent'),
      ip: pickString(data, 'login_ip', 'ip'),
    };
    await this.run(() =>
      this.client.eval(RECORD_SESSION_SCRIPT, 1, this.sessionsKey(session.userId), now, expires,
        JSON.stringify(stored), this.maxSessions, this.marginMs),
    );
  }

  /**
   * The user's recorded sessions that are neither expired nor revoked, soonest-expiring first.
   * Two round trips, whatever the number of sessions.
   * @throws RevocationUnavailableError (`revocation_unavailable`) when Redis cannot answer.
   * @example
   * ```ts
   * const devices = (await store.listSessions('alice')).map((s) => `${s.userAgent} until ${s.expiresAt.toISOString()}`);
   * ```
   */
  async listSessions(userId: string): Promise<SessionInfo[]> {
    const sessions = await this.readSessions(userId);
    if (sessions.length === 0) return [];
    const [notBefore, ...revoked] = await this.run(() =>
      this.client.mget(this.notBeforeKey(userId), ...sessions.map((s) => this.revokedKey(s.id))),
    );
    const cutOff = notBefore == null ? -Infinity : Number(notBefore);
    return sessions
      .filter((s, i) => revoked[i] === null && s.iat >= cutOff)
      .map((s) => ({
        tokenId: s.id,
        issuedAt: new Date(s.iat),
        expiresAt: new Date(s.exp),
        ...(s.ua === undefined ? {} : { userAgent: s.ua }),
        ...(s.ip === undefined ? {} : { ip: s.ip }),
      }));
  }

  /**
   * Revokes one of the user's recorded sessions by token id (a "log out that device" button).
   * Resolves `false` when the user has no such active session.
   * @throws RevocationUnavailableError (`revocation_unavailable`) when Redis cannot record it.
   * @example
   * ```ts
   * await store.revokeSession('alice', sessionId);
   * ```
   */
  async revokeSession(userId: string, tokenId: string): Promise<boolean> {
    const session = (await this.readSessions(userId)).find((s) => s.id === tokenId);
    if (session === undefined) return false;
    await this.revoke(tokenId, new Date(session.exp));
    return true;
  }

  /**
   * Closes the client if the store created it; a client you passed in is left to you.
   * @example
   * ```ts
   * process.on('SIGTERM', () => void store.close());
   * ```
   */
  async close(): Promise<void> {
    if (!this.ownsClient) return;
    this.closed = true;
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }

  private reportOutage(reason: string): void {
    if (this.outageReported || this.closed) return;
    this.outageReported = true;
    this.logger?.warn(`@securetoken/redis: Redis unreachable (${reason}); failing ${this.failOpen ? 'open' : 'closed'}`);
  }

  private async readSessions(userId: string): Promise<StoredSession[]> {
    const members = await this.run(() =>
      this.client.zrangebyscore(this.sessionsKey(userId), `(${this.now()}`, '+inf'),
    );
    return members.flatMap((member) => {
      const parsed = parseSession(member);
      return parsed === undefined ? [] : [parsed];
    });
  }

  private retentionMs(until: Date): number {
    return Math.ceil(until.getTime() + this.marginMs - this.now());
  }

  private revokedKey(tokenId: string): string {
    return `${this.prefix}revoked:${tokenId}`;
  }

  private notBeforeKey(userId: string): string {
    return `${this.prefix}not-before:${userId}`;
  }

  private sessionsKey(userId: string): string {
    return `${this.prefix}sessions:${userId}`;
  }

  private run<T>(operation: () => Promise<T>): Promise<T> {
    // A client can throw instead of rejecting (a closed or odd client); that is an outage too,
    // so it must reach the caller as RevocationUnavailableError, never as a raw throw.
    return this.withTimeout(new Promise<T>((resolve) => resolve(operation())), this.timeoutMs);
  }

  /** Our own timer, not ioredis's, so a client passed in without `commandTimeout` cannot hang us either. */
  private async withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
      timer.unref();
    });
    try {
      return await Promise.race([promise, timeout]);
    } catch (cause) {
      throw new RevocationUnavailableError({ cause });
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Builds a {@link RedisRevocationStore}; the one-liner a server needs for `REDIS_URL`.
 * @throws ConfigurationError (`configuration_error`) when the options are invalid.
 * @example
 * ```ts
 * const revocationStore = process.env.REDIS_URL
 *   ? createRedisRevocationStore({ url: process.env.REDIS_URL })
 *   : new MemoryRevocationStore();
 * ```
 */
export function createRedisRevocationStore(options: RedisRevocationStoreOptions): RedisRevocationStore {
  return new RedisRevocationStore(options);
}

function validateOptions(options: RedisRevocationStoreOptions): RedisRevocationStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('RedisRevocationStore needs an options object');
  }
  const { client, url, redisOptions } = options;
  if (client !== undefined && (url !== undefined || redisOptions !== undefined)) {
    throw new ConfigurationError('Pass either `client` or `url`/`redisOptions`, not both');
  }
  if (client === undefined && url === undefined && redisOptions === undefined) {
    throw new ConfigurationError('RedisRevocationStore needs a `client`, a `url` or `redisOptions`');
  }
  if (client !== undefined && !isIoredisClient(client)) {
    // A node-redis client (mGet, no status) would fail every call later; say so at start-up.
    throw new ConfigurationError('`client` must be an ioredis client (node-redis is not supported: pass `url` instead)');
  }
  if (url !== undefined && !isRedisUrl(url)) {
    // Never echo the URL: it may carry a password.
    throw new ConfigurationError('`url` must be a redis:// or rediss:// URL');
  }
  if (options.keyPrefix !== undefined && typeof options.keyPrefix !== 'string') {
    throw new ConfigurationError('`keyPrefix` must be a string');
  }
  checkNumber(options.commandTimeoutMs, 'commandTimeoutMs', 1, 60_000);
  checkNumber(options.cacheTtlMs, 'cacheTtlMs', 0, MAX_CACHE_TTL_MS);
  checkNumber(options.cacheMaxEntries, 'cacheMaxEntries', 1, 10_000_000);
  checkNumber(options.retentionMarginMs, 'retentionMarginMs', 0, 86_400_000);
  checkNumber(options.maxSessionsPerUser, 'maxSessionsPerUser', 1, 10_000);
  if (options.failOpen !== undefined && typeof options.failOpen !== 'boolean') {
    throw new ConfigurationError('`failOpen` must be a boolean');
  }
  return options;
}

function checkNumber(value: number | undefined, name: string, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`\`${name}\` must be an integer in [${min}, ${max}]`);
  }
}

function isIoredisClient(client: unknown): boolean {
  if (typeof client !== 'object' || client === null) return false;
  const candidate = client as Partial<Record<'mget' | 'eval' | 'set' | 'zrangebyscore' | 'status', unknown>>;
  return (
    typeof candidate.mget === 'function' &&
    typeof candidate.eval === 'function' &&
    typeof candidate.set === 'function' &&
    typeof candidate.zrangebyscore === 'function' &&
    typeof candidate.status === 'string'
  );
}

function isRedisUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'redis:' || protocol === 'rediss:';
  } catch {
    return false;
  }
}

function pickString(data: Readonly<Record<string, JsonValue>>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = data[name];
    if (typeof value === 'string') return value.slice(0, 512);
  }
  return undefined;
}

function parseSession(member: string): StoredSession | undefined {
  try {
    const value = JSON.parse(member) as Partial<StoredSession>;
    if (typeof value.id !== 'string' || typeof value.iat !== 'number' || typeof value.exp !== 'number') {
      return undefined;
    }
    return value as StoredSession;
  } catch {
    return undefined;
  }
}
