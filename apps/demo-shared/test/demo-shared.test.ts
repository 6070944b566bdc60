import { describe, expect, it } from 'vitest';
import { ConfigurationError, generateSalt, generateSecretKey, InvalidTokenError, TokenRevokedError } from '@securetoken/core';
import { createTestManager } from '@securetoken/testkit';
import {
  createDemoApi,
  createDemoServices,
  DEMO_USERS,
  errorReply,
  findUser,
  formatBanner,
  hashPassword,
  loadSharedSettings,
  readListenSettings,
  urlOf,
  verifyPassword,
} from '../src/index';

describe('passwords', () => {
  it('stores only scrypt hashes and verifies the documented demo passwords', async () => {
    for (const user of DEMO_USERS) expect(user.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]{43}$/);
    expect((await findUser(DEMO_USERS, 'admin', 'admin123'))?.username).toBe('admin');
    expect((await findUser(DEMO_USERS, 'user', 'user123'))?.permissions).toEqual(['read', 'write']);
  });

  it('refuses a wrong password, another user\'s password and an unknown user', async () => {
    expect(await findUser(DEMO_USERS, 'admin', 'user123')).toBeNull();
    expect(await findUser(DEMO_USERS, 'admin', 'admin1234')).toBeNull();
    expect(await findUser(DEMO_USERS, 'nobody', 'admin123')).toBeNull();
  });

  it('hashes with a fresh salt each time, and treats a malformed hash as a mismatch', async () => {
    const [a, b] = [await hashPassword('s3cret'), await hashPassword('s3cret')];
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret', a)).toBe(true);
    for (const bad of ['', 'plain', 'bcrypt$1$2$3$x$y', a.slice(0, -4), a.replace('scrypt', 'SCRYPT')]) {
      expect(await verifyPassword('s3cret', bad)).toBe(false);
    }
  });
});

describe('demo API', () => {
  const manager = createTestManager({ now: Date.now() });
  const api = createDemoApi(manager);

  it('logs in with an OAuth-style body', async () => {
    const reply = await api.login({ username: 'user', password: 'user123' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 24 * 3600, user_id: 'user', permissions: ['read', 'write'] });
    const claims = manager.validateToken((reply.body as { access_token: string }).access_token);
    expect(claims.userId).toBe('user');
    expect(reply.body).toMatchObject({ token_id: claims.tokenId, issued_at: claims.issuedAt.toISOString() });
  });

  it('answers 400 invalid_request to a body without string credentials, 401 invalid_credentials to wrong ones', async () => {
    for (const body of [undefined, null, 'admin', [], { username: 'admin' }, { username: 1, password: 'x' }, { username: 'admin', password: 'x'.repeat(1025) }]) {
      expect(await api.login(body)).toEqual({ status: 400, body: { error: expect.any(String), code: 'invalid_request' } });
    }
    expect(await api.login({ username: 'admin', password: 'nope' })).toEqual({
      status: 401,
      body: { error: 'Invalid username or password', code: 'invalid_credentials' },
    });
  });

  it('creates users with a valid name once, and lists them', async () => {
    const auth = manager.validateToken(manager.generateToken({ userId: 'admin' }));
    expect(api.createUser(auth, { username: 'dave' })).toEqual({ status: 201, body: { username: 'dave', permissions: [], created_by: 'admin' } });
    expect(api.createUser(auth, { username: 'dave' }).status).toBe(409);
    expect(api.createUser(auth, { username: 'admin' }).status).toBe(409);
    for (const body of [{}, { username: '' }, { username: 'a b' }, { username: 'x'.repeat(65) }, null]) {
      expect(api.createUser(auth, body).body).toMatchObject({ code: 'invalid_request' });
    }
    expect(api.listUsers().body).toEqual({ users: [{ username: 'admin' }, { username: 'user' }, { username: 'dave' }] });
    expect((api.adminUsers().body as { users: unknown[] }).users).toContainEqual({ username: 'dave', permissions: [], created_by: 'admin' });
  });

  it('refreshes by rotating (the old token revoked) and logs out by revoking', async () => {
    const token = manager.generateToken({ userId: 'user', permissions: ['read'] });
    const request = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
    const refreshed = await api.refresh(request(token));
    const fresh = (refreshed.body as { access_token: string }).access_token;
    await expect(manager.verify(token)).rejects.toBeInstanceOf(TokenRevokedError);
    await expect(api.logout(request(fresh))).resolves.toMatchObject({ status: 200 });
    await expect(manager.verify(fresh)).rejects.toBeInstanceOf(TokenRevokedError);
    await expect(api.refresh({ headers: {} })).rejects.toMatchObject({ code: 'token_missing' });
  });
});

