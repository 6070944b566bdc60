import { runDemoAppSuite, serveHttp } from '@securetoken/testkit';
import { createApp } from '../src/app';

runDemoAppSuite('express-demo', async (manager, options) => serveHttp(createApp(manager, options)));
