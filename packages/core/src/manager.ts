import {
  ConfigurationError,
  InvalidTokenError,
  isSecureTokenError,
  RevocationUnavailableError,
  TokenError,
  TokenExpiredError,
  TokenRevokedError,
} from './errors';
import { MAX_CLOCK_SKEW_SECONDS, openToken, sealedTokenLength, sealToken, type FernetKey } from './fernet';
import { deriveKey, deriveKeySync, PBKDF2_ITERATIONS } from './key-derivation';
import { MemoryRevocationStore } from './memory-revocation-store';
import { NaiveTimeFormatter, parseNaiveTime } from './naive-time';
import { decodePayload, encodePayload } from './payload';
import { randomBase64Url } from './random-pool';
import { assertPermissions } from './permissions';
import {
  DEFAULT_EXPIRATION_HOURS,
  generateSalt,
  generateSecretKey,
  loadSettings,
  MAX_EXPIRATION_HOURS,
  validateExpirationHours,
  validatePermissions,
  validateSalt,
  validateSecretKey,
} from './settings';
import type { GenerateTokenInput, JsonValue, Logger, RevocationStore, TokenClaims, TokenInfo } from './types';
import { claimsAt, ValidationCache, type ClaimFields, type ValidationCacheOptions } from './validation-cache';

/** Options of {@link SecureTokenManager}. Every one is optional in development. */
export interface SecureTokenManagerOptions {
  /** Secret (Python rules: >= 16 chars, upper, lower, digit, one of `@$!%*?&#`). Random in development when absent. */
  readonly secretKey?: string;
  /** PBKDF2 salt, >= 16 bytes; text is taken as UTF-8, as in Python. */
  readonly salt?: string | Uint8Array;
  /** Lifetime of new tokens, in (0, 8760] hours; default 24. */
  readonly defaultExpirationHours?: number;
  /** Retired secrets (same salt) whose tokens still validate: rotation without downtime. */
  readonly previousSecretKeys?: readonly string[];
  /** Grace period after expiry, in seconds; default 0 (strict, like Python). */
  readonly clockToleranceSeconds?: number;
  /** Where revocations live; default a {@link MemoryRevocationStore} for this process. */
  readonly revocationStore?: RevocationStore;
  /** Clock in epoch milliseconds; tests pass a fixed one. */
  readonly now?: () => number;
  /** Longest token accepted, checked before any decoding; default 4096 characters. */
  readonly maxTokenLength?: number;
  /** IANA zone for the naive times written into tokens (the Python readers' zone); default the process zone. */
  readonly naiveTimeZone?: string;
  /** Receives the development-key warning; default `process.emitWarning`. */
  readonly logger?: Logger;
  /** `'production'` refuses to invent a key; default `process.env.NODE_ENV`. */
  readonly environment?: string;
  /**
   * Opt-in cache of validated tokens (`true` for the defaults): a repeated token skips the
   * crypto. Bounded LRU keyed by the whole token string; expiry is checked on every hit;
   * `revokeToken`, `revokeAllForUser` and `rotateToken` evict at once; `verify` still asks the
   * revocation store every time. Claims returned from it share frozen `permissions` and
   * `additionalData`. Default off.
   */
  readonly cache?: boolean | ValidationCacheOptions;
  /**
   * An extra rule for every token read, after its integrity is proven (e.g. a tenant binding,
   * as `TenantKeyring` uses): throw a TokenError such as `InvalidTokenError` to refuse it.
   */
  readonly checkClaims?: (claims: Pick<TokenClaims, 'tokenId' | 'userId' | 'permissions' | 'additionalData'>) => void;
}

/** One item of {@link SecureTokenManager.generateTokens}: the token, or why that input was refused. */
export type GenerateResult = { readonly ok: true; readonly token: string } | { readonly ok: false; readonly error: TokenError };

/** One item of {@link SecureTokenManager.validateTokens}: the claims, or why that token was refused. */
export type ValidateResult = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly error: TokenError };

