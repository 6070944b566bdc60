import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSalt, generateSecretKey } from '@securetoken/core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from './redis-server';
import type { RedisServer } from './redis-server';

type Reply = { ok: true; value: unknown } | { ok: false; code: string };

/** A server instance in its own process, with its own manager and store. */
class Instance {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: Reply) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', ({ id, ...reply }: { id?: number } & Reply) => {
      if (id === undefined) return;
      this.pending.get(id)?.(reply as Reply);
      this.pending.delete(id);
    });
  }

  static start(script: string, env: NodeJS.ProcessEnv): Promise<Instance> {
    const child = fork(script, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('instance did not start')), 10_000);
      child.once('exit', (code) => reject(new Error(`instance exited (${code})`)));
      child.once('message', () => {
        clearTimeout(timer);
        resolve(new Instance(child));
      });
    });
  }

  call(op: 'issue' | 'verify' | 'revoke' | 'revokeAll', arg: string): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, op, arg });
    });
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }
}

const here = fileURLToPath(new URL('.', import.meta.url));
let redis: RedisServer;
let outDir: string;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  // Node 20 cannot run TypeScript, so the instance script is bundled (core and this package from
  // source, as the tests see them) into one CommonJS file.
  outDir = await mkdtemp(join(tmpdir(), 'securetoken-instance-'));
  await build({
    entry: { 'app-instance': join(here, 'fixtures/app-instance.ts') },
    outDir,
    format: ['cjs'],
    platform: 'node',
    target: 'node20',
    config: false,
    dts: false,
    silent: true,
    noExternal: [/./],
    esbuildOptions(options) {
      options.alias = { '@securetoken/core': join(here, '../../core/src/index.ts') };
    },
  });
  redis = await startRedis();
  const env = {
    PATH: process.env.PATH,
    REDIS_URL: redis.url,
    SECURE_TOKEN_SECRET_KEY: generateSecretKey(),
    SECURE_TOKEN_SALT: generateSalt(),
  };
  const script = join(outDir, 'app-instance.cjs');
  [a, b] = await Promise.all([Instance.start(script, env), Instance.start(script, env)]);
}, 30_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.destroy();
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
});

describe('two instances sharing one Redis', () => {
  it('a token revoked through one is refused by the other within 100 ms', async () => {
    const issued = await a.call('issue', 'alice');
    expect(issued.ok).toBe(true);
    const token = (issued as { value: string }).value;
    expect(await b.call('verify', token)).toEqual({ ok: true, value: 'alice' });

    const started = performance.now();
    expect(await a.call('revoke', token)).toEqual({ ok: true });
    expect(await b.call('verify', token)).toEqual({ ok: false, code: 'token_revoked' });
    expect(performance.now() - started).toBeLessThan(100);
    expect(await a.call('verify', token)).toEqual({ ok: false, code: 'token_revoked' });
  });

  it('revoking all of a user\'s tokens through one instance is seen by the other', async () => {
    const first = (await b.call('issue', 'bob')) as { value: string };
    const second = (await a.call('issue', 'bob')) as { value: string };
    const carol = (await a.call('issue', 'carol')) as { value: string };
    // The cut-off is "issued before now" at millisecond precision: step past the issue time.
    await new Promise((resolve) => setTimeout(resolve, 5));

    const started = performance.now();
    expect(await b.call('revokeAll', 'bob')).toEqual({ ok: true });
    expect(await a.call('verify', first.value)).toEqual({ ok: false, code: 'token_revoked' });
    expect(await a.call('verify', second.value)).toEqual({ ok: false, code: 'token_revoked' });
    expect(performance.now() - started).toBeLessThan(100);
    expect(await a.call('verify', carol.value)).toEqual({ ok: true, value: 'carol' });
  });
});
