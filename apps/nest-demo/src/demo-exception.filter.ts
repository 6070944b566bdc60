import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { errorReply, type DemoReply } from '@securetoken/demo-shared';
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
  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ReplyTarget>();
    let reply: DemoReply;
    if (error instanceof SecureTokenException) {
      reply = { status: error.getStatus(), headers: error.headers, body: error.getResponse() };
    } else {
      reply = errorReply(error instanceof HttpException ? { status: error.getStatus() } : error);
    }
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    res.status(reply.status).json(reply.body);
  }
}
