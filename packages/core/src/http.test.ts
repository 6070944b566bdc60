import { describe, expect, it } from 'vitest';
import { manager } from '../test/managers';
import type {
  TokenError} from './index';
import {
  ConfigurationError,
  createAuthenticator,
  createRequestGuards,
  extractBearerToken,
  grants,
  hasPermissions,
  InvalidRequestError,
  InvalidTokenError,
  isSecureTokenError,
  MemoryRevocationStore,
  PermissionDeniedError,
  RevocationUnavailableError,
  toErrorResponse,
  TokenExpiredError,
  TokenMissingError,
  TokenRevokedError,
  type TokenErrorCode,
} from './index';

describe('extractBearerToken', () => {
  const header = (authorization: string | string[] | undefined, rawHeaders?: string[]) =>
    extractBearerToken({ headers: { authorization }, ...(rawHeaders && { rawHeaders }) });

  it.each(['Bearer abc', 'bearer abc', 'BEARER abc', 'Bearer   abc', 'Bearer a-b.c_d~e+f/g=='])('finds the token in %j', (value) => {
    expect(header(value)).toMatch(/^a/);
  });

  it.each([undefined, '', 'Basic dXNlcjpwYXNz', 'Digest username="x"'])('sees no bearer token in %j', (value) => {
    expect(header(value)).toBeNull();
  });

  it.each(['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a=b', 'Bearer é', 'Bearer\tabc', 'Bearerabc', ' Bearer abc', 'Bearer abc ', '=='])(
    'refuses %j as invalid_request',
    (value) => {
      expect(() => header(value)).toThrow(InvalidRequestError);
    },
  );

  it('refuses a doubled Authorization header, as array or in raw headers', () => {
    expect(() => header(['Bearer a', 'Bearer b'])).toThrow(InvalidRequestError);
    expect(() => header('Bearer a', ['Authorization', 'Bearer a', 'authorization', 'Bearer b'])).toThrow(InvalidRequestError);
    expect(header('Bearer a', ['Authorization', 'Bearer a', 'Host', 'x'])).toBe('a');
  });
});

describe('permissions', () => {
  it('are exact and case-sensitive', () => {
    expect(grants(['read'], 'read')).toBe(true);
    expect(grants(['Read'], 'read')).toBe(false);
    expect(grants(['read'], 'read:all')).toBe(false);
    expect(grants(['*'], 'read')).toBe(false);
  });

  it('treat a trailing :* as a prefix grant, and nothing else', () => {
    expect(grants(['user:*'], 'user:read')).toBe(true);
    expect(grants(['user:*'], 'user:admin:write')).toBe(true);
    expect(grants(['user:*'], 'user')).toBe(false);
    expect(grants(['user:*'], 'user:')).toBe(false);
    expect(grants(['user:*'], 'users:read')).toBe(false);
    expect(grants(['us*'], 'user')).toBe(false);
  });

  it('are all-of unless asked for any-of', () => {
    expect(hasPermissions(['a1', 'b1'], ['a1', 'b1'])).toBe(true);
    expect(hasPermissions(['a1'], ['a1', 'b1'])).toBe(false);
    expect(hasPermissions(['a1'], ['a1', 'b1'], 'any')).toBe(true);
    expect(hasPermissions([], ['a1'], 'any')).toBe(false);
    expect(hasPermissions([], [])).toBe(true);
  });
});

