import { runDemoAppSuite, serveHttp } from '@securetoken/testkit';
import { createApp } from '../src/app';

runDemoAppSuite('koa-demo', async (manager, options) => serveHttp(createApp(manager, options).callback()));
