import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_OF,
  ANY_OF,
  createTestManager,
  expectError,
  runContractSuite,
  sendHttp,
  toTestResponse,
  type ContractAppOptions,
  type TestApp,
  type TestRequest,
} from '@securetoken/testkit';
import { InvalidTokenError, RevocationUnavailableError } from '@securetoken/core';
import { secureToken, type SecureTokenOptions } from '../src/index';

async function contractApp(options: ContractAppOptions): Promise<FastifyInstance> {
  const { getToken, ...rest } = options;
  const app = Fastify();
  await app.register(secureToken, { ...rest, getToken: getToken && ((request) => getToken(request.headers)) });
  app.addHook('onRequest', app.authenticate);
  app.get('/me', async (request) => ({ userId: request.auth?.userId ?? null, permissions: request.auth?.permissions ?? [] }));
  app.get('/all', { config: { permissions: ALL_OF } }, async (request) => ({ userId: request.auth.userId }));
  app.get('/any', { preHandler: app.requireAnyPermission(...ANY_OF) }, async (request) => ({ userId: request.auth.userId }));
  app.get('/health', async () => ({ status: 'ok' }));
  await app.ready();
  return app;
}

function injected(app: FastifyInstance): TestApp {
  return {
    async send(req: TestRequest) {
      const res = await app.inject({
        method: req.method as 'GET',
        url: req.path,
        headers: req.headers as Record<string, string | string[]>,
        ...(req.body === undefined ? {} : { payload: req.body as string }),
      });
      return toTestResponse(res.statusCode, res.headers, res.body);
    },
    close: () => app.close(),
  };
}

runContractSuite('fastify (inject)', async (options) => injected(await contractApp(options)));

