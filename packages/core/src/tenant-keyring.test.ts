import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecureTokenManager } from './manager';
import { MemoryRevocationStore } from './memory-revocation-store';
import { generateSalt, generateSecretKey } from './settings';
import { TENANT_CLAIM, TenantKeyring, type TenantKeyMaterial } from './tenant-keyring';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect((error as { code?: string }).code).toBe(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

function setup(tenants: Record<string, TenantKeyMaterial>, options: { maxTenants?: number; clock?: { now: number } } = {}) {
  const clock = options.clock ?? { now: NOW };
  const resolveTenant = vi.fn(async (id: string) => tenants[id] ?? null);
  const keyring = new TenantKeyring({
    resolveTenant,
    maxTenants: options.maxTenants,
    managerOptions: { now: () => clock.now, defaultExpirationHours: 1 },
  });
  return { keyring, resolveTenant, clock };
}

const material = (): TenantKeyMaterial => ({ secretKey: generateSecretKey(), salt: generateSalt() });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TenantKeyring isolation', () => {
  it('binds the tenant id into the token and accepts it for that tenant', async () => {
    const { keyring } = setup({ acme: material() });
    const acme = await keyring.manager('acme');
    const token = acme.generateToken({ userId: 'alice', permissions: ['user:read'], additionalData: { plan: 'pro' } });
    const claims = await acme.verify(token);
    expect(claims.userId).toBe('alice');
    expect(claims.additionalData).toEqual({ plan: 'pro', [TENANT_CLAIM]: 'acme' });
    expect(acme.validateToken(token).userId).toBe('alice');
  });

  it.each([
    ['different secrets', false],
    ['the same secret and salt', true],
  ])('refuses tokens across tenants both ways with %s', async (_label, same) => {
    const a = material();
    const { keyring } = setup({ a, b: same ? a : material() });
    const [ma, mb] = await Promise.all([keyring.manager('a'), keyring.manager('b')]);
    const fromA = ma.generateToken({ userId: 'alice' });
    const fromB = mb.generateToken({ userId: 'bob' });
    await expectCode(mb.verify(fromA), 'invalid_token');
    await expectCode(ma.verify(fromB), 'invalid_token');
    await expectCode(() => mb.validateToken(fromA), 'invalid_token');
    await expectCode(ma.revokeToken(fromB), 'invalid_token');
    await expect(ma.verify(fromA)).resolves.toMatchObject({ userId: 'alice' });
    await expect(mb.verify(fromB)).resolves.toMatchObject({ userId: 'bob' });
  });

  it('refuses a token of the same key issued without a tenant binding', async () => {
    const a = material();
    const { keyring } = setup({ a });
    const unbound = new SecureTokenManager({ ...a, now: () => NOW }).generateToken({ userId: 'alice' });
    await expectCode((await keyring.manager('a')).verify(unbound), 'invalid_token');
  });

  it('keeps the binding through refresh and rotation, and refuses foreign tokens there', async () => {
    const a = material();
    const { keyring, clock } = setup({ a, b: a });
    const [ma, mb] = await Promise.all([keyring.manager('a'), keyring.manager('b')]);
    const token = ma.generateToken({ userId: 'alice', permissions: ['user:read'] });
    const refreshed = ma.refreshToken(token);
    expect(ma.validateToken(refreshed).additionalData[TENANT_CLAIM]).toBe('a');
    clock.now += 1000;
    const rotated = await ma.rotateToken(refreshed);
    await expectCode(ma.verify(refreshed), 'token_revoked');
    await expectCode(mb.verify(rotated), 'invalid_token');
    await expectCode(() => mb.refreshToken(token), 'invalid_token');
    await expectCode(mb.rotateToken(token), 'invalid_token');
  });

  it('refuses to issue a token naming another tenant', async () => {
    const { keyring } = setup({ a: material() });
    const ma = await keyring.manager('a');
    await expectCode(() => ma.generateToken({ userId: 'alice', additionalData: { [TENANT_CLAIM]: 'b' } }), 'configuration_error');
    expect(() => ma.generateToken({ userId: 'alice', additionalData: { [TENANT_CLAIM]: 'a' } })).not.toThrow();
  });

  it('checks expiry with the injected clock', async () => {
    const { keyring, clock } = setup({ a: material() });
    const ma = await keyring.manager('a');
    const token = ma.generateToken({ userId: 'alice' });
    clock.now = NOW + 3_600_000 + 1;
    await expectCode(ma.verify(token), 'token_expired');
  });

  it('scopes revoke-all to the tenant even with one shared store', async () => {
    const clock = { now: NOW };
    const revocationStore = new MemoryRevocationStore({ now: () => clock.now });
    const keyring = new TenantKeyring({
      resolveTenant: async () => ({ secretKey: 'Shared-Secret#2026', salt: 'shared-salt-0123456789' }),
      managerOptions: { now: () => clock.now, revocationStore },
    });
    const [ma, mb] = await Promise.all([keyring.manager('a'), keyring.manager('b')]);
    const tokenA = ma.generateToken({ userId: 'alice' });
    const tokenB = mb.generateToken({ userId: 'alice' });
    clock.now += 1000;
    await ma.revokeAllForUser('alice');
    await expectCode(ma.verify(tokenA), 'token_revoked');
    await expect(mb.verify(tokenB)).resolves.toMatchObject({ userId: 'alice' });
  });

  it('keeps revocations when a tenant is evicted and derived again', async () => {
    const { keyring } = setup({ a: material(), b: material() }, { maxTenants: 1 });
    const token = (await keyring.manager('a')).generateToken({ userId: 'alice' });
    await (await keyring.manager('a')).revokeToken(token);
    await keyring.manager('b');
    await expectCode((await keyring.manager('a')).verify(token), 'token_revoked');
  });
});

