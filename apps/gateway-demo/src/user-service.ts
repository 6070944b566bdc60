import { SecureTokenManager } from '@securetoken/core';
import { loggerOptions, serve } from './server';
import { buildUserService } from './user-service-app';

const env = process.env;
const app = await buildUserService({ manager: SecureTokenManager.fromEnv(env), logger: loggerOptions(env) });
await serve(app, 'user-service', 3001, env);
