import { beforeAll, describe, expect, it } from 'vitest';
import { SecureTokenManager } from './manager';
import {
  DEFAULT_SERVICE_TOKEN_SECONDS,
  isServiceToken,
  issueServiceToken,
  serviceTokenVerifier,
  verifyServiceToken,
} from './service-token';
import { generateSalt, generateSecretKey } from './settings';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const clock = { now: NOW };
const VERIFY = { audience: 'payment-service', allowedIssuers: ['gateway'] } as const;
let manager: SecureTokenManager;

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect((error as { code?: string }).code).toBe(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

beforeAll(async () => {
  manager = await SecureTokenManager.create({ secretKey: generateSecretKey(), salt: generateSalt(), now: () => clock.now });
});

function reset(): void {
  clock.now = NOW;
}

describe('issueServiceToken / verifyServiceToken', () => {
  it('carries the original user and permissions to the audience', async () => {
    reset();
    const user = await manager.verify(manager.generateToken({ userId: 'alice', permissions: ['payment:create', 'user:read'] }));
    const token = issueServiceToken(manager, { source: 'gateway', target: 'payment-service', user });
    const claims = await verifyServiceToken(manager, token, VERIFY);
    expect(claims.userId).toBe('alice');
    expect(claims.permissions).toEqual(['payment:create', 'user:read']);
    expect(claims.service).toEqual({ issuer: 'gateway', audience: 'payment-service', user: 'alice' });
    expect(claims.expiresAt.getTime() - claims.issuedAt.getTime()).toBe(DEFAULT_SERVICE_TOKEN_SECONDS * 1000);
    expect(isServiceToken(claims)).toBe(true);
    expect(isServiceToken(user)).toBe(false);
  });

  it('names the service itself without a user', async () => {
    reset();
    const token = issueServiceToken(manager, { source: 'gateway', target: 'payment-service', permissions: ['ledger:read'] });
    const claims = await verifyServiceToken(manager, token, VERIFY);
    expect(claims.userId).toBe('service:gateway');
    expect(claims.service.user).toBeNull();
    expect(claims.permissions).toEqual(['ledger:read']);
  });

  it('expires after 5 minutes by default, on the injected clock', async () => {
    reset();
    const token = issueServiceToken(manager, { source: 'gateway', target: 'payment-service' });
    clock.now = NOW + DEFAULT_SERVICE_TOKEN_SECONDS * 1000;
    await expect(verifyServiceToken(manager, token, VERIFY)).resolves.toBeTruthy();
    clock.now += 1;
    await expectCode(verifyServiceToken(manager, token, VERIFY), 'token_expired');
  });

  it('honours expiresInSeconds and never outlives the user token', async () => {
    reset();
    const short = issueServiceToken(manager, { source: 'gateway', target: 'payment-service', expiresInSeconds: 30 });
    expect(manager.validateToken(short).timeRemainingMs).toBe(30_000);
    const user = manager.validateToken(manager.generateToken({ userId: 'alice', expiresInHours: 60 / 3600 }));
    const capped = issueServiceToken(manager, { source: 'gateway', target: 'payment-service', user });
    expect(manager.validateToken(capped).timeRemainingMs).toBe(60_000);
    await expectCode(
      () => issueServiceToken(manager, { source: 'gateway', target: 'x', user: { ...user, timeRemainingMs: 0 } }),
      'token_expired',
    );
  });

  it('never grants more than the user holds', async () => {
    reset();
    const user = manager.validateToken(manager.generateToken({ userId: 'alice', permissions: ['user:*'] }));
    const narrowed = issueServiceToken(manager, { source: 'gateway', target: 'payment-service', user, permissions: ['user:read'] });
    expect(manager.validateToken(narrowed).permissions).toEqual(['user:read']);
    await expectCode(
      () => issueServiceToken(manager, { source: 'gateway', target: 'payment-service', user, permissions: ['payment:create'] }),
      'permission_denied',
    );
  });

  it.each([
    ['another audience', { source: 'gateway', target: 'user-service' }],
    ['an issuer not on the allow-list', { source: 'billing', target: 'payment-service' }],
  ])('refuses a token for %s with invalid_token', async (_label, input) => {
    reset();
    await expectCode(verifyServiceToken(manager, issueServiceToken(manager, input), VERIFY), 'invalid_token');
  });

  it('refuses a plain user token, even one claiming the audience', async () => {
    reset();
    const plain = manager.generateToken({ userId: 'alice', permissions: ['payment:create'] });
    await expectCode(verifyServiceToken(manager, plain, VERIFY), 'invalid_token');
    const crafted = manager.generateToken({ userId: 'alice', additionalData: { iss: 'gateway', aud: 'payment-service' } });
    await expectCode(verifyServiceToken(manager, crafted, VERIFY), 'invalid_token');
  });

  it('refuses a service-marked token living longer than the service maximum', async () => {
    reset();
    const longLived = manager.generateToken({
      userId: 'alice',
      expiresInHours: 2,
      additionalData: { token_type: 'service', iss: 'gateway', aud: 'payment-service', subject_type: 'user' },
    });
    await expectCode(verifyServiceToken(manager, longLived, VERIFY), 'invalid_token');
  });

  it('refuses a token from another key, and a revoked one', async () => {
    reset();
    const other = new SecureTokenManager({ secretKey: generateSecretKey(), salt: generateSalt(), now: () => clock.now });
    await expectCode(verifyServiceToken(manager, issueServiceToken(other, { source: 'gateway', target: 'payment-service' }), VERIFY), 'invalid_token');
    const token = issueServiceToken(manager, { source: 'gateway', target: 'payment-service' });
    await manager.revokeToken(token);
    await expectCode(verifyServiceToken(manager, token, VERIFY), 'token_revoked');
  });

  it.each([
    [{ source: '', target: 'a' }],
    [{ source: 'gateway service', target: 'a' }],
    [{ source: 'gateway', target: 'a', expiresInSeconds: 0 }],
    [{ source: 'gateway', target: 'a', expiresInSeconds: 3601 }],
    [{ source: 'gateway', target: 'a', expiresInSeconds: Number.NaN }],
  ])('refuses bad issue input %j with configuration_error', async (input) => {
    await expectCode(() => issueServiceToken(manager, input), 'configuration_error');
  });

  it.each([
    [undefined],
    [{ audience: '', allowedIssuers: ['gateway'] }],
    [{ audience: 'payment-service', allowedIssuers: [] }],
    [{ audience: 'payment-service', allowedIssuers: 'gateway' }],
    [{ audience: 'payment-service', allowedIssuers: ['bad name'] }],
  ])('validates verify options %j', async (options) => {
    await expect(verifyServiceToken(manager, 'x', options as never)).rejects.toBeInstanceOf(TypeError);
    expect(() => serviceTokenVerifier(manager, options as never)).toThrow(TypeError);
  });
});

describe('serviceTokenVerifier', () => {
  it('is a TokenVerifier accepting only service tokens for its audience', async () => {
    reset();
    const verifier = serviceTokenVerifier(manager, VERIFY);
    const token = issueServiceToken(manager, { source: 'gateway', target: 'payment-service' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ service: { issuer: 'gateway' } });
    await expectCode(verifier.verify(manager.generateToken({ userId: 'alice' })), 'invalid_token');
    expect(() => serviceTokenVerifier({} as never, VERIFY)).toThrow(TypeError);
  });
});
