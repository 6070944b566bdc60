import type { TokenErrorCode } from './errors';

/** JSON-compatible value carried in `additionalData`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The identity a valid token carries (camelCase view of the Python payload). */
export interface TokenClaims {
  readonly tokenId: string;
  readonly userId: string;
  readonly permissions: readonly string[];
  /** Authentic issue time, from the Fernet timestamp. */
  readonly issuedAt: Date;
  /** Issue time plus the lifetime written in the payload. */
  readonly expiresAt: Date;
  readonly additionalData: Readonly<Record<string, JsonValue>>;
  readonly timeRemainingMs: number;
  /** Time left as `H:MM:SS` (hours may exceed 24). */
  readonly timeRemaining: string;
}

/** Result of `getTokenInfo`: never throws for a bad token, says why instead. */
export type TokenInfo =
  | ({ readonly valid: true } & TokenClaims)
  | {
      readonly valid: false;
      readonly code: TokenErrorCode;
      /** Present when the token is authentic (e.g. expired): what it says. */
      readonly claims?: TokenClaims;
    };

/** Input of `generateToken`. */
export interface GenerateTokenInput {
  readonly userId: string;
  readonly permissions?: readonly string[];
  /** Lifetime in hours, in (0, 8760]; defaults to the manager's `defaultExpirationHours`. */
  readonly expiresInHours?: number;
  readonly additionalData?: Readonly<Record<string, JsonValue>>;
}

/** What a revocation store needs to know about a token to say whether it was revoked. */
export interface RevocationQuery {
  readonly tokenId: string;
  readonly userId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

/**
 * Where revocations live. Keyed on token id and a per-user not-before time, never on the token
 * string. Implementations: `MemoryRevocationStore` (one process), `@securetoken/redis` (many).
 */
export interface RevocationStore {
  /** Revokes one token until `expiresAt`, after which the entry may be dropped. */
  revoke(tokenId: string, expiresAt: Date): Promise<void>;
  /** Revokes every token of `userId` issued before `notBefore`; the entry may be dropped after `retainUntil`. */
  revokeAllForUser(userId: string, notBefore: Date, retainUntil: Date): Promise<void>;
  /**
   * Whether the token is revoked, by id or by its user's not-before time.
   * Rejects (any error) when the store cannot answer; the manager then fails closed.
   */
  isRevoked(token: RevocationQuery): Promise<boolean>;
}

/** Where the library reports the few things worth reporting. It never logs without one. */
export interface Logger {
  warn(message: string): void;
}
