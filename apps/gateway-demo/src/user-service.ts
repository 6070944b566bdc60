import { SecureTokenManager } from '@securetoken/core';
import { loggerOptions, serve } from './server';
import { revocationStoreFromEnv } from './store';
import { buildUserService } from './user-service-app';

const env = process.env;
const manager = SecureTokenManager.fromEnv(env, { revocationStore: revocationStoreFromEnv(env) });
const app = await buildUserService({ manager, logger: loggerOptions(env) });
await serve(app, 'user-service', 3001, env);
