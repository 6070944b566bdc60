import type { TokenVerifier } from './authenticator';
import { ConfigurationError, InvalidTokenError, TokenExpiredError } from './errors';
import { assertPermissions } from './permissions';
import type { GenerateTokenInput, TokenClaims } from './types';

/** Lifetime of a service token unless asked otherwise: 5 minutes, enough for one call chain. */
export const DEFAULT_SERVICE_TOKEN_SECONDS = 300;
/** Longest lifetime a service token may be issued with, and the longest a verifier accepts. */
export const MAX_SERVICE_TOKEN_SECONDS = 3600;

/** The original caller a service token acts for: usually the verified claims of the user's token. */
export interface ServiceTokenUser {
  readonly userId: string;
  readonly permissions?: readonly string[];
  /** Time left on the user's token, as verified claims carry it: the service token never outlives it. */
  readonly timeRemainingMs?: number;
  readonly expiresAt?: Date;
}

/** Input of {@link issueServiceToken}. */
export interface IssueServiceTokenInput {
  /** The calling service (the issuer, `iss`), e.g. `"gateway"`. */
  readonly source: string;
  /** The service the token is for (the audience, `aud`), e.g. `"payment-service"`. */
  readonly target: string;
  /** Lifetime in seconds, in (0, 3600]; default 300. */
  readonly expiresInSeconds?: number;
  /**
   * Permissions to carry; default the user's. With a `user`, each must be granted by the user's
   * own permissions, so a service token never grants more than its user holds.
   */
  readonly permissions?: readonly string[];
  /** The user the call is made for; without one the token names the service itself (`service:<source>`). */
  readonly user?: ServiceTokenUser;
}

/** Options of {@link verifyServiceToken}. */
export interface VerifyServiceTokenOptions {
  /** This service's name: tokens for any other audience are refused. */
  readonly audience: string;
  /** The services allowed to call this one (e.g. `["gateway"]`). */
  readonly allowedIssuers: readonly string[];
}

/** Claims of a verified service token: the user (or `service:<source>`) plus who sent it to whom. */
export interface ServiceTokenClaims extends TokenClaims {
  readonly service: {
    readonly issuer: string;
    readonly audience: string;
    /** The user the call is made for, or `null` for a service acting on its own. */
    readonly user: string | null;
  };
}

/** The part of a manager that issues tokens. */
export interface TokenIssuer {
  generateToken(input: GenerateTokenInput): string;
}

// Printable names without spaces, so they are safe in logs and as allow-list entries.
const SERVICE_NAME = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Issues a short-lived token from one service to another (5 minutes by default), carrying the
 * original user and permissions. The target accepts it with {@link verifyServiceToken} only when
 * it names the target as audience and the source is on its allow-list.
 *
 * Service tokens are ordinary SecureTokens marked in `additionalData`
 * (`{ token_type: "service", iss, aud, subject_type }`), so use a manager whose key only your services hold —
 * ideally a separate secret from the one for user tokens. If they share one, never copy client
 * input into `additionalData`, and refuse service tokens where user tokens are expected
 * ({@link isServiceToken}).
 * @throws ConfigurationError (`configuration_error`) for a bad name or lifetime;
 *   PermissionDeniedError (`permission_denied`) when asking for a permission the user lacks;
 *   TokenExpiredError (`token_expired`) when the user's token has already expired.
 * @example
 * const user = await manager.verify(userToken);
 * const token = issueServiceToken(manager, { source: 'gateway', target: 'payment-service', user });
 */
export function issueServiceToken(manager: TokenIssuer, input: IssueServiceTokenInput): string {
  const { source, target, expiresInSeconds = DEFAULT_SERVICE_TOKEN_SECONDS, user } = input;
  assertServiceName(source, 'source');
  assertServiceName(target, 'target');
  if (
    typeof expiresInSeconds !== 'number' ||
    !Number.isFinite(expiresInSeconds) ||
    expiresInSeconds <= 0 ||
    expiresInSeconds > MAX_SERVICE_TOKEN_SECONDS
  ) {
    throw new ConfigurationError(`expiresInSeconds must be a number of seconds in (0, ${MAX_SERVICE_TOKEN_SECONDS}]`);
  }
  let seconds = expiresInSeconds;
  if (user?.timeRemainingMs !== undefined) {
    if (!(user.timeRemainingMs > 0)) throw new TokenExpiredError(user.expiresAt ?? new Date(0));
    seconds = Math.min(seconds, user.timeRemainingMs / 1000);
  }
  const permissions = input.permissions ?? user?.permissions ?? [];
  if (user && input.permissions) assertPermissions(user.permissions ?? [], input.permissions);
  return manager.generateToken({
    userId: user ? user.userId : `service:${source}`,
    permissions,
    expiresInHours: seconds / 3600,
    additionalData: { token_type: 'service', iss: source, aud: target, subject_type: user ? 'user' : 'service' },
  });
}

