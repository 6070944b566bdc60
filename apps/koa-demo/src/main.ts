import { listen, runDemo } from '@securetoken/demo-shared';
import { createApp } from './app';

await runDemo('koa-demo', ({ manager, logger, ...at }) => listen(createApp(manager, { logger }).callback(), at));
