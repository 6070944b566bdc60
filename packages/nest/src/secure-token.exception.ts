import { HttpException } from '@nestjs/common';
import type { ErrorBody, ErrorResponse, TokenErrorCode } from '@securetoken/core';

/**
 * A refused request: status and body exactly as core built them (`{ error, code }`, plus
 * `required` for `permission_denied`). The guard has already set `headers` (the
 * `WWW-Authenticate` challenge) on the response; they are kept here for custom filters.
 * @example
 * @Catch(SecureTokenException)
 * class AuthFilter implements ExceptionFilter { catch(e: SecureTokenException) { metrics.count(e.code); throw e; } }
 */
export class SecureTokenException extends HttpException {
  /** The SecureToken error code, e.g. `token_expired`. */
  readonly code: TokenErrorCode;
  /** Response headers core asked for, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(response: ErrorResponse, options?: { cause?: unknown }) {
    super(response.body, response.status, options);
    this.code = response.body.code;
    this.headers = response.headers;
  }

  override getResponse(): ErrorBody {
    return super.getResponse() as ErrorBody;
  }
}