describe('TenantKeyring lookups', () => {
  it.each(['', ' acme', 'a/b', 'a\u0000b', 'x'.repeat(129), 42, null])(
    'refuses the malformed tenant id %j without calling resolveTenant',
    async (id) => {
      const { keyring, resolveTenant } = setup({});
      await expectCode(keyring.manager(id as string), 'invalid_token');
      expect(resolveTenant).not.toHaveBeenCalled();
    },
  );

  it('answers an unknown tenant with invalid_token and does not cache it', async () => {
    const { keyring, resolveTenant } = setup({});
    await expectCode(keyring.manager('ghost'), 'invalid_token');
    await expectCode(keyring.manager('ghost'), 'invalid_token');
    expect(resolveTenant).toHaveBeenCalledTimes(2);
    expect(keyring.size).toBe(0);
  });

  it('caches a derived tenant', async () => {
    const create = vi.spyOn(SecureTokenManager, 'create');
    const { keyring, resolveTenant } = setup({ a: material() });
    const first = await keyring.manager('a');
    const second = await keyring.manager('a');
    expect(second).toBe(first);
    expect(resolveTenant).toHaveBeenCalledTimes(1);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('shares one derivation between concurrent requests for a tenant', async () => {
    const create = vi.spyOn(SecureTokenManager, 'create');
    const { keyring, resolveTenant } = setup({ a: material(), b: material() });
    const managers = await Promise.all([...Array(20)].map((_, i) => keyring.manager(i % 2 ? 'a' : 'b')));
    expect(new Set(managers).size).toBe(2);
    expect(resolveTenant).toHaveBeenCalledTimes(2);
    expect(create).toHaveBeenCalledTimes(2);
  });

  it('does not cache a failed derivation, and reports it as configuration_error', async () => {
    const create = vi.spyOn(SecureTokenManager, 'create');
    const a = material();
    let fail = true;
    const keyring = new TenantKeyring({
      resolveTenant: async () => {
        if (fail) throw new Error('database down');
        return a;
      },
    });
    const attempts = await Promise.allSettled([keyring.manager('a'), keyring.manager('a')]);
    for (const attempt of attempts) {
      expect(attempt.status).toBe('rejected');
      expect((attempt as PromiseRejectedResult).reason).toMatchObject({ code: 'configuration_error', cause: { message: 'database down' } });
    }
    expect(keyring.size).toBe(0);
    fail = false;
    await expect(keyring.manager('a')).resolves.toMatchObject({ tenantId: 'a' });
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('refuses key material that breaks the rules', async () => {
    const { keyring } = setup({ weak: { secretKey: 'short', salt: generateSalt() } });
    await expectCode(keyring.manager('weak'), 'configuration_error');
    expect(keyring.size).toBe(0);
  });

  it('evicts the least recently used tenant beyond maxTenants', async () => {
    const { keyring, resolveTenant } = setup({ a: material(), b: material(), c: material() }, { maxTenants: 2 });
    await keyring.manager('a');
    await keyring.manager('b');
    await keyring.manager('a');
    await keyring.manager('c');
    expect(keyring.size).toBe(2);
    resolveTenant.mockClear();
    await keyring.manager('a');
    expect(resolveTenant).not.toHaveBeenCalled();
    await keyring.manager('b');
    expect(resolveTenant).toHaveBeenCalledWith('b');
  });

  it('derives again after evict()', async () => {
    const { keyring, resolveTenant } = setup({ a: material() });
    const first = await keyring.manager('a');
    keyring.evict('a');
    expect(await keyring.manager('a')).not.toBe(first);
    expect(resolveTenant).toHaveBeenCalledTimes(2);
  });

  const nobody = async (): Promise<null> => null;
  it.each([
    [{}, 'resolveTenant'],
    [{ resolveTenant: nobody, maxTenants: 0 }, 'maxTenants'],
    [{ resolveTenant: nobody, managerOptions: null }, 'managerOptions'],
  ])('validates options at construction (%#)', (options, name) => {
    expect(() => new TenantKeyring(options as never)).toThrow(new RegExp(name));
  });
});
