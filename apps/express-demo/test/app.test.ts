import { runDemoAppSuite, serveHttp } from '@securetoken/testkit';
import { createApp } from '../src/app';

runDemoAppSuite('express-demo', async (manager) => serveHttp(createApp(manager)));