describe('error responses (DESIGN.md HTTP contract)', () => {
  const cases: [TokenError, TokenErrorCode, number, string | undefined][] = [
    [new TokenMissingError(), 'token_missing', 401, 'Bearer realm="api"'],
    [new InvalidRequestError(), 'invalid_request', 400, 'Bearer realm="api", error="invalid_request"'],
    [new InvalidTokenError(), 'invalid_token', 401, 'Bearer realm="api", error="invalid_token"'],
    [
      new TokenExpiredError(new Date(0)),
      'token_expired',
      401,
      'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
    ],
    [new TokenRevokedError(), 'token_revoked', 401, 'Bearer realm="api", error="invalid_token"'],
    [
      new PermissionDeniedError(['admin', 'user:read']),
      'permission_denied',
      403,
      'Bearer realm="api", error="insufficient_scope", scope="admin user:read"',
    ],
    [new RevocationUnavailableError(), 'revocation_unavailable', 503, undefined],
    [new ConfigurationError('secret missing'), 'configuration_error', 500, undefined],
  ];

  it.each(cases)('%s → %s, %i', (error, code, status, challenge) => {
    expect(error).toMatchObject({ code, status, name: error.constructor.name });
    expect(isSecureTokenError(error)).toBe(true);
    const response = toErrorResponse(error);
    expect(response.status).toBe(status);
    expect(response.headers['www-authenticate']).toBe(challenge);
    expect(response.body.code).toBe(code);
    expect(typeof response.body.error).toBe('string');
    expect(Object.keys(response.body).sort()).toEqual(code === 'permission_denied' ? ['code', 'error', 'required'] : ['code', 'error']);
  });

  it('puts the realm in every challenge and keeps detail out of the body', () => {
    const response = toErrorResponse(new ConfigurationError('SECURE_TOKEN_SECRET_KEY must be ...'), { realm: 'shop' });
    expect(JSON.stringify(response.body)).not.toContain('SECURE_TOKEN');
    expect(toErrorResponse(new InvalidTokenError(), { realm: 'shop' }).headers['www-authenticate']).toContain('realm="shop"');
    expect(toErrorResponse(new PermissionDeniedError(['admin'])).body.required).toEqual(['admin']);
  });

  it('recognises errors from a duplicate install by name and code', () => {
    const foreign = Object.assign(new Error('Invalid token'), { name: 'InvalidTokenError', code: 'invalid_token', status: 401 });
    expect(isSecureTokenError(foreign)).toBe(true);
    expect(isSecureTokenError(Object.assign(new Error('x'), { code: 'ENOENT', status: 1 }))).toBe(false);
    expect(isSecureTokenError({ code: 'invalid_token', status: 401 })).toBe(false);
    const lookAlike = Object.assign(new Error('x'), { name: 'SecureTokenException', code: 'permission_denied', status: 403 });
    expect(isSecureTokenError(lookAlike)).toBe(false);
    expect(toErrorResponse(Object.assign(new Error('x'), { status: undefined }) as never).status).toBe(401);
  });
});

