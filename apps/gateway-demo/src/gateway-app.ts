import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  extractBearerToken,
  InvalidTokenError,
  isServiceToken,
  issueServiceToken,
  TokenMissingError,
  type SecureTokenManager,
  type TokenVerifier,
} from '@securetoken/core';
import { secureToken } from '@securetoken/fastify';

/** The services behind the gateway, by name (the audience of their service tokens). */
export type ServiceName = 'user-service' | 'payment-service';

/** Options of {@link buildGateway}. */
export interface GatewayOptions {
  /** Verifies users' tokens and issues service tokens (same secret as the services). */
  readonly manager: SecureTokenManager;
  /** Base URL of each service, e.g. `{ 'user-service': 'http://127.0.0.1:3001' }`. */
  readonly services: Readonly<Record<ServiceName, string>>;
  /** Longest wait for a service, in ms; default 5000. */
  readonly upstreamTimeoutMs?: number;
  readonly logger?: boolean | { level: string };
}

/** The gateway's name: the issuer every service allows. */
export const GATEWAY = 'gateway';

interface Route {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly service: ServiceName;
  readonly permissions: readonly string[];
}

// The gateway checks each route's permission at the edge (fast 403, no hop) and the service
// checks it again: neither trusts the other to have done it.
const ROUTES: readonly Route[] = [
  { method: 'GET', url: '/api/users/me', service: 'user-service', permissions: ['user:read'] },
  { method: 'GET', url: '/api/users/:id', service: 'user-service', permissions: ['user:read'] },
  { method: 'GET', url: '/api/payments', service: 'payment-service', permissions: ['payment:read'] },
  { method: 'POST', url: '/api/payments', service: 'payment-service', permissions: ['payment:create'] },
];

const BAD_GATEWAY = { error: 'Service unavailable', code: 'bad_gateway' } as const;

/**
 * The API gateway: authenticates the user's token, exchanges it for a 5-minute service token
 * for the one service the route goes to (carrying the user and only the route's permissions),
 * and forwards the call over HTTP. Service tokens presented here are refused: they are only for
 * the mesh. SecureToken errors, thrown by a route too, are answered by the plugin with core's
 * response; a service's failure is a 502 `bad_gateway` that passes none of its body on.
 */
export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const { manager, services, upstreamTimeoutMs = 5000, logger = false } = options;
  const app = Fastify({ logger });

  const userTokens: TokenVerifier = {
    async verify(token) {
      const claims = await manager.verify(token);
      if (isServiceToken(claims)) throw new InvalidTokenError();
      return claims;
    },
  };
  await app.register(secureToken, { manager: userTokens, exclude: ['/health'] });
  app.addHook('onRequest', app.authenticate);

  app.get('/health', async () => ({ status: 'ok', service: GATEWAY }));

  // Logout revokes the user's token at the edge; its service tokens expire within 5 minutes,
  // or at once with revokeAllForUser and a revocation store shared with the services. A store
  // that is down fails closed: the plugin answers the thrown 503 revocation_unavailable.
  app.post('/api/logout', async (request, reply) => {
    // authenticate has verified this very header, so the token is there; the check is for types.
    const token = extractBearerToken(request.raw);
    if (token === null) throw new TokenMissingError();
    await manager.revokeToken(token);
    return reply.code(204).send();
  });

  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      config: { permissions: route.permissions },
      handler: (request, reply) => forward(route, request, reply),
    });
  }

  async function forward({ service, permissions }: Route, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    // Only the route's permissions, not all of the user's: a service token leaked or replayed
    // inside the mesh can do no more than this one call. It throws token_expired for a user
    // token with no time left, which the plugin answers like any other token error.
    const token = issueServiceToken(manager, { source: GATEWAY, target: service, user: request.auth, permissions });
    let response: Response;
    let body: string;
    try {
      response = await fetch(`${services[service]}${request.url.slice('/api'.length)}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'x-request-id': request.id,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(upstreamTimeoutMs),
      });
      body = await response.text();
    } catch (error) {
      request.log.warn({ service, err: (error as Error).name }, 'service unreachable');
      return reply.code(502).send(BAD_GATEWAY);
    }
    // A service refusing the gateway's own credential is our misconfiguration, not the
    // client's bad token: a 401 passed through would make the client drop a good token.
    if (response.status === 401) {
      request.log.error({ service }, 'service refused the gateway service token');
      return reply.code(502).send(BAD_GATEWAY);
    }
    // A service's 5xx body may carry its internals (an error message, a stack): never passed on.
    if (response.status >= 500) {
      request.log.error({ service, status: response.status }, 'service failed');
      return reply.code(502).send(BAD_GATEWAY);
    }
    const challenge = response.headers.get('www-authenticate');
    if (challenge && response.status === 403) void reply.header('www-authenticate', challenge);
    return reply
      .code(response.status)
      .type(response.headers.get('content-type') ?? 'application/json')
      .send(body);
  }

  return app;
}
