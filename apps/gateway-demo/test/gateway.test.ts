import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSalt, generateSecretKey, issueServiceToken, SecureTokenManager } from '@securetoken/core';
import { buildGateway } from '../src/gateway-app';
import { buildPaymentService } from '../src/payment-service-app';
import { buildUserService } from '../src/user-service-app';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const clock = { now: NOW };
const keys = { secretKey: generateSecretKey(), salt: generateSalt() };
const manager = new SecureTokenManager({ ...keys, now: () => clock.now });

let userService: FastifyInstance;
let paymentService: FastifyInstance;
let gateway: FastifyInstance;
const urls = { 'user-service': '', 'payment-service': '' };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const userToken = (userId: string, permissions: string[]) => manager.generateToken({ userId, permissions, expiresInHours: 1 });
const alice = () => userToken('alice', ['user:read', 'payment:create', 'payment:read']);
const bob = () => userToken('bob', ['user:read']);

function expectError(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string, challenge?: RegExp) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ code });
  if (challenge) expect(String(res.headers['www-authenticate'])).toMatch(challenge);
}

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

/** A stand-in service answering every call with `status` and `body`, recording the request headers. */
async function fakeService(status: number, body: object): Promise<{ url: string; seen: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  userService = await buildUserService({ manager });
  paymentService = await buildPaymentService({ manager, now: () => clock.now });
  urls['user-service'] = await listen(userService);
  urls['payment-service'] = await listen(paymentService);
  gateway = await buildGateway({ manager, services: urls });
});

afterAll(async () => {
  await Promise.all([gateway?.close(), userService?.close(), paymentService?.close()]);
});

