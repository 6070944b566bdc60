import { listen, runDemo } from '@securetoken/demo-shared';
import { createApp } from './app';

await runDemo('express-demo', ({ manager, ...at }) => listen(createApp(manager), at), { webPage: '/' });