/** Settings safe to show: never the secret, its prefix or anything derived from it. */
export interface ExportedConfig {
  readonly algorithm: 'Fernet (AES-128-CBC, HMAC-SHA256)';
  readonly keyDerivation: { readonly function: 'PBKDF2-HMAC-SHA256'; readonly iterations: number; readonly keyLength: 32 };
  readonly defaultExpirationHours: number;
  readonly previousKeyCount: number;
  readonly clockToleranceSeconds: number;
  readonly maxTokenLength: number;
  readonly naiveTimeZone: string;
  readonly developmentKey: boolean;
  readonly revocationStore: string;
}

/** Options of {@link SecureTokenManager.refreshToken}. */
export interface RefreshOptions {
  readonly expiresInHours?: number;
}

interface KeyMaterial {
  readonly secretKeys: readonly string[];
  readonly salt: Uint8Array;
  readonly developmentKey: boolean;
}

const DEFAULT_MAX_TOKEN_LENGTH = 4096;
const defaultLogger: Logger = {
  warn: (message) => process.emitWarning(message, { code: 'SECURETOKEN_DEV_KEY' }),
};

/**
 * Issues and checks SecureToken bearer tokens: Fernet (AES-128-CBC + HMAC-SHA256) over a PBKDF2
 * key, the wire format of Python's `secure-token`, so both accept each other's tokens.
 *
 * The key is derived once, in the constructor (~45 ms, blocking) or off-thread with
 * {@link SecureTokenManager.create}.
 * @example
 * const manager = SecureTokenManager.fromEnv();
 * const token = manager.generateToken({ userId: 'alice', permissions: ['read'] });
 * const claims = await manager.verify(token);
 */
export class SecureTokenManager {
  readonly defaultExpirationHours: number;
  readonly revocationStore: RevocationStore;
  private readonly keys: readonly FernetKey[];
  private readonly material: KeyMaterial;
  private readonly now: () => number;
  private readonly toleranceMs: number;
  private readonly maxTokenLength: number;
  private readonly naiveZone: string;
  private readonly formatter: NaiveTimeFormatter;
  private readonly cache: ValidationCache | undefined;
  private readonly checkClaims: SecureTokenManagerOptions['checkClaims'];

  /**
   * @throws ConfigurationError (`configuration_error`) for settings that break the rules, or no
   *   secret with `NODE_ENV=production`.
   */
  constructor(options: SecureTokenManagerOptions = {}, derived?: { material: KeyMaterial; keys: readonly FernetKey[] }) {
    const material = derived?.material ?? resolveKeyMaterial(options);
    const {
      defaultExpirationHours = DEFAULT_EXPIRATION_HOURS,
      clockToleranceSeconds = 0,
      maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH,
      now = Date.now,
      naiveTimeZone,
    } = options;
    this.defaultExpirationHours = validateExpirationHours(defaultExpirationHours, 'defaultExpirationHours');
    if (typeof clockToleranceSeconds !== 'number' || !(clockToleranceSeconds >= 0) || clockToleranceSeconds > 3600) {
      throw new ConfigurationError('clockToleranceSeconds must be a number of seconds in [0, 3600]');
    }
    if (!Number.isInteger(maxTokenLength) || maxTokenLength < 256) {
      throw new ConfigurationError('maxTokenLength must be an integer of at least 256');
    }
    if (typeof now !== 'function') throw new ConfigurationError('now must be a function returning epoch milliseconds');
    if (options.checkClaims !== undefined && typeof options.checkClaims !== 'function') {
      throw new ConfigurationError('checkClaims must be a function');
    }
    this.checkClaims = options.checkClaims;
    try {
      this.formatter = new NaiveTimeFormatter(naiveTimeZone);
    } catch (cause) {
      throw new ConfigurationError('naiveTimeZone must be an IANA time zone name', { cause });
    }
    this.naiveZone = naiveTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    this.toleranceMs = clockToleranceSeconds * 1000;
    this.maxTokenLength = maxTokenLength;
    this.now = now;
    this.material = material;
    this.keys = derived?.keys ?? material.secretKeys.map((secret) => deriveKeySync(secret, material.salt));
    this.revocationStore = options.revocationStore ?? new MemoryRevocationStore({ now });
    try {
      this.cache = options.cache ? new ValidationCache(options.cache === true ? {} : options.cache) : undefined;
    } catch (cause) {
      throw new ConfigurationError('cache.maxEntries must be a positive integer', { cause });
    }
    if (material.developmentKey) {
      (options.logger ?? defaultLogger).warn(
        'SecureToken: no secret key configured, using a random development key. Tokens will not survive a ' +
          'restart or be readable by other services. Set SECURE_TOKEN_SECRET_KEY and SECURE_TOKEN_SALT.',
      );
    }
  }