describe('gateway', () => {
  it('answers health without a token', async () => {
    const res = await gateway.inject({ method: 'GET', url: '/health' });
    expect(res.json()).toEqual({ status: 'ok', service: 'gateway' });
  });

  it('forwards an allowed user to user-service with a service token', async () => {
    clock.now = NOW;
    const res = await gateway.inject({ method: 'GET', url: '/api/users/me', headers: bearer(alice()) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'alice', name: 'Alice Example', email: 'alice@example.test', via: 'gateway' });
    const other = await gateway.inject({ method: 'GET', url: '/api/users/bob', headers: bearer(alice()) });
    expect(other.json()).toMatchObject({ id: 'bob' });
    const missing = await gateway.inject({ method: 'GET', url: '/api/users/nobody', headers: bearer(alice()) });
    expect(missing.statusCode).toBe(404);
  });

  it('creates and lists payments for the original user', async () => {
    clock.now = NOW;
    const created = await gateway.inject({
      method: 'POST',
      url: '/api/payments',
      headers: bearer(alice()),
      payload: { amount: 12.5, currency: 'EUR' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ userId: 'alice', amount: 12.5, currency: 'EUR', via: 'gateway' });
    const listed = await gateway.inject({ method: 'GET', url: '/api/payments', headers: bearer(alice()) });
    expect(listed.json().payments).toHaveLength(1);
    const invalid = await gateway.inject({ method: 'POST', url: '/api/payments', headers: bearer(alice()), payload: { amount: -1, currency: 'EUR' } });
    expect(invalid.statusCode).toBe(400);
  });

  it('refuses a missing permission at the edge with 403', async () => {
    clock.now = NOW;
    const res = await gateway.inject({ method: 'POST', url: '/api/payments', headers: bearer(bob()), payload: { amount: 1, currency: 'EUR' } });
    expectError(res, 403, 'permission_denied', /error="insufficient_scope", scope="payment:create"/);
    expect(res.json().required).toEqual(['payment:create']);
  });

  it('refuses no token, a bad token, an expired token and a service token', async () => {
    clock.now = NOW;
    expectError(await gateway.inject({ method: 'GET', url: '/api/users/me' }), 401, 'token_missing', /^Bearer realm="api"$/);
    const tampered = `${alice().slice(0, -6)}AAAA==`;
    expectError(await gateway.inject({ method: 'GET', url: '/api/users/me', headers: bearer(tampered) }), 401, 'invalid_token', /invalid_token/);
    const service = issueServiceToken(manager, { source: 'gateway', target: 'user-service', permissions: ['user:read'] });
    expectError(await gateway.inject({ method: 'GET', url: '/api/users/me', headers: bearer(service) }), 401, 'invalid_token');
    const token = alice();
    clock.now = NOW + 3_600_001;
    expectError(await gateway.inject({ method: 'GET', url: '/api/users/me', headers: bearer(token) }), 401, 'token_expired', /error_description/);
  });

  it('revokes the token on logout', async () => {
    clock.now = NOW;
    const token = alice();
    const out = await gateway.inject({ method: 'POST', url: '/api/logout', headers: bearer(token) });
    expect(out.statusCode).toBe(204);
    expectError(await gateway.inject({ method: 'GET', url: '/api/users/me', headers: bearer(token) }), 401, 'token_revoked', /invalid_token/);
  });

  it('fails closed with 503 when logout cannot reach the revocation store', async () => {
    clock.now = NOW;
    const failing = new SecureTokenManager({
      ...keys,
      now: () => clock.now,
      revocationStore: {
        isRevoked: async () => false,
        revoke: async () => Promise.reject(new Error('store down')),
        revokeAllForUser: async () => Promise.reject(new Error('store down')),
      },
    });
    const app = await buildGateway({ manager: failing, services: urls });
    const res = await app.inject({ method: 'POST', url: '/api/logout', headers: bearer(alice()) });
    expectError(res, 503, 'revocation_unavailable');
    expect(res.body).not.toContain('store down');
    await app.close();
  });

  it('answers a user token with no time left with core\'s token_expired, not Fastify\'s body', async () => {
    clock.now = NOW;
    const token = alice();
    // Still valid (expiry is inclusive), but no service token can be issued from it.
    clock.now = NOW + 3_600_000;
    const res = await gateway.inject({ method: 'GET', url: '/api/users/me', headers: bearer(token) });
    expectError(res, 401, 'token_expired', /^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/);
    expect(Object.keys(res.json()).sort()).toEqual(['code', 'error']);
  });

  it('gives the service token only the route\'s permissions', async () => {
    clock.now = NOW;
    const service = await fakeService(200, { ok: true });
    const app = await buildGateway({ manager, services: { ...urls, 'user-service': service.url } });
    const res = await app.inject({ method: 'GET', url: '/api/users/me', headers: bearer(alice()) });
    expect(res.statusCode).toBe(200);
    const forwarded = String(service.seen[0]?.authorization).slice('Bearer '.length);
    expect(manager.validateToken(forwarded).permissions).toEqual(['user:read']);
    await app.close();
    await service.close();
  });

  it('answers 502 bad_gateway to a service\'s 5xx, passing none of its body on', async () => {
    clock.now = NOW;
    for (const status of [500, 503]) {
      const service = await fakeService(status, { error: 'db password rejected at /srv/app.js:12', code: 'internal_error' });
      const app = await buildGateway({ manager, services: { ...urls, 'payment-service': service.url } });
      const res = await app.inject({ method: 'GET', url: '/api/payments', headers: bearer(alice()) });
      expect(res.statusCode).toBe(502);
      expect(res.json()).toEqual({ error: 'Service unavailable', code: 'bad_gateway' });
      await app.close();
      await service.close();
    }
  });

  it('answers 502 when a service is down or refuses the gateway', async () => {
    clock.now = NOW;
    const down = await buildGateway({ manager, services: { ...urls, 'payment-service': 'http://127.0.0.1:1' } });
    const res = await down.inject({ method: 'GET', url: '/api/payments', headers: bearer(alice()) });
    expectError(res, 502, 'bad_gateway');
    await down.close();

    const foreign = new SecureTokenManager({ secretKey: generateSecretKey(), salt: generateSalt(), now: () => clock.now });
    const misconfigured = await buildGateway({ manager: foreign, services: urls });
    const token = foreign.generateToken({ userId: 'alice', permissions: ['user:read'] });
    const refused = await misconfigured.inject({ method: 'GET', url: '/api/users/me', headers: bearer(token) });
    expectError(refused, 502, 'bad_gateway');
    expect(refused.headers['www-authenticate']).toBeUndefined();
    await misconfigured.close();
  });
});

describe('services called directly', () => {
  const call = (url: string, headers: Record<string, string>, init: RequestInit = {}) =>
    fetch(url, { ...init, headers: { ...headers, ...(init.body ? { 'content-type': 'application/json' } : {}) } });

  async function expectFetchError(res: Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ code });
  }

  it('accept a gateway service token for their own audience', async () => {
    clock.now = NOW;
    const user = manager.validateToken(alice());
    const token = issueServiceToken(manager, { source: 'gateway', target: 'user-service', user });
    const res = await call(`${urls['user-service']}/users/me`, bearer(token));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'alice', via: 'gateway' });
  });

  it('refuse a user token with 401 invalid_token', async () => {
    clock.now = NOW;
    await expectFetchError(await call(`${urls['user-service']}/users/me`, bearer(alice())), 401, 'invalid_token');
    await expectFetchError(await call(`${urls['payment-service']}/payments`, bearer(alice())), 401, 'invalid_token');
  });

  it('refuse another audience and an issuer not on the allow-list', async () => {
    clock.now = NOW;
    const user = manager.validateToken(alice());
    const forUsers = issueServiceToken(manager, { source: 'gateway', target: 'user-service', user });
    await expectFetchError(await call(`${urls['payment-service']}/payments`, bearer(forUsers)), 401, 'invalid_token');
    const fromElsewhere = issueServiceToken(manager, { source: 'user-service', target: 'payment-service', user });
    await expectFetchError(await call(`${urls['payment-service']}/payments`, bearer(fromElsewhere)), 401, 'invalid_token');
  });

  it('refuse in-flight service tokens once the user is revoked everywhere (shared store)', async () => {
    clock.now = NOW;
    const user = manager.validateToken(userToken('carol', ['user:read']));
    const token = issueServiceToken(manager, { source: 'gateway', target: 'user-service', user });
    expect((await call(`${urls['user-service']}/users/me`, bearer(token))).status).toBe(200);
    clock.now = NOW + 1000;
    await manager.revokeAllForUser('carol');
    await expectFetchError(await call(`${urls['user-service']}/users/me`, bearer(token)), 401, 'token_revoked');
  });

  it('check the route permission again (403) and expire service tokens after 5 minutes', async () => {
    clock.now = NOW;
    const user = manager.validateToken(bob());
    const token = issueServiceToken(manager, { source: 'gateway', target: 'payment-service', user });
    const res = await call(`${urls['payment-service']}/payments`, bearer(token), { method: 'POST', body: JSON.stringify({ amount: 1, currency: 'EUR' }) });
    await expectFetchError(res, 403, 'permission_denied');
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');

    const fresh = issueServiceToken(manager, { source: 'gateway', target: 'user-service', user });
    clock.now = NOW + 300_001;
    await expectFetchError(await call(`${urls['user-service']}/users/me`, bearer(fresh)), 401, 'token_expired');
  });
});
