import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generateSalt, generateSecretKey, SecureTokenManager } from '@securetoken/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from './demo-server';
import { isOneLineError, runCli, tempDir } from './run-cli';

const secretKey = generateSecretKey();
const salt = generateSalt();
const manager = new SecureTokenManager({ secretKey, salt });
const pastManager = new SecureTokenManager({ secretKey, salt, now: () => Date.now() - 3 * 3_600_000 });

let server: DemoServer;
let home: ReturnType<typeof tempDir>;
let env: Record<string, string>;
let sessionFile: string;

beforeAll(async () => {
  server = await startDemoServer(manager);
});
afterAll(() => server.close());
beforeEach(() => {
  home = tempDir();
  env = { HOME: home.path, XDG_CONFIG_HOME: join(home.path, 'config') };
  sessionFile = join(home.path, 'config', 'securetoken', 'session.json');
  server.mode = 'ok';
});
afterEach(() => home.remove());

const login = (user = 'admin', password = 'admin123', extra: string[] = [], url = server.url) =>
  runCli(['login', '--url', url, ...extra, user], { env, input: `${password}\n` });

function storedToken(): string {
  return (JSON.parse(readFileSync(sessionFile, 'utf8')) as { token: string }).token;
}

function writeSessionFile(token: string): void {
  mkdirSync(join(home.path, 'config', 'securetoken'), { recursive: true, mode: 0o700 });
  writeFileSync(sessionFile, JSON.stringify({ url: server.url, username: 'admin', token, savedAt: new Date().toISOString() }), {
    mode: 0o600,
  });
}

