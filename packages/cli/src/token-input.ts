import type { RevocationStore, SecureTokenManager, TokenClaims } from '@securetoken/core';
import { isSecureTokenError, type TokenError } from '@securetoken/core';
import { usageError } from './command';
import type { CliIO } from './io';
import { readAll } from './prompt';
import { commandEnv, loadRevocationStore, managerFromEnv } from './settings';

/**
 * The token a command was given: its one positional argument, or stdin for `-` (which keeps the
 * token out of the shell history and `ps`).
 */
async function tokenArgument(command: { name: string }, positionals: readonly string[], io: CliIO): Promise<string> {
  if (positionals.length !== 1) throw usageError(command, 'expected one TOKEN argument, or - to read it from stdin');
  const token = positionals[0] === '-' ? await readAll(io) : (positionals[0] as string).trim();
  if (token.length === 0) throw usageError(command, 'the token is empty');
  return token;
}

/** What a token says, when it can be read, and why it is refused, if it is. */
export type TokenReport =
  | { readonly claims: TokenClaims; readonly error?: undefined }
  | { readonly claims?: TokenClaims; readonly error: TokenError };

/** Verifies a token (integrity, lifetime, revocation), keeping the claims of an expired or revoked one. */
async function examineToken(manager: SecureTokenManager, token: string): Promise<TokenReport> {
  try {
    return { claims: await manager.verify(token) };
  } catch (error) {
    if (!isSecureTokenError(error)) throw error;
    const info = manager.getTokenInfo(token);
    const claims = info.valid ? info : info.claims;
    return claims ? { claims, error } : { error };
  }
}

/**
 * What `inspect` and `verify` start with: settings (and `--env-file`), the revocation store
 * (`--revocation-store`), the manager, then the token argument examined.
 */
export async function examineTokenArgument(
  command: { name: string },
  values: { readonly 'env-file'?: string; readonly 'revocation-store'?: string },
  positionals: readonly string[],
  io: CliIO,
): Promise<TokenReport> {
  const env = commandEnv(io, values['env-file']);
  const store = await loadRevocationStore(values['revocation-store'] ?? env.SECURETOKEN_REVOCATION_STORE, env);
  try {
    const manager = managerFromEnv(env, store);
    return await examineToken(manager, await tokenArgument(command, positionals, io));
  } finally {
    await closeStore(store);
  }
}

/**
 * Closes a store that can be closed (a Redis store holds a connection that would keep a
 * programmatic `run()` from ever letting the process exit). The answer is known by then, so a
 * failure to close must not change it.
 */
async function closeStore(store: RevocationStore | undefined): Promise<void> {
  const { close } = (store ?? {}) as { close?: unknown };
  if (typeof close !== 'function') return;
  try {
    await (close as () => unknown).call(store);
  } catch {
    // Nothing to do: the command's result stands.
  }
}

/** Claims as plain JSON (ISO-8601 UTC times). */
export function claimsToJson(claims: TokenClaims): Record<string, unknown> {
  return {
    userId: claims.userId,
    permissions: [...claims.permissions],
    tokenId: claims.tokenId,
    issuedAt: claims.issuedAt.toISOString(),
    expiresAt: claims.expiresAt.toISOString(),
    timeRemaining: claims.timeRemaining,
    timeRemainingMs: claims.timeRemainingMs,
    additionalData: claims.additionalData,
  };
}

/** Claims as an aligned two-column table. */
export function claimsTable(claims: TokenClaims): string {
  const rows: [string, string][] = [
    ['User', claims.userId],
    ['Permissions', claims.permissions.length > 0 ? claims.permissions.join(', ') : '(none)'],
    ['Token ID', claims.tokenId],
    ['Issued', claims.issuedAt.toISOString()],
    ['Expires', claims.expiresAt.toISOString()],
    ['Time remaining', claims.timeRemaining],
  ];
  if (Object.keys(claims.additionalData).length > 0) rows.push(['Data', JSON.stringify(claims.additionalData)]);
  return table(rows);
}

/** Rows as `label  value` lines, labels padded to one width. */
export function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}

/** The one-line reason a token was refused. */
export function refusal(error: TokenError): string {
  if (error.code === 'token_expired' && 'expiredAt' in error && error.expiredAt instanceof Date) {
    return `token expired at ${error.expiredAt.toISOString()}`;
  }
  if (error.code === 'invalid_token') return 'invalid token (malformed, tampered with, or made with another key)';
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}
