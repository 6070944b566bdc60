import { afterEach, describe, expect, it, vi } from 'vitest';
import { clock, manager, T0 } from '../test/managers';
import { ConfigurationError, InvalidTokenError, TokenExpiredError, TokenRevokedError, type RevocationStore } from './index';
import { ValidationCache } from './validation-cache';

const HOUR = 3_600_000;

/** Counts full validations: a cache hit never parses a payload. */
function parses(): () => number {
  const spy = vi.spyOn(JSON, 'parse');
  return () => spy.mock.calls.length;
}

function flipCharacter(token: string, index: number): string {
  const replacement = token[index] === 'A' ? 'B' : 'A';
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('validation cache', () => {
  it('is off by default', () => {
    const m = manager();
    const token = m.generateToken({ userId: 'alice' });
    const count = parses();
    m.validateToken(token);
    m.validateToken(token);
    expect(count()).toBe(2);
  });

  it('answers a repeated token without the crypto, with the same claims and a live remaining time', () => {
    const time = clock();
    const m = manager({ now: time.now, cache: true });
    const token = m.generateToken({ userId: 'alice', permissions: ['read'], expiresInHours: 2, additionalData: { team: 'a' } });
    const first = m.validateToken(token);
    const count = parses();
    time.advance(HOUR + 1500);
    const second = m.validateToken(token);
    expect(count()).toBe(0);
    expect(second).toEqual({ ...first, timeRemainingMs: HOUR - 1500, timeRemaining: '0:59:58' });
    expect(second.issuedAt).not.toBe(first.issuedAt);
  });

  it('never lets an entry outlive the token, tolerance included', () => {
    const time = clock();
    const m = manager({ now: time.now, cache: { maxEntries: 10 }, clockToleranceSeconds: 5 });
    const token = m.generateToken({ userId: 'alice', expiresInHours: 1 });
    m.validateToken(token);
    time.set(T0 + HOUR + 5000);
    expect(m.validateToken(token).timeRemainingMs).toBe(0);
    time.set(T0 + HOUR + 5001);
    expect(() => m.validateToken(token)).toThrow(TokenExpiredError);
    try {
      m.validateToken(token);
    } catch (error) {
      expect(error).toMatchObject({ code: 'token_expired', status: 401, expiredAt: new Date(T0 + HOUR) });
    }
  });

  it('refuses a cached token once the clock is set back before its issue time minus 60 s, as the full check does', () => {
    const time = clock();
    const m = manager({ now: time.now, cache: true });
    const token = m.generateToken({ userId: 'alice' });
    m.validateToken(token);
    time.set(T0 - 60_000);
    expect(m.validateToken(token).userId).toBe('alice');
    time.set(T0 - 61_000);
    expect(() => m.validateToken(token)).toThrow(InvalidTokenError);
    time.set(T0);
    expect(m.validateToken(token).userId).toBe('alice');
  });

  it('keys on the whole string: a changed character is checked in full and refused', () => {
    const m = manager({ cache: true });
    const token = m.generateToken({ userId: 'alice' });
    m.validateToken(token);
    for (const index of [0, 10, token.length >> 1, token.length - 5]) {
      const count = parses();
      expect(() => m.validateToken(flipCharacter(token, index))).toThrow(InvalidTokenError);
      vi.restoreAllMocks();
      expect(count()).toBe(0);
    }
    const count = parses();
    expect(m.validateToken(token).userId).toBe('alice');
    expect(count()).toBe(0);
  });

  it('never answers for another string with the same ending, and lets it replace the entry', () => {
    const cache = new ValidationCache({ maxEntries: 10 });
    const tail = 'x'.repeat(80);
    const fields = { tokenId: 'id', userId: 'alice', permissions: [], issuedAtMs: T0, expiresAtMs: T0 + HOUR, additionalData: {} };
    cache.set(`a${tail}`, fields);
    expect(cache.get(`b${tail}`, T0, 0)).toBeUndefined();
    expect(cache.get(`a${tail}`, T0, 0)?.userId).toBe('alice');
    cache.delete(`b${tail}`);
    expect(cache.size).toBe(1);
    cache.set(`b${tail}`, { ...fields, userId: 'bob' });
    expect(cache.size).toBe(1);
    expect(cache.get(`a${tail}`, T0, 0)).toBeUndefined();
    expect(cache.get(`b${tail}`, T0, 0)?.userId).toBe('bob');
  });

  it('evicts on revokeToken and rotateToken, and verify refuses them', async () => {
    const m = manager({ cache: true });
    const revoked = m.generateToken({ userId: 'alice' });
    const rotated = m.generateToken({ userId: 'alice' });
    await m.verify(revoked);
    await m.verify(rotated);
    await m.revokeToken(revoked);
    const fresh = await m.rotateToken(rotated);
    const count = parses();
    await expect(m.verify(revoked)).rejects.toBeInstanceOf(TokenRevokedError);
    await expect(m.verify(rotated)).rejects.toMatchObject({ code: 'token_revoked', status: 401 });
    expect(count()).toBe(2);
    expect((await m.verify(fresh)).userId).toBe('alice');
  });

  it('evicts every entry of a user on revokeAllForUser, and only theirs', async () => {
    const time = clock();
    const m = manager({ now: time.now, cache: true });
    const alice = [m.generateToken({ userId: 'alice' }), m.generateToken({ userId: 'alice' })];
    const bob = m.generateToken({ userId: 'bob' });
    for (const token of [...alice, bob]) m.validateToken(token);
    time.advance(1000);
    await m.revokeAllForUser('alice');
    const count = parses();
    m.validateToken(bob);
    expect(count()).toBe(0);
    for (const token of alice) await expect(m.verify(token)).rejects.toMatchObject({ code: 'token_revoked' });
    expect(count()).toBe(2);
  });

  it('still asks the revocation store on every verify, and fails closed', async () => {
    let calls = 0;
    let failing = false;
    const store: RevocationStore = {
      revoke: async () => undefined,
      revokeAllForUser: async () => undefined,
      isRevoked: async () => {
        calls++;
        if (failing) throw new Error('down');
        return false;
      },
    };
    const m = manager({ cache: true, revocationStore: store });
    const token = m.generateToken({ userId: 'alice' });
    await m.verify(token);
    await m.verify(token);
    expect(calls).toBe(2);
    failing = true;
    await expect(m.verify(token)).rejects.toMatchObject({ code: 'revocation_unavailable', status: 503 });
  });

  it('is a bounded LRU: the least recently used token goes first', () => {
    const m = manager({ cache: { maxEntries: 4 } });
    const [a, b, c, d, e] = Array.from({ length: 5 }, (_, i) => m.generateToken({ userId: `user${i}` })) as [string, string, string, string, string];
    for (const token of [a, b, c, d]) m.validateToken(token);
    m.validateToken(a); // a is now the most recently used
    m.validateToken(e); // evicts b
    const count = parses();
    for (const token of [a, c, d, e]) m.validateToken(token);
    expect(count()).toBe(0);
    m.validateToken(b);
    expect(count()).toBe(1);
  });

  it('shares frozen permissions and data between hits; the claims object itself is fresh', () => {
    const m = manager({ cache: true });
    const token = m.generateToken({ userId: 'alice', permissions: ['read'], additionalData: { nested: { list: [1] } } });
    const first = m.validateToken(token) as unknown as { permissions: string[]; additionalData: { nested: { list: number[] } }; userId: string };
    expect(() => first.permissions.push('admin')).toThrow(TypeError);
    expect(() => first.additionalData.nested.list.push(2)).toThrow(TypeError);
    first.userId = 'mallory';
    expect(m.validateToken(token)).toMatchObject({ userId: 'alice', permissions: ['read'], additionalData: { nested: { list: [1] } } });
  });

  it('refuses a bad maxEntries with configuration_error', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      expect(() => manager({ cache: { maxEntries } })).toThrow(ConfigurationError);
    }
  });
});
