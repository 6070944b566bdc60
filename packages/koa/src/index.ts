import type { Context, Middleware } from 'koa';
import {
  createRequestGuards,
  type ErrorResponse,
  type GuardOptions,
  type GuardResult,
  type PermissionMode,
  type TokenClaims,
} from '@securetoken/core';
import './types';

/** Called instead of the default error response; it must set the response or throw. */
export type OnError = (error: unknown, ctx: Context) => unknown;

/** Options of {@link authenticate}; the same names as every SecureToken adapter. `getToken` receives `ctx`. */
export interface SecureTokenOptions extends GuardOptions<Context, OnError> {
  /** Replaces the default error response, e.g. to throw the error to your own error middleware. */
  readonly onError?: OnError;
}

const guards = createRequestGuards<Context, OnError>();

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
  const step = guards.authenticator(options);
  return async (ctx, next) => {
    const result = await step(ctx, ctx.req, ctx.path);
    if (!result.ok) return answer(result, ctx);
    // Typed non-null so protected handlers need no check; anonymous requests are documented as null.
    ctx.state.auth = result.claims as TokenClaims;
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
  const check = guards.permissions(required, mode);
  return async (ctx, next) => {
    const result = check(ctx, ctx.state.auth);
    if (!result.ok) return answer(result, ctx);
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
      const response = guards.errorResponse(ctx, error, options.realm);
      if (!response) throw error;
      write(ctx, response);
    }
  };
}

async function answer(result: Extract<GuardResult<OnError>, { ok: false }>, ctx: Context): Promise<void> {
  if (result.onError) {
    await result.onError(result.error, ctx);
    return;
  }
  if (!result.response) throw result.error;
  write(ctx, result.response);
}

function write(ctx: Context, response: ErrorResponse): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body;
}
