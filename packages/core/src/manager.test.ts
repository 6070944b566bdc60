import { describe, expect, it, vi } from 'vitest';
import { clock, manager, SALT, SECRET, T0 } from '../test/managers';
import {
  ConfigurationError,
  InvalidTokenError,
  MemoryRevocationStore,
  PermissionDeniedError,
  RevocationUnavailableError,
  SecureTokenManager,
  TokenExpiredError,
  TokenRevokedError,
  type RevocationStore,
} from './index';

const HOUR = 3_600_000;

describe('SecureTokenManager', () => {
  it('issues tokens that validate with the claims given', () => {
    const m = manager();
    const token = m.generateToken({ userId: 'alice', permissions: ['read', 'user:*'], expiresInHours: 2, additionalData: { role: 'x' } });
    expect(m.validateToken(token)).toEqual({
      tokenId: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      userId: 'alice',
      permissions: ['read', 'user:*'],
      issuedAt: new Date(T0),
      expiresAt: new Date(T0 + 2 * HOUR),
      additionalData: { role: 'x' },
      timeRemainingMs: 2 * HOUR,
      timeRemaining: '2:00:00',
    });
  });

  it('uses defaultExpirationHours and gives each token its own id', () => {
    const m = manager({ defaultExpirationHours: 5 });
    const a = m.validateToken(m.generateToken({ userId: 'u' }));
    const b = m.validateToken(m.generateToken({ userId: 'u' }));
    expect(a.expiresAt.getTime() - a.issuedAt.getTime()).toBe(5 * HOUR);
    expect(a.tokenId).not.toBe(b.tokenId);
  });

  it('expires strictly at expiresAt, with clockToleranceSeconds as grace', () => {
    const time = clock();
    const token = manager({ now: time.now }).generateToken({ userId: 'u', expiresInHours: 1 });
    time.set(T0 + HOUR);
    expect(manager({ now: time.now }).validateToken(token).timeRemaining).toBe('0:00:00');
    time.set(T0 + HOUR + 1);
    expect(() => manager({ now: time.now }).validateToken(token)).toThrow(TokenExpiredError);
    expect(manager({ now: time.now, clockToleranceSeconds: 5 }).validateToken(token).userId).toBe('u');
    time.set(T0 + HOUR + 5001);
    expect(() => manager({ now: time.now, clockToleranceSeconds: 5 }).validateToken(token)).toThrow(TokenExpiredError);
  });

  it('refuses a token stamped more than 60 s in the future', () => {
    const token = manager({ now: () => T0 + 61_000 }).generateToken({ userId: 'u' });
    expect(() => manager().validateToken(token)).toThrow(InvalidTokenError);
    expect(manager({ now: () => T0 }).validateToken(manager({ now: () => T0 + 60_000 }).generateToken({ userId: 'u' }))).toBeTruthy();
  });

  it('validates tokens of previous keys after rotation and issues with the current one', () => {
    const old = manager({ secretKey: 'Old-Secret#2025-abc' });
    const rotated = manager({ secretKey: 'New-Secret#2026-abc', previousSecretKeys: ['Old-Secret#2025-abc'] });
    const fresh = manager({ secretKey: 'New-Secret#2026-abc' });
    const oldToken = old.generateToken({ userId: 'u' });
    expect(rotated.validateToken(oldToken).userId).toBe('u');
    expect(() => fresh.validateToken(oldToken)).toThrow(InvalidTokenError);
    expect(fresh.validateToken(rotated.generateToken({ userId: 'v' })).userId).toBe('v');
  });

  it('checks permissions, with prefix wildcards', () => {
    const m = manager();
    const token = m.generateToken({ userId: 'u', permissions: ['read', 'user:*'] });
    expect(m.checkPermission(token, 'read')).toBe(true);
    expect(m.checkPermission(token, 'user:delete')).toBe(true);
    try {
      m.checkPermission(token, 'admin');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error).toMatchObject({ code: 'permission_denied', status: 403, required: ['admin'] });
    }
  });

  it('refreshes into a new token with the same identity and a fresh lifetime', () => {
    const time = clock();
    const m = manager({ now: time.now });
    const token = m.generateToken({ userId: 'u', permissions: ['read'], additionalData: { a: 1 }, expiresInHours: 1 });
    time.advance(30 * 60_000);
    const next = m.validateToken(m.refreshToken(token, { expiresInHours: 3 }));
    expect(next).toMatchObject({ userId: 'u', permissions: ['read'], additionalData: { a: 1 }, timeRemainingMs: 3 * HOUR });
    expect(m.validateToken(token).userId).toBe('u');
  });

  it('rotates: the new token works and the old one is revoked', async () => {
    const m = manager();
    const token = m.generateToken({ userId: 'u' });
    const next = await m.rotateToken(token);
    await expect(m.verify(next)).resolves.toMatchObject({ userId: 'u' });
    await expect(m.verify(token)).rejects.toBeInstanceOf(TokenRevokedError);
  });

  it('revokes one token by id, and every token of a user issued before', async () => {
    const time = clock();
    const store = new MemoryRevocationStore({ now: time.now });
    const m = manager({ now: time.now, revocationStore: store });
    const a = m.generateToken({ userId: 'alice' });
    const b = m.generateToken({ userId: 'alice' });
    const c = m.generateToken({ userId: 'bob' });
    await m.revokeToken(a);
    await expect(m.verify(a)).rejects.toMatchObject({ code: 'token_revoked', status: 401 });
    await expect(m.verify(b)).resolves.toBeTruthy();
    time.advance(1);
    await m.revokeAllForUser('alice');
    await expect(m.verify(b)).rejects.toBeInstanceOf(TokenRevokedError);
    await expect(m.verify(c)).resolves.toMatchObject({ userId: 'bob' });
    time.advance(1);
    await expect(m.verify(m.generateToken({ userId: 'alice' }))).resolves.toMatchObject({ userId: 'alice' });
    // validateToken is stateless: revocation is verify's job.
    expect(m.validateToken(a).userId).toBe('alice');
  });

  it('fails closed with revocation_unavailable when the store cannot answer', async () => {
    const broken: RevocationStore = {
      revoke: () => Promise.reject(new Error('down')),
      revokeAllForUser: () => Promise.reject(new Error('down')),
      isRevoked: () => Promise.reject(new Error('down')),
    };
    const m = manager({ revocationStore: broken });
    const token = m.generateToken({ userId: 'u' });
    await expect(m.verify(token)).rejects.toMatchObject({ code: 'revocation_unavailable', status: 503 });
    await expect(m.revokeToken(token)).rejects.toBeInstanceOf(RevocationUnavailableError);
    await expect(m.revokeAllForUser('u')).rejects.toBeInstanceOf(RevocationUnavailableError);
  });

  it('describes any token without throwing', () => {
    const time = clock();
    const m = manager({ now: time.now });
    const token = m.generateToken({ userId: 'u', expiresInHours: 1 });
    expect(m.getTokenInfo(token)).toMatchObject({ valid: true, userId: 'u', timeRemaining: '1:00:00' });
    expect(m.getTokenInfo('garbage')).toEqual({ valid: false, code: 'invalid_token' });
    time.advance(2 * HOUR);
    expect(m.getTokenInfo(token)).toMatchObject({ valid: false, code: 'token_expired', claims: { userId: 'u' } });
  });

  it('exports its configuration without the secret, its prefix or the salt', () => {
    const config = JSON.stringify(manager({ previousSecretKeys: ['Old-Secret#2025-abc'] }).exportConfig());
    expect(config).not.toContain(SECRET.slice(0, 8));
    expect(config).not.toContain('Old-Secret');
    expect(config).not.toContain(SALT.slice(0, 8));
    expect(JSON.parse(config)).toMatchObject({ previousKeyCount: 1, defaultExpirationHours: 24, developmentKey: false });
  });

  it('refuses bad input to generateToken with configuration_error', () => {
    const m = manager({ maxTokenLength: 1024 });
    const bad = [
      { userId: '' },
      { userId: 'u', permissions: ['x'] },
      { userId: 'u', permissions: ['a'.repeat(31)] },
      { userId: 'u', expiresInHours: 0 },
      { userId: 'u', expiresInHours: 8761 },
      { userId: 'u', additionalData: { big: 1n } },
      { userId: 'u', additionalData: { blob: 'x'.repeat(2000) } },
    ];
    for (const input of bad) {
      expect(() => m.generateToken(input as never)).toThrow(ConfigurationError);
    }
  });

  it('derives keys off the event loop with create() and agrees with the constructor', async () => {
    const created = await SecureTokenManager.create({ secretKey: SECRET, salt: SALT, now: () => T0 });
    expect(manager().validateToken(created.generateToken({ userId: 'u' })).userId).toBe('u');
  });

  it('without a secret uses a development key and warns once through the logger', () => {
    const warn = vi.fn();
    const m = new SecureTokenManager({ logger: { warn }, environment: 'development' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/development key/);
    expect(m.exportConfig().developmentKey).toBe(true);
    expect(m.validateToken(m.generateToken({ userId: 'u' })).userId).toBe('u');
  });

  it('without a secret in production refuses to start', () => {
    expect(() => new SecureTokenManager({ environment: 'production' })).toThrow(ConfigurationError);
    expect(() => SecureTokenManager.fromEnv({ NODE_ENV: 'production' })).toThrow(/required in production/);
    expect(SecureTokenManager.fromEnv({ NODE_ENV: 'production', SECURE_TOKEN_SECRET_KEY: SECRET, SECURE_TOKEN_SALT: SALT }).exportConfig().developmentKey).toBe(false);
  });

  it('reads the Python variable names from the environment', () => {
    const fromEnv = SecureTokenManager.fromEnv({ SECRET_KEY: SECRET, SALT, DEFAULT_EXPIRATION_HOURS: '2' }, { now: () => T0 });
    expect(fromEnv.defaultExpirationHours).toBe(2);
    expect(manager().validateToken(fromEnv.generateToken({ userId: 'u' })).userId).toBe('u');
  });

  it('applies checkClaims wherever a token is read, once per read', async () => {
    const seen: string[] = [];
    const m = manager({
      checkClaims: (claims) => {
        seen.push(claims.userId);
        if (claims.additionalData.team !== 'blue') throw new InvalidTokenError();
      },
    });
    const blue = m.generateToken({ userId: 'b', additionalData: { team: 'blue' } });
    const red = m.generateToken({ userId: 'r', additionalData: { team: 'red' } });
    await expect(m.verify(blue)).resolves.toMatchObject({ userId: 'b' });
    expect(seen).toEqual(['b']);
    expect(() => m.validateToken(red)).toThrow(InvalidTokenError);
    await expect(m.verify(red)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(m.revokeToken(red)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(m.getTokenInfo(red)).toEqual({ valid: false, code: 'invalid_token' });
    expect(() => manager({ checkClaims: 'x' as never })).toThrow(ConfigurationError);
  });

  it('validates its own options', () => {
    expect(() => manager({ clockToleranceSeconds: -1 })).toThrow(ConfigurationError);
    expect(() => manager({ maxTokenLength: 10 })).toThrow(ConfigurationError);
    expect(() => manager({ naiveTimeZone: 'Mars/Base' })).toThrow(ConfigurationError);
    expect(() => manager({ secretKey: 'weak' })).toThrow(ConfigurationError);
    expect(() => manager({ salt: 'short' })).toThrow(ConfigurationError);
  });
});
