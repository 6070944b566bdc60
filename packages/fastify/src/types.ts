import type { TokenClaims } from '@securetoken/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A hook that authenticates or checks permissions; use it as `onRequest` or `preHandler`. */
export type SecureTokenHook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified identity, set by `authenticate`. `null` on an excluded path and for an
     * anonymous request when the plugin is `optional`; check it on those routes.
     */
    auth: TokenClaims;
  }

  interface FastifyInstance {
    /** Verifies the bearer token and sets `request.auth`; skips when it is already set. */
    authenticate: SecureTokenHook;
    /** A hook requiring every listed permission of `request.auth`. */
    requirePermissions(...permissions: string[]): SecureTokenHook;
    /** A hook requiring at least one listed permission of `request.auth`. */
    requireAnyPermission(...permissions: string[]): SecureTokenHook;
  }

  interface FastifyContextConfig {
    /** Authenticate this route and require every one of these permissions. */
    permissions?: readonly string[];
    /** Authenticate this route and require at least one of these permissions. */
    anyPermissions?: readonly string[];
  }
}
