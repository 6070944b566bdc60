import { RevocationUnavailableError } from './errors';
import type { RevocationQuery, RevocationStore } from './types';

/** Options of {@link MemoryRevocationStore}. */
export interface MemoryRevocationStoreOptions {
  /** Most entries held at once (tokens plus users); default 100 000. */
  readonly maxEntries?: number;
  /** Clock in epoch milliseconds; tests inject a fixed one. */
  readonly now?: () => number;
}

/**
 * Revocations in this process's memory: right for one server instance and for tests. Entries
 * are dropped once the token they name has expired. When full of live entries it refuses new
 * ones (fail closed) rather than forget a revocation. For several instances use
 * `@securetoken/redis`.
 * @example
 * const manager = new SecureTokenManager({ secretKey, salt, revocationStore: new MemoryRevocationStore() });
 */
export class MemoryRevocationStore implements RevocationStore {
  private readonly tokens = new Map<string, number>();
  private readonly users = new Map<string, { notBefore: number; retainUntil: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryRevocationStoreOptions = {}) {
    const { maxEntries = 100_000, now = Date.now } = options;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('maxEntries must be a positive integer');
    this.maxEntries = maxEntries;
    this.now = now;
  }

  /** Number of live entries. */
  get size(): number {
    return this.tokens.size + this.users.size;
  }

  /** @throws RevocationUnavailableError when full of unexpired entries. */
  async revoke(tokenId: string, expiresAt: Date): Promise<void> {
    const until = expiresAt.getTime();
    if (until <= this.now()) return;
    if (!this.tokens.has(tokenId)) this.makeRoom();
    this.tokens.set(tokenId, Math.max(until, this.tokens.get(tokenId) ?? 0));
  }

  /** @throws RevocationUnavailableError when full of unexpired entries. */
  async revokeAllForUser(userId: string, notBefore: Date, retainUntil: Date): Promise<void> {
    const previous = this.users.get(userId);
    if (!previous) this.makeRoom();
    this.users.set(userId, {
      notBefore: Math.max(notBefore.getTime(), previous?.notBefore ?? 0),
      retainUntil: Math.max(retainUntil.getTime(), previous?.retainUntil ?? 0),
    });
  }

  async isRevoked(token: RevocationQuery): Promise<boolean> {
    const now = this.now();
    const until = this.tokens.get(token.tokenId);
    if (until !== undefined && until > now) return true;
    const user = this.users.get(token.userId);
    return user !== undefined && user.retainUntil > now && token.issuedAt.getTime() < user.notBefore;
  }

  private makeRoom(): void {
    if (this.size < this.maxEntries) return;
    const now = this.now();
    for (const [id, until] of this.tokens) if (until <= now) this.tokens.delete(id);
    for (const [id, entry] of this.users) if (entry.retainUntil <= now) this.users.delete(id);
    if (this.size >= this.maxEntries) throw new RevocationUnavailableError();
  }
}
