import { runDemo } from '@securetoken/demo-shared';
import { createApp } from './app';

await runDemo('fastify-demo', async ({ manager, logger, port, host }) => {
  const app = await createApp(manager, { logger });
  await app.listen({ port, host });
  return { server: app.server, close: () => app.close() };
});
