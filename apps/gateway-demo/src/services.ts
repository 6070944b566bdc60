import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { serviceTokenVerifier, type ServiceTokenClaims, type TokenVerifier } from '@securetoken/core';
import { secureToken } from '@securetoken/fastify';
import { GATEWAY, type ServiceName } from './gateway-app';

/** Options of the services' app builders. */
export interface ServiceOptions {
  /** The manager holding the secret shared with the gateway. */
  readonly manager: TokenVerifier;
  /** Services allowed to call this one; default only the gateway. */
  readonly allowedIssuers?: readonly string[];
  readonly logger?: boolean | { level: string };
}

/**
 * A Fastify app that accepts only service tokens for `audience` from `allowedIssuers`: a user's
 * own token, or one the gateway issued for another service, is `invalid_token` (401).
 */
export async function buildService(audience: ServiceName, options: ServiceOptions): Promise<FastifyInstance> {
  const { manager, allowedIssuers = [GATEWAY], logger = false } = options;
  const app = Fastify({ logger });
  await app.register(secureToken, { manager: serviceTokenVerifier(manager, { audience, allowedIssuers }), exclude: ['/health'] });
  app.addHook('onRequest', app.authenticate);
  app.get('/health', async () => ({ status: 'ok', service: audience }));
  return app;
}

/** The verified service-token claims of a request (set by the plugin's `authenticate`). */
export function serviceClaims(request: FastifyRequest): ServiceTokenClaims {
  return request.auth as ServiceTokenClaims;
}
