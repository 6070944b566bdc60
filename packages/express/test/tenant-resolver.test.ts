import type { Server } from 'node:http';
import express, { type Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSalt, generateSecretKey, TenantKeyring, type TenantKeyMaterial } from '@securetoken/core';
import { authenticate } from '../src/index';

// The adapter passes options.manager to core's createAuthenticator, so a per-request resolver
// (one manager per tenant) works without adapter code: this checks it through a real socket.
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const tenants: Record<string, TenantKeyMaterial> = {
  acme: { secretKey: generateSecretKey(), salt: generateSalt() },
  globex: { secretKey: generateSecretKey(), salt: generateSalt() },
};
const keyring = new TenantKeyring({ resolveTenant: async (id) => tenants[id] ?? null, managerOptions: { now: () => NOW } });
const tenantOf = (headers: Record<string, string | string[] | undefined>) => headers['x-tenant-id'];
let base = '';
let acmeToken = '';

async function get(headers: Record<string, string>): Promise<{ status: number; challenge: string | null; body: unknown }> {
  const res = await fetch(`${base}/me`, { headers });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
}

const CASES: [string, Record<string, string>, number, string][] = [
  ['another tenant', { 'x-tenant-id': 'globex' }, 401, 'invalid_token'],
  ['an unknown tenant', { 'x-tenant-id': 'initech' }, 401, 'invalid_token'],
  ['no tenant', {}, 401, 'invalid_token'],
  ['a resolver failure', { 'x-tenant-id': 'explode' }, 500, 'configuration_error'],
];

let server: Server;

beforeAll(async () => {
  acmeToken = (await keyring.manager('acme')).generateToken({ userId: 'alice' });
  const byHeader = keyring.resolver<Request>((req) => tenantOf(req.headers));
  const app = express();
  app.use(
    authenticate({
      manager: (req) => (req.headers['x-tenant-id'] === 'explode' ? Promise.reject(new Error('database down')) : byHeader(req)),
    }),
  );
  app.get('/me', (req, res) => {
    res.json({ userId: req.auth.userId, tenant: req.auth.additionalData.tenant_id });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('express with a per-tenant manager resolver', () => {
  it('accepts a token of the tenant the request names', async () => {
    const res = await get({ authorization: `Bearer ${acmeToken}`, 'x-tenant-id': 'acme' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'alice', tenant: 'acme' });
  });

  it.each(CASES)('refuses %s', async (_label, headers, status, code) => {
    const res = await get({ authorization: `Bearer ${acmeToken}`, ...headers });
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: expect.any(String), code });
    if (status === 401) expect(res.challenge).toBe('Bearer realm="api", error="invalid_token"');
  });

  it('still answers token_missing before any tenant lookup', async () => {
    const res = await get({ 'x-tenant-id': 'explode' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'token_missing' });
  });
});
