import { extractBearerToken, type AuthRequest } from './bearer-header';
import { assertRealm, DEFAULT_REALM, toErrorResponse, type ErrorResponse } from './error-response';
import { ConfigurationError, InvalidTokenError, isSecureTokenError, TokenMissingError, type PermissionMode } from './errors';
import { assertPermissions } from './permissions';
import type { TokenClaims } from './types';

/** The part of a manager an adapter needs: verification that consults revocation. */
export interface TokenVerifier {
  verify(token: string): Promise<TokenClaims>;
}

/**
 * Picks the verifier for one request, e.g. the tenant's manager from a header, subdomain or route
 * param. Return `null`/`undefined` (or throw a TokenError) when the request names no known
 * tenant; that request is then refused with `invalid_token`.
 */
export type TokenVerifierResolver<Req> = (req: Req) => TokenVerifier | null | undefined | Promise<TokenVerifier | null | undefined>;

/** Paths (exact, or a prefix when ending in `/*`), patterns, or a predicate. */
export type ExcludeOption<Req> = readonly (string | RegExp)[] | ((path: string, req: Req) => boolean);

/** Options shared by every adapter, with the same names everywhere. */
export interface AuthenticatorOptions<Req> {
  /** The manager that verifies tokens (`SecureTokenManager`), or a per-request resolver of one. */
  readonly manager: TokenVerifier | TokenVerifierResolver<Req>;
  /** Let requests without a token through as anonymous; a bad token is still refused. */
  readonly optional?: boolean;
  /** Where to find the token instead of the `Authorization` header (a cookie, a custom header). */
  readonly getToken?: (req: Req) => string | null | undefined;
  /** Requests that skip authentication entirely. */
  readonly exclude?: ExcludeOption<Req>;
  /** `realm` of the `WWW-Authenticate` challenge; defaults to `"api"`. */
  readonly realm?: string;
  /** Adapter-specific error hook; core only checks that it is a function. */
  readonly onError?: unknown;
}

/** What an adapter gets from {@link createAuthenticator}: every decision, none of the framework. */
export interface Authenticator<Req> {
  readonly realm: string;
  /** Whether the request at `url` (a path; any query string is ignored) skips authentication. */
  isExcluded(url: string, req: Req): boolean;
  /**
   * Finds and verifies the token: claims, or `null` for an anonymous request when `optional`.
   * @throws TokenError with the code to answer (`token_missing`, `invalid_request`, `invalid_token`, ...);
   *   with a resolver, `invalid_token` when it finds no verifier, `configuration_error` when it fails.
   */
  authenticate(req: Req, request: AuthRequest): Promise<TokenClaims | null>;
  /**
   * Checks the identity holds the required permissions.
   * @throws TokenMissingError when there is no identity, PermissionDeniedError when lacking.
   */
  authorize(claims: TokenClaims | null | undefined, required: readonly string[], mode?: PermissionMode): TokenClaims;
  /** The response for a SecureToken error, or `null` for any other error (left to the framework). */
  errorResponse(error: unknown): ErrorResponse | null;
}

/**
 * Validates adapter options once, at start-up, and returns the authenticator every adapter uses.
 * @throws TypeError for a missing manager or an option of the wrong type.
 * @example
 * const auth = createAuthenticator<Request>({ manager, exclude: ['/health'] });
 * // or one manager per tenant, chosen per request:
 * const perTenant = createAuthenticator<Request>({ manager: keyring.resolver((req) => req.headers['x-tenant-id']) });
 */
export function createAuthenticator<Req>(options: AuthenticatorOptions<Req>): Authenticator<Req> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required');
  const { manager, optional = false, getToken, exclude, realm = DEFAULT_REALM, onError } = options;
  if (typeof manager !== 'function' && typeof manager?.verify !== 'function') {
    throw new TypeError('options.manager must be a SecureTokenManager or a function returning one');
  }
  if (typeof optional !== 'boolean') throw new TypeError('options.optional must be a boolean');
  if (getToken !== undefined && typeof getToken !== 'function') throw new TypeError('options.getToken must be a function');
  if (onError !== undefined && typeof onError !== 'function') throw new TypeError('options.onError must be a function');
  assertRealm(realm);
  const isExcluded = compileExclude(exclude);

  return {
    realm,
    isExcluded,
    async authenticate(req, request) {
      const token = getToken ? normalizeCustomToken(getToken(req)) : extractBearerToken(request);
      if (token === null) {
        if (optional) return null;
        throw new TokenMissingError();
      }
      const verifier = typeof manager === 'function' ? await resolveVerifier(manager, req) : manager;
      return verifier.verify(token);
    },
    authorize(claims, required, mode = 'all') {
      if (!claims) throw new TokenMissingError();
      assertPermissions(claims.permissions, required, mode);
      return claims;
    },
    errorResponse(error) {
      return isSecureTokenError(error) ? toErrorResponse(error, { realm }) : null;
    },
  };
}

/**
 * Validates a list of required permissions when a route is declared, not when it is called.
 * @throws TypeError for an empty list or a non-string entry.
 */
export function assertRequiredPermissions(required: readonly unknown[]): asserts required is readonly string[] {
  if (required.length === 0) throw new TypeError('at least one permission is required');
  for (const permission of required) {
    if (typeof permission !== 'string' || permission.length === 0) {
      throw new TypeError('permissions must be non-empty strings');
    }
  }
}

// A resolver failure must fail closed with a SecureToken error (a clean JSON response), never
// an unhandled rejection: no verifier is an unknown tenant (401), anything else is our fault (500).
async function resolveVerifier<Req>(resolve: TokenVerifierResolver<Req>, req: Req): Promise<TokenVerifier> {
  let verifier: TokenVerifier | null | undefined;
  try {
    verifier = await resolve(req);
  } catch (cause) {
    if (isSecureTokenError(cause)) throw cause;
    throw new ConfigurationError('options.manager resolver failed', { cause });
  }
  if (verifier === null || verifier === undefined) throw new InvalidTokenError();
  if (typeof verifier.verify !== 'function') throw new ConfigurationError('options.manager resolver must return a TokenVerifier');
  return verifier;
}

function normalizeCustomToken(token: string | null | undefined): string | null {
  if (token === undefined || token === null || token === '') return null;
  return String(token);
}

function compileExclude<Req>(exclude: ExcludeOption<Req> | undefined): (url: string, req: Req) => boolean {
  if (exclude === undefined) return () => false;
  const matches = typeof exclude === 'function' ? exclude : compileExcludeList(exclude);
  // Adapters pass the URL as their framework has it: the query string never decides.
  return (url, req) => {
    const query = url.indexOf('?');
    return matches(query === -1 ? url : url.slice(0, query), req);
  };
}

function compileExcludeList(exclude: unknown): (path: string) => boolean {
  if (!Array.isArray(exclude)) throw new TypeError('options.exclude must be an array or a function');
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const patterns: RegExp[] = [];
  for (const entry of exclude as readonly unknown[]) {
    if (entry instanceof RegExp) patterns.push(entry);
    else if (typeof entry === 'string' && entry.endsWith('/*')) prefixes.push(entry.slice(0, -1));
    else if (typeof entry === 'string') exact.add(entry);
    else throw new TypeError('options.exclude entries must be strings or RegExps');
  }
  return (path) =>
    exact.has(path) ||
    prefixes.some((prefix) => path.startsWith(prefix) || path === prefix.slice(0, -1)) ||
    patterns.some((pattern) => pattern.test(path));
}