  /**
   * A manager configured from `SECURE_TOKEN_*` variables (or the Python package's names).
   * @throws ConfigurationError (`configuration_error`).
   * @example
   * const manager = SecureTokenManager.fromEnv(process.env, { revocationStore });
   */
  static fromEnv(
    env: Readonly<Record<string, string | undefined>> = process.env,
    overrides: SecureTokenManagerOptions = {},
  ): SecureTokenManager {
    return new SecureTokenManager({ environment: env.NODE_ENV, ...loadSettings(env), ...overrides });
  }

  /**
   * Like the constructor, but derives keys on the thread pool so the event loop never blocks.
   * @throws ConfigurationError (`configuration_error`).
   * @example
   * const manager = await SecureTokenManager.create({ secretKey, salt });
   */
  static async create(options: SecureTokenManagerOptions = {}): Promise<SecureTokenManager> {
    const material = resolveKeyMaterial(options);
    const keys = await Promise.all(material.secretKeys.map((secret) => deriveKey(secret, material.salt)));
    return new SecureTokenManager(options, { material, keys });
  }

  /**
   * Issues a token for `userId`.
   * @throws ConfigurationError (`configuration_error`) for input that breaks the rules (permission
   *   length, lifetime, non-JSON `additionalData`, a token longer than `maxTokenLength`).
   * @example
   * manager.generateToken({ userId: 'alice', permissions: ['user:read'], expiresInHours: 1 });
   */
  generateToken(input: GenerateTokenInput): string {
    const { userId, permissions = [], expiresInHours = this.defaultExpirationHours, additionalData = {} } = input;
    if (typeof userId !== 'string' || userId.length === 0) throw new ConfigurationError('userId must be a non-empty string');
    validatePermissions(permissions);
    validateExpirationHours(expiresInHours);
    if (typeof additionalData !== 'object' || additionalData === null || Array.isArray(additionalData)) {
      throw new ConfigurationError('additionalData must be a plain object');
    }
    const issuedMs = this.now();
    let plaintext: string;
    try {
      plaintext = encodePayload({
        token_id: randomBase64Url(24),
        user_id: userId,
        permissions,
        issued_at: this.formatter.format(issuedMs),
        expires_at: this.formatter.format(issuedMs + Math.round(expiresInHours * 3_600_000)),
        additional_data: additionalData,
        version: '1.0',
      });
    } catch (cause) {
      throw new ConfigurationError('additionalData must be JSON-serializable', { cause });
    }
    // Refused before sealing, so an oversized payload never touches the crypto buffers. The
    // UTF-16 length bounds the UTF-8 size (x3); only a payload near the limit is measured exactly.
    if (
      sealedTokenLength(plaintext.length * 3) > this.maxTokenLength &&
      sealedTokenLength(Buffer.byteLength(plaintext, 'utf8')) > this.maxTokenLength
    ) {
      throw new ConfigurationError('token would exceed maxTokenLength; carry less additionalData');
    }
    return sealToken(this.keys[0] as FernetKey, plaintext, Math.floor(issuedMs / 1000));
  }

  /**
   * Checks a token's integrity and lifetime, without consulting revocation (sync, stateless).
   * @throws InvalidTokenError (`invalid_token`) for anything malformed, tampered or foreign;
   *   TokenExpiredError (`token_expired`, with `expiredAt`) once expired.
   * @example
   * const { userId, permissions } = manager.validateToken(token);
   */
  validateToken(token: string): TokenClaims {
    const now = this.now();
    const cached = this.cache?.get(token, now, this.toleranceMs);
    if (cached) return cached;
    const fields = this.open(token, now);
    if (now > fields.expiresAtMs + this.toleranceMs) throw new TokenExpiredError(new Date(fields.expiresAtMs));
    this.cache?.set(token, fields);
    return claimsAt(fields, now);
  }