describe('errorReply', () => {
  it('keeps core\'s response for token errors and a generic body for everything else', () => {
    expect(errorReply(new InvalidTokenError())).toMatchObject({ status: 401, body: { code: 'invalid_token' } });
    expect(errorReply(Object.assign(new SyntaxError('Unexpected token } in JSON at 7'), { status: 400 }))).toEqual({
      status: 400,
      body: { error: 'Malformed request body', code: 'invalid_request' },
    });
    expect(errorReply({ statusCode: 413 }).body).toMatchObject({ code: 'payload_too_large' });
    expect(errorReply({ status: 405 }).body).toMatchObject({ code: 'method_not_allowed' });
    expect(errorReply({ status: 422 }).body).toMatchObject({ code: 'invalid_request' });
    expect(errorReply(new Error('boom at /secret/path'))).toEqual({ status: 500, body: { error: 'Internal server error', code: 'internal_error' } });
  });

  it('tells the logger about a 500 only, by the error\'s name alone', () => {
    const logged: string[] = [];
    const logger = { error: (message: string) => logged.push(message) };
    errorReply(new InvalidTokenError(), logger);
    errorReply({ status: 413 }, logger);
    errorReply({ status: 422 }, logger);
    expect(logged).toEqual([]);
    expect(errorReply(new TypeError('boom with Bearer abc.def at /secret/path'), logger).status).toBe(500);
    errorReply('thrown string', logger);
    expect(logged).toEqual(['internal_error: TypeError', 'internal_error: string']);
  });
});

describe('start-up', () => {
  it('reads PORT and HOST with defaults 3000 and 127.0.0.1', () => {
    expect(readListenSettings({})).toEqual({ port: 3000, host: '127.0.0.1' });
    expect(readListenSettings({ PORT: '8080', HOST: '0.0.0.0' })).toEqual({ port: 8080, host: '0.0.0.0' });
    for (const PORT of ['abc', '-1', '65536', '3000x']) expect(() => readListenSettings({ PORT })).toThrow(ConfigurationError);
  });

  it('takes an empty PORT as unset (not port 0), with the demo\'s own default', () => {
    expect(readListenSettings({ PORT: '' })).toEqual({ port: 3000, host: '127.0.0.1' });
    expect(readListenSettings({ PORT: ' ' }, 3001).port).toBe(3001);
    expect(readListenSettings({}, 3002).port).toBe(3002);
    expect(readListenSettings({ PORT: '0' }, 3002).port).toBe(0);
  });

  it('refuses a development key when the secret must be shared, before touching Redis', async () => {
    const warnings: string[] = [];
    const shared = /SECURE_TOKEN_SECRET_KEY and SECURE_TOKEN_SALT are required: every process must share them/;
    await expect(createDemoServices({ REDIS_URL: 'redis://127.0.0.1:1' }, { warn: (message) => warnings.push(message) }, { requireSecret: true })).rejects.toThrow(shared);
    expect(warnings).toEqual([]);
    const secret = { SECURE_TOKEN_SECRET_KEY: generateSecretKey(), SECURE_TOKEN_SALT: generateSalt() };
    expect(() => loadSharedSettings({ SECURE_TOKEN_SECRET_KEY: secret.SECURE_TOKEN_SECRET_KEY })).toThrow(ConfigurationError);
    expect(loadSharedSettings(secret)).toMatchObject({ secretKey: secret.SECURE_TOKEN_SECRET_KEY, salt: secret.SECURE_TOKEN_SALT });
    const services = await createDemoServices(secret, undefined, { requireSecret: true });
    expect(services.manager.exportConfig().developmentKey).toBe(false);
    await services.close();
  });

  it('builds a manager on the memory store, and refuses production without a secret', async () => {
    const warnings: string[] = [];
    const services = await createDemoServices({}, { warn: (message) => warnings.push(message) });
    expect(services.store).toBe('memory');
    expect(services.manager.exportConfig().developmentKey).toBe(true);
    expect(warnings.join()).toMatch(/development key/);
    await expect(createDemoServices({ NODE_ENV: 'production' })).rejects.toThrow(/required in production/);
    await expect(createDemoServices({ REDIS_URL: 'http://example.com' })).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('prints the URL and two curl lines; wildcard hosts become loopback', () => {
    const banner = formatBanner('x-demo', 'http://127.0.0.1:3000', 'memory').split('\n');
    expect(banner[0]).toBe('x-demo listening on http://127.0.0.1:3000 (revocation store: memory)');
    expect(banner.filter((line) => line.includes('curl -s'))).toHaveLength(2);
    expect(formatBanner('x-demo', 'http://127.0.0.1:3000', 'memory', '/')).toContain('Open http://127.0.0.1:3000/ in a browser');
    expect(formatBanner('x', 'http://127.0.0.1:1', 'memory', undefined, ['run this'])).toBe(
      'x listening on http://127.0.0.1:1 (revocation store: memory)\nTry:\n  run this',
    );
    expect(formatBanner('x', 'http://127.0.0.1:1', 'redis', undefined, [])).toBe('x listening on http://127.0.0.1:1 (revocation store: redis)');
    expect(urlOf({ address: '0.0.0.0', family: 'IPv4', port: 1 })).toBe('http://127.0.0.1:1');
    expect(urlOf({ address: '::', family: 'IPv6', port: 2 })).toBe('http://[::1]:2');
  });
});
