import { runDemo } from '@securetoken/demo-shared';
import { createApp } from './app';

await runDemo('nest-demo', async ({ manager, port, host }) => {
  const app = await createApp(manager);
  await app.listen(port, host);
  return { server: app.getHttpServer(), close: () => app.close() };
});
