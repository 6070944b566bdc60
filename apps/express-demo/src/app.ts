import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Express, type Response } from 'express';
import type { SecureTokenManager } from '@securetoken/core';
import { createDemoApi, demoError, errorReply, PUBLIC_PATHS, type DemoLogger, type DemoReply } from '@securetoken/demo-shared';
import { authenticate, requirePermissions } from '@securetoken/express';

function send(res: Response, reply: DemoReply): void {
  res.status(reply.status).set(reply.headers ?? {}).json(reply.body);
}

// The page's files sit beside src/ and dist/, so this resolves from the source and from the build.
const PAGE_DIR = fileURLToPath(new URL('../public', import.meta.url));
// Scripts and styles from this origin only, no inline code, API calls to this origin only, and no
// native form submission (the login form is sent by script; without it, no password goes in a URL).
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * The demo API on Express: login, profile, admin and user routes, refresh and logout, and the
 * demo page at `/` (served under a strict Content-Security-Policy). A 500 is told to `logger`.
 * @example
 * createApp(SecureTokenManager.fromEnv(), { logger: console }).listen(3000);
 */
export function createApp(manager: SecureTokenManager, { logger }: { readonly logger?: DemoLogger } = {}): Express {
  const api = createDemoApi(manager);
  const app = express();
  app.disable('x-powered-by');
  // The demo page (public/) is open: it holds no data, and the API behind it checks the token.
  app.use(express.static(PAGE_DIR, { index: 'index.html', setHeaders: (res) => res.set(PAGE_HEADERS) }));
  // Authenticate before parsing, so a request without a valid token never has its body read.
  app.use(authenticate({ manager, exclude: PUBLIC_PATHS }));
  app.use(express.json());

  app.get('/health', (_req, res) => send(res, api.health()));
  app.post('/api/login', async (req, res) => send(res, await api.login(req.body)));
  app.get('/api/profile', (req, res) => send(res, api.profile(req.auth)));
  app.get('/api/admin/users', requirePermissions('admin'), (_req, res) => send(res, api.adminUsers()));
  app.get('/api/users', requirePermissions('user:read'), (_req, res) => send(res, api.listUsers()));
  app.post('/api/users', requirePermissions('user:create'), (req, res) => send(res, api.createUser(req.auth, req.body)));
  // Express 5 passes a rejected promise to the error handler below (e.g. token_revoked in a race).
  app.post('/api/refresh', async (req, res) => send(res, await api.refresh(req)));
  app.post('/api/logout', async (req, res) => send(res, await api.logout(req)));

  app.use((_req, res) => send(res, demoError(404, 'not_found')));
  // One error handler for everything: core's response for SecureToken errors (as the adapter's
  // errorHandler() would answer), `{ error, code }` for bad JSON and bugs.
  app.use(((error, _req, res, _next) => send(res, errorReply(error, logger))) satisfies ErrorRequestHandler);
  return app;
}
