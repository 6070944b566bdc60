import { isSecureTokenError, type TokenErrorCode } from '@securetoken/core';

/**
 * Exit codes of the `securetoken` command, stable for scripts.
 * @example
 * if (code === EXIT_CODES.tokenExpired) console.error('log in again');
 */
export const EXIT_CODES = Object.freeze({
  /** Success. */
  ok: 0,
  /** Usage error, bad configuration, rejected login or any other failure. */
  error: 1,
  /** The token is malformed, tampered with or made with another key. */
  invalidToken: 2,
  /** The token has expired. */
  tokenExpired: 3,
  /** The token has been revoked. */
  tokenRevoked: 4,
  /** The token lacks a required permission. */
  permissionDenied: 5,
  /** The server could not be reached or answered with a server error. */
  unavailable: 6,
});

/** The exit codes of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * A failure the command reports as one line on stderr, with its exit code.
 * @example
 * throw new CliError('--user is required', EXIT_CODES.error);
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_CODES.error) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

const BY_CODE: Readonly<Record<TokenErrorCode, ExitCode>> = {
  token_missing: EXIT_CODES.invalidToken,
  invalid_request: EXIT_CODES.invalidToken,
  invalid_token: EXIT_CODES.invalidToken,
  token_expired: EXIT_CODES.tokenExpired,
  token_revoked: EXIT_CODES.tokenRevoked,
  permission_denied: EXIT_CODES.permissionDenied,
  revocation_unavailable: EXIT_CODES.unavailable,
  configuration_error: EXIT_CODES.error,
};

/** Exit code for a SecureToken error code (also as sent by a server in its JSON body). */
export function exitCodeForTokenError(code: string): ExitCode | undefined {
  return Object.hasOwn(BY_CODE, code) ? BY_CODE[code as TokenErrorCode] : undefined;
}

/** Exit code for anything thrown by a command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (isSecureTokenError(error)) return exitCodeForTokenError(error.code) ?? EXIT_CODES.error;
  return EXIT_CODES.error;
}
