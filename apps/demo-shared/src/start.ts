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
  type SecureTokenSettings,
} from '@securetoken/core';
import type { DemoLogger } from './demo-api';
import { createRedisRevocationStore } from '@securetoken/redis';

type Env = Readonly<Record<string, string | undefined>>;

/** Where a demo listens: `PORT` (default 3000, or the demo's own) and `HOST` (default 127.0.0.1). */
export interface ListenSettings {
  readonly port: number;
  readonly host: string;
}

/**
 * Reads `PORT` (an empty one is unset, not port 0) and `HOST`.
 * @throws ConfigurationError (`configuration_error`) for a `PORT` that is not 0..65535.
 * @example
 * const { port, host } = readListenSettings(process.env, 3001);
 */
export function readListenSettings(env: Env = process.env, defaultPort = 3000): ListenSettings {
  const rawPort = env.PORT?.trim() || String(defaultPort);
  const port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new ConfigurationError('PORT must be a number from 0 to 65535');
  return { port, host: env.HOST?.trim() || '127.0.0.1' };
}

/** The settings with a secret and salt: what processes reading each other's tokens share. */
export type SharedSettings = SecureTokenSettings & { readonly secretKey: string; readonly salt: string };

/**
 * Reads the settings like core's `loadSettings`, but refuses to go on without a secret and salt:
 * a process whose tokens another process must read cannot use a random development key.
 * @throws ConfigurationError (`configuration_error`) for bad settings or a missing secret or salt.
 * @example
 * const manager = new SecureTokenManager(loadSharedSettings(process.env));
 */
export function loadSharedSettings(env: Env = process.env): SharedSettings {
  const settings = loadSettings(env);
  if (settings.secretKey === undefined || settings.salt === undefined) {
    throw new ConfigurationError(
      'SECURE_TOKEN_SECRET_KEY and SECURE_TOKEN_SALT are required: every process must share them to read each other\'s tokens',
    );
  }
  return settings as SharedSettings;
}

/** The manager and revocation store a demo runs on. */
export interface DemoServices {
  readonly manager: SecureTokenManager;
  /** `redis` when `REDIS_URL` is set, else `memory`. */
  readonly store: 'redis' | 'memory';
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/** Options of {@link createDemoServices}. */
export interface DemoServicesOptions {
  /** Refuse to start without a secret and salt (see {@link loadSharedSettings}); default false. */
  readonly requireSecret?: boolean;
}

/**
 * Builds the manager from the `SECURE_TOKEN_*` settings (or the Python names), on a Redis
 * revocation store when `REDIS_URL` is set (waiting until Redis answers), else in memory.
 * Without a secret the manager uses a development key and tells `logger`, unless `requireSecret`.
 * @throws ConfigurationError (`configuration_error`) for bad settings, or no secret with
 *   `NODE_ENV=production` or `requireSecret`; Error when Redis cannot be reached.
 * @example
 * const { manager, close } = await createDemoServices(process.env, { warn: console.warn });
 */
export async function createDemoServices(
  env: Env = process.env,
  logger?: Logger,
  { requireSecret = false }: DemoServicesOptions = {},
): Promise<DemoServices> {
  const settings = requireSecret ? loadSharedSettings(env) : loadSettings(env);
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
 * The start-up banner: the URL, the web page if the demo serves one, and commands to try: by
 * default two curl lines (log in as `admin`, then read the profile), else `hints` (none if empty).
 * @example
 * console.log(formatBanner('express-demo', 'http://127.0.0.1:3000', 'memory', '/'));
 */
export function formatBanner(
  name: string,
  url: string,
  store: DemoServices['store'],
  webPage?: string,
  hints?: readonly string[],
): string {
  const login = `curl -s -X POST ${url}/api/login -H 'content-type: application/json' -d '{"username":"admin","password":"admin123"}'`;
  const tries = hints ?? [
    `TOKEN=$(${login} | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')`,
    `curl -s ${url}/api/profile -H "authorization: Bearer $TOKEN"`,
  ];
  return [
    `${name} listening on ${url} (revocation store: ${store})`,
    ...(webPage === undefined ? [] : [`Open ${url}${webPage} in a browser for the demo page.`]),
    ...(tries.length === 0 ? [] : ['Try:', ...tries.map((line) => `  ${line}`)]),
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

/** What {@link runDemo} hands the app: the manager, where to listen, and where errors are logged. */
export interface DemoContext extends ListenSettings {
  readonly manager: SecureTokenManager;
  /** For {@link errorReply}: `console.error`, prefixed with the demo's name. */
  readonly logger: DemoLogger;
}

/** Options of {@link runDemo}. */
export interface RunDemoOptions extends DemoServicesOptions {
  /** The environment; default `process.env`. */
  readonly env?: Env;
  /** The demo page's path, named in the banner. */
  readonly webPage?: string;
  /** `PORT` when unset; default 3000. */
  readonly defaultPort?: number;
  /** The banner's commands to try, given the URL; default log in and read the profile. */
  readonly hints?: (url: string) => readonly string[];
}

/**
 * A demo's `main`: reads the environment, builds the manager, calls `start` to listen, prints
 * the banner, and stops cleanly on SIGINT/SIGTERM. A start-up failure (bad settings, no secret
 * in production or with `requireSecret`, Redis down, port taken) is one line on stderr and exit
 * code 1, never a stack; so is a failure to stop.
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
  { env = process.env, webPage, defaultPort, hints, ...servicesOptions }: RunDemoOptions = {},
): Promise<void> {
  const logger: Logger & DemoLogger = {
    warn: (message) => console.warn(`${name}: ${message}`),
    error: (message) => console.error(`${name}: ${message}`),
  };
  const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  let services: DemoServices | undefined;
  let running: RunningDemo;
  try {
    const listen = readListenSettings(env, defaultPort);
    services = await createDemoServices(env, logger, servicesOptions);
    running = await start({ ...listen, manager: services.manager, logger });
  } catch (error) {
    await services?.close().catch(() => undefined);
    logger.error(`cannot start: ${reason(error)}`);
    process.exitCode = 1;
    return;
  }
  const url = urlOf(running.server.address());
  console.log(formatBanner(name, url, services.store, webPage, hints?.(url)));

  const stop = async (): Promise<void> => {
    try {
      await running.close();
    } finally {
      await services?.close();
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`cannot stop cleanly: ${reason(error)}`);
          process.exit(1);
        },
      );
    });
  }
}