describe('createAuthenticator', () => {
  const m = manager();
  const request = (authorization?: string) => ({ headers: { authorization } });

  it('validates options at creation', () => {
    expect(() => createAuthenticator({} as never)).toThrow(TypeError);
    expect(() => createAuthenticator({ manager: m, optional: 'yes' as never })).toThrow(TypeError);
    expect(() => createAuthenticator({ manager: m, getToken: 'cookie' as never })).toThrow(TypeError);
    expect(() => createAuthenticator({ manager: m, realm: 'a"b' })).toThrow(TypeError);
    expect(() => createAuthenticator({ manager: m, exclude: '/health' as never })).toThrow(TypeError);
    expect(() => createAuthenticator({ manager: m, onError: 1 })).toThrow(TypeError);
  });

  it('authenticates, allows anonymous when optional, and refuses bad tokens even then', async () => {
    const token = m.generateToken({ userId: 'u', permissions: ['read'] });
    const auth = createAuthenticator({ manager: m });
    const optional = createAuthenticator({ manager: m, optional: true });
    await expect(auth.authenticate({}, request(`Bearer ${token}`))).resolves.toMatchObject({ userId: 'u' });
    await expect(auth.authenticate({}, request())).rejects.toBeInstanceOf(TokenMissingError);
    await expect(optional.authenticate({}, request())).resolves.toBeNull();
    await expect(optional.authenticate({}, request('Bearer nope'))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('takes the token from getToken when given', async () => {
    const token = m.generateToken({ userId: 'cookie-user' });
    const auth = createAuthenticator<{ cookie?: string }>({ manager: m, getToken: (req) => req.cookie });
    await expect(auth.authenticate({ cookie: token }, request())).resolves.toMatchObject({ userId: 'cookie-user' });
    await expect(auth.authenticate({}, request(`Bearer ${token}`))).rejects.toBeInstanceOf(TokenMissingError);
  });

  it('excludes exact paths, prefixes, patterns or a predicate', () => {
    const auth = createAuthenticator({ manager: m, exclude: ['/health', '/public/*', /^\/docs/] });
    expect(['/health', '/public', '/public/a/b', '/docs/x'].map((path) => auth.isExcluded(path, {}))).toEqual([true, true, true, true]);
    expect(['/healthz', '/publicity', '/api'].map((path) => auth.isExcluded(path, {}))).toEqual([false, false, false]);
    expect(createAuthenticator({ manager: m, exclude: (path) => path === '/x' }).isExcluded('/x', {})).toBe(true);
    expect(['/health?probe=1', '/public/a?b=c', '/x?'].map((url) => auth.isExcluded(url, {}))).toEqual([true, true, false]);
    expect(createAuthenticator({ manager: m, exclude: (path) => path === '/x' }).isExcluded('/x?y=1', {})).toBe(true);
  });

  it('authorizes all-of and any-of, and maps errors to responses', () => {
    const auth = createAuthenticator({ manager: m, realm: 'demo' });
    const claims = m.validateToken(m.generateToken({ userId: 'u', permissions: ['read'] }));
    expect(auth.authorize(claims, ['read'])).toBe(claims);
    expect(() => auth.authorize(claims, ['read', 'write'])).toThrow(PermissionDeniedError);
    expect(auth.authorize(claims, ['read', 'write'], 'any')).toBe(claims);
    expect(() => auth.authorize(null, ['read'])).toThrow(TokenMissingError);
    expect(auth.errorResponse(new TokenRevokedError())?.headers['www-authenticate']).toBe('Bearer realm="demo", error="invalid_token"');
    expect(auth.errorResponse(new Error('boom'))).toBeNull();
  });
});

describe('MemoryRevocationStore', () => {
  it('drops entries once the token has expired and refuses, rather than forgets, when full', async () => {
    let now = 1_000;
    const store = new MemoryRevocationStore({ maxEntries: 2, now: () => now });
    const query = (tokenId: string) => ({ tokenId, userId: 'u', issuedAt: new Date(0), expiresAt: new Date(2_000) });
    await store.revoke('a', new Date(2_000));
    await store.revoke('b', new Date(5_000));
    await expect(store.revoke('c', new Date(5_000))).rejects.toBeInstanceOf(RevocationUnavailableError);
    await expect(store.isRevoked(query('a'))).resolves.toBe(true);
    now = 2_000;
    await expect(store.isRevoked(query('a'))).resolves.toBe(false);
    await store.revoke('c', new Date(5_000));
    expect(store.size).toBe(2);
    await store.revoke('old', new Date(1_500));
    expect(store.size).toBe(2);
  });
});

describe('createRequestGuards', () => {
  const m = manager();
  const token = m.generateToken({ userId: 'u', permissions: ['read'] });
  const withToken = { headers: { authorization: `Bearer ${token}` } };

  it('authenticates, skips excluded paths, and remembers which authenticator ran', async () => {
    const hook = () => undefined;
    const guards = createRequestGuards<object, typeof hook>();
    const step = guards.authenticator({ manager: m, realm: 'shop', exclude: ['/health'], onError: hook });
    const req = {};
    await expect(step(req, withToken, '/me')).resolves.toMatchObject({ ok: true, claims: { userId: 'u' } });
    await expect(step({}, { headers: {} }, '/health')).resolves.toEqual({ ok: true, claims: null });
    const denied = guards.permissions(['admin'], 'all')(req, m.validateToken(token));
    expect(denied).toMatchObject({ ok: false, onError: hook, response: { status: 403 } });
    expect(!denied.ok && denied.response?.headers['www-authenticate']).toContain('realm="shop"');
    expect(guards.permissions(['read', 'admin'], 'any')(req, m.validateToken(token))).toMatchObject({ ok: true });
  });

  it('answers a permission check on a request no authenticator saw with token_missing', () => {
    const guards = createRequestGuards<object, never>();
    expect(guards.permissions(['read'], 'all')({}, undefined)).toMatchObject({
      ok: false,
      onError: undefined,
      response: { status: 401, body: { code: 'token_missing' } },
    });
    expect(() => guards.permissions([], 'all')).toThrow(TypeError);
  });

  it('answers SecureToken errors thrown later and leaves others to the framework', async () => {
    const guards = createRequestGuards<object, never>();
    const req = {};
    await guards.authenticator({ manager: m, realm: 'shop' })(req, withToken, '/');
    expect(guards.errorResponse(req, new TokenRevokedError())?.headers['www-authenticate']).toContain('realm="shop"');
    expect(guards.errorResponse({}, new TokenRevokedError(), 'other')?.headers['www-authenticate']).toContain('realm="other"');
    expect(guards.errorResponse(req, new Error('boom'))).toBeNull();
    const failed = await guards.authenticator({ manager: m })({}, { headers: { authorization: 'Bearer x' } }, '/');
    expect(failed).toMatchObject({ ok: false, response: { status: 401, body: { code: 'invalid_token' } } });
  });
});
