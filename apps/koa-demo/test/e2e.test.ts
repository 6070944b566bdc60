import { fileURLToPath } from 'node:url';
import { runDemoProcessSuite } from '@securetoken/testkit';

runDemoProcessSuite('koa-demo', { appDir: fileURLToPath(new URL('..', import.meta.url)) });
