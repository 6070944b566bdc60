import type { FastifyInstance } from 'fastify';
import type { SecureTokenManager } from '@securetoken/core';
import { runDemo } from '@securetoken/demo-shared';

/**
 * A process's `main`: demo-shared's `runDemo` (settings, Redis or memory store, banner, clean
 * stop, one stderr line on failure) around the Fastify app `build` makes, logging JSON lines at
 * `LOG_LEVEL` (default `info`). It refuses to start on a development key: the gateway and the
 * services must share one secret, or every forwarded call is refused.
 */
export function runProcess(
  name: string,
  defaultPort: number,
  build: (manager: SecureTokenManager, logger: { level: string }) => Promise<FastifyInstance>,
  hints: (url: string) => readonly string[],
): Promise<void> {
  return runDemo(
    name,
    async ({ manager, port, host }) => {
      const app = await build(manager, { level: process.env.LOG_LEVEL?.trim() || 'info' });
      try {
        await app.listen({ port, host });
      } catch (error) {
        await app.close().catch(() => undefined);
        throw error;
      }
      return { server: app.server, close: () => app.close() };
    },
    { defaultPort, requireSecret: true, hints },
  );
}
