import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
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

/** Called instead of the default response when authentication or a permission check fails. */
export type OnError = (error: unknown, req: Request, res: Response, next: NextFunction) => void;

/** Options of {@link authenticate}; the same names as every SecureToken adapter. */
export interface SecureTokenOptions extends Omit<AuthenticatorOptions<Request>, 'onError'> {
  /** Replaces the default error response, e.g. `(err, req, res, next) => next(err)` to use your own error handler. */
  readonly onError?: OnError;
}

interface Bound {
  readonly auth: Authenticator<Request>;
  readonly onError: OnError | undefined;
}

// Lets the permission middlewares answer with the realm and onError of the authenticator that ran.
const boundTo = new WeakMap<Request, Bound>();

/**
 * Middleware that verifies the bearer token (revocation included) and puts the identity on `req.auth`.
 * Options are validated here, at start-up.
 * Failures answer with core's response: 401 `token_missing` / `invalid_token` / `token_expired` /
 * `token_revoked`, 400 `invalid_request`, 503 `revocation_unavailable`, unless `onError` is given.
 * @throws TypeError for invalid options.
 * @example
 * app.use(authenticate({ manager, exclude: ['/health', '/api/login'] }));
 * app.get('/profile', (req, res) => res.json({ userId: req.auth.userId }));
 */
export function authenticate(options: SecureTokenOptions): RequestHandler {
  const bound: Bound = { auth: createAuthenticator<Request>(options), onError: options.onError };
  const { auth } = bound;
  return async (req, res, next) => {
    boundTo.set(req, bound);
    let claims: TokenClaims | null = null;
    if (!auth.isExcluded(pathOf(req), req)) {
      try {
        claims = await auth.authenticate(req, req);
      } catch (error) {
        fail(error, req, res, next);
        return;
      }
    }
    // Typed non-null so protected handlers need no check; anonymous requests are documented as null.
    req.auth = claims as TokenClaims;
    next();
  };
}

/**
 * Middleware that requires **every** listed permission (`prefix:*` grants count) of `req.auth`.
 * Mount it after {@link authenticate}. Answers 403 `permission_denied`, or 401 `token_missing`
 * when the request is anonymous.
 * @throws TypeError at declaration for an empty list or a non-string permission.
 * @example
 * app.get('/admin/users', requirePermissions('admin'), listUsers);
 */
export function requirePermissions(...required: string[]): RequestHandler {
  return permissionCheck(required, 'all');
}

/**
 * Like {@link requirePermissions}, but **one** of the listed permissions is enough.
 * @throws TypeError at declaration for an empty list or a non-string permission.
 * @example
 * app.get('/reports', requireAnyPermission('admin', 'reports:read'), listReports);
 */
export function requireAnyPermission(...required: string[]): RequestHandler {
  return permissionCheck(required, 'any');
}

function permissionCheck(required: string[], mode: PermissionMode): RequestHandler {
  assertRequiredPermissions(required);
  const list = Object.freeze([...required]);
  return (req, res, next) => {
    const bound = boundTo.get(req);
    try {
      if (!bound) throw new TokenMissingError();
      bound.auth.authorize(req.auth, list, mode);
    } catch (error) {
      fail(error, req, res, next);
      return;
    }
    next();
  };
}

/**
 * Error middleware that answers any SecureToken error reaching it (say, from
 * `manager.refreshToken` in a route) with core's response, and passes every other error on.
 * Mount it after your routes.
 * @example
 * app.use(errorHandler());
 */
export function errorHandler(options: { readonly realm?: string } = {}): ErrorRequestHandler {
  return (error, req, res, next) => {
    const response = boundTo.get(req)?.auth.errorResponse(error) ?? respondable(error, options.realm);
    if (!response || res.headersSent) return next(error);
    write(res, response);
  };
}

function fail(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const bound = boundTo.get(req);
  if (bound?.onError) return bound.onError(error, req, res, next);
  const response = bound ? bound.auth.errorResponse(error) : respondable(error);
  if (!response) return next(error);
  write(res, response);
}

function write(res: Response, response: ErrorResponse): void {
  res.status(response.status).set(response.headers).json(response.body);
}

function respondable(error: unknown, realm?: string): ErrorResponse | null {
  return isSecureTokenError(error) ? toErrorResponse(error, { realm }) : null;
}

function pathOf(req: Request): string {
  const url = req.originalUrl;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
