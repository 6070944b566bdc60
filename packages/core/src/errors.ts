/** Every stable error code SecureToken can produce. */
export type TokenErrorCode =
  | 'token_missing'
  | 'invalid_request'
  | 'invalid_token'
  | 'token_expired'
  | 'token_revoked'
  | 'permission_denied'
  | 'revocation_unavailable'
  | 'configuration_error';

/** HTTP status for each code: the one table adapters read, so none of them chooses a status. */
export const ERROR_STATUS: Readonly<Record<TokenErrorCode, number>> = Object.freeze({
  token_missing: 401,
  invalid_request: 400,
  invalid_token: 401,
  token_expired: 401,
  token_revoked: 401,
  permission_denied: 403,
  revocation_unavailable: 503,
  configuration_error: 500,
});

/**
 * Base class of every SecureToken error. Messages are generic and never contain a token or
 * a secret; the machine-readable detail is `code` (and `cause`).
 */
export class TokenError extends Error {
  readonly code: TokenErrorCode;
  readonly status: number;

  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = ERROR_STATUS[code];
  }
}

/** The token is malformed, tampered with, made with another key, or otherwise unreadable. */
export class InvalidTokenError extends TokenError {
  constructor(message = 'Invalid token', options?: { cause?: unknown }) {
    super('invalid_token', message, options);
  }
}

/** The token was valid but its lifetime is over. */
export class TokenExpiredError extends TokenError {
  readonly expiredAt: Date;

  constructor(expiredAt: Date, options?: { cause?: unknown }) {
    super('token_expired', 'Token has expired', options);
    this.expiredAt = expiredAt;
  }
}

/** The token was revoked (logout, refresh, or revoke-all for its user). */
export class TokenRevokedError extends TokenError {
  constructor(options?: { cause?: unknown }) {
    super('token_revoked', 'Token has been revoked', options);
  }
}

/** The token is valid but lacks a required permission. */
export class PermissionDeniedError extends TokenError {
  readonly required: readonly string[];
  readonly mode: PermissionMode;

  constructor(required: readonly string[], mode: PermissionMode = 'all', options?: { cause?: unknown }) {
    super('permission_denied', 'Insufficient permissions', options);
    this.required = Object.freeze([...required]);
    this.mode = mode;
  }
}

/** The request carried no token. */
export class TokenMissingError extends TokenError {
  constructor() {
    super('token_missing', 'Authentication required');
  }
}

/** The Authorization header is present but malformed (RFC 6750 section 3.1 `invalid_request`). */
export class InvalidRequestError extends TokenError {
  constructor(message = 'Malformed Authorization header') {
    super('invalid_request', message);
  }
}

/** The revocation store could not be consulted; verification fails closed. */
export class RevocationUnavailableError extends TokenError {
  constructor(options?: { cause?: unknown }) {
    super('revocation_unavailable', 'Token revocation status unavailable', options);
  }
}

/** Settings are missing or do not pass validation. */
export class ConfigurationError extends TokenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('configuration_error', message, options);
  }
}

/** How a list of required permissions is matched: every one, or at least one. */
export type PermissionMode = 'all' | 'any';

const CODES = new Set<string>(Object.keys(ERROR_STATUS));

/**
 * True for any SecureToken error, including one thrown by a second copy of this package
 * (duplicate installs), which `instanceof` would miss.
 */
export function isSecureTokenError(error: unknown): error is TokenError {
  if (error instanceof TokenError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, status, name } = error as { code?: unknown; status?: unknown; name?: unknown };
  // The name test keeps out look-alikes such as an HTTP exception carrying our code and a status.
  return (
    error instanceof Error &&
    typeof name === 'string' &&
    name.endsWith('Error') &&
    typeof code === 'string' &&
    CODES.has(code) &&
    status === ERROR_STATUS[code as TokenErrorCode]
  );
}
