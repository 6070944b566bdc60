import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import {
  createRequestGuards,
  type GuardOptions,
  type ErrorResponse,
  type GuardResult,
  type PermissionMode,
  type TokenClaims,
} from '@securetoken/core';
import './types';

/** Called instead of the default response when authentication or a permission check fails. */
export type OnError = (error: unknown, req: Request, res: Response, next: NextFunction) => void;

/** Options of {@link authenticate}; the same names as every SecureToken adapter. */
export interface SecureTokenOptions extends GuardOptions<Request, OnError> {
  /** Replaces the default error response, e.g. `(err, req, res, next) => next(err)` to use your own error handler. */
  readonly onError?: OnError;
}

const guards = createRequestGuards<Request, OnError>();

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
  const step = guards.authenticator(options);
  return async (req, res, next) => {
    const result = await step(req, req, req.originalUrl);
    if (!result.ok) return answer(result, req, res, next);
    // Typed non-null so protected handlers need no check; anonymous requests are documented as null.
    req.auth = result.claims as TokenClaims;
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
  const check = guards.permissions(required, mode);
  return (req, res, next) => {
    const result = check(req, req.auth);
    if (!result.ok) return answer(result, req, res, next);
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
    const response = guards.errorResponse(req, error, options.realm);
    if (!response || res.headersSent) return next(error);
    write(res, response);
  };
}

function answer(result: Extract<GuardResult<OnError>, { ok: false }>, req: Request, res: Response, next: NextFunction): void {
  if (result.onError) return result.onError(result.error, req, res, next);
  if (!result.response) return next(result.error);
  write(res, result.response);
}

function write(res: Response, response: ErrorResponse): void {
  res.status(response.status).set(response.headers).json(response.body);
}
