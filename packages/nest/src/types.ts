import type { ExecutionContext } from '@nestjs/common';
import type { AuthenticatorOptions, SecureTokenManager, TokenClaims, TokenError, TokenVerifierResolver } from '@securetoken/core';

/**
 * What the guard reads from a platform request: an Express `Request` or a Fastify `FastifyRequest`
 * both fit. After the guard, `auth` holds the verified identity (absent for an anonymous request).
 */
export interface SecureTokenRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Express keeps the raw header list on the request itself. */
  readonly rawHeaders?: readonly string[];
  /** Fastify keeps it on the Node request underneath. */
  readonly raw?: { readonly rawHeaders?: readonly string[] };
  auth?: TokenClaims;
}

/**
 * A platform request after {@link SecureTokenGuard}: `AuthenticatedRequest<Request>` (Express) or
 * `AuthenticatedRequest<FastifyRequest>`, for handlers that take `@Req()` instead of `@Auth()`.
 * @example
 * profile(@Req() req: AuthenticatedRequest<Request>) { return req.auth?.userId; }
 */
export type AuthenticatedRequest<R extends object = object> = R & { auth?: TokenClaims };

/**
 * Options of `SecureTokenModule.forRoot` (or returned by the `forRootAsync` factory); the same
 * names as every other SecureToken adapter.
 */
export interface SecureTokenModuleOptions extends Omit<AuthenticatorOptions<SecureTokenRequest>, 'manager' | 'onError'> {
  /**
   * The manager that verifies tokens, also provided for injection as `SecureTokenManager`; or a
   * per-request resolver of one (e.g. `keyring.resolver(...)`, one manager per tenant), which the
   * module does not provide for injection (see `provideManager`).
   */
  readonly manager: SecureTokenManager | TokenVerifierResolver<SecureTokenRequest>;
  /**
   * Called with the SecureToken error of a refused request. Return an exception to throw it
   * instead of {@link SecureTokenException}; return nothing to keep the default response.
   */
  readonly onError?: (error: TokenError, context: ExecutionContext) => Error | undefined | void;
}

/** Options of `forRoot` / `forRootAsync` that shape the module rather than the guard. */
export interface SecureTokenModuleExtras {
  /** Make `SecureTokenManager` and the guard's options visible to every module. Default `false`. */
  readonly isGlobal?: boolean;
  /** Register `SecureTokenGuard` as an `APP_GUARD`, protecting every route. Default `false`. */
  readonly globalGuard?: boolean;
  /**
   * Provide and export `SecureTokenManager` (the `manager` option). `forRoot` infers it: `true`
   * for a manager, `false` for a resolver. `forRootAsync` cannot see the factory's result when
   * Nest builds the module graph, so it defaults to `true`; set `false` when the factory returns a
   * resolver (otherwise start-up fails with a `TypeError` saying so).
   */
  readonly provideManager?: boolean;
}
