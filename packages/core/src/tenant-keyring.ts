import type { TokenVerifier } from './authenticator';
import { ConfigurationError, InvalidTokenError, isSecureTokenError } from './errors';
import { SecureTokenManager, type RefreshOptions, type SecureTokenManagerOptions } from './manager';
import { MemoryRevocationStore } from './memory-revocation-store';
import type { GenerateTokenInput, RevocationQuery, RevocationStore, TokenClaims } from './types';

/**
 * Where a tenant's tokens are bound: `additional_data.tenant_id`, readable by Python services too.
 * @example
 * claims.additionalData[TENANT_CLAIM]; // 'acme'
 */
export const TENANT_CLAIM = 'tenant_id';

/** One tenant's key material, as the application stores it (a database row, a secrets manager). */
export interface TenantKeyMaterial {
  /** The tenant's secret (Python rules: >= 16 chars, upper, lower, digit, one of `@$!%*?&#`). */
  readonly secretKey: string;
  /** The tenant's PBKDF2 salt, >= 16 bytes. */
  readonly salt: string | Uint8Array;
  /** Retired secrets of this tenant whose tokens still validate (rotation). */
  readonly previousSecretKeys?: readonly string[];
  /** Lifetime of this tenant's new tokens, in hours; default the keyring's `managerOptions`. */
  readonly defaultExpirationHours?: number;
}

/** Options of {@link TenantKeyring}. */
export interface TenantKeyringOptions {
  /**
   * Looks a tenant up. Resolve `null`/`undefined` for an unknown tenant (its requests get
   * `invalid_token`); reject only for an outage (its requests get `configuration_error`, 500).
   */
  readonly resolveTenant: (tenantId: string) => Promise<TenantKeyMaterial | null | undefined>;
  /** Most tenants whose derived keys are kept (least recently used evicted first); default 1000. */
  readonly maxTenants?: number;
  /**
   * Settings every tenant shares: `now`, `clockToleranceSeconds`, `maxTokenLength`,
   * `naiveTimeZone`, `defaultExpirationHours`, `revocationStore`, `logger`. One revocation store
   * serves every tenant (default: one in-memory store); revoke-all is scoped to the tenant.
   */
  readonly managerOptions?: Omit<SecureTokenManagerOptions, 'secretKey' | 'salt' | 'previousSecretKeys' | 'checkClaims'>;
}

/**
 * The request or token names no tenant this keyring knows: none, a malformed id, or one
 * `resolveTenant` does not find. An {@link InvalidTokenError} (`invalid_token`, 401), so clients
 * learn nothing about which tenants exist.
 * @example
 * if (error instanceof UnknownTenantError) metrics.count('unknown_tenant');
 */
export class UnknownTenantError extends InvalidTokenError {
  constructor(options?: { cause?: unknown }) {
    super('Invalid token', options);
  }
}

// Printable, no spaces or separators that could confuse the revocation namespace or a log line.
const TENANT_ID = /^[A-Za-z0-9._@:-]{1,128}$/;

/**
 * One tenant's view of its manager: every token it issues carries the tenant id, and every token
 * it accepts must carry it. Two tenants configured with the same secret still refuse each other's
 * tokens. Obtain one from {@link TenantKeyring.manager}.
 * @example
 * const acme = await keyring.manager('acme');
 * const claims = await acme.verify(token); // invalid_token for a token of any other tenant
 */
export class TenantTokenManager implements TokenVerifier {
  /** @internal built by {@link TenantKeyring} only. */
  constructor(
    readonly tenantId: string,
    private readonly inner: SecureTokenManager,
  ) {}

  /**
   * Issues a token bound to this tenant (`additionalData.tenant_id`).
   * @throws ConfigurationError (`configuration_error`) for bad input, including an
   *   `additionalData.tenant_id` naming another tenant.
   * @example
   * const token = (await keyring.manager('acme')).generateToken({ userId: 'alice', permissions: ['user:read'] });
   */
  generateToken(input: GenerateTokenInput): string {
    const additionalData = input.additionalData ?? {};
    const claimed = additionalData[TENANT_CLAIM];
    if (claimed !== undefined && claimed !== this.tenantId) {
      throw new ConfigurationError(`additionalData.${TENANT_CLAIM} must not name another tenant`);
    }
    return this.inner.generateToken({ ...input, additionalData: { ...additionalData, [TENANT_CLAIM]: this.tenantId } });
  }

