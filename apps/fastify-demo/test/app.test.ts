import { runDemoAppSuite, serveHttp } from '@securetoken/testkit';
import { createApp } from '../src/app';

runDemoAppSuite('fastify-demo', async (manager, options) => {
  const app = await createApp(manager, options);
  await app.ready();
  const served = await serveHttp(app.server);
  // app.close() too, not just the socket: it runs the onClose hooks.
  return { send: served.send, close: () => served.close().then(() => app.close()) };
});
