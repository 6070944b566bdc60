import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { createAuthenticator, type Authenticator, type TokenError } from '@securetoken/core';
import { ACCESS_METADATA, SECURE_TOKEN_OPTIONS } from './constants';
import type { AccessRule } from './secure-token.decorators';
import { SecureTokenException } from './secure-token.exception';
import type { SecureTokenModuleOptions, SecureTokenRequest } from './types';

/**
 * Authenticates the request and checks the route's permissions in one step, then puts the
 * identity on `req.auth`. Register it globally (`globalGuard: true`) or per controller/handler
 * with `@UseGuards(SecureTokenGuard)` in a module that imports `SecureTokenModule`.
 * @throws SecureTokenException with core's status, body and `WWW-Authenticate` challenge:
 *   `token_missing` / `invalid_token` / `token_expired` / `token_revoked` (401), `invalid_request` (400),
 *   `permission_denied` (403), `revocation_unavailable` (503).
 * @example
 * @UseGuards(SecureTokenGuard)
 * @Controller('admin') class AdminController {}
 */
@Injectable()
export class SecureTokenGuard implements CanActivate {
  private readonly authenticator: Authenticator<SecureTokenRequest>;

  // Explicit @Inject tokens: the guard resolves even where decorator metadata was not emitted.
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(SECURE_TOKEN_OPTIONS) private readonly options: SecureTokenModuleOptions,
  ) {
    this.authenticator = createAuthenticator<SecureTokenRequest>(options);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (rule?.public) return true;
    // Fail closed: this guard only understands HTTP requests.
    if (context.getType() !== 'http') throw new TypeError('SecureTokenGuard supports HTTP routes only');

    const http = context.switchToHttp();
    const req = http.getRequest<SecureTokenRequest>();
    if (this.options.exclude !== undefined && this.authenticator.isExcluded(String(this.adapterHost.httpAdapter.getRequestUrl(req)), req)) {
      return true;
    }
    try {
      const rawHeaders = req.raw?.rawHeaders ?? req.rawHeaders;
      const claims = await this.authenticator.authenticate(req, { headers: req.headers, rawHeaders });
      if (claims) req.auth = claims;
      if (rule) this.authenticator.authorize(claims, rule.permissions, rule.mode);
      return true;
    } catch (error) {
      const response = this.authenticator.errorResponse(error);
      if (!response) throw error;
      const replacement = this.options.onError?.(error as TokenError, context);
      if (replacement) throw replacement;
      // Set through the platform adapter so Express and Fastify both send the challenge,
      // whatever exception filter writes the body.
      for (const [name, value] of Object.entries(response.headers)) {
        this.adapterHost.httpAdapter.setHeader(http.getResponse(), name, value);
      }
      throw new SecureTokenException(response, { cause: error });
    }
  }
}
