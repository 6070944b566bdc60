import { runDemoAppSuite, serveHttp } from '@securetoken/testkit';
import { createApp } from '../src/app';

runDemoAppSuite('fastify-demo', async (manager) => {
  const app = await createApp(manager);
  await app.ready();
  return serveHttp(app.server);
});
