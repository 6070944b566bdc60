import Koa, { type Context, type Middleware } from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_OF,
  ANY_OF,
  createTestManager,
  expectError,
  runContractSuite,
  serveHttp,
  type ContractAppOptions,
  type TestApp,
} from '@securetoken/testkit';
import { authenticate, errorHandler, requireAnyPermission, requirePermissions, type SecureTokenOptions } from '../src/index';

/** The smallest router the tests need: Koa ships none. */
function route(method: string, path: string, ...handlers: Middleware[]): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== method || ctx.path !== path) return next();
    const run = async (index: number): Promise<void> => {
      await handlers[index]?.(ctx as never, () => run(index + 1));
    };
    await run(0);
  };
}

function contractApp(options: ContractAppOptions): Koa {
  const { getToken, ...rest } = options;
  const app = new Koa();
  app.use(authenticate({ ...rest, getToken: getToken && ((ctx) => getToken(ctx.headers)) }));
  app.use(route('GET', '/me', async (ctx) => {
    ctx.body = { userId: ctx.state.auth?.userId ?? null, permissions: ctx.state.auth?.permissions ?? [] };
  }));
  app.use(route('GET', '/all', requirePermissions(...ALL_OF), async (ctx) => {
    ctx.body = { userId: ctx.state.auth.userId };
  }));
  app.use(route('GET', '/any', requireAnyPermission(...ANY_OF), async (ctx) => {
    ctx.body = { userId: ctx.state.auth.userId };
  }));
  app.use(route('GET', '/health', async (ctx) => {
    ctx.body = { status: 'ok' };
  }));
  return app;
}

runContractSuite('koa', async (options) => serveHttp(contractApp(options).callback()));

describe('koa adapter', () => {
  const manager = createTestManager();
  const token = manager.generateToken({ userId: 'alice', permissions: ['read'] });

  it('validates options when the middleware is created', () => {
    expect(() => authenticate({} as SecureTokenOptions)).toThrow(TypeError);
    expect(() => authenticate({ manager, getToken: 'cookie' } as unknown as SecureTokenOptions)).toThrow(TypeError);
    expect(() => requirePermissions()).toThrow(TypeError);
    expect(() => requireAnyPermission(1 as unknown as string)).toThrow(TypeError);
  });

  describe('per-route use, onError and the error handler', () => {
    let app: TestApp;
    const seen: string[] = [];
    beforeAll(async () => {
      const koa = new Koa();
      koa.silent = true;
      koa.use(errorHandler());
      koa.use(route('GET', '/profile', authenticate({ manager }), async (ctx) => {
        ctx.body = { userId: ctx.state.auth.userId };
      }));
      koa.use(route('GET', '/no-auth-mounted', requirePermissions('read'), async (ctx) => {
        ctx.body = { reached: true };
      }));
      koa.use(route('GET', '/delegated', authenticate({
        manager,
        realm: 'custom',
        onError: (error: unknown, ctx: Context) => {
          seen.push((error as { code: string }).code);
          ctx.status = 418;
          ctx.body = { teapot: true };
        },
      }), async (ctx) => {
        ctx.body = { ok: true };
      }));
      koa.use(route('POST', '/rotate', async (ctx) => {
        ctx.body = { token: await manager.rotateToken(String(ctx.get('x-token'))) };
      }));
      koa.use(route('GET', '/boom', async () => {
        throw new Error('not ours');
      }));
      app = await serveHttp(koa.callback());
    });
    afterAll(() => app?.close());

    it('authenticates a single route', async () => {
      expect((await app.send({ method: 'GET', path: '/profile', headers: { authorization: `Bearer ${token}` } })).body).toEqual({ userId: 'alice' });
      expectError(await app.send({ method: 'GET', path: '/profile' }), 401, 'token_missing');
    });

    it('fails closed when requirePermissions runs without authenticate', async () => {
      const res = await app.send({ method: 'GET', path: '/no-auth-mounted', headers: { authorization: `Bearer ${token}` } });
      expectError(res, 401, 'token_missing');
    });

    it('hands errors to onError instead of answering', async () => {
      const res = await app.send({ method: 'GET', path: '/delegated', headers: { authorization: 'Bearer abc' } });
      expect(res).toMatchObject({ status: 418, body: { teapot: true } });
      expect(seen).toEqual(['invalid_token']);
    });

    it('answers SecureToken errors thrown further down through errorHandler()', async () => {
      const own = manager.generateToken({ userId: 'dave' });
      expect((await app.send({ method: 'POST', path: '/rotate', headers: { 'x-token': own } })).status).toBe(200);
      const again = await app.send({ method: 'POST', path: '/rotate', headers: { 'x-token': own } });
      expectError(again, 401, 'token_revoked');
      expect(again.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    });

    it('rethrows other errors', async () => {
      expect((await app.send({ method: 'GET', path: '/boom' })).status).toBe(500);
    });
  });
});
