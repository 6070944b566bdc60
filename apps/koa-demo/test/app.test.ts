import { runDemoAppSuite, serveHttp } from '@securetoken/testkit';
import { createApp } from '../src/app';

runDemoAppSuite('koa-demo', async (manager) => serveHttp(createApp(manager).callback()));
