import type { Context, Middleware } from 'koa';
import {
  assertRequiredPermissions,
  createAuthenticator,
  isSecureTokenError,
  toErrorResponse,
  TokenMissingError,
  type Authenticator,
  type AuthenticatorOptions,
  type ErrorResponse,
  type PermissionMode,
  type TokenClaims,
} from '@securetoken/core';
import './types';

/** Called instead of the default error response; it must set the response or throw. */
export type OnError = (error: unknown, ctx: Context) => unknown;

/** Options of {@link authenticate}; the same names as every SecureToken adapter. `getToken` receives `ctx`. */
export interface SecureTokenOptions extends Omit<AuthenticatorOptions<Context>, 'onError'> {
  /** Replaces the default error response, e.g. to throw the error to your own error middleware. */
  readonly onError?: OnError;
}

interface Bound {
  readonly auth: Authenticator<Context>;
  readonly onError: OnError | undefined;
}

// Lets the permission middlewares answer with the realm and onError of the authenticator that ran.
const boundTo = new WeakMap<Context, Bound>();

/**
 * Middleware that verifies the bearer token (revocation included) and puts the identity on
 * `ctx.state.auth`. Options are validated here, at start-up.
 * Failures set core's response: 401 `token_missing` / `invalid_token` / `token_expired` /
 * `token_revoked`, 400 `invalid_request`, 503 `revocation_unavailable`, unless `onError` is given.
 * @throws TypeError for invalid options.
 * @example
 * app.use(authenticate({ manager, exclude: ['/health', '/api/login'] }));
 * app.use((ctx) => { ctx.body = { userId: ctx.state.auth.userId }; });
 */
export function authenticate(options: SecureTokenOptions): Middleware {
  const bound: Bound = { auth: createAuthenticator<Context>(options), onError: options.onError };
  const { auth } = bound;
  return async (ctx, next) => {
    boundTo.set(ctx, bound);
    let claims: TokenClaims | null = null;
    if (!auth.isExcluded(ctx.path, ctx)) {
      try {
        claims = await auth.authenticate(ctx, ctx.req);
      } catch (error) {
        return fail(error, ctx);
      }
    }
    // Typed non-null so protected handlers need no check; anonymous requests are documented as null.
    ctx.state.auth = claims as TokenClaims;
    return next();
  };
}

/**
 * Middleware that requires **every** listed permission (`prefix:*` grants count) of
 * `ctx.state.auth`. Use it after {@link authenticate}. Answers 403 `permission_denied`, or 401
 * `token_missing` when the request is anonymous.
 * @throws TypeError at declaration for an empty list or a non-string permission.
 * @example
 * router.get('/admin/users', requirePermissions('admin'), listUsers);
 */
export function requirePermissions(...required: string[]): Middleware {
  return permissionCheck(required, 'all');
}

/**
 * Like {@link requirePermissions}, but **one** of the listed permissions is enough.
 * @throws TypeError at declaration for an empty list or a non-string permission.
 * @example
 * router.get('/reports', requireAnyPermission('admin', 'reports:read'), listReports);
 */
export function requireAnyPermission(...required: string[]): Middleware {
  return permissionCheck(required, 'any');
}

function permissionCheck(required: string[], mode: PermissionMode): Middleware {
  assertRequiredPermissions(required);
  const list = Object.freeze([...required]);
  return async (ctx, next) => {
    const bound = boundTo.get(ctx);
    try {
      if (!bound) throw new TokenMissingError();
      bound.auth.authorize(ctx.state.auth, list, mode);
    } catch (error) {
      return fail(error, ctx);
    }
    return next();
  };
}

/**
 * Middleware that answers any SecureToken error thrown further down (say, by
 * `manager.rotateToken` in a route) with core's response, and rethrows every other error.
 * Use it first.
 * @example
 * app.use(errorHandler());
 */
export function errorHandler(options: { readonly realm?: string } = {}): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const response = boundTo.get(ctx)?.auth.errorResponse(error) ?? respondable(error, options.realm);
      if (!response) throw error;
      write(ctx, response);
    }
  };
}

async function fail(error: unknown, ctx: Context): Promise<void> {
  const bound = boundTo.get(ctx);
  if (bound?.onError) {
    await bound.onError(error, ctx);
    return;
  }
  const response = bound ? bound.auth.errorResponse(error) : respondable(error);
  if (!response) throw error;
  write(ctx, response);
}

function write(ctx: Context, response: ErrorResponse): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body;
}

function respondable(error: unknown, realm?: string): ErrorResponse | null {
  return isSecureTokenError(error) ? toErrorResponse(error, { realm }) : null;
}
