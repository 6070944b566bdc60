import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import type { SecureTokenManager } from '@securetoken/core';
import { createDemoApi, errorReply, PUBLIC_PATHS, type DemoLogger, type DemoReply } from '@securetoken/demo-shared';
import { authenticate, requirePermissions } from '@securetoken/koa';

function send(ctx: Context, reply: DemoReply): void {
  ctx.status = reply.status;
  ctx.set(reply.headers ?? {});
  ctx.body = reply.body;
}

/**
 * The demo API on Koa: login, profile, admin and user routes, refresh and logout. A 500 is told
 * to `logger`.
 * @example
 * createApp(SecureTokenManager.fromEnv(), { logger: console }).listen(3000);
 */
export function createApp(manager: SecureTokenManager, { logger }: { readonly logger?: DemoLogger } = {}): Koa {
  const api = createDemoApi(manager);
  const router = new Router();
  router.get('/health', (ctx) => send(ctx, api.health()));
  router.post('/api/login', async (ctx) => send(ctx, await api.login(ctx.request.body)));
  router.get('/api/profile', (ctx) => send(ctx, api.profile(ctx.state.auth)));
  router.get('/api/admin/users', requirePermissions('admin'), (ctx) => send(ctx, api.adminUsers()));
  router.get('/api/users', requirePermissions('user:read'), (ctx) => send(ctx, api.listUsers()));
  router.post('/api/users', requirePermissions('user:create'), (ctx) => send(ctx, api.createUser(ctx.state.auth, ctx.request.body)));
  router.post('/api/refresh', async (ctx) => send(ctx, await api.refresh(ctx.req)));
  router.post('/api/logout', async (ctx) => send(ctx, await api.logout(ctx.req)));

  const app = new Koa();
  // Outermost, the one error handler: a core error thrown by a route (say, token_revoked on a
  // racing refresh) gets core's response, as the adapter's errorHandler() would answer; bad JSON
  // from the body parser and bugs become `{ error, code }`, and Koa's default handler never
  // prints a stack; so do the router's bodiless 404 and 405.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      send(ctx, errorReply(error, logger));
      return;
    }
    if (ctx.body == null && ctx.status >= 400) send(ctx, errorReply({ status: ctx.status }));
  });
  // Authenticate before parsing, so a request without a valid token never has its body read.
  app.use(authenticate({ manager, exclude: PUBLIC_PATHS }));
  app.use(bodyParser({ enableTypes: ['json'] }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
