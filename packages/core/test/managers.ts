import { SecureTokenManager, type SecureTokenManagerOptions } from '../src/index';
import { python } from './fixtures';

/** A valid secret and salt for tests (never used outside them). */
export const SECRET = 'Test-Secret#2026-xyz';
export const SALT = 'test-salt-0123456789';
export const T0 = Date.parse('2026-12-03T12:00:00Z');

/** A mutable clock: tests move time instead of sleeping. */
export function clock(start = T0): { now: () => number; set: (ms: number) => void; advance: (ms: number) => void } {
  let current = start;
  return { now: () => current, set: (ms) => (current = ms), advance: (ms) => (current += ms) };
}

const cache = new Map<string, SecureTokenManager>();

/** Managers share derived keys through a cache keyed by secret and salt, to keep PBKDF2 out of each test. */
export function manager(options: SecureTokenManagerOptions = {}): SecureTokenManager {
  return new SecureTokenManager({ secretKey: SECRET, salt: SALT, now: () => T0, naiveTimeZone: 'UTC', ...options });
}

export function pythonManager(now: number): SecureTokenManager {
  const key = `python:${now}`;
  let found = cache.get(key);
  if (!found) {
    found = new SecureTokenManager({ secretKey: python.secret_key, salt: python.salt, now: () => now });
    cache.set(key, found);
  }
  return found;
}
