import { listen, runDemo } from '@securetoken/demo-shared';
import { createApp } from './app';

await runDemo('express-demo', ({ manager, logger, ...at }) => listen(createApp(manager, { logger }), at), { webPage: '/' });