  /**
   * {@link generateToken} for each input; one bad input never fails the others.
   * @returns per input, `{ ok: true, token }` or `{ ok: false, error }` (a TokenError, e.g.
   *   `configuration_error`), in input order.
   * @example
   * const results = manager.generateTokens([{ userId: 'alice' }, { userId: 'bob', permissions: ['read'] }]);
   */
  generateTokens(inputs: readonly GenerateTokenInput[]): GenerateResult[] {
    return inputs.map((input): GenerateResult => {
      try {
        return { ok: true, token: this.generateToken(input) };
      } catch (error) {
        return { ok: false, error: asTokenError(error) };
      }
    });
  }

  /**
   * {@link validateToken} for each token; one bad token never fails the others. Stateless like
   * validateToken: use {@link verify} where revocation matters.
   * @returns per token, `{ ok: true, claims }` or `{ ok: false, error }` (`invalid_token`,
   *   `token_expired`), in input order.
   * @example
   * for (const result of manager.validateTokens(tokens)) if (!result.ok) console.warn(result.error.code);
   */
  validateTokens(tokens: readonly string[]): ValidateResult[] {
    return tokens.map((token): ValidateResult => {
      try {
        return { ok: true, claims: this.validateToken(token) };
      } catch (error) {
        return { ok: false, error: asTokenError(error) };
      }
    });
  }

  /**
   * {@link validateToken}, then the revocation store: what a server should call per request.
   * @throws InvalidTokenError, TokenExpiredError, TokenRevokedError (`token_revoked`), or
   *   RevocationUnavailableError (`revocation_unavailable`, 503) when the store cannot answer.
   */
  async verify(token: string): Promise<TokenClaims> {
    const claims = this.validateToken(token);
    let revoked: boolean;
    try {
      revoked = await this.revocationStore.isRevoked(claims);
    } catch (cause) {
      throw isSecureTokenError(cause) ? cause : new RevocationUnavailableError({ cause });
    }
    if (revoked) throw new TokenRevokedError();
    return claims;
  }

  /**
   * Checks a token grants `permission` (exact, or under a granted `prefix:*`).
   * @throws PermissionDeniedError (`permission_denied`, 403), or any error of {@link validateToken}.
   */
  checkPermission(token: string, permission: string): true {
    assertPermissions(this.validateToken(token).permissions, [permission]);
    return true;
  }

  /**
   * A new token with the same user, permissions and data, and a fresh lifetime. Stateless, like
   * Python's; the old token stays valid until it expires. Use {@link rotateToken} to revoke it.
   * @throws any error of {@link validateToken}.
   */
  refreshToken(token: string, options: RefreshOptions = {}): string {
    return this.reissue(this.validateToken(token), options);
  }

  /**
   * {@link verify}, a new token as {@link refreshToken}, and the old one revoked.
   * @throws any error of {@link verify}.
   */
  async rotateToken(token: string, options: RefreshOptions = {}): Promise<string> {
    const claims = await this.verify(token);
    const fresh = this.reissue(claims, options);
    this.cache?.delete(token);
    await this.storeCall(() => this.revocationStore.revoke(claims.tokenId, claims.expiresAt));
    return fresh;
  }

  /** What a token says and whether it is valid; never throws for a bad token. */
  getTokenInfo(token: string): TokenInfo {
    const now = this.now();
    let fields: ClaimFields;
    try {
      fields = this.open(token, now);
    } catch {
      return { valid: false, code: 'invalid_token' };
    }
    const claims = claimsAt(fields, now);
    if (now > fields.expiresAtMs + this.toleranceMs) return { valid: false, code: 'token_expired', claims };
    return { valid: true, ...claims };
  }

  /**
   * Revokes one token (by its id) until it expires. An expired token needs nothing.
   * @throws InvalidTokenError for a token that is not ours; RevocationUnavailableError when the store fails.
   */
  async revokeToken(token: string): Promise<void> {
    const now = this.now();
    const fields = this.open(token, now);
    this.cache?.delete(token);
    if (fields.expiresAtMs + this.toleranceMs < now) return;
    await this.storeCall(() => this.revocationStore.revoke(fields.tokenId, new Date(fields.expiresAtMs)));
  }

