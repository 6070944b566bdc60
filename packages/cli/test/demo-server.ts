import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractBearerToken, isSecureTokenError, toErrorResponse, type SecureTokenManager } from '@securetoken/core';

const USERS: Record<string, { password: string; permissions: string[] }> = {
  admin: { password: 'admin123', permissions: ['admin', 'user:read', 'user:create'] },
  user: { password: 'user123', permissions: ['user:read'] },
};

export interface DemoServer {
  readonly url: string;
  /** Bodies the server received on /api/login, to check what the command sent. */
  readonly logins: unknown[];
  /** `'unavailable'` makes every route answer 503, as a server whose revocation store is down. */
  mode: 'ok' | 'unavailable';
  close(): Promise<void>;
}

/**
 * The demo apps' login/profile/logout routes on a real manager, enough to drive `securetoken
 * login`, `status` and `logout`. `shapeLogin` builds the login response body from the token.
 */
export async function startDemoServer(
  manager: SecureTokenManager,
  shapeLogin: (token: string, username: string) => unknown = (token, username) => ({
    access_token: token,
    token_type: 'bearer',
    expires_in: 3600,
    user: { user_id: username },
  }),
): Promise<DemoServer> {
  const logins: unknown[] = [];
  let closed = false;
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const authenticate = async (req: IncomingMessage) => {
    const token = extractBearerToken({ headers: req.headers, rawHeaders: req.rawHeaders });
    if (token === null) throw Object.assign(new Error('no token'), { missing: true });
    return { token, claims: await manager.verify(token) };
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      void (async () => {
        try {
          if (demo.mode === 'unavailable') {
            send(res, 503, { error: 'Authentication temporarily unavailable', code: 'revocation_unavailable' });
          } else if (req.method === 'POST' && req.url === '/api/login') {
            const body = JSON.parse(raw || '{}') as { username?: string; password?: string };
            logins.push(body);
            if (typeof body.username !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(body.username)) {
              send(res, 400, { error: 'Expected a JSON body {"username", "password"}', code: 'invalid_request' });
              return;
            }
            const user = body.username ? USERS[body.username] : undefined;
            if (!user || user.password !== body.password) {
              send(res, 401, { error: 'Invalid username or password', code: 'invalid_credentials' });
              return;
            }
            const token = manager.generateToken({ userId: body.username as string, permissions: user.permissions, expiresInHours: 1 });
            send(res, 200, shapeLogin(token, body.username as string));
          } else if (req.method === 'GET' && req.url === '/api/profile') {
            const { claims } = await authenticate(req);
            send(res, 200, {
              user_id: claims.userId,
              permissions: claims.permissions,
              token_id: claims.tokenId,
              expires_at: claims.expiresAt.toISOString(),
            });
          } else if (req.method === 'POST' && req.url === '/api/logout') {
            const { token } = await authenticate(req);
            await manager.revokeToken(token);
            send(res, 200, { message: 'Logged out' });
          } else {
            send(res, 404, { error: 'Not found' });
          }
        } catch (error) {
          if (isSecureTokenError(error)) {
            const response = toErrorResponse(error);
            send(res, response.status, response.body, response.headers);
          } else {
            send(res, 401, { error: 'Authentication required', code: 'token_missing' });
          }
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const demo: DemoServer = {
    url: `http://127.0.0.1:${port}`,
    logins,
    mode: 'ok',
    close: () =>
      new Promise((resolve) => {
        if (closed) return resolve();
        closed = true;
        server.close(() => resolve());
      }),
  };
  return demo;
}
