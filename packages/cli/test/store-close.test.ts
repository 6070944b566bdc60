import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateSalt, generateSecretKey, SecureTokenManager } from '@securetoken/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run, type CliIO } from '../src/index';
import { tempDir } from './run-cli';

// A Redis store keeps a connection open: the programmatic entry must close the store it loaded,
// or the process embedding it never exits. The module records its calls on globalThis.
const secretKey = generateSecretKey();
const salt = generateSalt();
const token = new SecureTokenManager({ secretKey, salt }).generateToken({ userId: 'alice', expiresInHours: 1 });

interface Calls {
  closed: number;
}
const calls = (): Calls => (globalThis as unknown as { storeCalls: Calls }).storeCalls;

let dir: ReturnType<typeof tempDir>;
let storeModule: string;

beforeAll(() => {
  dir = tempDir();
  storeModule = join(dir.path, 'closable.mjs');
  writeFileSync(
    storeModule,
    `export default function createStore(env) {
  return {
    async isRevoked() {
      if (env.STORE_DOWN) throw new Error('connection refused');
      return env.REVOKED === '1';
    },
    async close() {
      globalThis.storeCalls.closed += 1;
      if (env.CLOSE_FAILS) throw new Error('already closed');
    },
  };
}
`,
  );
});
afterAll(() => dir.remove());
beforeEach(() => {
  (globalThis as unknown as { storeCalls: Calls }).storeCalls = { closed: 0 };
});

function io(env: Record<string, string>, input = ''): { io: CliIO; stderr: () => string } {
  let stderr = '';
  const err = new PassThrough();
  err.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const stdin = new PassThrough();
  stdin.end(input);
  const cliIO: CliIO = {
    stdin,
    stdout: new PassThrough().resume(),
    stderr: err,
    env: { SECURE_TOKEN_SECRET_KEY: secretKey, SECURE_TOKEN_SALT: salt, ...env },
  };
  return { io: cliIO, stderr: () => stderr };
}

describe('the revocation store a command loads', () => {
  it.each<[string, string[], Record<string, string>, number]>([
    ['inspect, valid token', ['inspect', token], {}, 0],
    ['verify, revoked token', ['verify', token], { REVOKED: '1' }, 4],
    ['verify, store down', ['verify', token], { STORE_DOWN: '1' }, 6],
    ['inspect, usage error after loading it', ['inspect'], {}, 1],
  ])('is closed once: %s', async (_, argv, env, code) => {
    const { io: cliIO } = io(env);
    expect(await run([...argv, '--revocation-store', storeModule], cliIO)).toBe(code);
    expect(calls().closed).toBe(1);
  });

  it('does not let a failing close change the answer', async () => {
    const { io: cliIO, stderr } = io({ CLOSE_FAILS: '1' });
    expect(await run(['verify', token, '--revocation-store', storeModule], cliIO)).toBe(0);
    expect(calls().closed).toBe(1);
    expect(stderr()).toBe('');
  });
});
