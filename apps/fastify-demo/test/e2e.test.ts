import { fileURLToPath } from 'node:url';
import { runDemoProcessSuite } from '@securetoken/testkit';

runDemoProcessSuite('fastify-demo', { appDir: fileURLToPath(new URL('..', import.meta.url)) });
