import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSalt, generateSecretKey, SecureTokenManager } from '@securetoken/core';

// The three built processes, started as a deployment would start them: separate Node processes
// on loopback, sharing only the secret and salt through the environment.
const root = fileURLToPath(new URL('..', import.meta.url));
const keys = { SECURE_TOKEN_SECRET_KEY: generateSecretKey(), SECURE_TOKEN_SALT: generateSalt() };
const manager = new SecureTokenManager({ secretKey: keys.SECURE_TOKEN_SECRET_KEY, salt: keys.SECURE_TOKEN_SALT });
const children: ChildProcess[] = [];
let gateway = '';
let userService = '';
let paymentService = '';

function spawnProcess(name: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [`dist/${name}.mjs`], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts `dist/<name>.mjs` with PORT=0 and resolves the URL from its banner (demo-shared's runDemo). */
function start(name: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawnProcess(name, { NODE_ENV: 'production', ...keys, ...env });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = new RegExp(`^${name} listening on (http://\\S+)`, 'm').exec(output);
      if (!found) return;
      clearTimeout(timer);
      resolve(found[1] as string);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
}

beforeAll(async () => {
  // turbo builds before testing; a bare `vitest run` in a fresh checkout builds here.
  if (!existsSync(`${root}/dist/gateway.mjs`)) {
    const build = spawnSync('pnpm', ['exec', 'tsup'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('tsup build failed');
  }
  [userService, paymentService] = await Promise.all([start('user-service'), start('payment-service')]);
  gateway = await start('gateway', { USER_SERVICE_URL: userService, PAYMENT_SERVICE_URL: paymentService });
}, 60_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
});

const bearer = (userId: string, permissions: string[]) => ({
  authorization: `Bearer ${manager.generateToken({ userId, permissions, expiresInHours: 1 })}`,
});

describe('gateway end to end (three processes)', () => {
  it('listens on loopback only', () => {
    for (const url of [gateway, userService, paymentService]) expect(new URL(url).hostname).toBe('127.0.0.1');
  });

  it('200: an allowed user reaches user-service through the gateway', async () => {
    const res = await fetch(`${gateway}/api/users/me`, { headers: bearer('alice', ['user:read']) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'alice', name: 'Alice Example', email: 'alice@example.test', via: 'gateway' });
  });

  it('201: an allowed user pays through the gateway', async () => {
    const res = await fetch(`${gateway}/api/payments`, {
      method: 'POST',
      headers: { ...bearer('alice', ['payment:create']), 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 42, currency: 'EUR' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ userId: 'alice', amount: 42, via: 'gateway' });
  });

  it('403: a user without the permission is refused', async () => {
    const res = await fetch(`${gateway}/api/payments`, {
      method: 'POST',
      headers: { ...bearer('bob', ['user:read']), 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1, currency: 'EUR' }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="insufficient_scope", scope="payment:create"');
    expect(await res.json()).toEqual({ error: 'Insufficient permissions', code: 'permission_denied', required: ['payment:create'] });
  });

  it('401: a service called directly with a user token is refused', async () => {
    for (const url of [`${userService}/users/me`, `${paymentService}/payments`]) {
      const res = await fetch(url, { headers: bearer('alice', ['user:read', 'payment:read']) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
      expect(await res.json()).toEqual({ error: 'Invalid token', code: 'invalid_token' });
    }
  });

  it('refuses to start without the shared secret (a development key), in one line on stderr', async () => {
    for (const name of ['gateway', 'user-service', 'payment-service']) {
      const child = spawnProcess(name, {});
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(code, name).toBe(1);
      expect(stdout, name).not.toMatch(/listening/);
      expect(stderr.trim().split('\n'), name).toEqual([
        `${name}: cannot start: SECURE_TOKEN_SECRET_KEY and SECURE_TOKEN_SALT are required: every process must share them to read each other's tokens`,
      ]);
    }
  });

  it('401: the gateway refuses a request without a token', async () => {
    const res = await fetch(`${gateway}/api/users/me`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'token_missing' });
  });
});