/**
 * Verifies a service token for this service: authentic, unexpired, unrevoked, marked as a
 * service token, for this `audience`, from an allowed issuer, and no longer-lived than
 * {@link MAX_SERVICE_TOKEN_SECONDS}. Every refusal is `invalid_token` (401): a token for another
 * audience, from an unknown issuer, or a plain user token is not a credential for this service at
 * all, which RFC 6750 calls `invalid_token`; `permission_denied` (403) stays for a valid caller
 * lacking a route's permission.
 * @throws InvalidTokenError (`invalid_token`), TokenExpiredError (`token_expired`),
 *   TokenRevokedError (`token_revoked`), RevocationUnavailableError (`revocation_unavailable`);
 *   TypeError for bad options.
 * @example
 * const claims = await verifyServiceToken(manager, token, { audience: 'payment-service', allowedIssuers: ['gateway'] });
 */
export async function verifyServiceToken(
  manager: TokenVerifier,
  token: string,
  options: VerifyServiceTokenOptions,
): Promise<ServiceTokenClaims> {
  // One-off checks; a server should build serviceTokenVerifier once and reuse it.
  return serviceTokenVerifier(manager, options).verify(token);
}

/**
 * A {@link TokenVerifier} that accepts only service tokens for `audience` from `allowedIssuers`:
 * pass it as `options.manager` to any adapter to protect a service. Options are checked now.
 * @throws TypeError for bad options.
 * @example
 * app.register(secureToken, { manager: serviceTokenVerifier(manager, { audience: 'user-service', allowedIssuers: ['gateway'] }) });
 */
export function serviceTokenVerifier(
  manager: TokenVerifier,
  options: VerifyServiceTokenOptions,
): { verify(token: string): Promise<ServiceTokenClaims> } {
  if (typeof manager?.verify !== 'function') throw new TypeError('manager must be a SecureTokenManager');
  const { audience, allowedIssuers } = checkVerifyOptions(options);
  const issuers = new Set(allowedIssuers);
  return { verify: async (token) => checkServiceClaims(await manager.verify(token), audience, issuers) };
}

/**
 * Whether verified claims come from a service token: a user-facing edge should refuse those,
 * so a token seen inside the mesh cannot be replayed as a user's.
 * @example
 * if (isServiceToken(claims)) throw new InvalidTokenError();
 */
export function isServiceToken(claims: Pick<TokenClaims, 'additionalData'>): boolean {
  return claims.additionalData.token_type === 'service';
}

function checkServiceClaims(claims: TokenClaims, audience: string, issuers: ReadonlySet<string>): ServiceTokenClaims {
  const { iss, aud } = claims.additionalData;
  if (
    !isServiceToken(claims) ||
    typeof iss !== 'string' ||
    typeof aud !== 'string' ||
    aud !== audience ||
    !issuers.has(iss) ||
    claims.expiresAt.getTime() - claims.issuedAt.getTime() > MAX_SERVICE_TOKEN_SECONDS * 1000
  ) {
    throw new InvalidTokenError();
  }
  const user = claims.additionalData.subject_type === 'user' ? claims.userId : null;
  return { ...claims, service: { issuer: iss, audience: aud, user } };
}

function checkVerifyOptions(options: VerifyServiceTokenOptions): VerifyServiceTokenOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('options { audience, allowedIssuers } are required');
  const { audience, allowedIssuers } = options;
  if (typeof audience !== 'string' || !SERVICE_NAME.test(audience)) throw new TypeError('options.audience must be a service name');
  if (!Array.isArray(allowedIssuers) || allowedIssuers.length === 0) {
    throw new TypeError('options.allowedIssuers must be a non-empty array of service names');
  }
  for (const issuer of allowedIssuers as readonly unknown[]) {
    if (typeof issuer !== 'string' || !SERVICE_NAME.test(issuer)) throw new TypeError('options.allowedIssuers must hold service names');
  }
  return { audience, allowedIssuers };
}

function assertServiceName(name: unknown, label: string): void {
  if (typeof name !== 'string' || !SERVICE_NAME.test(name)) {
    throw new ConfigurationError(`${label} must be a service name (1-64 of A-Z a-z 0-9 . _ : -)`);
  }
}
