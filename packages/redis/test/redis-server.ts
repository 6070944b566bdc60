import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link startRedis}. */
export interface RedisServerOptions {
  /** Write an append-only file (fsync always), so a restart keeps every acknowledged write. */
  readonly appendOnly?: boolean;
  /** Start as a replica of the Redis on this loopback port. */
  readonly replicaOf?: number;
  /** Start a Sentinel (quorum 1, quick failover) watching the master on this port as `mymaster`. */
  readonly sentinelFor?: number;
}

/**
 * A real `redis-server` (from PATH) on a free loopback port, in its own temporary directory,
 * with no RDB snapshots. `stop` ends it with SIGTERM (clean shutdown), `start` brings it back on
 * the same port and directory, `destroy` kills it and removes the directory.
 */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  destroy(): Promise<void>;
}

export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'securetoken-redis-'));
  let port = await freePort();
  let child: ChildProcess | undefined;

  const args = async (): Promise<string[]> => {
    if (options.sentinelFor === undefined) return serverArgs();
    // Sentinel insists on a writable config file of its own.
    const file = join(dir, 'sentinel.conf');
    await writeFile(file, [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${options.sentinelFor} 1`,
      'sentinel down-after-milliseconds mymaster 500',
      'sentinel failover-timeout mymaster 3000',
      '',
    ].join('\n'));
    return [file, '--sentinel'];
  };
  const serverArgs = (): string[] => [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', options.appendOnly === true ? 'yes' : 'no',
    '--appendfsync', 'always',
    '--loglevel', 'notice',
    ...(options.replicaOf === undefined ? [] : ['--replicaof', '127.0.0.1', String(options.replicaOf)]),
  ];
  const readyLine = options.sentinelFor === undefined ? 'Ready to accept connections' : '+monitor master';

  const start = async (): Promise<void> => {
    child = await launch(await args(), readyLine);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running !== undefined) await terminate(running, 'SIGTERM');
  };

  for (let attempt = 0; ; attempt += 1) {
    try {
      await start();
      break;
    } catch (error) {
      // The free port can be taken between probing and binding; try another once or twice.
      if (attempt >= 2) throw error;
      port = await freePort();
    }
  }

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    destroy: async () => {
      const running = child;
      child = undefined;
      if (running !== undefined) {
        running.kill('SIGCONT');
        await terminate(running, 'SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function launch(args: string[], readyLine: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start:\n${output}`)), 10_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited (${code}):\n${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyLine)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  });
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Polls `check` until it returns true, at most `timeoutMs`; for things Redis does in its own time. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000, stepMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
