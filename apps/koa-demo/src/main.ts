import { listen, runDemo } from '@securetoken/demo-shared';
import { createApp } from './app';

await runDemo('koa-demo', ({ manager, ...at }) => listen(createApp(manager).callback(), at));