runContractSuite('fastify (real socket)', async (options) => {
  const app = await contractApp(options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  return { send: (req) => sendHttp(`http://127.0.0.1:${address.port}`, req), close: () => app.close() };
});

describe('fastify plugin', () => {
  const manager = createTestManager();
  const bearer = (permissions: string[]) => ({ authorization: `Bearer ${manager.generateToken({ userId: 'alice', permissions })}` });

  it('validates options at registration', async () => {
    const app = Fastify();
    await expect(app.register(secureToken, {} as SecureTokenOptions).ready()).rejects.toThrow(TypeError);
    const bad = Fastify();
    await expect(bad.register(secureToken, { manager, exclude: 'health' as never }).ready()).rejects.toThrow(TypeError);
  });

  it('refuses a bad permission list when the route is declared', async () => {
    const app = Fastify();
    await app.register(secureToken, { manager });
    expect(() => app.get('/x', { config: { permissions: [] } }, async () => 'x')).toThrow(TypeError);
    expect(() => app.requirePermissions()).toThrow(TypeError);
    await app.close();
  });

  it('is registered once with its name, and never sets an error handler', async () => {
    const app = Fastify();
    await app.register(secureToken, { manager });
    await app.ready();
    expect(app.hasPlugin('@securetoken/fastify')).toBe(true);
    expect(app.hasRequestDecorator('auth')).toBe(true);
    expect(app.errorHandler).toBe(Fastify().errorHandler);
    await app.close();
  });

  describe('SecureToken errors thrown by route handlers', () => {
    let fastify: FastifyInstance;
    const seen: string[] = [];
    beforeAll(async () => {
      fastify = Fastify();
      await fastify.register(secureToken, { manager });
      // The app's own handler: it must still get every other error, and never a SecureToken one.
      fastify.setErrorHandler((error: Error, _request, reply) => {
        seen.push(error.name);
        return reply.code(500).send({ error: 'app handler', code: 'app' });
      });
      fastify.post('/logout', async () => {
        throw new RevocationUnavailableError();
      });
      fastify.get('/denied', { onRequest: fastify.authenticate }, async (request) => {
        manager.checkPermission(request.headers.authorization?.slice('Bearer '.length) ?? '', 'admin');
        return { ok: true };
      });
      fastify.get('/bug', async () => {
        throw new TypeError('boom');
      });
      fastify.get('/own', { errorHandler: (_error, _request, reply) => reply.code(418).send({ own: true }) }, async () => {
        throw new InvalidTokenError();
      });
      await fastify.ready();
    });
    afterAll(() => fastify?.close());

    it('answers them with core\'s response, headers included', async () => {
      const down = await fastify.inject({ method: 'POST', url: '/logout' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ error: expect.any(String), code: 'revocation_unavailable' });
      const denied = await fastify.inject({ url: '/denied', headers: bearer(['read']) });
      expect(denied.statusCode).toBe(403);
      expect(denied.json()).toMatchObject({ code: 'permission_denied', required: ['admin'] });
      expect(denied.headers['www-authenticate']).toBe('Bearer realm="api", error="insufficient_scope", scope="admin"');
      expect(seen).toEqual([]);
    });

    it('passes every other error to the app\'s handler, and leaves a route\'s own handler alone', async () => {
      const bug = await fastify.inject({ url: '/bug' });
      expect(bug.json()).toEqual({ error: 'app handler', code: 'app' });
      expect(seen).toEqual(['TypeError']);
      const own = await fastify.inject({ url: '/own' });
      expect(own.statusCode).toBe(418);
      expect(fastify.errorHandler).not.toBe(Fastify().errorHandler);
    });

    it('leaves thrown errors to the app when onError is given', async () => {
      const app = Fastify();
      await app.register(secureToken, { manager, onError: (error) => Promise.reject(error) });
      app.get('/x', async () => {
        throw new RevocationUnavailableError();
      });
      const res = await app.inject({ url: '/x' });
      // Fastify's default handler, with the status the error carries.
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ statusCode: 503, code: 'revocation_unavailable' });
      await app.close();
    });
  });

  describe('route-level config and scopes', () => {
    let app: TestApp;
    beforeAll(async () => {
      const fastify = Fastify();
      await fastify.register(secureToken, { manager });
      fastify.get('/open', async (request) => ({ auth: request.auth }));
      fastify.get('/admin', { config: { permissions: ['admin'] } }, async (request) => ({ userId: request.auth.userId }));
      fastify.get('/either', { config: { anyPermissions: ['admin', 'ops'] } }, async () => ({ ok: true }));
      fastify.post('/body', { config: { permissions: ['write'] } }, async (request) => ({ got: request.body }));
      await fastify.register(async (scope) => {
        scope.addHook('onRequest', scope.authenticate);
        scope.get('/scoped/me', async (request) => ({ userId: request.auth.userId }));
      });
      const delegated = Fastify();
      await delegated.register(secureToken, {
        manager,
        onError: (error) => {
          throw error;
        },
      });
      delegated.get('/me', { onRequest: delegated.authenticate }, async () => ({ ok: true }));
      fastify.get('/delegated', async (request, reply) => {
        const res = await delegated.inject({ url: '/me', headers: { authorization: request.headers.authorization ?? '' } });
        return reply.code(res.statusCode).send(res.json());
      });
      fastify.addHook('onClose', () => delegated.close());
      app = injected(fastify);
    });
    afterAll(() => app?.close());

    it('leaves routes without auth config alone, with request.auth null', async () => {
      const res = await app.send({ method: 'GET', path: '/open' });
      expect(res).toMatchObject({ status: 200, body: { auth: null } });
    });

    it('authenticates and checks permissions declared in route config', async () => {
      expectError(await app.send({ method: 'GET', path: '/admin' }), 401, 'token_missing');
      expectError(await app.send({ method: 'GET', path: '/admin', headers: bearer(['read']) }), 403, 'permission_denied');
      expect((await app.send({ method: 'GET', path: '/admin', headers: bearer(['admin']) })).body).toEqual({ userId: 'alice' });
      expect((await app.send({ method: 'GET', path: '/either', headers: bearer(['ops']) })).status).toBe(200);
    });

    it('refuses before the body is parsed', async () => {
      const res = await app.send({ method: 'POST', path: '/body', headers: { 'content-type': 'application/json' }, body: '{not json' });
      expectError(res, 401, 'token_missing');
      const ok = await app.send({ method: 'POST', path: '/body', headers: bearer(['write']), body: { a: 1 } });
      expect(ok.body).toEqual({ got: { a: 1 } });
    });

    it('authenticates an encapsulated scope with addHook', async () => {
      expectError(await app.send({ method: 'GET', path: '/scoped/me' }), 401, 'token_missing');
      expect((await app.send({ method: 'GET', path: '/scoped/me', headers: bearer([]) })).body).toEqual({ userId: 'alice' });
    });

    it('lets onError throw to Fastify’s error handler, with status from the error', async () => {
      const res = await app.send({ method: 'GET', path: '/delegated', headers: { authorization: 'Bearer abc' } });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'invalid_token' });
    });
  });
});
