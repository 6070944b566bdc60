import type { FastifyPluginAsync, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import {
  assertRequiredPermissions,
  createAuthenticator,
  type AuthenticatorOptions,
  type PermissionMode,
  type TokenClaims,
} from '@securetoken/core';
import type { SecureTokenHook } from './types';

export type { SecureTokenHook } from './types';

/** Called instead of the default error reply; it must send a reply or throw. */
export type OnError = (error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/** Options of {@link secureToken}; the same names as every SecureToken adapter. */
export interface SecureTokenOptions extends Omit<AuthenticatorOptions<FastifyRequest>, 'onError'> {
  /** Replaces the default error reply, e.g. to throw the error to your own error handler. */
  readonly onError?: OnError;
}

const plugin: FastifyPluginAsync<SecureTokenOptions> = async (fastify, options) => {
  const auth = createAuthenticator<FastifyRequest>(options);
  const { onError } = options;

  // Declared up front, so every request object has the same shape (V8 hidden class). Typed
  // non-null so protected handlers need no check; anonymous requests are documented as null.
  fastify.decorateRequest('auth', null as unknown as TokenClaims);

  // Also each route's error handler (see onRoute below), so it takes Fastify's signature.
  function answerTokenError(error: unknown, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const response = auth.errorResponse(error);
    if (!response) throw error;
    return reply.code(response.status).headers(response.headers).send(response.body);
  }

  async function fail(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (onError) {
      await onError(error, request, reply);
      // Never fall through to the route: a hook that neither replied nor threw fails closed.
      if (!reply.sent) throw error;
      return reply;
    }
    return answerTokenError(error, request, reply);
  }

  const authenticate: SecureTokenHook = async (request, reply) => {
    if (request.auth || auth.isExcluded(request.url, request)) return;
    try {
      request.auth = (await auth.authenticate(request, { headers: request.headers, rawHeaders: request.raw.rawHeaders })) as TokenClaims;
    } catch (error) {
      return fail(error, request, reply);
    }
  };

  function permissionHook(required: readonly string[], mode: PermissionMode): SecureTokenHook {
    assertRequiredPermissions(required);
    const list = Object.freeze([...required]);
    return async (request, reply) => {
      try {
        auth.authorize(request.auth, list, mode);
      } catch (error) {
        return fail(error, request, reply);
      }
    };
  }

  fastify.decorate('authenticate', authenticate);
  fastify.decorate('requirePermissions', (...required: string[]) => permissionHook(required, 'all'));
  fastify.decorate('requireAnyPermission', (...required: string[]) => permissionHook(required, 'any'));

  fastify.addHook('onRoute', (route) => {
    // A route-level error handler, never setErrorHandler: the app's handler stays in place and,
    // as the parent, gets whatever this one rethrows (anything not a SecureToken error). So a
    // SecureToken error a handler throws (token_revoked from a racing refresh, say) gets core's
    // response. With `onError` the app has taken over error replies, thrown ones included.
    if (!onError && route.errorHandler === undefined) route.errorHandler = answerTokenError;
    // Route-level `config: { permissions }` becomes onRequest hooks when the route is declared,
    // so a bad list fails at start-up and requests are refused before their body is parsed.
    const { permissions, anyPermissions } = (route.config ?? {}) as { permissions?: string[]; anyPermissions?: string[] };
    if (permissions === undefined && anyPermissions === undefined) return;
    const hooks: SecureTokenHook[] = [authenticate];
    if (permissions !== undefined) hooks.push(permissionHook(permissions, 'all'));
    if (anyPermissions !== undefined) hooks.push(permissionHook(anyPermissions, 'any'));
    const existing = route.onRequest === undefined ? [] : ([] as onRequestHookHandler[]).concat(route.onRequest);
    route.onRequest = [...(hooks as onRequestHookHandler[]), ...existing];
  });
};

/**
 * Fastify plugin: decorates `request.auth` and adds the `authenticate` hook, the
 * `requirePermissions(...)` / `requireAnyPermission(...)` hook factories, and route-level
 * `config: { permissions }` / `config: { anyPermissions }`. Register it where you want it visible;
 * authenticate a whole scope with `addHook('onRequest', fastify.authenticate)`.
 * It never sets an error handler: failures are answered with core's response (401
 * `token_missing` / `invalid_token` / `token_expired` / `token_revoked`, 400 `invalid_request`,
 * 403 `permission_denied`, 503 `revocation_unavailable`) unless `onError` is given. So is a
 * SecureToken error thrown by a route declared after registration (say, `revocation_unavailable`
 * from `manager.revokeToken` in a logout handler), through a route-level error handler that
 * passes every other error on to the app's own handler; a route with its own `errorHandler`
 * keeps it.
 * @throws TypeError at registration for invalid options, or at route declaration for a bad permission list.
 * @example
 * await app.register(secureToken, { manager, exclude: ['/health'] });
 * app.get('/profile', { onRequest: app.authenticate }, (request) => ({ userId: request.auth.userId }));
 * app.get('/admin/users', { config: { permissions: ['admin'] } }, listUsers);
 */
export const secureToken = fp(plugin, { name: '@securetoken/fastify', fastify: '5.x' });
