import 'reflect-metadata';
import { Controller, ForbiddenException, Get, Inject, Injectable, Module, Post, Req, UseGuards } from '@nestjs/common';
import {
  generateSalt,
  generateSecretKey,
  MemoryRevocationStore,
  SecureTokenManager,
  type RevocationStore,
  type TokenClaims,
} from '@securetoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Auth,
  Public,
  RequireAnyPermission,
  RequirePermissions,
  SecureTokenException,
  SecureTokenGuard,
  SecureTokenModule,
  type AuthenticatedRequest,
} from '../src/index';
import { PLATFORMS, startApp, type RunningApp } from './harness';

const START = Date.UTC(2030, 0, 1, 12);
const HOUR = 3_600_000;

function makeManager(overrides: { revocationStore?: RevocationStore } = {}) {
  const clock = { now: START };
  const now = () => clock.now;
  const manager = new SecureTokenManager({
    secretKey: generateSecretKey(),
    salt: generateSalt(),
    now,
    revocationStore: overrides.revocationStore ?? new MemoryRevocationStore({ now }),
  });
  return { manager, clock };
}

@Controller()
class RoutesController {
  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @Get('profile')
  profile(@Auth() auth: TokenClaims | undefined, @Auth('userId') userId: string | undefined) {
    return { userId, permissions: auth?.permissions ?? null };
  }

  @Get('via-request')
  viaRequest(@Req() req: AuthenticatedRequest) {
    return { userId: req.auth?.userId ?? null };
  }

  @RequirePermissions('admin')
  @Get('admin')
  admin() {
    return { ok: 'admin' };
  }

  @RequireAnyPermission('user:read', 'admin')
  @Get('users')
  listUsers() {
    return { ok: 'list' };
  }

  @RequirePermissions('user:read', 'user:create')
  @Post('users')
  createUser() {
    return { ok: 'create' };
  }
}

@RequirePermissions('admin')
@Controller('staff')
class StaffController {
  @Get()
  index() {
    return { ok: 'staff' };
  }

  @RequirePermissions('reports')
  @Get('reports')
  reports() {
    return { ok: 'reports' };
  }

  @Public()
  @Get('open')
  open() {
    return { ok: 'open' };
  }
}

@Public()
@Controller('public')
class PublicController {
  @Get()
  index() {
    return { ok: 'public' };
  }

  @RequirePermissions('admin')
  @Get('locked')
  locked() {
    return { ok: 'locked' };
  }
}

const get = (url: string, token?: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });

