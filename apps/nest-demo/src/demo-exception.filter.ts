import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { errorReply, type DemoLogger, type DemoReply } from '@securetoken/demo-shared';
import { SecureTokenException } from '@securetoken/nest';

interface ReplyTarget {
  status(code: number): ReplyTarget;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
}

/**
 * Writes every error in the house shape `{ error, code }`: the guard's SecureTokenException as
 * core built it, a core error thrown by a handler (say, `token_revoked` on a racing refresh) with
 * core's response, Nest's own HTTP errors (bad JSON, unknown route) and anything else generically.
 */
@Catch()
export class DemoExceptionFilter implements ExceptionFilter {
  /** @param logger told about each 500, by the error's name only. */
  constructor(private readonly logger?: DemoLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ReplyTarget>();
    let reply: DemoReply;
    if (error instanceof SecureTokenException) {
      reply = { status: error.getStatus(), headers: error.headers, body: error.getResponse() };
    } else {
      // A 5xx HttpException is a bug like any other: passed as is, so its name is logged.
      const status = error instanceof HttpException ? error.getStatus() : undefined;
      reply = errorReply(status !== undefined && status < 500 ? { status } : error, this.logger);
    }
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    res.status(reply.status).json(reply.body);
  }
}
