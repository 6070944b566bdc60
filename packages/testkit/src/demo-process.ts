import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoFlow } from './demo-flow';
import { loadPythonFixtures } from './fixtures';

/** Options of {@link startDemoProcess} and {@link runDemoProcess}. */
export interface DemoProcessOptions {
  /** The demo's directory; its built entry `dist/main.mjs` is run with `node`, as `pnpm start` does. */
  readonly appDir: string;
  /** Extra environment. `PORT` defaults to a free port, `HOST` to `127.0.0.1`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Longest wait for the banner (ms); default 15 000. */
  readonly timeoutMs?: number;
}

/** A demo running as a child process. */
export interface DemoProcess {
  /** The URL from its banner, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The port it was told to use (`PORT`). */
  readonly port: number;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

// Settings of the developer's shell must not leak into a test: each case states its own.
const INHERITED_SETTINGS = /^(SECURE_TOKEN_|SECRET_KEY$|SALT$|DEFAULT_EXPIRATION_HOURS$|REDIS_URL$|NODE_ENV$|PORT$|HOST$)/;

function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!INHERITED_SETTINGS.test(name)) env[name] = value;
  return { ...env, HOST: '127.0.0.1', ...extra };
}

function spawnDemo(options: DemoProcessOptions, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(options.appDir, 'dist', 'main.mjs')], {
    cwd: options.appDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Finds a port nobody listens on right now, on 127.0.0.1.
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a built demo (`node dist/main.mjs`) on a free port, the way a user runs it, and resolves
 * once its banner names the URL. Rejects with the demo's output if it exits or stays silent.
 * @example
 * const demo = await startDemoProcess({ appDir: fileURLToPath(new URL('..', import.meta.url)) });
 * await sendHttp(demo.url, { method: 'GET', path: '/health' });
 * await demo.stop();
 */
export async function startDemoProcess(options: DemoProcessOptions): Promise<DemoProcess> {
  const port = options.env?.PORT === undefined ? await freePort() : Number(options.env.PORT);
  const child = spawnDemo(options, childEnv({ PORT: String(port), ...options.env }));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${options.appDir}: ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    };
    const timer = setTimeout(() => fail('no banner in time'), options.timeoutMs ?? 15_000);
    const early = (code: number | null) => fail(`exited with ${code} before listening`);
    child.once('exit', early);
    child.stdout?.on('data', () => {
      const found = /listening on (http:\/\/\S+)/.exec(stdout);
      if (!found) return;
      clearTimeout(timer);
      child.off('exit', early);
      resolve(found[1] as string);
    });
  });

  return {
    url,
    port,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** How a demo process ended. */
export interface DemoExit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a built demo that is expected to exit by itself (e.g. refusing to start), and resolves
 * with its exit code and output. Kills it after `timeoutMs` if it does not exit.
 * @example
 * const { code, stderr } = await runDemoProcess({ appDir, env: { NODE_ENV: 'production' } });
 */
export async function runDemoProcess(options: DemoProcessOptions): Promise<DemoExit> {
  const port = options.env?.PORT ?? String(await freePort());
  const child = spawnDemo(options, childEnv({ PORT: port, ...options.env }));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Options of {@link runDemoProcessSuite}. */
export interface DemoProcessSuiteOptions {
  /** The demo's directory (holding `dist/main.mjs`). */
  readonly appDir: string;
  /** Also run the flow on a Redis revocation store at this URL (read when the case starts). */
  readonly redisUrl?: () => string;
}

/**
 * Registers the end-to-end checks every demo app passes, each against the built app started as
 * a child process on a free port: the demo flow with a development key (which it must announce,
 * with a banner holding the URL and two curl lines); the flow with the Python fixture's secret
 * and salt under `NODE_ENV=production`, where a Python-minted token must be accepted; the
 * refusal to start in production without a secret; and, with `redisUrl`, the flow on Redis.
 * @example
 * runDemoProcessSuite('express-demo', { appDir: fileURLToPath(new URL('..', import.meta.url)) });
 */
export function runDemoProcessSuite(name: string, options: DemoProcessSuiteOptions): void {
  const { appDir } = options;

  const started = (env: () => Record<string, string>) => {
    let demo: DemoProcess | undefined;
    beforeAll(async () => {
      demo = await startDemoProcess({ appDir, env: env() });
    });
    afterAll(() => demo?.stop());
    return () => {
      if (!demo) throw new Error(`${name} did not start`);
      return demo;
    };
  };

  describe(`${name}: the built app, started as a user runs it`, () => {
    describe('with no secret configured', () => {
      const demo = started(() => ({}));

      it('listens on PORT, says it uses a development key, and prints the URL and two curl lines', () => {
        expect(demo().url).toBe(`http://127.0.0.1:${demo().port}`);
        expect(demo().stderr()).toMatch(/development key/);
        const lines = demo().stdout().split('\n');
        expect(lines[0]).toContain(`listening on ${demo().url}`);
        expect(lines.filter((line) => /^\s+(TOKEN=\$\()?curl /.test(line))).toHaveLength(2);
      });

      runDemoFlow(name, { baseUrl: () => demo().url });
    });

    describe('with the Python fixture secret and salt, in production', () => {
      const fixtures = loadPythonFixtures();
      const demo = started(() => ({
        NODE_ENV: 'production',
        SECURE_TOKEN_SECRET_KEY: fixtures.secret_key,
        SECURE_TOKEN_SALT: fixtures.salt,
      }));

      it('starts without a development-key warning', () => {
        expect(demo().stderr()).not.toMatch(/development key/);
      });

      runDemoFlow(name, { baseUrl: () => demo().url, pythonFixture: true });
    });

    it('refuses to start with NODE_ENV=production and no secret, in one line on stderr', async () => {
      const { code, stdout, stderr } = await runDemoProcess({ appDir, env: { NODE_ENV: 'production' } });
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(stdout).not.toMatch(/listening/);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/SECURE_TOKEN_SECRET_KEY and SECURE_TOKEN_SALT are required in production/);
    });

    const { redisUrl } = options;
    if (redisUrl) {
      describe('with REDIS_URL', () => {
        const demo = started(() => ({ REDIS_URL: redisUrl() }));

        it('announces the Redis revocation store', () => {
          expect(demo().stdout()).toMatch(/revocation store: redis/);
        });

        runDemoFlow(name, { baseUrl: () => demo().url });
      });
    }
  });
}
