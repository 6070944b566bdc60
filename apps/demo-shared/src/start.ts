import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';
import { once } from 'node:events';
import {
  ConfigurationError,
  loadSettings,
  MemoryRevocationStore,
  SecureTokenManager,
  type Logger,
  type RevocationStore,
} from '@securetoken/core';
import { createRedisRevocationStore } from '@securetoken/redis';

type Env = Readonly<Record<string, string | undefined>>;

/** Where a demo listens: `PORT` (default 3000) and `HOST` (default 127.0.0.1). */
export interface ListenSettings {
  readonly port: number;
  readonly host: string;
}

/**
 * Reads `PORT` and `HOST`.
 * @throws ConfigurationError (`configuration_error`) for a `PORT` that is not 0..65535.
 * @example
 * const { port, host } = readListenSettings(process.env);
 */
export function readListenSettings(env: Env = process.env): ListenSettings {
  const rawPort = env.PORT?.trim() || '3000';
  const port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new ConfigurationError('PORT must be a number from 0 to 65535');
  return { port, host: env.HOST?.trim() || '127.0.0.1' };
}

/** The manager and revocation store a demo runs on. */
export interface DemoServices {
  readonly manager: SecureTokenManager;
  /** `redis` when `REDIS_URL` is set, else `memory`. */
  readonly store: 'redis' | 'memory';
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/**
 * Builds the manager from the `SECURE_TOKEN_*` settings (or the Python names), on a Redis
 * revocation store when `REDIS_URL` is set (waiting until Redis answers), else in memory.
 * Without a secret the manager uses a development key and tells `logger`.
 * @throws ConfigurationError (`configuration_error`) for bad settings, or no secret with
 *   `NODE_ENV=production`; Error when Redis cannot be reached.
 * @example
 * const { manager, close } = await createDemoServices(process.env, { warn: console.warn });
 */
export async function createDemoServices(env: Env = process.env, logger?: Logger): Promise<DemoServices> {
  const settings = loadSettings(env);
  const redisUrl = env.REDIS_URL?.trim();
  let revocationStore: RevocationStore;
  let close = async (): Promise<void> => undefined;
  if (redisUrl) {
    const redis = createRedisRevocationStore({ url: redisUrl, ...(logger && { logger }) });
    close = () => redis.close();
    try {
      await redis.ready();
    } catch (cause) {
      await close();
      // Never the URL itself: it may carry a password.
      throw new Error('Redis at REDIS_URL did not answer', { cause });
    }
    revocationStore = redis;
  } else {
    revocationStore = new MemoryRevocationStore();
  }
  try {
    const manager = await SecureTokenManager.create({
      environment: env.NODE_ENV,
      ...settings,
      revocationStore,
      ...(logger && { logger }),
    });
    return { manager, store: redisUrl ? 'redis' : 'memory', close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The start-up banner: the URL, the web page if the demo serves one, and two curl lines to try
 * (log in as `admin`, then read the profile).
 * @example
 * console.log(formatBanner('express-demo', 'http://127.0.0.1:3000', 'memory', '/'));
 */
export function formatBanner(name: string, url: string, store: DemoServices['store'], webPage?: string): string {
  const login = `curl -s -X POST ${url}/api/login -H 'content-type: application/json' -d '{"username":"admin","password":"admin123"}'`;
  return [
    `${name} listening on ${url} (revocation store: ${store})`,
    ...(webPage === undefined ? [] : [`Open ${url}${webPage} in a browser for the demo page.`]),
    'Try:',
    `  TOKEN=$(${login} | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')`,
    `  curl -s ${url}/api/profile -H "authorization: Bearer $TOKEN"`,
  ].join('\n');
}

/** The URL a client on this machine uses for a listening address (wildcards become loopback). */
export function urlOf(address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string') return `http://${address ?? 'localhost'}`;
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** A started demo: the Node server it listens on, and how to stop it. */
export interface RunningDemo {
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Serves a Node request listener (an Express app, Koa's `app.callback()`) on `port` and `host`.
 * @throws Error when the port is taken or the host unknown.
 * @example
 * await runDemo('koa-demo', ({ manager, ...at }) => listen(createApp(manager).callback(), at));
 */
export async function listen(listener: RequestListener, { port, host }: ListenSettings): Promise<RunningDemo> {
  const server = createServer(listener).listen(port, host);
  await once(server, 'listening');
  return {
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive clients would hold the server open until they time out.
        server.closeIdleConnections();
      }),
  };
}

/** What {@link runDemo} hands the app: the manager and where to listen. */
export interface DemoContext extends ListenSettings {
  readonly manager: SecureTokenManager;
}

/**
 * A demo's `main`: reads the environment, builds the manager, calls `start` to listen, prints
 * the banner, and stops cleanly on SIGINT/SIGTERM. A start-up failure (bad settings, no secret
 * in production, Redis down, port taken) is one line on stderr and exit code 1, never a stack.
 * @example
 * await runDemo('express-demo', async ({ manager, port, host }) => {
 *   const server = createApp(manager).listen(port, host);
 *   await once(server, 'listening');
 *   return { server, close: () => new Promise((resolve) => server.close(() => resolve())) };
 * });
 */
export async function runDemo(
  name: string,
  start: (context: DemoContext) => Promise<RunningDemo>,
  { env = process.env, webPage }: { readonly env?: Env; readonly webPage?: string } = {},
): Promise<void> {
  const logger: Logger = { warn: (message) => console.warn(`${name}: ${message}`) };
  let services: DemoServices | undefined;
  let running: RunningDemo;
  try {
    const listen = readListenSettings(env);
    services = await createDemoServices(env, logger);
    running = await start({ ...listen, manager: services.manager });
  } catch (error) {
    await services?.close().catch(() => undefined);
    console.error(`${name}: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  console.log(formatBanner(name, urlOf(running.server.address()), services.store, webPage));

  const stop = async (): Promise<void> => {
    await running.close();
    await services?.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
