import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantKeyring, type SecureTokenManager, type TenantKeyMaterial, type TokenVerifier } from '@securetoken/core';
import {
  createFailingStore,
  createPythonFixtureManager,
  createTestManager,
  loadPythonFixtures,
  TEST_NOW,
} from './fixtures';
import { expectError, send } from './assertions';
import { readCookie, type TestApp, type TestRequest } from './http-client';

/** Permissions `GET /all` requires, every one of them. */
export const ALL_OF = ['read', 'write'] as const;
/** Permissions `GET /any` requires, at least one of them. */
export const ANY_OF = ['admin', 'user:read'] as const;
/** The cookie the `getToken` variant reads the token from. */
export const TOKEN_COOKIE = 'st_token';

/** The header the per-request resolver variant reads the tenant from. */
export const TENANT_HEADER = 'x-tenant-id';

/**
 * All a per-request resolver of the suite reads: the request's lower-cased Node headers, which
 * Express's `req`, Fastify's `request`, Koa's `ctx` and Nest's platform request all carry.
 */
export interface ContractRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * What the suite asks a harness to build. Pass each field to the adapter under the same option
 * name; `getToken` is framework-neutral, so wrap it: `getToken: (req) => options.getToken(req.headers)`.
 */
export interface ContractAppOptions {
  /**
   * A manager, or (resolver variant only) a per-request resolver of one that reads nothing but
   * `req.headers`, so the adapter's own request type fits: pass it through unchanged.
   */
  readonly manager: SecureTokenManager | ((req: ContractRequest) => Promise<TokenVerifier>);
  /** Defined only for the custom-realm variant. */
  readonly realm?: string;
  readonly optional?: boolean;
  /** Always contains `/health`. */
  readonly exclude: readonly string[];
  /** Defined only for the cookie variant: reads the token from the request's headers. */
  readonly getToken?: (headers: IncomingHttpHeaders) => string | undefined;
}

/**
 * Starts an app built with `options`, authenticating **every** route (app-wide middleware, global
 * hook or guard) and serving, all with `GET` and JSON bodies:
 * - `/me`: `200 { userId, permissions }` from the identity, or `{ userId: null, permissions: [] }` when anonymous;
 * - `/all`: requires every permission in {@link ALL_OF}, answers `200 { userId }`;
 * - `/any`: requires at least one permission in {@link ANY_OF}, answers `200 { userId }`;
 * - `/health`: answers `200 { status: "ok" }` (excluded by `options.exclude`).
 */
export type ContractHarness = (options: ContractAppOptions) => Promise<TestApp>;

const BEARER = (token: string) => ({ authorization: `Bearer ${token}` });
const HOUR = 3_600_000;

// Fixed key material: each tenant derives its own keys, so only the tenant binding and the keys
// tell their tokens apart, never randomness between runs.
const TENANTS: Readonly<Record<string, TenantKeyMaterial>> = {
  acme: { secretKey: 'Acme-Tenant#2026-key', salt: 'acme-tenant-salt-0123' },
  globex: { secretKey: 'Globex-Tenant#2026-key', salt: 'globex-tenant-salt-0123' },
};
/** The tenant whose lookup fails the way a database outage would. */
const BROKEN_TENANT = 'explode';

/**
 * Registers the HTTP contract suite (DESIGN.md "HTTP contract") as vitest `describe`/`it`
 * blocks: every row of the table with status, body `code` and `WWW-Authenticate`, the scheme's
 * case-insensitivity, `optional`, `exclude`, `getToken`, custom `realm`, all-of and any-of,
 * `prefix:*` grants, revoked, expired (frozen clock), fail-closed revocation, Python-minted tokens,
 * a per-request manager resolver (one manager per tenant), and that no response ever echoes the token.
 * @example
 * runContractSuite('express', async (options) => serveHttp(buildApp(options)));
 */
