// One HTTP server for one benchmark case, on 127.0.0.1 and a free port. Prints {"port"} on
// stdout once listening; run.ts drives it with autocannon and kills it afterwards.
import type { AddressInfo } from 'node:net';
import fastifyJwt from '@fastify/jwt';
import { SecureTokenManager } from '@securetoken/core';
import { authenticate } from '@securetoken/express';
import { secureToken } from '@securetoken/fastify';
import express from 'express';
import { expressjwt } from 'express-jwt';
import Fastify from 'fastify';
import { CLAIMS, HTTP_CASES, JWT_SECRET, SALT, SECRET, type HttpCase } from './setup.ts';


const bare = { userId: CLAIMS.userId, permissions: CLAIMS.permissions };

async function fastifyServer(kind: HttpCase): Promise<number> {
  const app = Fastify({ logger: false });
  if (kind === 'fastify') {
    app.get('/profile', async () => bare);
  } else if (kind === 'fastify + @fastify/jwt') {
    await app.register(fastifyJwt, { secret: JWT_SECRET });
    app.get('/profile', { onRequest: (request) => request.jwtVerify() }, async (request) => {
      const user = request.user as { sub: string; permissions: string[] };
      return { userId: user.sub, permissions: user.permissions };
    });
  } else {
    const manager = await SecureTokenManager.create({ secretKey: SECRET, salt: SALT, cache: kind.endsWith('(cache)') });
    await app.register(secureToken, { manager });
    app.get('/profile', { onRequest: app.authenticate }, async (request) => ({
      userId: request.auth.userId,
      permissions: request.auth.permissions,
    }));
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

async function expressServer(kind: HttpCase): Promise<number> {
  const app = express();
  app.disable('x-powered-by');
  if (kind === 'express') {
    app.get('/profile', (_req, res) => {
      res.json(bare);
    });
  } else if (kind === 'express + express-jwt') {
    app.get('/profile', expressjwt({ secret: JWT_SECRET, algorithms: ['HS256'] }), (req, res) => {
      const auth = (req as unknown as { auth: { sub: string; permissions: string[] } }).auth;
      res.json({ userId: auth.sub, permissions: auth.permissions });
    });
  } else {
    const manager = await SecureTokenManager.create({ secretKey: SECRET, salt: SALT, cache: kind.endsWith('(cache)') });
    app.get('/profile', authenticate({ manager }), (req, res) => {
      res.json({ userId: req.auth?.userId, permissions: req.auth?.permissions });
    });
  }
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const kind = process.argv[2] as HttpCase;
if (!HTTP_CASES.includes(kind)) throw new Error(`unknown case ${kind}`);
const port = kind.startsWith('fastify') ? await fastifyServer(kind) : await expressServer(kind);
process.stdout.write(`${JSON.stringify({ port })}\n`);
