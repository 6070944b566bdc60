import { ERROR_STATUS, isSecureTokenError, type PermissionDeniedError, type TokenError, type TokenErrorCode } from './errors';

/** JSON body of every error response: short text and a stable code, never a token or a stack. */
export interface ErrorBody {
  readonly error: string;
  readonly code: TokenErrorCode;
  /** Present for `permission_denied`: the permissions the route asked for. */
  readonly required?: readonly string[];
}

/** Everything an adapter writes for a failed request. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ErrorBody;
}

const MESSAGES: Readonly<Record<TokenErrorCode, string>> = {
  token_missing: 'Authentication required',
  invalid_request: 'Malformed Authorization header',
  invalid_token: 'Invalid token',
  token_expired: 'Token has expired',
  token_revoked: 'Token has been revoked',
  permission_denied: 'Insufficient permissions',
  revocation_unavailable: 'Authentication temporarily unavailable',
  configuration_error: 'Authentication is misconfigured',
};

/** Default `realm` of the `WWW-Authenticate` challenge. */
export const DEFAULT_REALM = 'api';

/**
 * Checks a realm can be quoted in a challenge (RFC 7235 quoted-string without escapes).
 * @throws TypeError at start-up, so a bad option never reaches a request.
 */
export function assertRealm(realm: string): void {
  if (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(realm)) {
    throw new TypeError('realm must be printable ASCII without quotes or backslashes');
  }
}

/**
 * Builds the HTTP response for a SecureToken error, following RFC 6750 section 3: status from
 * the code table, a `WWW-Authenticate: Bearer` challenge for 401/403, and the JSON body.
 * Messages are fixed per code, so nothing from the request is ever echoed.
 * @example
 * const { status, headers, body } = toErrorResponse(new InvalidTokenError(), { realm: 'api' });
 */
export function toErrorResponse(error: TokenError, options: { realm?: string } = {}): ErrorResponse {
  const code = isSecureTokenError(error) ? error.code : 'invalid_token';
  const realm = options.realm ?? DEFAULT_REALM;
  const required = code === 'permission_denied' ? (error as PermissionDeniedError).required : undefined;
  const challenge = challengeFor(code, realm, required);
  const headers: Record<string, string> = challenge ? { 'www-authenticate': challenge } : {};
  const body: ErrorBody = required
    ? { error: MESSAGES[code], code, required: [...required] }
    : { error: MESSAGES[code], code };
  return { status: ERROR_STATUS[code], headers, body };
}

function challengeFor(code: TokenErrorCode, realm: string, required: readonly string[] | undefined): string | null {
  const base = `Bearer realm="${realm}"`;
  switch (code) {
    case 'token_missing':
      return base;
    case 'invalid_request':
      return `${base}, error="invalid_request"`;
    case 'invalid_token':
    case 'token_revoked':
      return `${base}, error="invalid_token"`;
    case 'token_expired':
      return `${base}, error="invalid_token", error_description="The access token expired"`;
    case 'permission_denied':
      // scope-tokens must be printable ASCII without quotes or backslashes (RFC 6749 section 3.3).
      return `${base}, error="insufficient_scope", scope="${(required ?? []).filter(isScopeToken).join(' ')}"`;
    default:
      return null;
  }
}

function isScopeToken(permission: string): boolean {
  return /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(permission);
}