  /**
   * Checks integrity, lifetime and the tenant binding (sync, no revocation).
   * @throws InvalidTokenError (`invalid_token`) for a foreign or unbound token, TokenExpiredError (`token_expired`).
   */
  validateToken(token: string): TokenClaims {
    return this.inner.validateToken(token);
  }

  /**
   * {@link validateToken}, then the revocation store: what a server calls per request. A foreign
   * token is refused before any revocation-store round trip.
   * @throws InvalidTokenError, TokenExpiredError, TokenRevokedError (`token_revoked`),
   *   RevocationUnavailableError (`revocation_unavailable`).
   */
  verify(token: string): Promise<TokenClaims> {
    return this.inner.verify(token);
  }

  /**
   * A new token for the same identity, tenant binding included (stateless, like Python's).
   * @throws any error of {@link validateToken}.
   */
  refreshToken(token: string, options?: RefreshOptions): string {
    return this.inner.refreshToken(token, options);
  }

  /**
   * {@link verify}, a new token as {@link refreshToken}, and the old one revoked.
   * @throws any error of {@link verify}.
   */
  rotateToken(token: string, options?: RefreshOptions): Promise<string> {
    return this.inner.rotateToken(token, options);
  }

  /**
   * Revokes one of this tenant's tokens until it expires.
   * @throws InvalidTokenError for a token of another tenant; RevocationUnavailableError.
   */
  revokeToken(token: string): Promise<void> {
    return this.inner.revokeToken(token);
  }

  /**
   * Revokes every token this tenant issued to `userId` until now; the same user id in another
   * tenant is untouched, even with a shared revocation store.
   * @throws RevocationUnavailableError (`revocation_unavailable`).
   */
  async revokeAllForUser(userId: string): Promise<void> {
    await this.inner.revokeAllForUser(userId);
  }
}

/**
 * Keys for many tenants, each with its own secret and salt supplied by the application. Derived
 * managers are cached (bounded, least recently used evicted), derived off the event loop, and
 * concurrent requests for one tenant share one derivation; a failed lookup is not cached.
 * @example
 * const keyring = new TenantKeyring({
 *   resolveTenant: async (id) => db.tenants.findKeys(id), // { secretKey, salt } or null
 *   managerOptions: { revocationStore },
 * });
 * const token = (await keyring.manager('acme')).generateToken({ userId: 'alice' });
 * // Adapters: pick the tenant per request.
 * app.register(secureToken, { manager: keyring.resolver((req) => req.headers['x-tenant-id']) });
 */
export class TenantKeyring {
  private readonly resolveTenant: TenantKeyringOptions['resolveTenant'];
  private readonly maxTenants: number;
  private readonly managerOptions: NonNullable<TenantKeyringOptions['managerOptions']>;
  private readonly cache = new Map<string, Promise<TenantTokenManager>>();
  private readonly revocationStore: RevocationStore;

  /** @throws TypeError for options of the wrong type (checked at start-up). */
  constructor(options: TenantKeyringOptions) {
    if (typeof options?.resolveTenant !== 'function') throw new TypeError('options.resolveTenant must be a function');
    const { maxTenants = 1000, managerOptions = {} } = options;
    if (!Number.isInteger(maxTenants) || maxTenants < 1) throw new TypeError('options.maxTenants must be a positive integer');
    if (typeof managerOptions !== 'object' || managerOptions === null) throw new TypeError('options.managerOptions must be an object');
    this.resolveTenant = options.resolveTenant;
    this.maxTenants = maxTenants;
    this.managerOptions = { ...managerOptions };
    // One store for all tenants even by default: evicting a tenant's keys must not forget its revocations.
    this.revocationStore = managerOptions.revocationStore ?? new MemoryRevocationStore({ now: managerOptions.now });
  }

  /** Tenants currently cached (derived or being derived). */
  get size(): number {
    return this.cache.size;
  }

