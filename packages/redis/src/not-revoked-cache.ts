import { performance } from 'node:perf_hooks';

interface Entry {
  readonly userId: string;
  readonly until: number;
}

/**
 * Remembers "not revoked" answers for a short, bounded time. Only negative answers are kept:
 * caching "revoked" would buy nothing, since a revoked token is refused on the first lookup.
 * Uses the monotonic clock so an injected or adjusted wall clock cannot stretch the TTL.
 */
export class NotRevokedCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  has(tokenId: string): boolean {
    const entry = this.entries.get(tokenId);
    if (entry === undefined) return false;
    if (entry.until > performance.now()) return true;
    this.entries.delete(tokenId);
    return false;
  }

  add(tokenId: string, userId: string): void {
    // Re-inserting moves the key to the end, so the Map's order is oldest-first for eviction.
    this.entries.delete(tokenId);
    this.entries.set(tokenId, { userId, until: performance.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  deleteToken(tokenId: string): void {
    this.entries.delete(tokenId);
  }

  deleteUser(userId: string): void {
    for (const [tokenId, entry] of this.entries) {
      if (entry.userId === userId) this.entries.delete(tokenId);
    }
  }
}
