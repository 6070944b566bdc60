import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from './authenticator';
import { InvalidTokenError } from './errors';
import { SecureTokenManager } from './manager';
import { generateSalt, generateSecretKey } from './settings';
import { TenantKeyring } from './tenant-keyring';

interface FakeRequest {
  headers: Record<string, string | string[] | undefined>;
}

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const tenants = { acme: { secretKey: generateSecretKey(), salt: generateSalt() }, globex: { secretKey: generateSecretKey(), salt: generateSalt() } };
const keyring = new TenantKeyring({
  resolveTenant: async (id) => tenants[id as keyof typeof tenants] ?? null,
  managerOptions: { now: () => NOW },
});
let acmeToken: string;

const req = (tenant?: string | string[], token = acmeToken): [FakeRequest, { headers: Record<string, string> }] => {
  const headers = { authorization: `Bearer ${token}`, 'x-tenant-id': tenant };
  return [{ headers }, { headers: { authorization: `Bearer ${token}` } }];
};

async function expectCode(promise: Promise<unknown>, code: string, status: number): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code, status });
}

beforeAll(async () => {
  acmeToken = (await keyring.manager('acme')).generateToken({ userId: 'alice', permissions: ['user:read'] });
});

describe('createAuthenticator with a per-request manager resolver', () => {
  const auth = createAuthenticator<FakeRequest>({ manager: keyring.resolver((r) => r.headers['x-tenant-id']) });

  it('verifies with the tenant the request names', async () => {
    await expect(auth.authenticate(...req('acme'))).resolves.toMatchObject({ userId: 'alice' });
  });

  it.each([
    ['another tenant', 'globex'],
    ['an unknown tenant', 'initech'],
    ['no tenant', undefined],
    ['a repeated tenant header', ['acme', 'globex']],
  ])('refuses %s with invalid_token', async (_label, tenant) => {
    await expectCode(auth.authenticate(...req(tenant)), 'invalid_token', 401);
  });

  it('answers a missing token before resolving anything', async () => {
    let calls = 0;
    const counting = createAuthenticator<FakeRequest>({
      manager: () => {
        calls += 1;
        return null;
      },
      optional: true,
    });
    await expect(counting.authenticate({ headers: {} }, { headers: {} })).resolves.toBeNull();
    expect(calls).toBe(0);
  });

  it('turns resolver failures into SecureToken errors with a clean response', async () => {
    const cases: [() => unknown, string, number][] = [
      [() => null, 'invalid_token', 401],
      [async () => undefined, 'invalid_token', 401],
      [() => Promise.reject(new InvalidTokenError()), 'invalid_token', 401],
      [() => { throw new Error('lookup exploded'); }, 'configuration_error', 500],
      [() => ({ verify: 'nope' }), 'configuration_error', 500],
    ];
    for (const [resolve, code, status] of cases) {
      const failing = createAuthenticator<FakeRequest>({ manager: resolve as never });
      const error = await failing.authenticate(...req('acme')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code, status });
      const response = failing.errorResponse(error);
      expect(response?.status).toBe(status);
      expect(JSON.stringify(response?.body)).not.toContain('exploded');
    }
  });

  it('still accepts a plain manager, and validates the option at factory time', async () => {
    const manager = new SecureTokenManager({ ...tenants.acme, now: () => NOW });
    const plain = createAuthenticator<FakeRequest>({ manager });
    const token = manager.generateToken({ userId: 'bob' });
    await expect(plain.authenticate(...req(undefined, token))).resolves.toMatchObject({ userId: 'bob' });
    for (const bad of [undefined, null, {}, 'manager', { verify: 1 }]) {
      expect(() => createAuthenticator<FakeRequest>({ manager: bad as never })).toThrow(TypeError);
    }
  });
});
