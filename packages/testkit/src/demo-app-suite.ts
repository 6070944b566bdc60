import type { RevocationStore, SecureTokenManager } from '@securetoken/core';
import { afterEach, describe, expect, it } from 'vitest';
import { expectError, send } from './assertions';
import { createFailingStore, createTestManager, TEST_NOW } from './fixtures';
import type { TestApp } from './http-client';

/** Where a demo app reports a 500 (demo-shared's `DemoLogger`). */
export interface DemoAppLogger {
  error(message: string): void;
}

/**
 * Builds and starts a demo app (its `src/app.ts`) on `manager`, reporting 500s to `logger`;
 * see {@link runDemoAppSuite}.
 */
export type DemoAppHarness = (manager: SecureTokenManager, options: { readonly logger: DemoAppLogger }) => Promise<TestApp>;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Registers the demo checks that need an injected manager, so they cannot run against a child
 * process: expiry on a frozen clock, a revocation store that is down (on the check, and only on
 * writes so refresh and logout fail after authentication), and the `{ error, code }` shape of
 * the demo's own errors (unknown route, invalid and duplicate users), and a bug answered 500
 * `internal_error` and logged by the error's name alone.
 * @example
 * runDemoAppSuite('express-demo', async (manager, options) => serveHttp(createApp(manager, options)));
 */
export function runDemoAppSuite(name: string, harness: DemoAppHarness): void {
  describe(`${name}: the app on an injected manager`, () => {
    const running: TestApp[] = [];
    const logged: string[] = [];
    const logger: DemoAppLogger = { error: (message) => logged.push(message) };
    const start = async (manager: SecureTokenManager) => {
      const app = await harness(manager, { logger });
      running.push(app);
      return app;
    };
    afterEach(async () => {
      logged.length = 0;
      await Promise.all(running.splice(0).map((app) => app.close()));
    });

    it('answers 401 token_expired to a token past its lifetime', async () => {
      const app = await start(createTestManager());
      const old = createTestManager({ now: TEST_NOW - 25 * 3_600_000 }).generateToken({ userId: 'user', permissions: ['read'] });
      const res = await send(app, { method: 'GET', path: '/api/profile', headers: bearer(old) });
      expectError(res, 401, 'token_expired');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token", error_description="[^"]+"/);
    });

    it('fails closed with 503 revocation_unavailable when the revocation store is down; login still works', async () => {
      const manager = createTestManager({ revocationStore: createFailingStore() });
      const app = await start(manager);
      const token = manager.generateToken({ userId: 'user', permissions: ['read'] });
      const res = await send(app, { method: 'GET', path: '/api/profile', headers: bearer(token) });
      expectError(res, 503, 'revocation_unavailable');
      expect(res.headers['www-authenticate']).toBeUndefined();
      const login = await send(app, { method: 'POST', path: '/api/login', body: { username: 'user', password: 'user123' } });
      expect(login.status).toBe(200);
    });

    it('answers 503 revocation_unavailable when refresh or logout cannot record the revocation', async () => {
      const down = createFailingStore();
      const writesDown: RevocationStore = { ...down, isRevoked: () => Promise.resolve(false) };
      const manager = createTestManager({ revocationStore: writesDown });
      const app = await start(manager);
      const token = manager.generateToken({ userId: 'user', permissions: ['read'] });
      for (const path of ['/api/refresh', '/api/logout']) {
        expectError(await send(app, { method: 'POST', path, headers: bearer(token) }), 503, 'revocation_unavailable');
      }
    });

    it('answers its own errors as { error, code }: unknown route, invalid and duplicate user', async () => {
      const manager = createTestManager();
      const app = await start(manager);
      const admin = bearer(manager.generateToken({ userId: 'admin', permissions: ['user:create'] }));
      expectError(await send(app, { method: 'GET', path: '/api/nothing-here', headers: admin }), 404, 'not_found');
      const create = (body: unknown) => send(app, { method: 'POST', path: '/api/users', headers: admin, body });
      expectError(await create({ username: 'no spaces allowed' }), 400, 'invalid_request');
      expect((await create({ username: 'erin' })).status).toBe(201);
      expectError(await create({ username: 'erin' }), 409, 'conflict');
      expect(logged).toEqual([]);
    });

    it('answers a bug with 500 internal_error and logs its name only, never its message or the token', async () => {
      const manager = createTestManager();
      const token = manager.generateToken({ userId: 'user', permissions: ['read'] });
      manager.verify = () => Promise.reject(new TypeError(`bug while reading ${token}`));
      const app = await start(manager);
      const res = await send(app, { method: 'GET', path: '/api/profile', headers: bearer(token) });
      expectError(res, 500, 'internal_error');
      expect(JSON.stringify(res.body)).not.toContain('bug');
      expect(logged).toEqual(['internal_error: TypeError']);
    });
  });
}