export function runContractSuite(name: string, harness: ContractHarness): void {
  describe(`${name}: SecureToken HTTP contract`, () => {
    const manager = createTestManager();
    const mint = (permissions: readonly string[], userId = 'alice') => manager.generateToken({ userId, permissions });
    let app: TestApp;
    beforeAll(async () => {
      app = await harness({ manager, exclude: ['/health'] });
    });
    afterAll(() => app?.close());
    const get = (path: string, headers: TestRequest['headers'] = {}) => send(app, { method: 'GET', path, headers });

    it('puts the identity on the request for a valid token', async () => {
      const res = await get('/me', BEARER(mint(['read', 'x:y'], 'alice')));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ userId: 'alice', permissions: ['read', 'x:y'] });
    });

    it('treats the Bearer scheme case-insensitively', async () => {
      const token = mint(['read']);
      for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
        const res = await get('/me', { authorization: `${scheme} ${token}` });
        expect(res.status, scheme).toBe(200);
      }
    });

    it('answers 401 token_missing with a bare realm challenge when there is no token', async () => {
      for (const headers of [{}, { authorization: 'Basic YWxpY2U6c2VjcmV0' }] as TestRequest['headers'][]) {
        const res = await get('/me', headers);
        expectError(res, 401, 'token_missing');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
      }
    });

    it('answers 400 invalid_request for a malformed Authorization header', async () => {
      const token = mint(['read']);
      const malformed: TestRequest['headers'][] = [
        { authorization: 'Bearer' },
        { authorization: 'Bearer ' },
        { authorization: `Bearer ${token} extra` },
        { authorization: 'Bearer not%a{token}' },
        { authorization: [`Bearer ${token}`, `Bearer ${token}`] },
      ];
      for (const headers of malformed) {
        const res = await get('/me', headers);
        expectError(res, 400, 'invalid_request');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_request"');
      }
    });

    it('answers 401 invalid_token for a bad, tampered or wrong-key token', async () => {
      const token = mint(['read']);
      const tampered = token.slice(0, 40) + (token[40] === 'A' ? 'B' : 'A') + token.slice(41);
      const otherKey = createTestManager({ secretKey: 'Another-Secret#2026-k' }).generateToken({ userId: 'alice' });
      for (const bad of ['abc', tampered, otherKey, token.slice(0, -8)]) {
        const res = await get('/me', BEARER(bad));
        expectError(res, 401, 'invalid_token');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
      }
    });

    it('answers 401 token_expired for an expired token (frozen clocks, no sleeping)', async () => {
      const issuedEarlier = createTestManager({ now: TEST_NOW - 2 * HOUR });
      const expired = issuedEarlier.generateToken({ userId: 'alice', permissions: ['read'], expiresInHours: 1 });
      const res = await get('/me', BEARER(expired));
      expectError(res, 401, 'token_expired');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/);
    });

    it('answers 401 token_revoked for a revoked token, and for every token of a user revoked at once', async () => {
      const token = mint(['read'], 'revoked-one');
      expect((await get('/me', BEARER(token))).status).toBe(200);
      await manager.revokeToken(token);
      const res = await get('/me', BEARER(token));
      expectError(res, 401, 'token_revoked');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');

      // The store compares issue times strictly, so this token must come from an earlier instant.
      const before = createTestManager({ now: TEST_NOW - 60_000 }).generateToken({ userId: 'revoked-all' });
      await manager.revokeAllForUser('revoked-all');
      expectError(await get('/me', BEARER(before)), 401, 'token_revoked');
      expect((await get('/me', BEARER(mint(['read'], 'someone-else')))).status).toBe(200);
    });

    it('requires every permission on an all-of route', async () => {
      expect((await get('/all', BEARER(mint(['read', 'write', 'extra'])))).status).toBe(200);
      const res = await get('/all', BEARER(mint(['read'])));
      expectError(res, 403, 'permission_denied');
      expect((res.body as { required?: unknown }).required).toEqual([...ALL_OF]);
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="api", error="insufficient_scope", scope="${ALL_OF.join(' ')}"`);
    });

    it('requires one permission on an any-of route', async () => {
      expect((await get('/any', BEARER(mint(['admin'])))).status).toBe(200);
      expect((await get('/any', BEARER(mint(['user:read'])))).status).toBe(200);
      const res = await get('/any', BEARER(mint(['read', 'write'])));
      expectError(res, 403, 'permission_denied');
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="api", error="insufficient_scope", scope="${ANY_OF.join(' ')}"`);
    });

    it('lets a granted `prefix:*` cover that prefix only, and nothing else act as a wildcard', async () => {
      expect((await get('/any', BEARER(mint(['user:*'])))).status).toBe(200);
      expectError(await get('/any', BEARER(mint(['user']))), 403, 'permission_denied');
      expectError(await get('/all', BEARER(mint(['read', 'write:*']))), 403, 'permission_denied');
      expectError(await get('/all', BEARER(mint(['re*', 'wr*', '**']))), 403, 'permission_denied');
      expectError(await get('/any', BEARER(mint(['user*']))), 403, 'permission_denied');
      expectError(await get('/all', BEARER(mint(['READ', 'WRITE']))), 403, 'permission_denied');
    });

    it('answers 401 token_missing on a permission route without a token', async () => {
      expectError(await get('/all'), 401, 'token_missing');
    });

    it('skips excluded paths entirely, query string or not', async () => {
      for (const path of ['/health', '/health?probe=1']) {
        const res = await get(path, BEARER('not-a-valid-token'));
        expect(res.status, path).toBe(200);
        expect(res.body).toEqual({ status: 'ok' });
      }
    });

    it('accepts a token minted by the Python package', async () => {
      const fixtures = loadPythonFixtures();
      const pyApp = await harness({ manager: createPythonFixtureManager(), exclude: ['/health'] });
      try {
        for (const { token, payload } of fixtures.valid) {
          const res = await send(pyApp, { method: 'GET', path: '/me', headers: BEARER(token) });
          expect(res.status, payload.user_id).toBe(200);
          expect(res.body).toEqual({ userId: payload.user_id, permissions: payload.permissions });
        }
        for (const { token } of fixtures.expired) {
          expectError(await send(pyApp, { method: 'GET', path: '/me', headers: BEARER(token) }), 401, 'token_expired');
        }
        const admin = fixtures.valid.find(({ payload }) => payload.permissions.includes('admin'));
        expect(admin, 'the fixtures hold a valid admin token').toBeDefined();
        expect((await send(pyApp, { method: 'GET', path: '/any', headers: BEARER(admin!.token) })).status).toBe(200);
      } finally {
        await pyApp.close();
      }
    });

    it('refuses Python fixture tokens that are tampered, truncated or from another key', async () => {
      const fixtures = loadPythonFixtures();
      const pyApp = await harness({ manager: createPythonFixtureManager(), exclude: ['/health'] });
      try {
        const wellFormed = fixtures.invalid.filter((entry) => /^[A-Za-z0-9_-]+=*$/.test(entry.token));
        expect(wellFormed.length, 'the fixtures hold well-formed invalid tokens').toBeGreaterThan(0);
        for (const { desc, token } of wellFormed) {
          const res = await send(pyApp, { method: 'GET', path: '/me', headers: BEARER(token) });
          expect(res.status, desc).toBe(401);
          expect(res.body, desc).toMatchObject({ code: 'invalid_token' });
        }
      } finally {
        await pyApp.close();
      }
    });

    it('fails closed with 503 revocation_unavailable when the revocation store is down', async () => {
      const downManager = createTestManager({ revocationStore: createFailingStore() });
      const downApp = await harness({ manager: downManager, exclude: ['/health'] });
      try {
        const res = await send(downApp, { method: 'GET', path: '/me', headers: BEARER(downManager.generateToken({ userId: 'alice' })) });
        expectError(res, 503, 'revocation_unavailable');
        expect(res.headers['www-authenticate']).toBeUndefined();
      } finally {
        await downApp.close();
      }
    });

    describe('optional', () => {
      let optionalApp: TestApp;
      beforeAll(async () => {
        optionalApp = await harness({ manager, optional: true, exclude: ['/health'] });
      });
      afterAll(() => optionalApp?.close());
      const getOptional = (path: string, headers: TestRequest['headers'] = {}) =>
        send(optionalApp, { method: 'GET', path, headers });

      it('lets a request without a token through as anonymous', async () => {
        const res = await getOptional('/me');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ userId: null, permissions: [] });
      });

      it('still authenticates a request with a token', async () => {
        const res = await getOptional('/me', BEARER(mint(['read'], 'bob')));
        expect(res.body).toEqual({ userId: 'bob', permissions: ['read'] });
      });

      it('still refuses a bad token or a malformed header', async () => {
        expectError(await getOptional('/me', BEARER('abc')), 401, 'invalid_token');
        expectError(await getOptional('/me', { authorization: 'Bearer' }), 400, 'invalid_request');
      });

      it('still requires a token on a permission route', async () => {
        expectError(await getOptional('/all'), 401, 'token_missing');
        expect((await getOptional('/all', BEARER(mint(['read', 'write'])))).status).toBe(200);
      });
    });

    describe('getToken (token in a cookie)', () => {
      let cookieApp: TestApp;
      beforeAll(async () => {
        cookieApp = await harness({
          manager,
          exclude: ['/health'],
          getToken: (headers) => readCookie(headers.cookie, TOKEN_COOKIE),
        });
      });
      afterAll(() => cookieApp?.close());
      const getCookie = (path: string, headers: TestRequest['headers'] = {}) =>
        send(cookieApp, { method: 'GET', path, headers });

      it('reads the token where getToken says', async () => {
        const token = mint(['read'], 'carol');
        const res = await getCookie('/me', { cookie: `theme=dark; ${TOKEN_COOKIE}=${token}` });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ userId: 'carol', permissions: ['read'] });
      });

      it('ignores the Authorization header then', async () => {
        expectError(await getCookie('/me', BEARER(mint(['read']))), 401, 'token_missing');
      });

      it('refuses a bad token from the cookie', async () => {
        expectError(await getCookie('/me', { cookie: `${TOKEN_COOKIE}=abc` }), 401, 'invalid_token');
      });
    });

    describe('per-request manager resolver (one manager per tenant)', () => {
      const keyringAt = (now: number) =>
        new TenantKeyring({ resolveTenant: async (id) => TENANTS[id] ?? null, managerOptions: { now: () => now } });
      const keyring = keyringAt(TEST_NOW);
      const byHeader = keyring.resolver<ContractRequest>((req) => req.headers[TENANT_HEADER]);
      const issue = async (tenant: string, permissions: readonly string[] = ['read']) =>
        (await keyring.manager(tenant)).generateToken({ userId: `${tenant}-user`, permissions });
      let tenantApp: TestApp;
      let acme = '';
      let globex = '';
      beforeAll(async () => {
        [acme, globex] = await Promise.all([issue('acme'), issue('globex')]);
        tenantApp = await harness({
          // A plain Error, not a TokenError: what a failing database driver throws.
          manager: (req) => {
            if (req.headers[TENANT_HEADER] === BROKEN_TENANT) throw new Error('tenant database down');
            return byHeader(req);
          },
          exclude: ['/health'],
        });
      });
      afterAll(() => tenantApp?.close());
      const getTenant = (path: string, token: string | undefined, tenant?: string) =>
        send(tenantApp, {
          method: 'GET',
          path,
          headers: { ...(token === undefined ? {} : BEARER(token)), ...(tenant === undefined ? {} : { [TENANT_HEADER]: tenant }) },
        });
      const expectRefused = (res: Awaited<ReturnType<typeof getTenant>>) => {
        expectError(res, 401, 'invalid_token');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
      };

      it('accepts each tenant its own token, permissions included', async () => {
        for (const [tenant, token] of [['acme', acme], ['globex', globex]] as const) {
          const res = await getTenant('/me', token, tenant);
          expect(res.status, tenant).toBe(200);
          expect(res.body).toEqual({ userId: `${tenant}-user`, permissions: ['read'] });
        }
        expect((await getTenant('/all', await issue('acme', ALL_OF), 'acme')).status).toBe(200);
        expectError(await getTenant('/all', acme, 'acme'), 403, 'permission_denied');
      });

      it("refuses a tenant's token for another tenant, both ways, with 401 invalid_token", async () => {
        expectRefused(await getTenant('/me', acme, 'globex'));
        expectRefused(await getTenant('/me', globex, 'acme'));
      });

      it('refuses an unknown tenant and a request naming none with 401 invalid_token', async () => {
        expectRefused(await getTenant('/me', acme, 'initech'));
        expectRefused(await getTenant('/me', acme));
      });

      it('answers 401 token_expired on the tenant manager clock (frozen, no sleeping)', async () => {
        const earlier = keyringAt(TEST_NOW - 2 * HOUR);
        const expired = (await earlier.manager('acme')).generateToken({ userId: 'acme-user', expiresInHours: 1 });
        expectError(await getTenant('/me', expired, 'acme'), 401, 'token_expired');
      });

      it('answers 401 token_missing before any tenant lookup', async () => {
        const res = await getTenant('/me', undefined, BROKEN_TENANT);
        expectError(res, 401, 'token_missing');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
      });

      it('answers 500 configuration_error, without a challenge or the cause, when the resolver throws', async () => {
        const res = await getTenant('/me', acme, BROKEN_TENANT);
        expectError(res, 500, 'configuration_error');
        expect(res.headers['www-authenticate']).toBeUndefined();
        expect(JSON.stringify(res.body)).not.toContain('database');
      });
    });

    describe('custom realm', () => {
      let realmApp: TestApp;
      beforeAll(async () => {
        realmApp = await harness({ manager, realm: 'billing', exclude: ['/health'] });
      });
      afterAll(() => realmApp?.close());

      it('names the realm in every challenge', async () => {
        const missing = await send(realmApp, { method: 'GET', path: '/me' });
        expectError(missing, 401, 'token_missing');
        expect(missing.headers['www-authenticate']).toBe('Bearer realm="billing"');
        const denied = await send(realmApp, { method: 'GET', path: '/all', headers: BEARER(mint([])) });
        expect(denied.headers['www-authenticate']).toMatch(/^Bearer realm="billing", error="insufficient_scope"/);
      });
    });
  });
}
