import { runDemoAppSuite, serveHttp } from '@securetoken/testkit';
import { createApp } from '../src/app';

runDemoAppSuite('nest-demo', async (manager, options) => {
  const app = await createApp(manager, options);
  await app.init();
  const served = await serveHttp(app.getHttpServer());
  return { send: served.send, close: () => served.close().then(() => app.close()) };
});
