import type { FastifyInstance } from 'fastify';

/** The process environment, as every main reads it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Fastify's logger settings for a main: JSON lines, level from `LOG_LEVEL`. */
export function loggerOptions(env: Env): { level: string } {
  return { level: env.LOG_LEVEL ?? 'info' };
}

/**
 * Listens on `HOST` (default 127.0.0.1, loopback only) and `PORT` (0 picks a free one), logs one
 * `listening` line with the URL (the end-to-end test reads it), and closes cleanly on SIGTERM/SIGINT.
 */
export async function serve(app: FastifyInstance, name: string, defaultPort: number, env: Env): Promise<string> {
  const host = env.HOST ?? '127.0.0.1';
  const port = env.PORT === undefined ? defaultPort : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const url = await app.listen({ host, port });
  app.log.info({ service: name, url }, 'listening');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0));
    });
  }
  return url;
}

/** A required URL from the environment, with a loopback default for local runs. */
export function urlFromEnv(env: Env, name: string, fallback: string): string {
  const value = env[name] ?? fallback;
  try {
    return new URL(value).origin;
  } catch {
    throw new Error(`${name} must be an absolute URL`);
  }
}