describe('login', () => {
  it('sends the piped password, stores the token owner-only and prints neither', async () => {
    const result = await login();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Logged in to ${server.url} as admin\n`);
    expect(result.stderr).toBe('');
    expect(server.logins.at(-1)).toEqual({ username: 'admin', password: 'admin123' });

    expect(statSync(sessionFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(home.path, 'config', 'securetoken')).mode & 0o777).toBe(0o700);
    const session = JSON.parse(readFileSync(sessionFile, 'utf8')) as Record<string, string>;
    expect(session).toMatchObject({ url: `${server.url}/`, username: 'admin' });
    expect(Date.parse(session.expiresAt as string)).toBeGreaterThan(Date.now() + 3_500_000);
    const token = session.token as string;
    expect((await manager.verify(token)).userId).toBe('admin');
    for (const output of [result.stdout, result.stderr]) {
      expect(output).not.toContain(token);
      expect(output).not.toContain('admin123');
    }
  });

  it('falls back to ~/.config/securetoken without XDG_CONFIG_HOME, and reads SECURETOKEN_URL', async () => {
    const result = await runCli(['login', 'user'], { env: { HOME: home.path, SECURETOKEN_URL: server.url }, input: 'user123\n' });
    expect(result.code).toBe(0);
    const file = join(home.path, '.config', 'securetoken', 'session.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('exits 1 for wrong credentials, with the server message and no file', async () => {
    const result = await login('admin', 'wrong-password');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('securetoken: login failed: Invalid username or password (invalid_credentials)\n');
    expect(existsSync(sessionFile)).toBe(false);
  });

  it('exits 1, not 2, when the server refuses the login request itself', async () => {
    const result = await login('no such user!', 'pw');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('securetoken: login failed: Expected a JSON body {"username", "password"} (invalid_request)\n');
  });

  it('finds the token under "token" and, with --token-field, under any dotted path', async () => {
    const tokenServer = await startDemoServer(manager, (token) => ({ token }));
    const nested = await startDemoServer(manager, (token) => ({ data: { session: { jwt: token } } }));
    try {
      expect((await login('user', 'user123', [], tokenServer.url)).code).toBe(0);
      expect((await manager.verify(storedToken())).userId).toBe('user');

      const missing = await login('user', 'user123', [], nested.url);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe(
        'securetoken: login response carries no token in access_token, token, accessToken; name its field with --token-field\n',
      );
      const found = await login('admin', 'admin123', ['--token-field', 'data.session.jwt'], nested.url);
      expect(found.code).toBe(0);
      expect((await manager.verify(storedToken())).userId).toBe('admin');
    } finally {
      await tokenServer.close();
      await nested.close();
    }
  });

  it('exits 6 when the server cannot be reached', async () => {
    const gone = await startDemoServer(manager);
    await gone.close();
    const result = await login('admin', 'admin123', [], gone.url);
    expect(result.code).toBe(6);
    expect(result.stderr).toBe(`securetoken: cannot reach ${gone.url} (ECONNREFUSED)\n`);
  });

  it('warns before sending a password over plain http to another host', async () => {
    // 0.0.0.0 is not a loopback name, and a closed port there fails fast without DNS.
    const gone = await startDemoServer(manager);
    await gone.close();
    const host = `0.0.0.0:${new URL(gone.url).port}`;
    const result = await login('admin', 'admin123', [], `http://${host}`);
    expect(result.stderr.split('\n')[0]).toBe(`securetoken: warning: sending a password to ${host} over plain http`);
    expect(result.code).toBe(6);
  });

  it.each([
    [['login', 'admin'], '--url is required'],
    [['login', '--url', 'http://127.0.0.1:1'], 'expected one USER argument'],
    [['login', '--url', 'not a url', 'admin'], '--url is not a valid URL'],
    [['login', '--url', 'ftp://127.0.0.1', 'admin'], '--url must be an http or https URL'],
    [['login', '--url', 'http://me:pw@127.0.0.1', 'admin'], '--url must not contain credentials'],
  ])('exits 1 for %j', async (args, message) => {
    const result = await runCli(args, { env, input: 'x\n' });
    expect(result.code).toBe(1);
    expect(isOneLineError(result.stderr)).toBe(true);
    expect(result.stderr).toContain(message);
  });

  it('never echoes an unparseable --url, which may carry a password', async () => {
    for (const args of [['--url', 'http://user:s3cret@127.0.0.1:99999'], []]) {
      const result = await runCli(['login', ...args, 'admin'], {
        env: { ...env, SECURETOKEN_URL: 'http://user:s3cret@127.0.0.1:99999' },
        input: 'x\n',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('securetoken: --url is not a valid URL\n');
    }
  });

  it('exits 1 when stdin has no password', async () => {
    const result = await runCli(['login', '--url', server.url, 'admin'], { env, input: '' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('securetoken: no password given\n');
  });
});

describe('status', () => {
  it('prints the profile the server returns for the stored token', async () => {
    await login();
    const result = await runCli(['status'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^Logged in to ${server.url} as admin\n`));
    expect(result.stdout).toMatch(/^user_id\s+admin$/m);
    expect(result.stdout).toMatch(/^permissions\s+admin, user:read, user:create$/m);
    expect(result.stdout).not.toContain(storedToken());

    const json = await runCli(['status', '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ user_id: 'admin', permissions: ['admin', 'user:read', 'user:create'] });
  });

  it('leaves keys naming a token, password or secret out of --json, at any depth', async () => {
    await login();
    const demo = await runCli(['status', '--json'], { env });
    expect(demo.code).toBe(0);
    expect(Object.keys(JSON.parse(demo.stdout) as object)).toEqual(['user_id', 'permissions', 'expires_at']);

    const profile = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          user: { user_id: 'admin', api_secret: 'hush', devices: [{ name: 'laptop', refresh_token: 'r-123' }] },
          access_token: 't-123',
          Password: 'p-123',
        }),
      );
    });
    await new Promise<void>((resolve) => profile.listen(0, '127.0.0.1', resolve));
    try {
      writeFileSync(
        sessionFile,
        JSON.stringify({ url: `http://127.0.0.1:${(profile.address() as AddressInfo).port}/`, username: 'admin', token: storedToken(), savedAt: new Date().toISOString() }),
        { mode: 0o600 },
      );
      const result = await runCli(['status', '--json'], { env });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ user: { user_id: 'admin', devices: [{ name: 'laptop' }] } });
      for (const secret of ['hush', 'r-123', 't-123', 'p-123']) expect(result.stdout).not.toContain(secret);
    } finally {
      await new Promise((resolve) => profile.close(resolve));
    }
  });

  it('exits 1 when not logged in', async () => {
    const result = await runCli(['status'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('securetoken: not logged in; run securetoken login --url URL USER\n');
  });

  it('exits 4 once the server revoked the token', async () => {
    await login();
    await manager.revokeAllForUser('admin');
    const result = await runCli(['status'], { env });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `securetoken: ${server.url} refused the stored token: Token has been revoked (token_revoked); run securetoken login\n`,
    );
  });

  it('exits 3 for an expired stored token and 2 for a corrupted one', async () => {
    writeSessionFile(pastManager.generateToken({ userId: 'admin', expiresInHours: 1 }));
    const expired = await runCli(['status'], { env });
    expect(expired.code).toBe(3);
    expect(expired.stderr).toContain('Token has expired (token_expired)');

    writeSessionFile(`${manager.generateToken({ userId: 'admin' }).slice(0, -8)}AAAAAAA=`);
    const invalid = await runCli(['status'], { env });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('(invalid_token)');
  });

  it('exits 6 when the server fails, and 1 for a corrupt session file', async () => {
    await login();
    server.mode = 'unavailable';
    const failing = await runCli(['status'], { env });
    expect(failing.code).toBe(6);
    expect(failing.stderr).toBe(
      `securetoken: ${server.url} refused the stored token: Authentication temporarily unavailable (revocation_unavailable)\n`,
    );

    writeFileSync(sessionFile, '{not json');
    const corrupt = await runCli(['status'], { env });
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toBe(`securetoken: ${sessionFile} is corrupt; delete it and log in again\n`);
  });
});

describe('logout', () => {
  it('revokes the token on the server and deletes the file', async () => {
    await login();
    const token = storedToken();
    const result = await runCli(['logout'], { env });
    expect(result).toEqual({ code: 0, stdout: `Logged out of ${server.url}\n`, stderr: '' });
    expect(existsSync(sessionFile)).toBe(false);
    await expect(manager.verify(token)).rejects.toMatchObject({ code: 'token_revoked' });

    expect(await runCli(['logout'], { env })).toEqual({ code: 0, stdout: 'Not logged in\n', stderr: '' });
    expect((await runCli(['status'], { env })).code).toBe(1);
  });

  it('forgets a token the server already refuses', async () => {
    writeSessionFile(pastManager.generateToken({ userId: 'admin', expiresInHours: 1 }));
    const result = await runCli(['logout'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Logged out of ${server.url} (the server had already ended this session)\n`);
    expect(existsSync(sessionFile)).toBe(false);
  });

  it('keeps the file when the server cannot revoke, so the user can retry', async () => {
    await login();
    server.mode = 'unavailable';
    const result = await runCli(['logout'], { env });
    expect(result.code).toBe(6);
    expect(result.stderr).toBe(
      `securetoken: logout failed: Authentication temporarily unavailable (revocation_unavailable); the session is kept in ${sessionFile}\n`,
    );
    expect(existsSync(sessionFile)).toBe(true);
  });
});
