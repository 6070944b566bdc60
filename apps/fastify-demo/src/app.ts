import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { SecureTokenManager } from '@securetoken/core';
import { createDemoApi, demoError, errorReply, PUBLIC_PATHS, type DemoLogger, type DemoReply } from '@securetoken/demo-shared';
import { secureToken } from '@securetoken/fastify';

function send(reply: FastifyReply, result: DemoReply): FastifyReply {
  return reply.code(result.status).headers(result.headers ?? {}).send(result.body);
}

/**
 * The demo API on Fastify: login, profile, admin and user routes, refresh and logout. A 500 is
 * told to `logger`.
 * @example
 * const app = await createApp(SecureTokenManager.fromEnv(), { logger: console });
 * await app.listen({ port: 3000 });
 */
export async function createApp(manager: SecureTokenManager, { logger }: { readonly logger?: DemoLogger } = {}): Promise<FastifyInstance> {
  const api = createDemoApi(manager);
  const app = Fastify();
  await app.register(secureToken, { manager, exclude: PUBLIC_PATHS });
  // onRequest runs before the body is parsed: a request without a valid token is never read.
  app.addHook('onRequest', app.authenticate);
  // The plugin answers core errors, thrown by a route too (say, token_revoked on a racing
  // refresh); the app owns the rest: bad JSON and bugs answer `{ error, code }`.
  app.setErrorHandler((error, _request, reply) => send(reply, errorReply(error, logger)));
  app.setNotFoundHandler((_request, reply) => send(reply, demoError(404, 'not_found')));

  app.get('/health', (_request, reply) => send(reply, api.health()));
  app.post('/api/login', async (request, reply) => send(reply, await api.login(request.body)));
  app.get('/api/profile', (request, reply) => send(reply, api.profile(request.auth)));
  app.get('/api/admin/users', { config: { permissions: ['admin'] } }, (_request, reply) => send(reply, api.adminUsers()));
  app.get('/api/users', { config: { permissions: ['user:read'] } }, (_request, reply) => send(reply, api.listUsers()));
  app.post('/api/users', { config: { permissions: ['user:create'] } }, (request, reply) =>
    send(reply, api.createUser(request.auth, request.body)),
  );
  app.post('/api/refresh', async (request, reply) => send(reply, await api.refresh(request.raw)));
  app.post('/api/logout', async (request, reply) => send(reply, await api.logout(request.raw)));
  return app;
}