  /**
   * The tenant's manager, derived on first use and cached.
   * @throws UnknownTenantError (`invalid_token`) for a malformed or unknown tenant id;
   *   ConfigurationError (`configuration_error`) when `resolveTenant` fails or returns key material
   *   that breaks the rules.
   * @example
   * const manager = await keyring.manager('acme');
   */
  manager(tenantId: string): Promise<TenantTokenManager> {
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) return Promise.reject(new UnknownTenantError());
    const cached = this.cache.get(tenantId);
    if (cached) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.cache.delete(tenantId);
      this.cache.set(tenantId, cached);
      return cached;
    }
    const pending = this.derive(tenantId);
    this.cache.set(tenantId, pending);
    if (this.cache.size > this.maxTenants) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
    pending.catch(() => {
      // Only forget our own entry: a later retry may already have replaced it.
      if (this.cache.get(tenantId) === pending) this.cache.delete(tenantId);
    });
    return pending;
  }

  /**
   * A per-request manager resolver for `options.manager` of every adapter. Requests naming no
   * tenant, or an unknown one, are refused with `invalid_token`.
   * @example
   * app.use(authenticate({ manager: keyring.resolver((req) => req.get('x-tenant-id')) })); // Express
   */
  resolver<Req>(getTenantId: (req: Req) => string | null | undefined | readonly string[]): (req: Req) => Promise<TenantTokenManager> {
    if (typeof getTenantId !== 'function') throw new TypeError('getTenantId must be a function');
    return async (req) => {
      const tenantId = getTenantId(req);
      // A repeated header arrives as an array: ambiguous, so refused rather than guessed.
      if (typeof tenantId !== 'string') throw new UnknownTenantError();
      return this.manager(tenantId);
    };
  }

  /** Forgets a tenant's derived keys, e.g. after rotating its secret. */
  evict(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async derive(tenantId: string): Promise<TenantTokenManager> {
    let material: TenantKeyMaterial | null | undefined;
    try {
      material = await this.resolveTenant(tenantId);
    } catch (cause) {
      throw isSecureTokenError(cause) ? cause : new ConfigurationError('tenant key material could not be resolved', { cause });
    }
    if (material === null || material === undefined) throw new UnknownTenantError();
    if (typeof material !== 'object') throw new ConfigurationError('resolveTenant must return { secretKey, salt }');
    const { secretKey, salt, previousSecretKeys, defaultExpirationHours } = material;
    if (secretKey === undefined || salt === undefined) throw new ConfigurationError('resolveTenant must return { secretKey, salt }');
    const shared = this.managerOptions;
    const manager = await SecureTokenManager.create({
      ...shared,
      secretKey,
      salt,
      previousSecretKeys,
      defaultExpirationHours: defaultExpirationHours ?? shared.defaultExpirationHours,
      revocationStore: new TenantRevocationStore(tenantId, this.revocationStore),
      // Checked wherever the manager reads a token, so each token is decrypted once.
      checkClaims: (claims) => {
        if (claims.additionalData[TENANT_CLAIM] !== tenantId) throw new InvalidTokenError();
      },
    });
    return new TenantTokenManager(tenantId, manager);
  }
}

/**
 * Scopes a shared store's per-user entries to one tenant: user ids are only unique within a
 * tenant, so `revokeAllForUser('alice')` in one tenant must not log out another tenant's alice.
 * Token ids are random, so they need no scoping.
 */
class TenantRevocationStore implements RevocationStore {
  constructor(
    private readonly tenantId: string,
    private readonly store: RevocationStore,
  ) {}

  revoke(tokenId: string, expiresAt: Date): Promise<void> {
    return this.store.revoke(tokenId, expiresAt);
  }

  revokeAllForUser(userId: string, notBefore: Date, retainUntil: Date): Promise<void> {
    return this.store.revokeAllForUser(this.scoped(userId), notBefore, retainUntil);
  }

  isRevoked(token: RevocationQuery): Promise<boolean> {
    return this.store.isRevoked({ ...token, userId: this.scoped(token.userId) });
  }

  // `/` cannot occur in a tenant id (see TENANT_ID), so scoped ids of two tenants never collide.
  private scoped(userId: string): string {
    return `${this.tenantId}/${userId}`;
  }
}
