import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  generateSalt,
  generateSecretKey,
  loadSettings,
  validateExpirationHours,
  validatePermissions,
  validateSalt,
  validateSecretKey,
} from './index';

const GOOD = 'Good-Secret#2026-abc';

describe('settings rules (as the Python package)', () => {
  it.each([
    ['too short', 'Ab1#short'],
    ['no upper-case', 'good-secret#2026-abc'],
    ['no lower-case', 'GOOD-SECRET#2026-ABC'],
    ['no digit', 'Good-Secret#abcd-efg'],
    ['no special', 'GoodSecret2026abcdef'],
    ['not a string', 1234567890123456],
  ])('refuses a secret with %s, without echoing it', (_, secret) => {
    expect(() => validateSecretKey(secret)).toThrow(ConfigurationError);
    try {
      validateSecretKey(secret);
    } catch (error) {
      expect((error as Error).message).not.toContain(String(secret));
      expect(error).toMatchObject({ code: 'configuration_error', status: 500 });
    }
  });

  it('accepts a secret meeting every rule', () => expect(validateSecretKey(GOOD)).toBe(GOOD));

  it('wants a salt of at least 16 bytes, counting UTF-8 bytes', () => {
    expect(() => validateSalt('fifteen-bytes-x')).toThrow(ConfigurationError);
    expect(validateSalt('sixteen-bytes-xx')).toHaveLength(16);
    expect(validateSalt('ééééééééé')).toHaveLength(18);
    expect(validateSalt(new Uint8Array(16))).toHaveLength(16);
    expect(() => validateSalt(16)).toThrow(ConfigurationError);
  });

  it('wants an expiry in (0, 8760] hours', () => {
    for (const bad of [0, -1, 8760.5, Number.NaN, Number.POSITIVE_INFINITY, '24']) {
      expect(() => validateExpirationHours(bad)).toThrow(ConfigurationError);
    }
    expect(validateExpirationHours(8760)).toBe(8760);
    expect(validateExpirationHours(0.01)).toBe(0.01);
  });

  it('wants each permission to be 2..30 characters', () => {
    expect(validatePermissions(['ab', 'x'.repeat(30)])).toHaveLength(2);
    for (const bad of [['a'], ['x'.repeat(31)], [3], 'read']) {
      expect(() => validatePermissions(bad)).toThrow(ConfigurationError);
    }
  });
});

describe('loadSettings', () => {
  it('reads the SECURE_TOKEN_* names', () => {
    expect(
      loadSettings({
        SECURE_TOKEN_SECRET_KEY: GOOD,
        SECURE_TOKEN_SALT: 'salt-salt-salt-salt',
        SECURE_TOKEN_DEFAULT_EXPIRATION_HOURS: '12',
        SECURE_TOKEN_PREVIOUS_SECRET_KEYS: 'Old-Secret#2025-abc, Older-Secret#2024-x',
      }),
    ).toEqual({
      secretKey: GOOD,
      salt: 'salt-salt-salt-salt',
      defaultExpirationHours: 12,
      previousSecretKeys: ['Old-Secret#2025-abc', 'Older-Secret#2024-x'],
    });
  });

  it('falls back to the Python names, preferring SECURE_TOKEN_*', () => {
    expect(loadSettings({ SECRET_KEY: GOOD, SALT: 'salt-salt-salt-salt', DEFAULT_EXPIRATION_HOURS: '1.5' })).toEqual({
      secretKey: GOOD,
      salt: 'salt-salt-salt-salt',
      defaultExpirationHours: 1.5,
      previousSecretKeys: [],
    });
    expect(loadSettings({ SECRET_KEY: 'Other-Secret#2026-x', SECURE_TOKEN_SECRET_KEY: GOOD }).secretKey).toBe(GOOD);
  });

  it('leaves unset or empty values out', () => {
    expect(loadSettings({ SECURE_TOKEN_SECRET_KEY: '' })).toEqual({ previousSecretKeys: [] });
  });

  it.each([
    ['SECURE_TOKEN_SECRET_KEY', 'weak'],
    ['SECRET_KEY', 'weak'],
    ['SECURE_TOKEN_SALT', 'short'],
    ['SALT', 'short'],
    ['SECURE_TOKEN_DEFAULT_EXPIRATION_HOURS', '0'],
    ['SECURE_TOKEN_DEFAULT_EXPIRATION_HOURS', '24h'],
    ['DEFAULT_EXPIRATION_HOURS', '9000'],
    ['SECURE_TOKEN_PREVIOUS_SECRET_KEYS', `${GOOD},weak`],
  ])('refuses a bad %s', (name, value) => {
    expect(() => loadSettings({ [name]: value })).toThrow(ConfigurationError);
  });
});

describe('generators', () => {
  it('generateSecretKey always passes its own validation', () => {
    for (let i = 0; i < 500; i++) expect(validateSecretKey(generateSecretKey(16))).toHaveLength(16);
    expect(generateSecretKey()).toHaveLength(32);
    expect(generateSecretKey()).not.toBe(generateSecretKey());
    expect(() => generateSecretKey(15)).toThrow(RangeError);
  });

  it('generateSalt gives url-safe text of at least 16 bytes', () => {
    const salt = generateSalt();
    expect(salt).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(validateSalt(salt)).toHaveLength(32);
    expect(() => generateSalt(8)).toThrow(RangeError);
  });
});
