import { createServer } from 'node:http';
import express, { type Express } from 'express';
import request from 'supertest';
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

function contractApp(options: ContractAppOptions): Express {
  const { getToken, ...rest } = options;
  const app = express();
  app.use(authenticate({ ...rest, getToken: getToken && ((req) => getToken(req.headers)) }));
  app.get('/me', (req, res) => {
    res.json({ userId: req.auth?.userId ?? null, permissions: req.auth?.permissions ?? [] });
  });
  app.get('/all', requirePermissions(...ALL_OF), (req, res) => {
    res.json({ userId: req.auth.userId });
  });
  app.get('/any', requireAnyPermission(...ANY_OF), (req, res) => {
    res.json({ userId: req.auth.userId });
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return app;
}

runContractSuite('express', async (options) => serveHttp(contractApp(options)));

describe('express adapter', () => {
  const manager = createTestManager();
  const token = manager.generateToken({ userId: 'alice', permissions: ['read'] });

  it('validates options when the middleware is created', () => {
    expect(() => authenticate({} as SecureTokenOptions)).toThrow(TypeError);
    expect(() => authenticate({ manager, optional: 'yes' } as unknown as SecureTokenOptions)).toThrow(TypeError);
    expect(() => authenticate({ manager, realm: 'a"b' })).toThrow(TypeError);
    expect(() => requirePermissions()).toThrow(TypeError);
    expect(() => requireAnyPermission('' as string)).toThrow(TypeError);
  });

  describe('per-route mounting, onError and the error handler', () => {
    let app: TestApp;
    beforeAll(async () => {
      const api = express();
      const onErrorSeen: string[] = [];
      api.get('/public', (_req, res) => {
        res.json({ public: true });
      });
      api.get('/profile', authenticate({ manager }), (req, res) => {
        res.json({ userId: req.auth.userId });
      });
      api.get('/no-auth-mounted', requirePermissions('read'), (_req, res) => {
        res.json({ reached: true });
      });
      api.get(
        '/delegated',
        authenticate({ manager, realm: 'custom', onError: (error, _req, _res, next) => {
          onErrorSeen.push((error as { code: string }).code);
          next(error);
        } }),
        (_req, res) => {
          res.json({ ok: true });
        },
      );
      api.get('/seen', (_req, res) => {
        res.json(onErrorSeen);
      });
      // Express 5 forwards the rejection of an async handler to the error middlewares.
      api.post('/rotate', async (req, res) => {
        res.json({ token: await manager.rotateToken(String(req.headers['x-token'])) });
      });
      api.get('/boom', () => {
        throw new Error('not ours');
      });
      api.use(errorHandler());
      api.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(500).json({ other: error.message });
      });
      app = await serveHttp(api);
    });
    afterAll(() => app?.close());

    it('leaves routes without the middleware alone', async () => {
      expect((await app.send({ method: 'GET', path: '/public' })).status).toBe(200);
    });

    it('authenticates a single route', async () => {
      const res = await app.send({ method: 'GET', path: '/profile', headers: { authorization: `Bearer ${token}` } });
      expect(res.body).toEqual({ userId: 'alice' });
      expectError(await app.send({ method: 'GET', path: '/profile' }), 401, 'token_missing');
    });

    it('fails closed when requirePermissions runs without authenticate', async () => {
      const res = await app.send({ method: 'GET', path: '/no-auth-mounted', headers: { authorization: `Bearer ${token}` } });
      expectError(res, 401, 'token_missing');
    });

    it('hands errors to onError, which can pass them to errorHandler() keeping the realm', async () => {
      const res = await app.send({ method: 'GET', path: '/delegated', headers: { authorization: 'Bearer abc' } });
      expectError(res, 401, 'invalid_token');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="custom", error="invalid_token"');
      expect((await app.send({ method: 'GET', path: '/seen' })).body).toEqual(['invalid_token']);
    });

    it('answers SecureToken errors thrown in handlers through errorHandler()', async () => {
      const own = manager.generateToken({ userId: 'dave' });
      const first = await app.send({ method: 'POST', path: '/rotate', headers: { 'x-token': own } });
      expect(first.status).toBe(200);
      const again = await app.send({ method: 'POST', path: '/rotate', headers: { 'x-token': own } });
      expectError(again, 401, 'token_revoked');
      expect(again.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    });

    it('passes other errors on', async () => {
      const res = await app.send({ method: 'GET', path: '/boom' });
      expect(res).toMatchObject({ status: 500, body: { other: 'not ours' } });
    });
  });

  it('works through supertest on a server bound to 127.0.0.1', async () => {
    const server = createServer(contractApp({ manager, exclude: ['/health'] }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await request(server).get('/all').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'Insufficient permissions', code: 'permission_denied', required: ['read', 'write'] });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="insufficient_scope", scope="read write"');
    } finally {
      server.close();
    }
  });
});
