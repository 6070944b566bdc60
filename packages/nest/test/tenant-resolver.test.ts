import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, Module } from '@nestjs/common';
import {
  generateSalt,
  generateSecretKey,
  SecureTokenManager,
  TenantKeyring,
  type TenantKeyMaterial,
  type TokenClaims,
} from '@securetoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Auth, SecureTokenModule, type SecureTokenRequest } from '../src/index';
import { PLATFORMS, startApp, type RunningApp } from './harness';

// The shared contract suite (contract.test.ts) covers a per-tenant resolver from forRoot on both
// platforms; these tests pin what only Nest has: forRootAsync with provideManager: false, a
// tenant from a route param (read after routing), and what may be injected.
const NOW = Date.UTC(2030, 0, 1, 12);
const tenants: Record<string, TenantKeyMaterial> = {
  acme: { secretKey: generateSecretKey(), salt: generateSalt() },
  globex: { secretKey: generateSecretKey(), salt: generateSalt() },
};
const keyring = new TenantKeyring({ resolveTenant: async (id) => tenants[id] ?? null, managerOptions: { now: () => NOW } });
const issue = async (tenant: string) => (await keyring.manager(tenant)).generateToken({ userId: `${tenant}-user` });

@Controller()
class TenantController {
  @Get('tenants/:tenant/me')
  byParam(@Auth() auth: TokenClaims) {
    return { userId: auth.userId, tenant: auth.additionalData.tenant_id };
  }
}

// Stands in for the app's own provider of the keyring (built from configuration in real apps).
@Injectable()
class Keyrings {
  readonly keyring = keyring;
}
@Module({ providers: [Keyrings], exports: [Keyrings] })
class KeyringModule {}

async function call(url: string, headers: Record<string, string>) {
  const res = await fetch(url, { headers });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
}

const REFUSED = { status: 401, challenge: 'Bearer realm="api", error="invalid_token"', body: { error: expect.any(String), code: 'invalid_token' } };

describe.each(PLATFORMS)('forRootAsync with provideManager: false, tenant from a route param, on %s', (platform) => {
  let server: RunningApp;
  let acmeToken = '';
  beforeAll(async () => {
    acmeToken = await issue('acme');
    server = await startApp(platform, {
      imports: [
        SecureTokenModule.forRootAsync({
          imports: [KeyringModule],
          inject: [Keyrings],
          useFactory: (keyrings: Keyrings) => ({
            // Guards run after routing, so the platform request already carries the route params.
            manager: keyrings.keyring.resolver<SecureTokenRequest>((req) => (req as { params?: Record<string, string> }).params?.tenant),
          }),
          provideManager: false,
          globalGuard: true,
        }),
      ],
      controllers: [TenantController],
    });
  });
  afterAll(() => server?.close());

  const meOf = (tenant: string, token: string) => call(`${server.url}/tenants/${tenant}/me`, { authorization: `Bearer ${token}` });

  it('accepts the token of the tenant in the path and refuses it under another or an unknown one', async () => {
    expect(await meOf('acme', acmeToken)).toMatchObject({ status: 200, body: { userId: 'acme-user', tenant: 'acme' } });
    expect(await meOf('globex', acmeToken)).toEqual(REFUSED);
    expect(await meOf('initech', acmeToken)).toEqual(REFUSED);
  });

  it('does not provide SecureTokenManager for injection', () => {
    expect(() => server.app.get(SecureTokenManager)).toThrow();
  });
});

describe('injection rules with a resolver', () => {
  it('forRoot infers provideManager: false, so SecureTokenManager is not injectable', async () => {
    const server = await startApp('express', {
      imports: [SecureTokenModule.forRoot({ manager: keyring.resolver<SecureTokenRequest>((req) => req.headers['x-tenant-id']) })],
    });
    try {
      expect(() => server.app.get(SecureTokenManager)).toThrow();
    } finally {
      await server.close();
    }
  });

  it('refuses a forRootAsync resolver without provideManager: false, saying so', async () => {
    await expect(
      startApp('express', {
        imports: [SecureTokenModule.forRootAsync({ useFactory: () => ({ manager: keyring.resolver(() => 'acme') }) })],
      }),
    ).rejects.toThrow(/provideManager: false/);
  });

  it('refuses a resolver injected as SecureTokenManager', async () => {
    @Injectable()
    class NeedsManager {
      constructor(@Inject(SecureTokenManager) readonly manager: SecureTokenManager) {}
    }
    await expect(
      startApp('express', {
        imports: [SecureTokenModule.forRoot({ manager: keyring.resolver(() => 'acme'), isGlobal: true })],
        providers: [NeedsManager],
      }),
    ).rejects.toThrow(/can't resolve dependencies of the NeedsManager/);
  });
});
