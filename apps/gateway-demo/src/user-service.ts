import { runProcess } from './run-process';
import { buildUserService } from './user-service-app';

await runProcess('user-service', 3001, (manager, logger) => buildUserService({ manager, logger }), (url) => [`curl -s ${url}/health`]);
