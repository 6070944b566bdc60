export { SecureTokenManager } from './manager';
export type { ExportedConfig, RefreshOptions, SecureTokenManagerOptions } from './manager';
export { MemoryRevocationStore } from './memory-revocation-store';
export type { MemoryRevocationStoreOptions } from './memory-revocation-store';
export {
  ConfigurationError,
  ERROR_STATUS,
  InvalidRequestError,
  InvalidTokenError,
  isSecureTokenError,
  PermissionDeniedError,
  RevocationUnavailableError,
  TokenError,
  TokenExpiredError,
  TokenMissingError,
  TokenRevokedError,
} from './errors';
export type { PermissionMode, TokenErrorCode } from './errors';
export { assertPermissions, grants, hasPermissions } from './permissions';
export { extractBearerToken } from './bearer-header';
export type { AuthRequest } from './bearer-header';
export { DEFAULT_REALM, toErrorResponse } from './error-response';
export type { ErrorBody, ErrorResponse } from './error-response';
export { assertRequiredPermissions, createAuthenticator } from './authenticator';
export type { Authenticator, AuthenticatorOptions, ExcludeOption, TokenVerifier } from './authenticator';
export {
  DEFAULT_EXPIRATION_HOURS,
  generateSalt,
  generateSecretKey,
  loadSettings,
  MAX_EXPIRATION_HOURS,
  validateExpirationHours,
  validatePermissions,
  validateSalt,
  validateSecretKey,
} from './settings';
export type { SecureTokenSettings } from './settings';
export type {
  GenerateTokenInput,
  JsonValue,
  Logger,
  RevocationQuery,
  RevocationStore,
  TokenClaims,
  TokenInfo,
} from './types';
export type { TokenVerifierResolver } from './authenticator';
export { TENANT_CLAIM, TenantKeyring, TenantTokenManager, UnknownTenantError } from './tenant-keyring';
export type { TenantKeyMaterial, TenantKeyringOptions } from './tenant-keyring';
export {
  DEFAULT_SERVICE_TOKEN_SECONDS,
  isServiceToken,
  issueServiceToken,
  MAX_SERVICE_TOKEN_SECONDS,
  serviceTokenVerifier,
  verifyServiceToken,
} from './service-token';
export type {
  IssueServiceTokenInput,
  ServiceTokenClaims,
  ServiceTokenUser,
  TokenIssuer,
  VerifyServiceTokenOptions,
} from './service-token';
export type { GenerateResult, ValidateResult } from './manager';
export type { ValidationCacheOptions } from './validation-cache';
export { createRequestGuards } from './request-guards';
export type { GuardOptions, GuardResult, RequestGuards } from './request-guards';