describe.each(PLATFORMS)('SecureTokenModule on %s', (platform) => {
  describe('global guard', () => {
    const { manager, clock } = makeManager();
    let server: RunningApp;
    beforeAll(async () => {
      server = await startApp(platform, {
        imports: [SecureTokenModule.forRoot({ manager, globalGuard: true })],
        controllers: [RoutesController, StaffController, PublicController],
      });
    });
    afterAll(() => server.close());

    const token = (permissions: string[] = [], hours = 1) =>
      manager.generateToken({ userId: 'alice', permissions, expiresInHours: hours });

    it('lets @Public() routes through without a token', async () => {
      const res = await get(`${server.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    });

    it('puts the identity on @Auth(), @Auth(field) and req.auth', async () => {
      const t = token(['user:read']);
      const res = await get(`${server.url}/profile`, t);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ userId: 'alice', permissions: ['user:read'] });
      const viaReq = await get(`${server.url}/via-request`, t);
      expect(await viaReq.json()).toEqual({ userId: 'alice' });
    });

    it('answers token_missing with 401, core body and a Bearer challenge', async () => {
      const res = await get(`${server.url}/profile`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ error: 'Authentication required', code: 'token_missing' });
    });

    it('answers invalid_request with 400 for a malformed Authorization header', async () => {
      for (const header of ['Bearer', 'Bearer a b', 'Bearer tok"en']) {
        const res = await get(`${server.url}/profile`, undefined, { headers: { authorization: header } });
        expect(res.status, header).toBe(400);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_request"');
        expect(((await res.json()) as { code: string }).code).toBe('invalid_request');
      }
    });

    it('accepts the scheme in any case', async () => {
      const res = await get(`${server.url}/profile`, undefined, { headers: { authorization: `bEARER ${token()}` } });
      expect(res.status).toBe(200);
    });

    it('answers invalid_token with 401 for a tampered or foreign token', async () => {
      const t = token();
      const foreign = makeManager().manager.generateToken({ userId: 'alice' });
      for (const bad of [`${t.slice(0, 20)}A${t.slice(21)}`, foreign, 'not-a-token']) {
        const res = await get(`${server.url}/profile`, bad);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
        const body = await res.json();
        expect(body).toEqual({ error: 'Invalid token', code: 'invalid_token' });
        expect(JSON.stringify(body)).not.toContain(bad);
      }
    });

    it('answers token_expired with 401 once the clock passes expiry', async () => {
      const t = token([], 1);
      clock.now = START + HOUR + 1000;
      try {
        const res = await get(`${server.url}/profile`, t);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe(
          'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
        );
        expect(await res.json()).toEqual({ error: 'Token has expired', code: 'token_expired' });
      } finally {
        clock.now = START;
      }
    });

    it('answers token_revoked with 401 after revocation', async () => {
      const t = token();
      await manager.revokeToken(t);
      const res = await get(`${server.url}/profile`, t);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
      expect(await res.json()).toEqual({ error: 'Token has been revoked', code: 'token_revoked' });
    });

    it('answers permission_denied with 403, the required list and an insufficient_scope challenge', async () => {
      const res = await get(`${server.url}/admin`, token(['user:read']));
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="insufficient_scope", scope="admin"');
      expect(await res.json()).toEqual({ error: 'Insufficient permissions', code: 'permission_denied', required: ['admin'] });
    });

    it('@RequirePermissions is all-of, @RequireAnyPermission any-of, with `:*` wildcards', async () => {
      const post = (t: string) => get(`${server.url}/users`, t, { method: 'POST' });
      expect((await post(token(['user:read']))).status).toBe(403);
      expect((await post(token(['user:read', 'user:create']))).status).toBe(201);
      expect((await post(token(['user:*']))).status).toBe(201);
      expect((await get(`${server.url}/users`, token(['admin']))).status).toBe(200);
      expect((await get(`${server.url}/users`, token(['user:read']))).status).toBe(200);
      const denied = await get(`${server.url}/users`, token(['user:create']));
      expect(denied.status).toBe(403);
      expect(denied.headers.get('www-authenticate')).toContain('scope="user:read admin"');
    });

    it('handler metadata overrides class metadata', async () => {
      expect((await get(`${server.url}/staff`, token(['reports']))).status).toBe(403);
      expect((await get(`${server.url}/staff`, token(['admin']))).status).toBe(200);
      expect((await get(`${server.url}/staff/reports`, token(['reports']))).status).toBe(200);
      expect((await get(`${server.url}/staff/reports`, token(['admin']))).status).toBe(403);
      expect((await get(`${server.url}/staff/open`)).status).toBe(200);
      expect((await get(`${server.url}/public`)).status).toBe(200);
      expect((await get(`${server.url}/public/locked`)).status).toBe(401);
      expect((await get(`${server.url}/public/locked`, token(['admin']))).status).toBe(200);
    });

    it('provides the manager for injection', () => {
      expect(server.app.get(SecureTokenManager)).toBe(manager);
    });
  });

  describe('store outage', () => {
    const failing: RevocationStore = {
      revoke: () => Promise.reject(new Error('down')),
      revokeAllForUser: () => Promise.reject(new Error('down')),
      isRevoked: () => Promise.reject(new Error('down')),
    };
    const { manager } = makeManager({ revocationStore: failing });
    let server: RunningApp;
    beforeAll(async () => {
      server = await startApp(platform, {
        imports: [SecureTokenModule.forRoot({ manager, globalGuard: true })],
        controllers: [RoutesController],
      });
    });
    afterAll(() => server.close());

    it('fails closed with 503 revocation_unavailable and no challenge', async () => {
      const res = await get(`${server.url}/profile`, manager.generateToken({ userId: 'alice' }));
      expect(res.status).toBe(503);
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(await res.json()).toEqual({ error: 'Authentication temporarily unavailable', code: 'revocation_unavailable' });
    });
  });

  describe('forRootAsync, @UseGuards and module options', () => {
    @Injectable()
    class FakeConfigService {
      readonly values = { SECRET: generateSecretKey(), SALT: generateSalt() };
      getOrThrow(key: keyof FakeConfigService['values']): string {
        return this.values[key];
      }
    }
    @Module({ providers: [FakeConfigService], exports: [FakeConfigService] })
    class FakeConfigModule {}

    @Injectable()
    class SessionService {
      constructor(@Inject(SecureTokenManager) readonly manager: SecureTokenManager) {}
    }

    @UseGuards(SecureTokenGuard)
    @Controller('guarded')
    class GuardedController {
      @Get()
      me(@Auth('userId') userId: string | undefined) {
        return { userId: userId ?? null };
      }

      @RequirePermissions('admin')
      @Get('admin')
      admin() {
        return { ok: true };
      }
    }

    @Controller('open')
    class OpenController {
      @Get()
      index() {
        return { ok: true };
      }
    }

    @Module({ controllers: [GuardedController, OpenController], providers: [SessionService] })
    class FeatureModule {}

    let server: RunningApp;
    beforeAll(async () => {
      server = await startApp(platform, {
        imports: [
          SecureTokenModule.forRootAsync({
            isGlobal: true,
            imports: [FakeConfigModule],
            inject: [FakeConfigService],
            useFactory: async (config: FakeConfigService) => ({
              manager: await SecureTokenManager.create({ secretKey: config.getOrThrow('SECRET'), salt: config.getOrThrow('SALT') }),
              optional: true,
              exclude: ['/guarded/health'],
              realm: 'nest',
            }),
          }),
          FeatureModule,
        ],
      });
    });
    afterAll(() => server.close());

    const issue = (permissions: string[] = []) =>
      server.app.get(SessionService).manager.generateToken({ userId: 'bob', permissions });

    it('guards only the controllers that ask, without a global guard', async () => {
      expect((await get(`${server.url}/open`)).status).toBe(200);
      expect(await (await get(`${server.url}/guarded`, issue())).json()).toEqual({ userId: 'bob' });
    });

    it('lets anonymous requests through when optional, but not past a permission check', async () => {
      expect(await (await get(`${server.url}/guarded`)).json()).toEqual({ userId: null });
      const res = await get(`${server.url}/guarded/admin`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="nest"');
      expect((await get(`${server.url}/guarded`, 'garbage')).status).toBe(401);
      expect((await get(`${server.url}/guarded/admin`, issue(['admin']))).status).toBe(200);
    });
  });

  describe('onError and exclude', () => {
    const { manager } = makeManager();
    let server: RunningApp;
    beforeAll(async () => {
      server = await startApp(platform, {
        imports: [
          SecureTokenModule.forRoot({
            manager,
            globalGuard: true,
            exclude: ['/profile'],
            onError: (error) => (error.code === 'permission_denied' ? new ForbiddenException('nope') : undefined),
          }),
        ],
        controllers: [RoutesController],
      });
    });
    afterAll(() => server.close());

    it('skips excluded paths, query string ignored', async () => {
      expect(await (await get(`${server.url}/profile?x=1`)).json()).toEqual({ permissions: null });
    });

    it('throws what onError returns, and the default otherwise', async () => {
      const denied = await get(`${server.url}/admin`, manager.generateToken({ userId: 'u' }));
      expect(denied.status).toBe(403);
      expect(denied.headers.get('www-authenticate')).toBeNull();
      expect(((await denied.json()) as { message: string }).message).toBe('nope');
      expect((await get(`${server.url}/admin`)).status).toBe(401);
    });
  });
});

describe('start-up validation', () => {
  it('refuses a missing manager when the module starts', async () => {
    await expect(
      startApp('express', {
        imports: [SecureTokenModule.forRoot({ manager: undefined as unknown as SecureTokenManager, globalGuard: true })],
      }),
    ).rejects.toThrow(TypeError);
  });

  it('refuses empty or non-string permission lists when the route is declared', () => {
    expect(() => RequirePermissions()).toThrow(TypeError);
    expect(() => RequireAnyPermission('' as string)).toThrow(TypeError);
  });

  it('builds an HttpException whose response is exactly the core body', () => {
    const exception = new SecureTokenException({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="api"' },
      body: { error: 'Authentication required', code: 'token_missing' },
    });
    expect(exception.getStatus()).toBe(401);
    expect(exception.getResponse()).toEqual({ error: 'Authentication required', code: 'token_missing' });
    expect(exception.code).toBe('token_missing');
  });
});