  /**
   * Revokes every token of `userId` issued until now (log out everywhere).
   * @throws RevocationUnavailableError (`revocation_unavailable`) when the store fails.
   */
  async revokeAllForUser(userId: string): Promise<void> {
    if (typeof userId !== 'string' || userId.length === 0) throw new ConfigurationError('userId must be a non-empty string');
    this.cache?.deleteUser(userId);
    const now = this.now();
    // Keep the entry as long as any token issued before now could still be accepted.
    const retainUntil = now + MAX_EXPIRATION_HOURS * 3_600_000 + MAX_CLOCK_SKEW_SECONDS * 1000 + this.toleranceMs;
    await this.storeCall(() => this.revocationStore.revokeAllForUser(userId, new Date(now), new Date(retainUntil)));
  }

  /** Settings safe to log or show: never the secret, its prefix, the salt or derived keys. */
  exportConfig(): ExportedConfig {
    return {
      algorithm: 'Fernet (AES-128-CBC, HMAC-SHA256)',
      keyDerivation: { function: 'PBKDF2-HMAC-SHA256', iterations: PBKDF2_ITERATIONS, keyLength: 32 },
      defaultExpirationHours: this.defaultExpirationHours,
      previousKeyCount: this.keys.length - 1,
      clockToleranceSeconds: this.toleranceMs / 1000,
      maxTokenLength: this.maxTokenLength,
      naiveTimeZone: this.naiveZone,
      developmentKey: this.material.developmentKey,
      revocationStore: this.revocationStore.constructor.name,
    };
  }

  /** Decrypts and reads a token, checking everything but expiry. */
  private open(token: string, now: number): ClaimFields {
    if (typeof token !== 'string' || token.length === 0 || token.length > this.maxTokenLength) {
      throw new InvalidTokenError();
    }
    const result = openToken(this.keys, token, Math.floor((now + this.toleranceMs) / 1000));
    if (!result.ok) throw new InvalidTokenError();
    const payload = decodePayload(result.plaintext);
    if (payload === null) throw new InvalidTokenError();
    const issued = parseNaiveTime(payload.issued_at);
    const expires = parseNaiveTime(payload.expires_at);
    if (issued === null || expires === null || !(expires > issued)) throw new InvalidTokenError();
    // The Fernet timestamp is authentic UTC; the payload's naive times only give the lifetime
    // and the sub-second part, so servers in different zones agree on expiry.
    const issuedAt = result.timestamp * 1000 + (((issued % 1000) + 1000) % 1000);
    const fields: ClaimFields = {
      tokenId: payload.token_id,
      userId: payload.user_id,
      permissions: payload.permissions,
      issuedAtMs: issuedAt,
      expiresAtMs: issuedAt + (expires - issued),
      additionalData: payload.additional_data as Record<string, JsonValue>,
    };
    this.checkClaims?.(fields);
    return fields;
  }

  private reissue(claims: TokenClaims, options: RefreshOptions): string {
    return this.generateToken({
      userId: claims.userId,
      permissions: claims.permissions,
      additionalData: claims.additionalData,
      expiresInHours: options.expiresInHours ?? this.defaultExpirationHours,
    });
  }

  private async storeCall(call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (cause) {
      throw isSecureTokenError(cause) ? cause : new RevocationUnavailableError({ cause });
    }
  }
}

function resolveKeyMaterial(options: SecureTokenManagerOptions): KeyMaterial {
  const production = (options.environment ?? process.env.NODE_ENV) === 'production';
  const { secretKey, salt, previousSecretKeys = [] } = options;
  if ((secretKey === undefined || salt === undefined) && production) {
    throw new ConfigurationError('SECURE_TOKEN_SECRET_KEY and SECURE_TOKEN_SALT are required in production');
  }
  if (!Array.isArray(previousSecretKeys)) throw new ConfigurationError('previousSecretKeys must be an array');
  const current = secretKey === undefined ? generateSecretKey() : validateSecretKey(secretKey);
  previousSecretKeys.forEach((key) => validateSecretKey(key, 'previousSecretKeys'));
  return {
    secretKeys: [current, ...previousSecretKeys.filter((key) => key !== current)],
    salt: validateSalt(salt ?? generateSalt()),
    developmentKey: secretKey === undefined || salt === undefined,
  };
}

/** A thrown TokenError as is; anything else is a bug, not a bad item, and is rethrown. */
function asTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  throw error;
}
