import type { FastifyInstance } from 'fastify';
import { buildService, serviceClaims, type ServiceOptions } from './services';

const PROFILES: Readonly<Record<string, { name: string; email: string }>> = {
  alice: { name: 'Alice Example', email: 'alice@example.test' },
  bob: { name: 'Bob Example', email: 'bob@example.test' },
};

/** `user-service`: profiles, for gateway-issued service tokens with `user:read`. */
export async function buildUserService(options: ServiceOptions): Promise<FastifyInstance> {
  const app = await buildService('user-service', options);

  app.get('/users/me', { config: { permissions: ['user:read'] } }, async (request) => {
    const claims = serviceClaims(request);
    return profile(claims.userId, claims.service.issuer);
  });

  app.get<{ Params: { id: string } }>('/users/:id', { config: { permissions: ['user:read'] } }, async (request, reply) => {
    if (!Object.hasOwn(PROFILES, request.params.id)) return reply.code(404).send({ error: 'User not found', code: 'not_found' });
    return profile(request.params.id, serviceClaims(request).service.issuer);
  });

  return app;
}

function profile(id: string, via: string): Record<string, string> {
  const known = Object.hasOwn(PROFILES, id) ? PROFILES[id] : undefined;
  return { id, name: known?.name ?? id, email: known?.email ?? '', via };
}
