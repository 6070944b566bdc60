import { MAX_CLOCK_SKEW_SECONDS } from './fernet';
import type { JsonValue, TokenClaims } from './types';

/**
 * Options of the opt-in validation cache. Memory: about 1 KB per entry with a 500-character token.
 * @example
 * const manager = new SecureTokenManager({ secretKey, salt, cache: { maxEntries: 50_000 } });
 */
export interface ValidationCacheOptions {
  /** Most tokens remembered at once; the least recently used go first. Default 10 000. */
  readonly maxEntries?: number;
}

/** What a validated token says, minus the parts that depend on the time of asking. */
export interface ClaimFields {
  readonly tokenId: string;
  readonly userId: string;
  readonly permissions: readonly string[];
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  readonly additionalData: Readonly<Record<string, JsonValue>>;
}

/** Claims as seen at `now`: fresh Date objects and remaining time on every call. */
export function claimsAt(fields: ClaimFields, now: number, remainingText?: string): TokenClaims {
  const remaining = Math.max(0, fields.expiresAtMs - now);
  return {
    tokenId: fields.tokenId,
    userId: fields.userId,
    permissions: fields.permissions,
    issuedAt: new Date(fields.issuedAtMs),
    expiresAt: new Date(fields.expiresAtMs),
    additionalData: fields.additionalData,
    timeRemainingMs: remaining,
    timeRemaining: remainingText ?? formatDuration(remaining),
  };
}

/** `H:MM:SS`, hours unbounded. */
function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return `${hours}:${minutes < 10 ? '0' : ''}${minutes}:${seconds < 10 ? '0' : ''}${seconds}`;
}

interface Entry extends ClaimFields {
  /** The whole token: an entry answers only for exactly this string. */
  readonly token: string;
  /** Value of the insertion counter when the entry last moved to the young end. */
  stamp: number;
  /** Whole seconds remaining at the last hit, and their `H:MM:SS` text: hits repeat within a second. */
  remainingSeconds: number;
  remainingText: string;
}

// The Map is indexed by the token's last characters, which encode its HMAC, and each entry
// keeps the whole token to compare. Hashing a fresh 500-character string for a Map lookup costs
// ~0.6 µs (every request brings a new string); hashing 64 characters and one equality check, ~0.1 µs.
const INDEX_LENGTH = 64;
const indexOf = (token: string): string => (token.length > INDEX_LENGTH ? token.slice(-INDEX_LENGTH) : token);

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Validated tokens. An entry answers only for the exact token string it was made from: two
 * different strings never share an entry, so a tampered or re-encoded token always goes through
 * the full check. It saves the
 * crypto only; expiry is checked against the clock on every hit, and revocation stays with the
 * revocation store (`verify` consults it on every call).
 *
 * Bounded LRU on a Map (insertion order = age). A hit moves its entry to the young end only
 * once it has drifted into the older half, so most hits cost one Map lookup and no writes.
 */
export class ValidationCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private counter = 0;

  constructor(options: ValidationCacheOptions = {}) {
    const { maxEntries = DEFAULT_MAX_ENTRIES } = options;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('cache.maxEntries must be a positive integer');
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Claims of a cached token still valid at `now` (with `toleranceMs` grace), else `undefined`. */
  get(token: string, now: number, toleranceMs: number): TokenClaims | undefined {
    const index = indexOf(token);
    const entry = this.entries.get(index);
    if (entry === undefined || entry.token !== token) return undefined;
    if (now > entry.expiresAtMs + toleranceMs) {
      // Expired: forget it, and let the full path raise token_expired.
      this.entries.delete(index);
      return undefined;
    }
    // A clock set back (tests, a corrected host clock) must refuse what the full check refuses:
    // a token stamped more than 60 s in the future.
    if (now + toleranceMs < (Math.floor(entry.issuedAtMs / 1000) - MAX_CLOCK_SKEW_SECONDS) * 1000) return undefined;
    if (this.counter - entry.stamp > this.maxEntries >>> 1) {
      this.entries.delete(index);
      entry.stamp = ++this.counter;
      this.entries.set(index, entry);
    }
    const remainingSeconds = Math.floor(Math.max(0, entry.expiresAtMs - now) / 1000);
    if (remainingSeconds !== entry.remainingSeconds) {
      entry.remainingSeconds = remainingSeconds;
      entry.remainingText = formatDuration(remainingSeconds * 1000);
    }
    return claimsAt(entry, now, entry.remainingText);
  }

  /** Remembers a token just validated. Its permissions and data are frozen: hits share them. */
  set(token: string, fields: ClaimFields): void {
    const index = indexOf(token);
    const existing = this.entries.get(index);
    if (existing?.token === token) return;
    // A different token with the same ending (never seen in practice: it is an HMAC) replaces it.
    if (existing !== undefined) this.entries.delete(index);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(index, {
      token,
      tokenId: fields.tokenId,
      userId: fields.userId,
      permissions: Object.freeze(fields.permissions),
      issuedAtMs: fields.issuedAtMs,
      expiresAtMs: fields.expiresAtMs,
      additionalData: deepFreeze(fields.additionalData),
      stamp: ++this.counter,
      remainingSeconds: -1,
      remainingText: '',
    });
  }

  /** Forgets one token. */
  delete(token: string): void {
    const index = indexOf(token);
    if (this.entries.get(index)?.token === token) this.entries.delete(index);
  }

  /** Forgets every token of `userId`. A scan: revoking a user is rare, lookups are not. */
  deleteUser(userId: string): void {
    for (const [index, entry] of this.entries) if (entry.userId === userId) this.entries.delete(index);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
