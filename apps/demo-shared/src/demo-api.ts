import {
  extractBearerToken,
  isSecureTokenError,
  toErrorResponse,
  TokenMissingError,
  type AuthRequest,
  type SecureTokenManager,
  type TokenClaims,
} from '@securetoken/core';
import { DEMO_USERS, findUser, type DemoUser } from './users';

/** What a demo route answers: a status and a JSON body, written as is by each framework. */
export interface DemoReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: object;
}

/** Codes of the demo's own errors; token errors keep core's codes. Bodies are always `{ error, code }`. */
export type DemoErrorCode =
  | 'invalid_request'
  | 'invalid_credentials'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal_error';

/**
 * The demo API, framework-free: each app maps its routes onto these and writes the reply.
 * Routes that need a token are called after the adapter has verified it.
 */
export interface DemoApi {
  /** `GET /health`. */
  health(): DemoReply;
  /** `POST /api/login` with the parsed JSON body: 200 with a token, 400 `invalid_request`, 401 `invalid_credentials`. */
  login(body: unknown): Promise<DemoReply>;
  /** `GET /api/profile`. */
  profile(auth: TokenClaims): DemoReply;
  /** `GET /api/admin/users` (`admin`): every user with permissions. */
  adminUsers(): DemoReply;
  /** `GET /api/users` (`user:read`). */
  listUsers(): DemoReply;
  /** `POST /api/users` (`user:create`) with `{ username }`: 201, 400 or 409. */
  createUser(auth: TokenClaims, body: unknown): DemoReply;
  /**
   * `POST /api/refresh`: a new token, the presented one revoked.
   * @throws TokenError (`token_revoked`, `revocation_unavailable`, ...) for the adapter to answer.
   */
  refresh(request: AuthRequest): Promise<DemoReply>;
  /**
   * `POST /api/logout`: revokes the presented token.
   * @throws TokenError (`revocation_unavailable`, ...) for the adapter to answer.
   */
  logout(request: AuthRequest): Promise<DemoReply>;
}

/** Routes open without a token; everything else goes through the adapter's authentication. */
export const PUBLIC_PATHS: readonly string[] = Object.freeze(['/health', '/api/login']);

const MESSAGES: Readonly<Record<DemoErrorCode, string>> = {
  invalid_request: 'Malformed request body',
  invalid_credentials: 'Invalid username or password',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Already exists',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported content type',
  internal_error: 'Internal server error',
};

/**
 * An error reply in the house shape `{ error, code }`.
 * @example
 * demoError(404, 'not_found'); // { status: 404, body: { error: 'Not found', code: 'not_found' } }
 */
export function demoError(status: number, code: DemoErrorCode, error: string = MESSAGES[code]): DemoReply {
  return { status, body: { error, code } };
}

const STATUS_CODES: Readonly<Record<number, DemoErrorCode>> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Where {@link errorReply} reports a 500; `runDemo` hands the apps one writing to stderr. */
export interface DemoLogger {
  error(message: string): void;
}

/**
 * The reply for anything a route or the framework threw: core's response for a SecureToken
 * error, a generic `{ error, code }` for a framework's 4xx (bad JSON, body too large), and
 * 500 `internal_error` for the rest. Never the error's own message, which may echo input.
 * A 500 is a bug, so it is also told to `logger`, by the error's name only: its message and
 * stack may hold input, even a token.
 * @example
 * app.use((err, req, res, next) => { const r = errorReply(err, logger); res.status(r.status).set(r.headers).json(r.body); });
 */
export function errorReply(error: unknown, logger?: DemoLogger): DemoReply {
  if (isSecureTokenError(error)) return toErrorResponse(error);
  const status = statusOf(error);
  const code = status === undefined ? undefined : STATUS_CODES[status];
  if (status !== undefined && code !== undefined) return demoError(status, code);
  if (status !== undefined && status >= 400 && status < 500) return demoError(status, 'invalid_request');
  logger?.error(`internal_error: ${error instanceof Error ? error.name : typeof error}`);
  return demoError(500, 'internal_error');
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;
// Caps the work a login can ask for; scrypt input beyond this is refused, not hashed.
const MAX_CREDENTIAL_LENGTH = 1024;

function isCredentials(body: unknown): body is { username: string; password: string } {
  if (typeof body !== 'object' || body === null) return false;
  const { username, password } = body as Record<string, unknown>;
  return (
    typeof username === 'string' && typeof password === 'string' &&
    username.length <= MAX_CREDENTIAL_LENGTH && password.length <= MAX_CREDENTIAL_LENGTH
  );
}

/**
 * Builds the demo API on a manager. Users created through `POST /api/users` live in this
 * instance's memory (listed, not able to log in: the demo has no sign-up).
 * @example
 * const api = createDemoApi(manager);
 * app.post('/api/login', async (req, res) => { const r = await api.login(req.body); res.status(r.status).json(r.body); });
 */
export function createDemoApi(manager: SecureTokenManager, users: readonly DemoUser[] = DEMO_USERS): DemoApi {
  const created = new Map<string, { createdBy: string }>();

  const issued = (token: string): DemoReply => {
    const claims = manager.validateToken(token);
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'Bearer',
        expires_in: Math.round(claims.timeRemainingMs / 1000),
        expires_at: claims.expiresAt.toISOString(),
        user_id: claims.userId,
        permissions: claims.permissions,
        // Not secret: lets a client (the Express demo page) show which token it holds and its lifetime.
        token_id: claims.tokenId,
        issued_at: claims.issuedAt.toISOString(),
      },
    };
  };
  const presented = (request: AuthRequest): string => {
    const token = extractBearerToken(request);
    if (token === null) throw new TokenMissingError();
    return token;
  };

  return {
    health: () => ({ status: 200, body: { status: 'ok' } }),

    async login(body) {
      if (!isCredentials(body)) return demoError(400, 'invalid_request', 'Expected a JSON body {"username", "password"}');
      const user = await findUser(users, body.username, body.password);
      if (user === null) return demoError(401, 'invalid_credentials');
      return issued(manager.generateToken({ userId: user.username, permissions: [...user.permissions] }));
    },

    profile: (auth) => ({
      status: 200,
      body: { user_id: auth.userId, permissions: auth.permissions, expires_at: auth.expiresAt.toISOString() },
    }),

    adminUsers: () => ({
      status: 200,
      body: {
        users: [
          ...users.map(({ username, permissions }) => ({ username, permissions })),
          ...[...created].map(([username, { createdBy }]) => ({ username, permissions: [], created_by: createdBy })),
        ],
      },
    }),

    listUsers: () => ({
      status: 200,
      body: { users: [...users.map(({ username }) => username), ...created.keys()].map((username) => ({ username })) },
    }),

    createUser(auth, body) {
      const username = typeof body === 'object' && body !== null ? (body as { username?: unknown }).username : undefined;
      if (typeof username !== 'string' || !USERNAME.test(username)) {
        return demoError(400, 'invalid_request', 'Expected a JSON body {"username"} of 1-64 letters, digits, "_", "." or "-"');
      }
      if (created.has(username) || users.some((user) => user.username === username)) return demoError(409, 'conflict');
      created.set(username, { createdBy: auth.userId });
      return { status: 201, body: { username, permissions: [], created_by: auth.userId } };
    },

    async refresh(request) {
      return issued(await manager.rotateToken(presented(request)));
    },

    async logout(request) {
      await manager.revokeToken(presented(request));
      return { status: 200, body: { status: 'logged_out' } };
    },
  };
}
