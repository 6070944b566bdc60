import { assertRequiredPermissions, createAuthenticator, type Authenticator, type AuthenticatorOptions } from './authenticator';
import type { AuthRequest } from './bearer-header';
import { toErrorResponse, type ErrorResponse } from './error-response';
import { isSecureTokenError, TokenMissingError, type PermissionMode } from './errors';
import type { TokenClaims } from './types';

/** Adapter options: the shared ones, with the adapter's own `onError` type. */
export type GuardOptions<Req, OnError> = Omit<AuthenticatorOptions<Req>, 'onError'> & { readonly onError?: OnError };

/** The outcome of one step: go on (with the identity, `null` when anonymous or excluded), or answer. */
export type GuardResult<OnError> =
  | { readonly ok: true; readonly claims: TokenClaims | null }
  | {
      readonly ok: false;
      readonly error: unknown;
      /** `onError` of the authenticator that ran for this request: call it instead of answering. */
      readonly onError: OnError | undefined;
      /** Core's response for a SecureToken error; `null` for any other error (pass it on). */
      readonly response: ErrorResponse | null;
    };

/**
 * The request steps of a middleware-style adapter (Express, Koa), sharing one record of which
 * authenticator ran for each request, so a later permission check answers with its realm and
 * its `onError`.
 */
export interface RequestGuards<Req extends object, OnError> {
  /**
   * Validates options now (start-up) and returns the authentication step.
   * @throws TypeError for invalid options.
   */
  authenticator(options: GuardOptions<Req, OnError>): (req: Req, request: AuthRequest, url: string) => Promise<GuardResult<OnError>>;
  /**
   * Validates the list now (route declaration) and returns the permission step.
   * @throws TypeError for an empty list or a non-string permission.
   */
  permissions(required: readonly unknown[], mode: PermissionMode): (req: Req, claims: TokenClaims | null | undefined) => GuardResult<OnError>;
  /** The response for an error thrown later in the request, or `null` when it is not ours. */
  errorResponse(req: Req, error: unknown, realm?: string): ErrorResponse | null;
}

/**
 * Creates the steps an Express- or Koa-style adapter chains: authenticate, check permissions,
 * answer errors. The adapter keeps only what is framework-specific: where the identity goes and
 * how a response is written.
 * @example
 * const guards = createRequestGuards<Request, OnError>();
 * const step = guards.authenticator({ manager, exclude: ['/health'] });
 * const result = await step(req, req, req.path);
 */
export function createRequestGuards<Req extends object, OnError>(): RequestGuards<Req, OnError> {
  const ran = new WeakMap<Req, { readonly auth: Authenticator<Req>; readonly onError: OnError | undefined }>();

  const fail = (req: Req, error: unknown): GuardResult<OnError> => {
    const bound = ran.get(req);
    return {
      ok: false,
      error,
      onError: bound?.onError,
      response: bound ? bound.auth.errorResponse(error) : responseFor(error, undefined),
    };
  };

  return {
    authenticator(options) {
      const bound = { auth: createAuthenticator<Req>(options), onError: options.onError };
      return async (req, request, url) => {
        ran.set(req, bound);
        if (bound.auth.isExcluded(url, req)) return { ok: true, claims: null };
        try {
          return { ok: true, claims: await bound.auth.authenticate(req, request) };
        } catch (error) {
          return fail(req, error);
        }
      };
    },
    permissions(required, mode) {
      assertRequiredPermissions(required);
      const list = Object.freeze([...required]);
      return (req, claims) => {
        const bound = ran.get(req);
        try {
          if (!bound) throw new TokenMissingError();
          return { ok: true, claims: bound.auth.authorize(claims, list, mode) };
        } catch (error) {
          return fail(req, error);
        }
      };
    },
    errorResponse(req, error, realm) {
      return ran.get(req)?.auth.errorResponse(error) ?? responseFor(error, realm);
    },
  };
}

function responseFor(error: unknown, realm: string | undefined): ErrorResponse | null {
  return isSecureTokenError(error) ? toErrorResponse(error, { realm }) : null;
}
