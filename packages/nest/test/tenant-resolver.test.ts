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

// The guard hands options.manager to core's createAuthenticator, so one manager per tenant needs
// no guard code; these tests pin the module side: no SecureTokenManager to inject, and the
// per-tenant refusal on both platforms, with the tenant from a header or from a route param.
const NOW = Date.UTC(2030, 0, 1, 12);
const tenants: Record<string, TenantKeyMaterial> = {
  acme: { secretKey: generateSecretKey(), salt: generateSalt() },
  globex: { secretKey: generateSecretKey(), salt: generateSalt() },
};
const keyring = new TenantKeyring({ resolveTenant: async (id) => tenants[id] ?? null, managerOptions: { now: () => NOW } });
const issue = async (tenant: string) => (await keyring.manager(tenant)).generateToken({ userId: `${tenant}-user` });

@Controller()
class TenantController {
  @Get('me')
  me(@Auth() auth: TokenClaims) {
    return { userId: auth.userId, tenant: auth.additionalData.tenant_id };
  }

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

describe.each(PLATFORMS)('per-tenant manager resolver on %s', (platform) => {
  let acmeToken = '';
  let globexToken = '';
  beforeAll(async () => {
    [acmeToken, globexToken] = await Promise.all([issue('acme'), issue('globex')]);
  });

  describe('forRoot, tenant from a header', () => {
    let server: RunningApp;
    beforeAll(async () => {
      server = await startApp(platform, {
        imports: [
          SecureTokenModule.forRoot({
            manager: keyring.resolver<SecureTokenRequest>((req) => req.headers['x-tenant-id']),
            globalGuard: true,
          }),
        ],
        controllers: [TenantController],
      });
    });
    afterAll(() => server.close());

    const me = (token: string, tenant?: string) =>
      call(`${server.url}/me`, { authorization: `Bearer ${token}`, ...(tenant && { 'x-tenant-id': tenant }) });

    it('accepts each tenant its own token', async () => {
      expect(await me(acmeToken, 'acme')).toMatchObject({ status: 200, body: { userId: 'acme-user', tenant: 'acme' } });
      expect(await me(globexToken, 'globex')).toMatchObject({ status: 200, body: { userId: 'globex-user', tenant: 'globex' } });
    });

    it("refuses a tenant's token for another tenant, both ways, with 401 invalid_token", async () => {
      expect(await me(acmeToken, 'globex')).toEqual(REFUSED);
      expect(await me(globexToken, 'acme')).toEqual(REFUSED);
    });

    it('refuses an unknown tenant and a request naming none with 401 invalid_token', async () => {
      expect(await me(acmeToken, 'initech')).toEqual(REFUSED);
      expect(await me(acmeToken)).toEqual(REFUSED);
    });

    it('answers token_missing before any tenant lookup', async () => {
      const res = await call(`${server.url}/me`, { 'x-tenant-id': 'initech' });
      expect(res).toEqual({ status: 401, challenge: 'Bearer realm="api"', body: { error: expect.any(String), code: 'token_missing' } });
    });

    it('does not provide SecureTokenManager for injection', () => {
      expect(() => server.app.get(SecureTokenManager)).toThrow();
    });
  });

  describe('forRootAsync with provideManager: false, tenant from a route param', () => {
    let server: RunningApp;
    beforeAll(async () => {
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
    afterAll(() => server.close());

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
});

describe('start-up validation with a resolver', () => {
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
