import { describe, expect, it } from 'vitest';
import { expectError, send } from './assertions';
import { loadPythonFixtures } from './fixtures';
import { sendHttp, type TestApp, type TestRequest } from './http-client';

/** Options of {@link runDemoFlow}. */
export interface DemoFlowOptions {
  /** Where the running demo listens, e.g. `http://127.0.0.1:3123`; a function when known only after start-up. */
  readonly baseUrl: string | (() => string);
  /**
   * Set when the demo runs with the Python fixture's secret and salt (`SECURE_TOKEN_SECRET_KEY`,
   * `SECURE_TOKEN_SALT`): the longest-lived Python-minted token must open `/api/profile` (and
   * `/api/admin/users` when it grants `admin`). Fails, never skips, once it has expired by the wall clock.
   */
  readonly pythonFixture?: boolean;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// Login and refresh answer `{ access_token, token_type: "Bearer", expires_in }` (OAuth 2.0 style);
// a bare `{ token }` is still accepted.
function tokenOf(body: unknown): string {
  const { access_token: accessToken, token, token_type: tokenType, expires_in: expiresIn } = (body ?? {}) as Record<string, unknown>;
  if (accessToken !== undefined) {
    expect(tokenType).toBe('Bearer');
    expect(expiresIn).toBeGreaterThan(0);
  }
  const found = accessToken ?? token;
  expect(typeof found, 'a token in the body').toBe('string');
  return found as string;
}

/**
 * Registers the demo-app checks (DESIGN.md "Demo apps") as vitest blocks, run over real HTTP
 * against a demo that is already listening: health, login errors, the `user` and `admin`
 * flows, refresh (the old token is then revoked) and logout (the token then gets `token_revoked`).
 * @example
 * let url = '';
 * beforeAll(async () => { url = await startDemoProcess(); });
 * runDemoFlow('express-demo', { baseUrl: () => url });
 */
export function runDemoFlow(name: string, options: DemoFlowOptions): void {
  const app: TestApp = {
    send: (request) => sendHttp(typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl, request),
    close: async () => undefined,
  };
  const call = (method: string, path: string, headers: TestRequest['headers'] = {}, body?: unknown) =>
    send(app, { method, path, headers, body });
  const login = async (username: string, password: string) => {
    const res = await call('POST', '/api/login', {}, { username, password });
    expect(res.status, `login as ${username}`).toBe(200);
    return tokenOf(res.body);
  };

  describe(`${name}: demo flow`, () => {
    it('serves /health without a token', async () => {
      expect((await call('GET', '/health')).status).toBe(200);
    });

    it('answers 400 to a login with a body that is not JSON', async () => {
      const res = await call('POST', '/api/login', { 'content-type': 'application/json' }, '{"username": "admin",');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: expect.any(String), code: expect.any(String) });
    });

    it('answers 401 to a login with wrong credentials', async () => {
      expect((await call('POST', '/api/login', {}, { username: 'admin', password: 'wrong' })).status).toBe(401);
      expect((await call('POST', '/api/login', {}, { username: 'nobody', password: 'admin123' })).status).toBe(401);
    });

    it('answers 401 token_missing on /api/profile without a token', async () => {
      const res = await call('GET', '/api/profile');
      expectError(res, 401, 'token_missing');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]*"$/);
    });

    it('lets `user` see its profile but not the admin or user-management routes', async () => {
      const token = await login('user', 'user123');
      const profile = await call('GET', '/api/profile', bearer(token));
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ user_id: 'user', permissions: ['read', 'write'] });
      expect(typeof (profile.body as { expires_at?: unknown }).expires_at).toBe('string');

      const admin = await call('GET', '/api/admin/users', bearer(token));
      expectError(admin, 403, 'permission_denied');
      expect(admin.headers['www-authenticate']).toMatch(/error="insufficient_scope", scope="admin"/);
      expectError(await call('GET', '/api/users', bearer(token)), 403, 'permission_denied');
      expectError(await call('POST', '/api/users', bearer(token), { username: 'carol' }), 403, 'permission_denied');
    });

    it('lets `admin` use every route, then refresh (revoking the old token) and log out', async () => {
      const token = await login('admin', 'admin123');
      const profile = await call('GET', '/api/profile', bearer(token));
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ user_id: 'admin' });
      expect((profile.body as { permissions: string[] }).permissions).toEqual(
        expect.arrayContaining(['read', 'write', 'admin', 'delete', 'user:read', 'user:create']),
      );
      expect((await call('GET', '/api/admin/users', bearer(token))).status).toBe(200);
      expect((await call('GET', '/api/users', bearer(token))).status).toBe(200);
      expect((await call('POST', '/api/users', bearer(token), { username: 'carol' })).status).toBe(201);

      const refreshed = await call('POST', '/api/refresh', bearer(token));
      expect(refreshed.status).toBe(200);
      const fresh = tokenOf(refreshed.body);
      expect(fresh).not.toBe(token);
      expectError(await call('GET', '/api/profile', bearer(token)), 401, 'token_revoked');
      expect((await call('GET', '/api/profile', bearer(fresh))).status).toBe(200);

      const logout = await call('POST', '/api/logout', bearer(fresh));
      expect(logout.status).toBeGreaterThanOrEqual(200);
      expect(logout.status).toBeLessThan(300);
      expectError(await call('GET', '/api/profile', bearer(fresh)), 401, 'token_revoked');
    });

    if (options.pythonFixture) {
      // A child process runs on the wall clock, so the fixture token used is the one that lives
      // longest; once even that one has expired the check fails (re-mint the fixtures), never skips.
      const [longest] = [...loadPythonFixtures().valid].sort(
        (a, b) => Date.parse(`${b.payload.expires_at}Z`) - Date.parse(`${a.payload.expires_at}Z`),
      );
      it('accepts a token minted by the Python package with the same secret', async () => {
        const { token, payload } = longest as NonNullable<typeof longest>;
        // The fixtures were minted on a UTC machine, so their naive times are UTC.
        expect(Date.parse(`${payload.expires_at}Z`), `Python fixture tokens expired at ${payload.expires_at} UTC: re-mint them`)
          .toBeGreaterThan(Date.now() + 60_000);
        const res = await call('GET', '/api/profile', bearer(token));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ user_id: payload.user_id, permissions: payload.permissions });
        const admin = await call('GET', '/api/admin/users', bearer(token));
        expect(admin.status).toBe(payload.permissions.includes('admin') ? 200 : 403);
      });
    }
  });
}
