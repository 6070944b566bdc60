// Runs the built package (ESM and CJS) in plain Node, without the test transform, on both platforms.
// Run by `pnpm check:package` after `build`.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const require = createRequire(import.meta.url);
const builds = [
  { name: 'esm', nest: await import('../dist/index.mjs'), core: await import('@securetoken/core') },
  { name: 'cjs', nest: require('../dist/index.cjs'), core: require('@securetoken/core') },
];

for (const { name, nest, core } of builds) {
  for (const [platform, Adapter] of [['express', ExpressAdapter], ['fastify', FastifyAdapter]]) {
    const manager = new core.SecureTokenManager({ secretKey: core.generateSecretKey(), salt: core.generateSalt() });

    class Routes {
      profile(userId) {
        return { userId };
      }
      admin() {
        return { ok: true };
      }
      health() {
        return { ok: true };
      }
    }
    const method = (key, ...decorators) =>
      Reflect.decorate(decorators, Routes.prototype, key, Object.getOwnPropertyDescriptor(Routes.prototype, key));
    method('profile', Get('profile'));
    nest.Auth('userId')(Routes.prototype, 'profile', 0);
    method('admin', Get('admin'), nest.RequirePermissions('admin'));
    method('health', Get('health'), nest.Public());
    Controller()(Routes);

    class AppModule {}
    Module({ imports: [nest.SecureTokenModule.forRoot({ manager, globalGuard: true })], controllers: [Routes] })(AppModule);

    const app = await NestFactory.create(AppModule, new Adapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    try {
      const token = manager.generateToken({ userId: 'smoke', permissions: ['user:read'] });
      const auth = { authorization: `Bearer ${token}` };
      assert.equal((await fetch(`${url}/health`)).status, 200);
      const missing = await fetch(`${url}/profile`);
      assert.equal(missing.status, 401);
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="api"');
      assert.deepEqual(await missing.json(), { error: 'Authentication required', code: 'token_missing' });
      assert.deepEqual(await (await fetch(`${url}/profile`, { headers: auth })).json(), { userId: 'smoke' });
      const denied = await fetch(`${url}/admin`, { headers: auth });
      assert.equal(denied.status, 403);
      assert.equal((await denied.json()).code, 'permission_denied');
      assert.equal(app.get(core.SecureTokenManager), manager);
    } finally {
      await app.close();
    }
    console.log(`dist ${name} on ${platform}: ok`);
  }
}
